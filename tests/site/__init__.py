"""CPython tests of the site tooling: runtime fetch, pyscript.toml, build and server."""
