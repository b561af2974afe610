"""Per-pixel operations as WebGL2 fragment shaders: one GL context for the session, one
compiled program per shader, images in and a canvas out.

Each shader sees the source image as the texture `u_src` (row 0 its top row, straight
colors, and none under alpha 0) and an optional second texture `u_aux`, computes one output
pixel, and may use the helpers of _HEADER. Colors are handled as 0..255 levels, so integer
rules (lookup tables, luma in fixed point) come out exactly as they do under Pillow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import js  # browser-only: this module lives in studio.browser
from pyodide.ffi import JsException, to_js

from ..core.errors import ImageError
from .canvas_surface import CanvasImage, finish, is_missing, js_object, new_surface

# Straight (non-premultiplied) colors in the drawing buffer: drawing it onto a 2D canvas then
# premultiplies once, as drawing any straight-alpha source does.
CONTEXT_OPTIONS = {
    "alpha": True,
    "premultipliedAlpha": False,
    "antialias": False,
    "depth": False,
    "stencil": False,
    "preserveDrawingBuffer": False,
}

# One triangle that covers the viewport, from gl_VertexID alone (no vertex buffers).
VERTEX = """#version 300 es
void main() {
  vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
  gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}
"""

# gl_FragCoord.y counts from the bottom row of the drawing buffer, which is the bottom of the
# picture once it is drawn onto a canvas; texelFetch ignores wrap modes, so reads are clamped.
_HEADER = """#version 300 es
precision highp float;
precision highp int;
uniform highp sampler2D u_src;
uniform highp sampler2D u_aux;
uniform vec2 u_out;
out vec4 o_color;
ivec2 here() { return ivec2(int(gl_FragCoord.x), int(u_out.y) - 1 - int(gl_FragCoord.y)); }
vec4 levels_of(vec4 c) { return floor(c * 255.0 + 0.5); }
vec4 fetch(highp sampler2D s, ivec2 p) {
  vec4 v = levels_of(texelFetch(s, clamp(p, ivec2(0), textureSize(s, 0) - 1), 0));
  return v.a == 0.0 ? vec4(0.0) : v;  // no color under alpha 0, as on a 2D canvas
}
vec4 src(ivec2 p) { return fetch(u_src, p); }
vec4 aux(ivec2 p) { return fetch(u_aux, p); }
void emit(vec4 v) { o_color = clamp(floor(v + 0.5), 0.0, 255.0) / 255.0; }
int luma(vec3 v) {  // Rec. 601 in 16-bit fixed point, as Pillow's RGB -> L
  ivec3 i = ivec3(v);
  return (19595 * i.r + 38470 * i.g + 7471 * i.b + 32768) >> 16;
}
"""


@dataclass(frozen=True)
class Raw:
    """Bytes to upload as a texture: width x height pixels of `channels` (3 or 4) bytes."""

    width: int
    height: int
    data: bytes
    channels: int = 4


class _Gpu:
    """The GL context, its compiled programs and two textures, made on first use."""

    def __init__(self, canvas: Any, gl: Any) -> None:
        self.canvas, self.gl = canvas, gl
        self.programs: dict[str, tuple[Any, dict[str, Any]]] = {}
        self.textures = [gl.createTexture(), gl.createTexture()]
        for texture in self.textures:
            gl.bindTexture(gl.TEXTURE_2D, texture)
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
        gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1)  # rows of 3-byte pixels need not be 4-aligned
        limits = (gl.getParameter(gl.MAX_TEXTURE_SIZE), *gl.getParameter(gl.MAX_VIEWPORT_DIMS))
        self.max_side = int(min(limits))

    def program(self, body: str) -> tuple[Any, dict[str, Any]]:
        if body not in self.programs:
            gl = self.gl
            program = compile_program(gl, VERTEX, _HEADER + body)
            gl.useProgram(program)
            gl.uniform1i(gl.getUniformLocation(program, "u_src"), 0)
            gl.uniform1i(gl.getUniformLocation(program, "u_aux"), 1)
            self.programs[body] = (program, {})
        return self.programs[body]

    def upload(self, unit: int, source: CanvasImage | Raw) -> None:
        gl = self.gl
        gl.activeTexture(gl.TEXTURE0 + unit)
        gl.bindTexture(gl.TEXTURE_2D, self.textures[unit])
        if isinstance(source, Raw):
            internal, fmt = (gl.RGB8, gl.RGB) if source.channels == 3 else (gl.RGBA8, gl.RGBA)
            array = to_js(source.data)
            gl.texImage2D(gl.TEXTURE_2D, 0, internal, source.width, source.height, 0, fmt, gl.UNSIGNED_BYTE, array)
        else:
            # A canvas source is unpremultiplied on upload (the pixelStorei flags); a decoded
            # ImageBitmap (premultiplyAlpha "none") arrives as the file's straight colors.
            gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, gl.RGBA, gl.UNSIGNED_BYTE, source.canvas)

    def release(self) -> None:
        """Let go of full-size textures between calls."""
        gl = self.gl
        for unit in (0, 1):
            gl.activeTexture(gl.TEXTURE0 + unit)
            gl.bindTexture(gl.TEXTURE_2D, self.textures[unit])
            gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, 1, 1, 0, gl.RGBA, gl.UNSIGNED_BYTE, js.Uint8Array.new(4))

    def run(
        self,
        body: str,
        size: tuple[int, int],
        sources: tuple[CanvasImage | Raw, ...],
        uniforms: dict[str, tuple[float, ...]],
    ) -> CanvasImage | None:
        gl, canvas = self.gl, self.canvas
        w, h = size
        sides = [w, h] + [side for s in sources for side in (s.width, s.height)]
        if max(sides) > self.max_side or gl.isContextLost():
            return None
        canvas.width, canvas.height = w, h
        if gl.drawingBufferWidth != w or gl.drawingBufferHeight != h:
            return None  # the browser gave a smaller buffer (memory limits)
        program, locations = self.program(body)
        gl.useProgram(program)
        for unit, source in enumerate(sources):
            self.upload(unit, source)
        for name, value in {"u_out": (float(w), float(h)), **uniforms}.items():
            if name not in locations:
                locations[name] = gl.getUniformLocation(program, name)
            location = locations[name]
            if is_missing(location):
                continue  # declared but unused: the compiler dropped it
            getattr(gl, f"uniform{len(value)}f")(location, *value)
        gl.viewport(0, 0, w, h)
        gl.drawArrays(gl.TRIANGLES, 0, 3)
        failed = gl.getError() != gl.NO_ERROR
        out = None
        if not failed:
            out_canvas, ctx = new_surface(w, h)
            ctx.drawImage(canvas, 0, 0)
            out = finish(out_canvas)
        self.release()
        return out


_gpu: _Gpu | None = None
_unavailable = False


def shade(
    what: str,
    body: str,
    size: tuple[int, int],
    sources: tuple[CanvasImage | Raw, ...],
    uniforms: dict[str, tuple[float, ...]] | None = None,
) -> CanvasImage:
    """Run the fragment `body` (after _HEADER) into a new canvas of `size`; `what` names the
    operation in the error when this browser cannot (no WebGL2, too large, context lost)."""
    global _gpu, _unavailable
    done = None
    if not _unavailable:
        try:
            if _gpu is None or _gpu.gl.isContextLost():
                _gpu = _make_gpu()
                _unavailable = _gpu is None
            if _gpu is not None:
                done = _gpu.run(body, size, sources, uniforms or {})
        except JsException as exc:
            js.console.warn(f"{what} on WebGL2 failed: {exc}")
            done = None
    if done is None:
        w, h = size
        raise ImageError(
            f"{what} needs WebGL2, which this browser could not provide for a {w} x {h} picture"
            " (turned off, out of memory, or the picture is larger than the GPU allows)"
        )
    return done


def new_context() -> tuple[Any, Any] | None:
    """(an OffscreenCanvas, its WebGL2 context with CONTEXT_OPTIONS), or None where there is none."""
    offscreen = getattr(js, "OffscreenCanvas", None)
    if is_missing(offscreen):
        return None
    canvas = offscreen.new(1, 1)
    gl = canvas.getContext("webgl2", js_object(CONTEXT_OPTIONS))
    return None if is_missing(gl) else (canvas, gl)


def _make_gpu() -> _Gpu | None:
    made = new_context()
    return _Gpu(*made) if made is not None else None


def compile_program(gl: Any, vertex: str, fragment: str) -> Any:
    program = gl.createProgram()
    for kind, source in ((gl.VERTEX_SHADER, vertex), (gl.FRAGMENT_SHADER, fragment)):
        shader = gl.createShader(kind)
        gl.shaderSource(shader, source)
        gl.compileShader(shader)
        if not gl.getShaderParameter(shader, gl.COMPILE_STATUS):
            raise ImageError(f"a shader did not compile: {gl.getShaderInfoLog(shader)}")
        gl.attachShader(program, shader)
    gl.linkProgram(program)
    if not gl.getProgramParameter(program, gl.LINK_STATUS):
        raise ImageError(f"a shader program did not link: {gl.getProgramInfoLog(program)}")
    return program
