"""The second wave's per-pixel operations on the canvas: WebGL2 shaders (canvas_gl) for
levels, threshold, posterize, pixelate, noise, vignette, 3x3 kernels, channels, masks and
chroma keys, each the rule of studio/backend/protocol.py in 0..255 levels."""

from __future__ import annotations

import math

from ..backend.protocol import CHANNELS, MASK_SOURCES, RGB
from ..core.colors import RGBA
from ..core.errors import NodeInputError
from .canvas_gl import Raw, shade
from .canvas_surface import CanvasImage, finish, new_surface

_LEVELS = """
uniform vec3 u_black;
uniform vec3 u_white;
uniform float u_gamma;
void main() {
  vec4 v = src(here());
  vec3 t = clamp((v.rgb - u_black) / max(vec3(1.0), u_white - u_black), 0.0, 1.0);
  emit(vec4(255.0 * pow(t, vec3(1.0 / u_gamma)), v.a));
}
"""

_THRESHOLD = """
uniform float u_level;
void main() {
  vec4 v = src(here());
  float white = luma(v.rgb) >= int(u_level) ? 255.0 : 0.0;
  emit(vec4(vec3(white), v.a));
}
"""

_POSTERIZE = """
uniform float u_steps;
void main() {
  vec4 v = src(here());
  vec3 q = floor(v.rgb * u_steps / 255.0 + 0.5);
  emit(vec4(floor(q * 255.0 / u_steps + 0.5), v.a));
}
"""

# Each output pixel is one block's premultiplied mean (blocks at the right and bottom may be
# partial); the small result is then blown up without smoothing.
_BLOCK_MEAN = """
uniform float u_block;
void main() {
  int block = int(u_block);
  ivec2 origin = here() * block;
  ivec2 size = textureSize(u_src, 0);
  vec3 sum = vec3(0.0);
  float alpha = 0.0;
  float count = 0.0;
  for (int dy = 0; dy < block; dy++) {
    int y = origin.y + dy;
    if (y >= size.y) break;
    for (int dx = 0; dx < block; dx++) {
      int x = origin.x + dx;
      if (x >= size.x) break;
      vec4 v = src(ivec2(x, y));
      sum += v.rgb * v.a / 255.0;
      alpha += v.a;
      count += 1.0;
    }
  }
  vec3 rgb = alpha > 0.0 ? sum * 255.0 / alpha : vec3(0.0);
  emit(vec4(rgb, alpha / count));
}
"""

_NOISE = """
void main() {
  ivec2 p = here();
  vec4 v = src(p);
  vec3 offset = levels_of(texelFetch(u_aux, p, 0)).rgb - 128.0;
  emit(vec4(v.rgb + offset, v.a));
}
"""

_VIGNETTE = """
uniform vec4 u_color;
uniform float u_amount;
uniform float u_start;
void main() {
  ivec2 p = here();
  vec4 v = src(p);
  vec2 half_size = u_out / 2.0;
  vec2 uv = (vec2(p) + 0.5 - half_size) / half_size;
  float d = sqrt(dot(uv, uv) / 2.0);
  float t = clamp((d - u_start) / max(1e-6, 1.0 - u_start), 0.0, 1.0);
  float w = t * t * (3.0 - 2.0 * t) * u_amount * u_color.a / 255.0;
  emit(vec4(mix(v.rgb, u_color.rgb, w), v.a));
}
"""

# The nine weights written out (no loops, no dynamic indexing: SwiftShader runs this 3x faster).
_CONVOLVE = """
uniform vec3 u_row0;
uniform vec3 u_row1;
uniform vec3 u_row2;
uniform float u_offset;
void main() {
  ivec2 p = here();
  vec3 sum = vec3(u_offset)
    + u_row0.x * src(p + ivec2(-1, -1)).rgb + u_row0.y * src(p + ivec2(0, -1)).rgb + u_row0.z * src(p + ivec2(1, -1)).rgb
    + u_row1.x * src(p + ivec2(-1, 0)).rgb + u_row1.y * src(p).rgb + u_row1.z * src(p + ivec2(1, 0)).rgb
    + u_row2.x * src(p + ivec2(-1, 1)).rgb + u_row2.y * src(p + ivec2(0, 1)).rgb + u_row2.z * src(p + ivec2(1, 1)).rgb;
  emit(vec4(sum, src(p).a));
}
"""

_CHANNEL = """
uniform float u_channel;
void main() {
  float v = src(here())[int(u_channel)];
  emit(vec4(v, v, v, 255.0));
}
"""

_MASK = """
uniform float u_use_alpha;
uniform float u_invert;
void main() {
  ivec2 p = here();
  vec4 v = src(p);
  vec4 m = aux(p);
  // Luminance of the mask composited on black: its premultiplied levels, rounded.
  float value = u_use_alpha > 0.5 ? m.a : float(luma(floor(m.rgb * m.a / 255.0 + 0.5)));
  if (u_invert > 0.5) value = 255.0 - value;
  emit(vec4(v.rgb, v.a * value / 255.0));
}
"""

_CHROMA_KEY = """
uniform vec3 u_key;
uniform float u_tolerance;
uniform float u_softness;
void main() {
  vec4 v = src(here());
  float d = distance(v.rgb, u_key);
  float keep = u_softness > 0.0 ? clamp((d - u_tolerance) / u_softness, 0.0, 1.0) : (d > u_tolerance ? 1.0 : 0.0);
  emit(vec4(v.rgb, v.a * keep));
}
"""


def levels(image: CanvasImage, black: RGB, white: RGB, gamma: float) -> CanvasImage:
    uniforms = {"u_black": _floats(black), "u_white": _floats(white), "u_gamma": (gamma,)}
    return shade("Levels", _LEVELS, image.size, (image,), uniforms)


def threshold(image: CanvasImage, level: int) -> CanvasImage:
    return shade("Threshold", _THRESHOLD, image.size, (image,), {"u_level": (float(level),)})


def posterize(image: CanvasImage, steps: int) -> CanvasImage:
    return shade("Posterize", _POSTERIZE, image.size, (image,), {"u_steps": (float(steps - 1),)})


def pixelate(image: CanvasImage, block: int) -> CanvasImage:
    w, h = image.size
    small_size = (math.ceil(w / block), math.ceil(h / block))
    small = shade("Pixelate", _BLOCK_MEAN, small_size, (image,), {"u_block": (float(block),)})
    canvas, ctx = new_surface(w, h)
    ctx.imageSmoothingEnabled = False
    ctx.drawImage(small.canvas, 0, 0, small_size[0] * block, small_size[1] * block)
    return finish(canvas)


def add_noise(image: CanvasImage, offsets: bytes) -> CanvasImage:
    w, h = image.size
    return shade("Noise", _NOISE, image.size, (image, Raw(w, h, offsets, channels=3)))


def vignette(image: CanvasImage, amount: float, start: float, color: RGBA) -> CanvasImage:
    uniforms = {"u_color": _floats(color), "u_amount": (amount,), "u_start": (start,)}
    return shade("Vignette", _VIGNETTE, image.size, (image,), uniforms)


def convolve(image: CanvasImage, kernel: tuple[float, ...], offset: float) -> CanvasImage:
    k = [float(v) for v in kernel]
    uniforms = {"u_row0": tuple(k[0:3]), "u_row1": tuple(k[3:6]), "u_row2": tuple(k[6:9]), "u_offset": (offset,)}
    return shade("Edges", _CONVOLVE, image.size, (image,), uniforms)


def channel(image: CanvasImage, name: str) -> CanvasImage:
    if name not in CHANNELS:
        raise NodeInputError(f"the channel must be one of {', '.join(CHANNELS)}, not {name!r}")
    return shade("Channel", _CHANNEL, image.size, (image,), {"u_channel": (float(CHANNELS.index(name)),)})


def mask(image: CanvasImage, mask_image: CanvasImage, source: str, invert: bool) -> CanvasImage:
    if source not in MASK_SOURCES:
        raise NodeInputError(f"the mask source must be one of {', '.join(MASK_SOURCES)}, not {source!r}")
    uniforms = {"u_use_alpha": (float(source == "alpha"),), "u_invert": (float(invert),)}
    return shade("Mask", _MASK, image.size, (image, mask_image), uniforms)


def chroma_key(image: CanvasImage, color: RGBA, tolerance: float, softness: float) -> CanvasImage:
    uniforms = {"u_key": _floats(color[:3]), "u_tolerance": (tolerance,), "u_softness": (softness,)}
    return shade("Chroma key", _CHROMA_KEY, image.size, (image,), uniforms)


def _floats(values) -> tuple[float, ...]:
    return tuple(float(v) for v in values)
