"""From a file to a Document of citable passages."""
