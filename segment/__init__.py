"""Stage 3: the transcript cut into stories, each with a heading and a kind."""

from recap.segment.outline import names_written, outline
from recap.segment.segmenter import SegmentOptions, segment

__all__ = ["SegmentOptions", "names_written", "outline", "segment"]
