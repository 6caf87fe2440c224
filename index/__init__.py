"""Versions, embeddings, search and answers."""
