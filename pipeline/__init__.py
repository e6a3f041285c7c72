"""Målopfyldelse for centralbibliotekerne: from yearly survey exports to Bilag 3 verdicts."""

__version__ = "0.1.0"
