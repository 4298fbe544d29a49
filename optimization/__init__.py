"""PuLP planning models and solver runs."""
