"""recap: turn a video news show into a written article."""

__version__ = "0.1.0"
