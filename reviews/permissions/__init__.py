"""Who may do what to a review, one module per stage. Each predicate checks global OR object
permission itself, because Django's ModelBackend ignores global permissions when an object is
passed."""
