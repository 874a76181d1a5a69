"""The core every layer stands on: the documents passed between stages, options, errors, files,
URLs, times, media probing and output formats. It imports nothing else of recap."""
