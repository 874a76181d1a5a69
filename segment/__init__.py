"""Stage 3: the transcript cut into stories, each with a heading and a kind."""

from recap.stages.segment.learn import MIN_EPISODES, learn
from recap.stages.segment.outline import names_written, outline
from recap.stages.segment.segmenter import SegmentOptions, segment

__all__ = ["MIN_EPISODES", "SegmentOptions", "learn", "names_written", "outline", "segment"]
