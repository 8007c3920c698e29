"""Forms of a review, one module per stage; they check the shape of input only."""
