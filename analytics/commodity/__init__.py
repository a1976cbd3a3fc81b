"""Stage 2, commodity choice: the weighted ranking and its robustness, scores from data, the live
workshop and its decision record. Imports ``core`` and ``poverty``."""
