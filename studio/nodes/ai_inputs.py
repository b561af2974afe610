"""Getting node images ready for Gemini: downscale very large ones, encode compactly."""

from __future__ import annotations

# Gemini's image models work at up to 4K; larger inputs only cost upload time and request size
# (the request must stay under the API's limit, see studio/gemini/request.py).
MAX_INPUT_SIDE = 3072
# Below this many pixels PNG is small enough and keeps alpha; above, JPEG keeps requests light.
PNG_PIXEL_LIMIT = 1024 * 1024
JPEG_QUALITY = 92


async def prepare_images(ctx, images: list) -> list[bytes]:
    """Encoded bytes for each image, downscaled to MAX_INPUT_SIDE with a visible note."""
    encoded = []
    for index, image in enumerate(images, start=1):
        ctx.check_cancelled()
        width, height = ctx.backend.size(image)
        if max(width, height) > MAX_INPUT_SIDE:
            scale = MAX_INPUT_SIDE / max(width, height)
            new_size = (max(1, round(width * scale)), max(1, round(height * scale)))
            image = await ctx.backend.resize(image, *new_size)
            ctx.note(f"input {index} downscaled from {width} x {height} to {new_size[0]} x {new_size[1]} for Gemini")
            width, height = new_size
        if width * height <= PNG_PIXEL_LIMIT:
            encoded.append(await ctx.backend.encode(image, "png", 100))
        else:
            encoded.append(await ctx.backend.encode(image, "jpeg", JPEG_QUALITY))
    return encoded
