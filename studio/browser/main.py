"""The PyScript entry point: starts the Studio, then marks the page ready (last)."""

import os
import sys

from pyscript import document, window

# The built site ships the package as studio.zip with precompiled bytecode: import it in place (zipimport).
if os.path.isfile("studio.zip"):
    sys.path.insert(0, os.path.abspath("studio.zip"))

from studio.browser import startup  # noqa: E402

window.performance.mark("pyxis:imported")  # benchmarks/browser_boot.py splits the Studio's start here
studio = await startup.start()  # noqa: F704  (top-level await: PyScript runs <script type="py"> async)
# Last on purpose: tests and embedders wait for this flag, and boot.js stops its timeout.
document.documentElement.dataset.studio = "ready"
