"""Gerunds ("send" -> "sending") from lemminflect's data, without its start-up cost.

``lemminflect.getInflection(lemma, tag="VBG")`` parses the whole inflection table
(``infl_lu.csv.gz``, 40,000 lines) into a dict on its first call: about 0.3 s, most of
the check's own share of a cold ``tonecheck draft.txt``. :func:`gerund_forms` gives the
same answer from the same shipped file by reading only the lines of the lemma asked for:
the file is decompressed once (a few milliseconds) and searched as text, or indexed by
word once many words have been asked for. Everything else is lemminflect's own code:
the line decoder, the hard-coded auxiliaries and modals, the overrides file, the
capitalisation rules and, for a verb not in the table, the rule-based inflection (which
loads lemminflect's small model as before).

``tests/test_inflection.py`` checks the results against ``lemminflect.getInflection``, both
ways of finding a word's lines, and (marked slow) every word of the table.
"""

from __future__ import annotations

import copy
import functools
import gzip
from typing import Any


@functools.lru_cache(maxsize=1)
def _table() -> str:
    """The inflection table as text, each line preceded by a newline."""
    from lemminflect import config

    with gzip.open(config.inflection_lu_fn, "rb") as f:
        return "\n" + f.read().decode()


@functools.lru_cache(maxsize=1)
def _fixed() -> tuple[dict[str, Any], dict[str, Any]]:
    """lemminflect's hard-coded auxiliaries/modals and its overrides file."""
    from lemminflect import config
    from lemminflect.codecs.InflectionLUCodec import InflectionLUCodec
    from lemminflect.codecs.OverridesCodec import OverridesCodec

    return InflectionLUCodec.updateForAuxMod({}), OverridesCodec.load(config.infl_overrides_fn)


#: Words looked up by searching the text; after that many, the lines are indexed once.
SEARCHES_BEFORE_INDEX = 64
_searches = 0


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, list[str]]:
    """Every line of the table under its word (the first field of the stripped line)."""
    index: dict[str, list[str]] = {}
    for line in _table().split("\n"):
        if line:
            index.setdefault(line.strip().split(",", 1)[0], []).append(line)
    return index


def _lines_of(word: str) -> list[str]:
    global _searches
    if _searches >= SEARCHES_BEFORE_INDEX:  # many words (a batch, a long text): index
        return _index().get(word, [])
    _searches += 1
    # a table key never holds a comma or line break, nor starts with a space (lines are
    # stripped before they are split on commas)
    if "," in word or "\n" in word or word[:1].isspace():
        return []
    text = _table()
    needle = "\n" + word + ","
    lines = []
    at = text.find(needle)
    while at != -1:
        end = text.find("\n", at + 1)
        lines.append(text[at + 1 : end if end != -1 else len(text)])
        at = text.find(needle, at + 1)
    return lines


def table_forms(word: str) -> dict[str, tuple[str, ...]]:
    """What lemminflect's parsed table holds for ``word`` (lower case), or ``{}``.

    The lines of one word are merged in file order, as ``InflectionLUCodec.load`` does,
    and the auxiliaries and modals replace what the file says about them. The first
    :data:`SEARCHES_BEFORE_INDEX` words are found by searching the text (about a
    millisecond each); then the lines are indexed by word once (tens of milliseconds).
    """
    from lemminflect.codecs.InflectionLUCodec import InflectionLUCodec

    aux_modal, _ = _fixed()
    if word in aux_modal:
        return copy.deepcopy(aux_modal[word])
    forms: dict[str, tuple[str, ...]] = {}
    for line in _lines_of(word):
        forms.update(InflectionLUCodec.fromString(line)[2])
    return forms


@functools.lru_cache(maxsize=4096)
def gerund_forms(lemma: str) -> tuple[str, ...]:
    """``lemminflect.getInflection(lemma, tag="VBG")``: the gerund spellings, or ``()``."""
    from lemminflect import getAllInflectionsOOV
    from lemminflect.core.LexicalUtils import applyCapsStyleToDict, getCapsStyle

    # Inflections.getAllInflections(lemma) with no upos, then getInflection's VBG lookup
    # (VBG has no alternative tags) and its fallback to the rules for unknown words
    caps = getCapsStyle(lemma)
    low = lemma.lower()
    forms = table_forms(low)
    forms.update(copy.deepcopy(_fixed()[1].get(low, {})))
    form = applyCapsStyleToDict(forms, caps).get("VBG")
    if form is None:
        form = getAllInflectionsOOV(lemma, "VERB").get("VBG")
    return tuple(form) if form else ()
