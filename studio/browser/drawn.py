"""Pictures onto <canvas> elements, wherever their pixels are (the engine's worker or the page)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import js  # browser-only

from ..engine.remote import RemoteImage


async def paint_pictures(
    backend: Any, pairs: Sequence[tuple[Any, Any]], wanted: Callable[[], bool], *, hand_over: bool = False
) -> bool:
    """Show each (canvas element, picture or None) at the picture's full size, pixels as they are
    (None empties the element). Nothing is shown if `wanted()` turned false while the pixels came
    (another picture was asked for); returns whether they were shown.

    hand_over: the elements take the pictures as bitmaps ("bitmaprenderer": no copy on the main thread,
    where drawing a 7-megapixel picture into a 2D canvas took 20 ms); such an element has no 2D context."""
    sources = [None if image is None else await backend.drawable(image) for _, image in pairs]
    if hand_over:
        sources = [await _own_bitmap(image, source) for (_, image), source in zip(pairs, sources, strict=True)]
    try:
        if not wanted():
            return False
        for (element, image), source in zip(pairs, sources, strict=True):
            if image is None:
                element.width = element.height = 0
                continue
            element.width, element.height = backend.size(image)  # resizing also clears it
            if hand_over:
                element.getContext("bitmaprenderer").transferFromImageBitmap(source)
                continue
            ctx = element.getContext("2d")
            ctx.imageSmoothingEnabled = False
            ctx.drawImage(source, 0, 0)
        return True
    finally:
        # A bitmap the worker sent (or made here to hand over) is this page's copy: closed once shown.
        # A picture made on the page itself (an ImageBitmap handle too, when decoded) is never closed.
        for (_, image), source in zip(pairs, sources, strict=True):
            if source is not None and (hand_over or isinstance(image, RemoteImage)):
                source.close()


async def _own_bitmap(image: Any, source: Any) -> Any:
    """A bitmap of the picture that may be handed over (and so detached): the worker's copy as it is,
    else a copy of the page's own picture, which must stay whole."""
    if source is None or isinstance(image, RemoteImage):
        return source
    return await js.createImageBitmap(source)
