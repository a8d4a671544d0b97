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
from collections.abc import Iterable
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


@functools.lru_cache(maxsize=1)
def _emoticons() -> tuple[dict[str, float], str, str, str]:
    """pattern's emoticon polarities by lower-cased emoticon (the first set that has one
    wins, as in its loop), its punctuation string and its mood and irony labels."""
    # the globals of pattern's module (textblob._text), where assessments() finds them
    text = type(pattern_sentiment()).assessments.__globals__
    scores: dict[str, float] = {}
    for (_kind, polarity), faces in text["EMOTICONS"].items():
        for face in faces:
            scores.setdefault(face.lower(), polarity)
    return scores, text["PUNCTUATION"], text["MOOD"], text["IRONY"]


def assessments(words: Iterable[str]) -> list[tuple[list[str], float, float, Any]]:
    """``pattern_sentiment().assessments(((w, None) for w in words), True)``, computed the
    same way, step for step, but with plain dict lookups.

    pattern's lexicon is a ``lazydict``: every ``in`` and ``[]`` on it goes through a
    Python wrapper that checks whether the lexicon is loaded yet, which made up more than
    half the cost of scoring a sentence. The tests compare both on every corpus sentence.
    """
    lex = pattern_sentiment()
    len(lex)  # loads the lexicon, once
    contains, getitem = dict.__contains__, dict.__getitem__
    modifiers, negations, modifier, labels = lex.modifiers, lex.negations, lex.modifier, lex.labeler
    faces, punctuation, mood, irony = _emoticons()
    a: list[list[Any]] = []  # [words, polarity, subjectivity, intensity, negated, label]
    m: str | None = None  # preceding modifier ("really good")
    n: str | None = None  # preceding negation ("not good")
    pos = None  # strings carry no part of speech
    for w in words:
        entry = getitem(lex, w) if contains(lex, w) else None
        if entry is not None and pos in entry:
            p, s, i = entry[pos]
            if m is None:
                a.append([[w], p, s, i, 1, labels.get(w)])
            else:
                last = a[-1]
                last[0].append(w)
                last[1] = max(-1.0, min(p * last[3], +1.0))
                last[2] = max(-1.0, min(s * last[3], +1.0))
                last[3] = i
                last[5] = labels.get(w)
            if n is not None:
                last = a[-1]
                last[0].insert(0, n)
                last[3] = 1.0 / last[3]
                last[4] = -1
            m = n = None
            if (pos and pos in modifiers) or any(map(entry.__contains__, modifiers)):
                m = w
            if w in negations:
                n = w
        else:
            if w in negations:
                n = w
            elif n and len(w.strip("'")) > 1:
                n = None
            if n is not None and m is not None and (pos in modifiers or modifier(m)):
                a[-1][0].append(n)
                a[-1][4] = -1
                n = None
            elif m and len(w) > 2:
                m = None
            if w == "!" and len(a) > 0:
                a[-1][0].append("!")
                a[-1][1] = max(-1.0, min(a[-1][1] * 1.25, +1.0))
            if w == "(!)":
                a.append([[w], 0.0, 1.0, 1.0, 1, irony])
            if w.isalpha() is False and len(w) <= 5 and w not in punctuation and w in faces:
                a.append([[w], faces[w], 1.0, 1.0, 1, mood])
    # "not good" = slightly bad, "not bad" = slightly good
    return [(x[0], x[1] * -0.5 if x[4] < 0 else x[1], x[2], x[5]) for x in a]


@functools.lru_cache(maxsize=8192)
def polarity_subjectivity(text: str) -> tuple[float, float]:
    """Return ``(polarity, subjectivity)``: polarity in [-1, 1], subjectivity in [0, 1].

    The same figures as ``textblob.en.sentiment(text)[:2]``: pattern's tokenizer, then
    :func:`assessments`, then their plain means."""
    lex = pattern_sentiment()
    found = assessments(w.lower() for w in " ".join(lex.tokenizer(text)).split())
    count = float(len(found) or 1)
    polarity = subjectivity = 0.0  # summed in order, as pattern's avg() sums
    for _w, p, s, _x in found:
        polarity += p
        subjectivity += s
    return float(polarity / count), float(subjectivity / count)
