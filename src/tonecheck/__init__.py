"""tonecheck: find defensive, entitled and demanding phrasing and suggest humble rewrites."""

__version__ = "0.1.0"
