"""The package's version, in one place below every module that needs it (the compiled-
policy cache keys on it), so that none of them imports the package's lazy re-exports."""

__version__ = "0.1.0"
