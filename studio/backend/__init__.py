"""Image backends: the protocol, and the Pillow implementation for CPython."""
