"""The image engine behind messages: the backend runs where the pixels are (a Web Worker in the page), callers hold handles."""
