"""Sentence sentiment: tonecheck's lookup of TextBlob's pattern lexicon gives TextBlob's
figures exactly."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tonecheck.sentiment import assessments, pattern_sentiment, polarity_subjectivity

ROOT = Path(__file__).resolve().parents[1]
EDGE_CASES = [
    "",
    "   ",
    "no",
    "not bad at all!",
    "really not good (!)",
    "Not not good.",
    "very very bad!!!",
    "<3 :D :-) XD",
    "I'm not very happy :( !!",
    "Never really good.",
    "Frankly, the brief was unclear.\n\nThanks anyway!",
]


def _texts() -> list[str]:
    lines = (ROOT / "corpora" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()
    sentences = [json.loads(line)["text"] for line in lines if line.strip()]
    rng = random.Random(0)
    pieces = []  # clauses and fragments, as the conditions score them
    for text in sentences[::3]:
        words = text.split()
        a = rng.randrange(len(words))
        pieces.append(" ".join(words[a : rng.randrange(a, len(words)) + 1]))
    drafts = [p.read_text(encoding="utf-8") for p in (ROOT / "corpora" / "drafts").glob("*.txt")]
    return EDGE_CASES + sentences + pieces + drafts


def test_polarity_and_subjectivity_are_textblobs() -> None:
    reference = pattern_sentiment()  # textblob.en.sentiment
    texts = _texts()
    assert len(texts) > 5000
    polarity_subjectivity.cache_clear()
    differ = [
        t for t in texts if polarity_subjectivity(t) != tuple(float(x) for x in reference(t)[:2])
    ]
    assert differ == []
    assert polarity_subjectivity("This is a terrible, unfair process.")[0] < 0
    assert polarity_subjectivity("Thank you, it was a wonderful day.")[0] > 0


@pytest.mark.parametrize("text", [*EDGE_CASES, "I am not really sure it was fair , honestly !"])
def test_assessments_are_patterns(text: str) -> None:
    words = text.lower().split()
    assert assessments(words) == pattern_sentiment().assessments(((w, None) for w in words), True)
