"""The pipeline's stages, each in its own top-level folder: fetch, transcribe, segment, render, clean.
A stage's __init__ is its public face; the stages never import each other."""
