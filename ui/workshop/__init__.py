"""The Workshop area: the diagnostic answered by side, its gaps, and the decisions log."""
