"""Fuzzing the rule language: every input compiles or fails with one positioned error."""
