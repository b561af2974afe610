"""Browser-only glue (PyScript/Pyodide): the one package allowed to import js, pyodide and pyscript."""
