"""The Studio's document model, pure Python: the open graph, its edits and its runs."""
