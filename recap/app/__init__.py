"""The application: the command line, the Python API, channels, clusters, and the pipeline that
runs the stages in order and decides what is saved when."""
