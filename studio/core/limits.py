"""The documented limits on what a workflow file may hold (docs/reliability.md lists them)."""

from __future__ import annotations

# A workflow's text, in bytes (or characters for text already decoded). Self-contained saves
# embed pictures as data: URLs, so this is generous; anything larger is refused before parsing.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
# Nesting of JSON objects and lists in the whole document. A real workflow is about 10 deep
# (an AI node's recorded turns the deepest); the page's Python dies near 1,000.
MAX_DEPTH = 64
# Nesting inside one node's `data` (counted from the `data` object itself).
MAX_DATA_DEPTH = 32
MAX_NODES = 5000
MAX_EDGES = 200_000
# Frames (groups) in one workflow, and the length of a frame's title.
MAX_FRAMES = 1000
MAX_TITLE_LENGTH = 200
# Node ids become file names (`<id>.png`): short enough for every file system.
MAX_ID_LENGTH = 64
# Canvas positions: finite and within this distance of the origin, in canvas pixels.
MAX_COORDINATE = 1_000_000
# A picture passed with `studio run --input`, in bytes (read with this cap, never whole).
MAX_INPUT_BYTES = 128 * 1024 * 1024
# How much of a user's value a message quotes.
QUOTE_CHARS = 80
