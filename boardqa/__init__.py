"""BoardQA: answers about board documents with cited paragraphs."""
