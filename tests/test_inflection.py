"""tonecheck.inflection reads lemminflect's table line by line: same answers as lemminflect."""

from __future__ import annotations

import gzip
from collections import Counter

import pytest
from lemminflect import config, getInflection
from lemminflect.codecs.InflectionLUCodec import InflectionLUCodec
from lemminflect.codecs.OverridesCodec import OverridesCodec

from tonecheck import inflection
from tonecheck.inflection import gerund_forms, table_forms
from tonecheck.suggest import inflect_ing


@pytest.fixture(params=["search", "index"])
def lookup(request, monkeypatch):
    """Both ways table_forms finds a word's lines: searching the text, then the index."""
    gerund_forms.cache_clear()
    if request.param == "search":
        monkeypatch.setattr(inflection, "SEARCHES_BEFORE_INDEX", 10**9)
        monkeypatch.setattr(inflection, "_searches", 0)
    else:
        monkeypatch.setattr(inflection, "_searches", inflection.SEARCHES_BEFORE_INDEX)
    yield request.param
    gerund_forms.cache_clear()


@pytest.fixture(scope="module")
def full_table() -> dict[str, dict[str, tuple[str, ...]]]:
    return InflectionLUCodec.load(config.inflection_lu_fn)


def _lines() -> list[str]:
    with gzip.open(config.inflection_lu_fn, "rb") as f:
        return f.read().decode().split("\n")


def _sample(full_table: dict[str, dict[str, tuple[str, ...]]]) -> list[str]:
    keys = sorted(full_table)
    counts = Counter(line.split(",", 1)[0] for line in _lines() if line)
    merged = sorted(k for k, n in counts.items() if n > 1)  # one word on several lines
    overrides = sorted(OverridesCodec.load(config.infl_overrides_fn))
    aux = ["be", "can", "may", "will", "shall", "must", "ought", "dare"]
    return sorted({*keys[::40], *merged[::10], *overrides, *aux})


def test_table_lines_are_stripped():
    # table_forms finds "\n<word>," in the text; InflectionLUCodec strips each line first
    assert not any(line[:1].isspace() for line in _lines())


def test_table_forms_match_the_parsed_table(full_table, lookup):
    for word in _sample(full_table):  # (some override words are not in the table)
        assert table_forms(word) == full_table.get(word, {}), word
    for word in ("", "xyzzyfy", " send", "send,", "a\nb"):
        assert table_forms(word) == full_table.get(word, {}), repr(word)


def test_gerunds_match_lemminflect(full_table, lookup):
    words = [
        *_sample(full_table),
        "send", "forward", "explain", "email", "e-mail", "cc", "tweet", "zoom", "googled",
        "xyzzyfy", "bloodlet", "frugalalert", "marvel", "sting", "gon", "re-send", "ok",
    ]  # fmt: skip
    for word in words:
        for w in {word, word.lower(), word.upper(), word.capitalize()}:
            assert gerund_forms(w) == getInflection(w, tag="VBG"), w


def test_inflect_ing():
    assert inflect_ing("send") == "sending"
    assert inflect_ing("forward") == "forwarding"
    assert inflect_ing("be") == "being"


def test_search_turns_to_the_index(monkeypatch):
    monkeypatch.setattr(inflection, "_searches", 0)
    for word in ("send", "tell", "forward"):
        table_forms(word)
    assert inflection._searches == 3
    monkeypatch.setattr(inflection, "_searches", inflection.SEARCHES_BEFORE_INDEX)
    assert table_forms("send")["VBG"] == ("sending",)
    assert inflection._searches == inflection.SEARCHES_BEFORE_INDEX


@pytest.mark.slow
def test_every_word_of_the_table(full_table, monkeypatch):
    # the index (searching the text for all 34,000 words takes minutes; it agreed, too)
    monkeypatch.setattr(inflection, "_searches", inflection.SEARCHES_BEFORE_INDEX)
    gerund_forms.cache_clear()
    for word in full_table:
        assert table_forms(word) == full_table[word], word
        assert gerund_forms(word) == getInflection(word, tag="VBG"), word
