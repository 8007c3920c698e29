"""Every write to a review goes through these modules, one per stage, so audit and rules are
never skipped. Import from the stage's module: ``from reviews.services.panel import …``."""
