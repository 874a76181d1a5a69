"""Times as people and subtitle files write them: one home for every clock format recap prints."""

from __future__ import annotations


def clock(seconds: float | None) -> str:
    """1:23 or 1:02:03, whole seconds rounded down so a link never starts after the words."""
    if seconds is None:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def vtt_time(seconds: float) -> str:
    """00:01:02.345, as WebVTT cues need it."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def vtt_escape(text: str) -> str:
    """Cue text is markup in WebVTT: a bare '<' or '&' would start a tag or an entity."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
