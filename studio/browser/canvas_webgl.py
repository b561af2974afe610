"""The 3x3 sharpen kernel as a WebGL2 fragment shader, on a GL context of its own kept for the session
(the context options, the covering triangle and shader compiling are canvas_gl's)."""

from __future__ import annotations

from typing import Any

import js  # browser-only: this module lives in studio.browser
from pyodide.ffi import JsException

from ..core.errors import ImageError
from .canvas_gl import VERTEX, compile_program, new_context
from .canvas_surface import CanvasImage, finish, new_surface

# texelFetch ignores the wrap mode, so neighbours are clamped to the image by hand (edges
# extended). Row 0 of the texture is the image's top row; gl_FragCoord.y counts from the bottom
# row of the drawing buffer, which is the bottom of the picture when it is drawn onto a canvas.
_FRAGMENT = """#version 300 es
precision highp float;
precision highp int;
uniform highp sampler2D u_src;
uniform float u_amount;
out vec4 o_color;
vec3 at(ivec2 p, ivec2 last) { return texelFetch(u_src, clamp(p, ivec2(0), last), 0).rgb; }
void main() {
  ivec2 size = textureSize(u_src, 0);
  ivec2 last = size - 1;
  ivec2 p = ivec2(int(gl_FragCoord.x), size.y - 1 - int(gl_FragCoord.y));
  vec4 c = texelFetch(u_src, p, 0);
  vec3 around = at(p + ivec2(0, -1), last) + at(p + ivec2(0, 1), last)
              + at(p + ivec2(-1, 0), last) + at(p + ivec2(1, 0), last);
  vec3 rgb = c.rgb * (1.0 + 4.0 * u_amount) - u_amount * around;
  o_color = vec4(clamp(rgb, 0.0, 1.0), c.a);
}
"""


class _Sharpener:
    """The GL context, its compiled program and its one texture, made on first use."""

    def __init__(self, canvas: Any, gl: Any) -> None:
        self.canvas, self.gl = canvas, gl
        self.program = compile_program(gl, VERTEX, _FRAGMENT)
        self.amount = gl.getUniformLocation(self.program, "u_amount")
        self.texture = gl.createTexture()
        gl.bindTexture(gl.TEXTURE_2D, self.texture)
        for name, value in (
            ("TEXTURE_MIN_FILTER", "NEAREST"),
            ("TEXTURE_MAG_FILTER", "NEAREST"),
            ("TEXTURE_WRAP_S", "CLAMP_TO_EDGE"),
            ("TEXTURE_WRAP_T", "CLAMP_TO_EDGE"),
        ):
            gl.texParameteri(gl.TEXTURE_2D, getattr(gl, name), getattr(gl, value))
        gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, False)
        gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, False)
        gl.pixelStorei(gl.UNPACK_COLORSPACE_CONVERSION_WEBGL, gl.NONE)
        gl.useProgram(self.program)
        gl.uniform1i(gl.getUniformLocation(self.program, "u_src"), 0)
        limits = (gl.getParameter(gl.MAX_TEXTURE_SIZE), *gl.getParameter(gl.MAX_VIEWPORT_DIMS))
        self.max_side = int(min(limits))

    def run(self, image: CanvasImage, amount: float) -> CanvasImage | None:
        gl, canvas = self.gl, self.canvas
        w, h = image.size
        if w > self.max_side or h > self.max_side or gl.isContextLost():
            return None
        canvas.width, canvas.height = w, h
        if gl.drawingBufferWidth != w or gl.drawingBufferHeight != h:
            return None  # the browser gave a smaller buffer (memory limits)
        gl.activeTexture(gl.TEXTURE0)
        gl.bindTexture(gl.TEXTURE_2D, self.texture)
        # A canvas source is unpremultiplied on upload (the pixelStorei flags); a decoded
        # ImageBitmap (premultiplyAlpha "none") arrives as the file's straight colors.
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, gl.RGBA, gl.UNSIGNED_BYTE, image.canvas)
        gl.viewport(0, 0, w, h)
        gl.useProgram(self.program)
        gl.uniform1f(self.amount, amount)
        gl.drawArrays(gl.TRIANGLES, 0, 3)
        if gl.getError() != gl.NO_ERROR:
            return None
        out, ctx = new_surface(w, h)
        ctx.drawImage(canvas, 0, 0)
        # Let go of the full-size texture between calls; the drawing buffer is resized next time.
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, 1, 1, 0, gl.RGBA, gl.UNSIGNED_BYTE, js.Uint8Array.new(4))
        return finish(out)


_sharpener: _Sharpener | None = None
_unavailable = False


def sharpen(image: CanvasImage, amount: float) -> CanvasImage | None:
    """[[0,-a,0],[-a,1+4a,-a],[0,-a,0]] on straight RGB, edges extended, clamped, alpha kept;
    None when WebGL2 cannot do it here (no WebGL2, too large, context lost), for a fallback."""
    global _sharpener, _unavailable
    if _unavailable:
        return None
    if _sharpener is None or _sharpener.gl.isContextLost():
        _sharpener = None
        try:
            _sharpener = _make_sharpener()
        except JsException:
            _sharpener = None
        if _sharpener is None:
            _unavailable = True
            return None
    try:
        return _sharpener.run(image, amount)
    except JsException:
        return None


def _make_sharpener() -> _Sharpener | None:
    made = new_context()
    if made is None:
        return None
    try:
        return _Sharpener(*made)
    except ImageError as exc:  # the shader did not compile or link here
        js.console.warn(f"{exc}; sharpening through SVG instead")
        return None
