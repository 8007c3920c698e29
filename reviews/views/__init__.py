"""Views of a review, one module per stage: each finds its object through reviews.doors."""
