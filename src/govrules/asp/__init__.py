"""The solver edge: the only package that imports clingo."""
