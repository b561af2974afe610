"""The pure core: params, catalog, graph, executor and workflow files (no browser, no Pillow)."""
