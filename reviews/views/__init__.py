"""Views of reviews: the review and its panel (review.py), its management reports (reports.py)."""
