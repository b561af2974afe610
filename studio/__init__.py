"""Pyxis Studio: a node-based image pipeline that runs in the browser and headless."""

__version__ = "0.1.0"
