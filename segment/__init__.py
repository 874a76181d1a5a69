"""Stage 3: the transcript cut into stories, each with a heading and a kind."""

from recap.segment.segmenter import SegmentOptions, segment
from recap.segment.source import TimedText, load_timed_text

__all__ = ["SegmentOptions", "TimedText", "load_timed_text", "segment"]
