"""Stage 3: the transcript cut into stories, each with a heading and a kind."""

from recap.segment.outline import outline
from recap.segment.segmenter import SegmentOptions, segment

__all__ = ["SegmentOptions", "outline", "segment"]
