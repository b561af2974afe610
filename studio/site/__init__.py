"""The browser side's delivery: runtime fetch, pyscript.toml, static site build and local server."""
