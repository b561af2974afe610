"""FloImg import: its pipeline YAML and FloImg Studio's workflow/template JSON, as Pyxis workflows."""
