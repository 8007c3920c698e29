"""The national-scale data set and its measurements (issue 15): build.py, measure.py."""
