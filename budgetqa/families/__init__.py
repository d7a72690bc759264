"""One module per question family (claim the words, plan a query, phrase the answer); registry.py lists them."""
