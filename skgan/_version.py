"""The version of skgan, read by the package, its build and its exports."""

__version__ = "0.1.0.dev0"
