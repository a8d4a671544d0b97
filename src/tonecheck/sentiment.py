"""Sentence sentiment from TextBlob's pattern lexicon.

TextBlob's own sentence splitter needs NLTK data that is not shipped, so sentences come
from spaCy and only the (data-free) pattern analyser is used, on one sentence at a time:
``PatternAnalyzer().analyze(text)`` is exactly ``textblob.en.sentiment(text)``.

Importing ``textblob`` runs its package ``__init__``, which imports NLTK (about 1.5 s,
most of a cold ``tonecheck draft.txt``). The pattern lexicon in ``textblob.en`` needs none
of it, so :func:`pattern_sentiment` imports ``textblob.en`` under a bare parent package
and then takes those modules out of ``sys.modules`` again: a later ``import textblob``
by anyone gets the real, complete package.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
import types
from pathlib import Path
from typing import Any


@functools.lru_cache(maxsize=1)
def pattern_sentiment() -> Any:
    """TextBlob's pattern ``Sentiment`` lexicon (``textblob.en.sentiment``), loaded once."""
    if "textblob" in sys.modules:  # the real package is here already: use it
        return importlib.import_module("textblob.en").sentiment
    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("textblob is not installed; pip install textblob")
    bare = types.ModuleType("textblob")
    bare.__path__ = list(spec.submodule_search_locations)
    before = set(sys.modules)
    sys.modules["textblob"] = bare
    try:
        lexicon = importlib.import_module("textblob.en").sentiment
    finally:
        for name in set(sys.modules) - before:
            if name == "textblob" or name.startswith("textblob."):
                del sys.modules[name]
    return lexicon


def textblob_data_dir() -> Path:
    """Folder of TextBlob's English data files (found without importing the package)."""
    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("textblob is not installed; pip install textblob")
    return Path(next(iter(spec.submodule_search_locations))) / "en"


@functools.lru_cache(maxsize=8192)
def polarity_subjectivity(text: str) -> tuple[float, float]:
    """Return ``(polarity, subjectivity)``: polarity in [-1, 1], subjectivity in [0, 1]."""
    polarity, subjectivity = pattern_sentiment()(text)[:2]
    return float(polarity), float(subjectivity)
