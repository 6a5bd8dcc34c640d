"""grader: hidden tests run in a trusted judge; student code runs in a sandboxed worker."""

__version__ = "0.1.0"
