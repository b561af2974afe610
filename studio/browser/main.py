"""The PyScript entry point: starts the Studio, then marks the page ready (last)."""

from pyscript import document

from studio.browser import app

studio = await app.start()  # noqa: F704  (top-level await: PyScript runs <script type="py"> async)
# Last on purpose: tests and embedders wait for this flag, and boot.js stops its timeout.
document.documentElement.dataset.studio = "ready"
