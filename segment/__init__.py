"""Stage 3: the transcript cut into stories, each with a heading and a kind."""

from recap.stages.segment.outline import names_written, outline
from recap.stages.segment.segmenter import SegmentOptions, segment

__all__ = ["SegmentOptions", "names_written", "outline", "segment"]
