"""The indexed attribute ruler sets exactly what spaCy's AttributeRuler sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler

from tonecheck.attributes import IndexedAttributeRuler, speed_up_attribute_ruler
from tonecheck.nlp import resolve_model

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "sentences.jsonl"

ODD_TEXTS = [
    "",
    "   \n\n  ",
    "y'all ain't gonna c'm on, nothin' doin' lemme gotta",
    "Let's go: I gave it to you and you gave it to me.",
    "That's what it is; there are some that were there.",
    "Wasn't it?  Isn't he ... \t done.",
    "\u00e9t\u00e9 na\u00efve \U0001f600 !!",
]


def _tokens(doc: spacy.tokens.Doc) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, str(t.head.i)) for t in doc]


@pytest.fixture(scope="module")
def pipelines() -> tuple[Language, Language]:
    model = resolve_model()
    stock = spacy.load(model, exclude=["ner"])
    fast = spacy.load(model, exclude=["ner"])
    speed_up_attribute_ruler(fast)
    assert isinstance(fast.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    assert type(stock.get_pipe("attribute_ruler")) is AttributeRuler
    return stock, fast


def test_same_patterns(pipelines: tuple[Language, Language]) -> None:
    stock, fast = pipelines
    assert fast.get_pipe("attribute_ruler").patterns == stock.get_pipe("attribute_ruler").patterns


def test_same_tokens_on_corpus(pipelines: tuple[Language, Language]) -> None:
    stock, fast = pipelines
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines[::4]] + ODD_TEXTS
    differ = [
        a.text
        for a, b in zip(stock.pipe(texts), fast.pipe(texts), strict=True)
        if _tokens(a) != _tokens(b)
    ]
    assert len(texts) > 900
    assert differ == []


def _ruler(cls: type[AttributeRuler], nlp: Language) -> AttributeRuler:
    ruler = cls(nlp.vocab)
    ruler.add_patterns(
        [
            # indexed: by word, by tag, by dependency, unindexed (a regex), and a flag
            {"patterns": [[{"LOWER": "send", "TAG": "VB"}]], "attrs": {"LEMMA": "SEND"}},
            {"patterns": [[{"TAG": {"IN": ["NN", "NNS"]}}]], "attrs": {"POS": "X"}},
            {"patterns": [[{"DEP": "nsubj", "LOWER": {"NOT_IN": ["i"]}}]], "attrs": {"POS": "SYM"}},
            {"patterns": [[{"LOWER": {"REGEX": "^sc"}}]], "attrs": {"MORPH": "Foo=Bar"}},
            {"patterns": [[{"IS_PUNCT": True}]], "attrs": {"LEMMA": "P"}},
            # left to a Matcher: two tokens, an operator, an index from the end
            {
                "patterns": [[{"LOWER": "the"}, {"TAG": "NNS"}]],
                "attrs": {"LEMMA": "T"},
                "index": -1,
            },
            {"patterns": [[{"LOWER": "me", "OP": "+"}]], "attrs": {"POS": "PRON", "LEMMA": "ME"}},
            # a later pattern wins over an earlier one on the same token
            {"patterns": [[{"LOWER": "scorecards"}]], "attrs": {"POS": "PROPN"}},
        ]
    )
    return ruler


def test_fallback_patterns_and_precedence(pipelines: tuple[Language, Language]) -> None:
    stock, _ = pipelines
    text = "Send me the scorecards, and the panel will send me notes."
    results = []
    for cls in (AttributeRuler, IndexedAttributeRuler):
        doc = stock(text, disable=["attribute_ruler", "lemmatizer"])
        _ruler(cls, stock)(doc)
        results.append(_tokens(doc))
    assert results[0] == results[1]
    by_text = {t[0]: t for t in results[1]}
    assert by_text["scorecards"][2] == "PROPN"  # the last pattern won
    assert by_text["scorecards"][4] == "T"  # the two-token pattern, marked at its end
    assert by_text["me"][4] == "ME"
    assert by_text[","][4] == "P"
