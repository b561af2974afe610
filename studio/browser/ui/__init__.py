"""The Studio's user interface: DOM views rendered from Python, one module per panel or idea."""
