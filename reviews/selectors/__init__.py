"""Reads of reviews, one module per stage: scoped to what the reader may see, with the joins
each page needs applied in one place."""
