"""The pipeline's stages, each in its own top-level folder: fetch, transcribe, segment, render, clean.
A stage's __init__ is its public face; the stages never import each other."""

from pathlib import Path

# Installed, setuptools maps each stage folder in here. A Python started in a source checkout
# imports the checkout's recap/ instead, so the stages are looked for beside it there too.
_CHECKOUT = Path(__file__).resolve().parents[2]
if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "segment" / "__init__.py").is_file():
    __path__.append(str(_CHECKOUT))
