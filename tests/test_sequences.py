"""The token-pattern matcher finds exactly what spaCy's Matcher finds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from spacy.matcher import Matcher
from spacy.tokens import Doc

from tonecheck import Checker
from tonecheck.context import CONDITIONS
from tonecheck.rules import load_rules
from tonecheck.rules.sequences import compile_sequence

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "sentences.jsonl"

SENTENCES = [
    "Send me the scorecards, and then call me by Friday at the latest.",
    "I I really really do deserve an answer, an answer!",
    "a a b a b",
    "Thank you.",
    "",
]

PATTERNS: dict[str, list[dict[str, Any]]] = {
    "optional-run": [{"LOWER": "a", "OP": "?"}, {"LOWER": "a", "OP": "?"}, {"LOWER": "b"}],
    "optional-end": [{"LOWER": "send"}, {"LOWER": "me", "OP": "?"}],
    "star": [{"LEMMA": "send"}, {"OP": "*"}, {"LOWER": {"IN": ["friday", "monday"]}}],
    "plus": [{"LOWER": {"IN": ["i", "really"]}, "OP": "+"}, {"LEMMA": "do", "OP": "?"}],
    "flags": [{"IS_PUNCT": True}, {"IS_TITLE": True, "OP": "?"}, {"LIKE_NUM": False}],
    "regex": [{"TEXT": {"REGEX": "^[A-Z]"}}, {"POS": {"NOT_IN": ["PUNCT"]}}],
}


def _builtin_patterns() -> list[list[dict[str, Any]]]:
    out: list[list[dict[str, Any]]] = []
    for rule in load_rules(known_predicates=CONDITIONS):
        out.extend(list(p) for p in rule.patterns)
        out.extend(list(p) for p in rule.unless)
        out.extend(
            [n.get("RIGHT_ATTRS", {}) for n in tree] for tree in rule.dependency if len(tree) == 1
        )
    return out


def _compare(docs: list[Doc], patterns: list[list[dict[str, Any]]]) -> tuple[int, list[str]]:
    """How many patterns the sequence matcher covers, and every disagreement."""
    vocab = docs[0].vocab
    compiled = {}
    matcher = Matcher(vocab)
    for k, pat in enumerate(patterns):
        seq = compile_sequence(pat)
        if seq is not None:
            compiled[str(k)] = seq
            matcher.add(str(k), [pat])
    problems = []
    for doc in docs:
        for sent in doc.sents if len(doc) else ():
            tokens = list(sent)
            positions: dict[str, list[int]] = {}
            for k, t in enumerate(tokens):
                positions.setdefault(t.lower_, []).append(k)
                positions.setdefault(t.lemma_.lower(), []).append(k)
            want: dict[str, set[tuple[int, int, tuple[int, ...]]]] = {}
            for mid, s, e, align in matcher(sent, with_alignments=True):
                want.setdefault(vocab.strings[mid], set()).add((s, e, tuple(align)))
            for key, seq in compiled.items():
                got = [(s, e, tuple(a)) for s, e, a in seq.matches(tokens, positions)]
                expected = want.get(key, set())
                if not seq.one_way:  # operators: the same matches, alignment aside
                    got = [(s, e, ()) for s, e, _ in got]
                    expected = {(s, e, ()) for s, e, _ in expected}
                if len(got) != len(set(got)) or set(got) != expected:
                    problems.append(
                        f"{patterns[int(key)]} on {sent.text!r}: {got} != {want.get(key)}"
                    )
    return len(compiled), problems


@pytest.fixture(scope="module")
def nlp(checker: Checker) -> Any:
    return checker.nlp


def test_own_patterns(nlp: Any) -> None:
    docs = list(nlp.pipe(SENTENCES))
    covered, problems = _compare(docs, list(PATTERNS.values()))
    assert covered == len(PATTERNS)
    assert problems == []


def test_builtin_patterns_on_corpus(nlp: Any) -> None:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines[::6]]
    patterns = _builtin_patterns()
    covered, problems = _compare(list(nlp.pipe(texts)), patterns)
    assert covered >= 0.8 * len(patterns)  # the rest stay with spaCy's Matcher
    assert problems == []


def test_alignment_of_fixed_patterns() -> None:
    assert compile_sequence([{"LOWER": "a"}, {"LOWER": "b"}]).one_way  # type: ignore[union-attr]
    assert not compile_sequence([{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}]).one_way  # type: ignore[union-attr]


def test_not_covered_goes_to_spacy() -> None:
    assert compile_sequence([{"LOWER": "a", "OP": "!"}, {"LOWER": "b"}]) is None
    assert compile_sequence([{"LOWER": "a", "OP": "{1,3}"}]) is None
    assert compile_sequence([{"_": {"custom": True}}]) is None
    assert compile_sequence([{"LOWER": "a", "OP": "?"}]) is None  # all optional
