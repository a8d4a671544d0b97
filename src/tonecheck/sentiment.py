"""Sentence sentiment from TextBlob's pattern lexicon.

TextBlob's own sentence splitter needs NLTK data that is not shipped, so sentences come
from spaCy and only the (data-free) pattern analyser is used, on one sentence at a time.
"""

from __future__ import annotations

import functools

from textblob.en.sentiments import PatternAnalyzer

_ANALYZER = PatternAnalyzer()


@functools.lru_cache(maxsize=8192)
def polarity_subjectivity(text: str) -> tuple[float, float]:
    """Return ``(polarity, subjectivity)``: polarity in [-1, 1], subjectivity in [0, 1]."""
    result = _ANALYZER.analyze(text)
    return float(result[0]), float(result[1])
