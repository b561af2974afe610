"""The command line: serve, build, run, nodes."""
