"""The tree-pattern walker finds exactly what spaCy's DependencyMatcher finds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.matcher import DependencyMatcher

from tonecheck import Checker
from tonecheck.context import CONDITIONS
from tonecheck.rules import load_yaml, parse_rules
from tonecheck.rules.matching import RuleMatcher
from tonecheck.rules.trees import compile_tree

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "sentences.jsonl"


SENTENCES = [
    "I need you to send me the notes and explain the scores by Friday.",
    "Send me the scorecards, and then call me.",
    "The brief was unclear and the interviewer never asked about my portfolio.",
    "My ten years of experience should count for something.",
    "Frankly, nobody on the panel had read my CV.",
    "I deserve an explanation.",
    "Thank you.",
    "",
]

PATTERNS = {
    "child": [
        {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"POS": {"IN": ["VERB", "AUX"]}}},
        {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "subj",
         "RIGHT_ATTRS": {"DEP": {"IN": ["nsubj", "nsubjpass"]}, "LOWER": {"NOT_IN": ["i"]}}},
    ],
    "head": [
        {"RIGHT_ID": "obj", "RIGHT_ATTRS": {"DEP": "dobj"}},
        {"LEFT_ID": "obj", "REL_OP": "<", "RIGHT_ID": "verb", "RIGHT_ATTRS": {"TAG": "VB"}},
    ],
    "descendant": [
        {"RIGHT_ID": "root", "RIGHT_ATTRS": {"DEP": "ROOT"}},
        {"LEFT_ID": "root", "REL_OP": ">>", "RIGHT_ID": "noun", "RIGHT_ATTRS": {"POS": "NOUN"}},
    ],
    "ancestor": [
        {"RIGHT_ID": "det", "RIGHT_ATTRS": {"LOWER": {"IN": ["the", "my"]}}},
        {"LEFT_ID": "det", "REL_OP": "<<", "RIGHT_ID": "up", "RIGHT_ATTRS": {}},
    ],
    "siblings": [  # two nodes that may match the same token: every assignment counts
        {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": ["send", "explain", "need"]}}},
        {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "a", "RIGHT_ATTRS": {}},
        {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "b", "RIGHT_ATTRS": {}},
    ],
    "sentence start": [
        {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"IS_SENT_START": True, "TAG": "VB"}},
        {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "obj", "RIGHT_ATTRS": {"DEP": "dobj"}},
    ],
}  # fmt: skip


def _both(checker: Checker, pattern: list[dict], texts: list[str]) -> None:
    compiled = compile_tree(pattern)
    assert compiled is not None
    spacy_matcher = DependencyMatcher(checker.nlp.vocab)
    spacy_matcher.add("k", [pattern])
    found = 0
    for doc in checker.nlp.pipe(texts, disable=["tonecheck"]):
        expected = sorted(tuple(ids) for _, ids in spacy_matcher(doc))
        assert sorted(tuple(ids) for ids in compiled.matches(doc)) == expected, doc.text
        found += len(expected)
    assert found, "the pattern should match somewhere, or the comparison says little"


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_walker_matches_dependency_matcher(checker: Checker, name: str) -> None:
    _both(checker, PATTERNS[name], SENTENCES)


def test_walker_matches_dependency_matcher_on_the_rules_and_corpus(checker: Checker) -> None:
    texts = [json.loads(line)["text"] for line in CORPUS.read_text("utf-8").splitlines()][:400]
    trees = [t for r in checker.component.rules for t in r.dependency]
    assert len(trees) >= 10
    docs = list(checker.nlp.pipe(texts, disable=["tonecheck"]))
    for tree in trees:
        compiled = compile_tree(tree)
        assert compiled is not None, tree  # every built-in tree pattern is walked
        spacy_matcher = DependencyMatcher(checker.nlp.vocab)
        spacy_matcher.add("k", [tree])
        for doc in docs:
            expected = sorted(tuple(ids) for _, ids in spacy_matcher(doc))
            assert sorted(tuple(ids) for ids in compiled.matches(doc)) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        [{"RIGHT_ID": "a", "RIGHT_ATTRS": {"MORPH": {"IS_SUPERSET": ["Number=Sing"]}}}],
        [{"RIGHT_ID": "a", "RIGHT_ATTRS": {"LOWER": {"REGEX": "^se"}}}],
        [{"RIGHT_ID": "a", "RIGHT_ATTRS": {"_": {"foo": True}}}],
        [
            {"RIGHT_ID": "a", "RIGHT_ATTRS": {"POS": "VERB"}},
            {"LEFT_ID": "a", "REL_OP": ";", "RIGHT_ID": "b", "RIGHT_ATTRS": {}},
        ],
    ],
)
def test_walker_leaves_what_it_does_not_cover_to_spacy(pattern: list[dict]) -> None:
    assert compile_tree(pattern) is None


def test_rules_with_other_operators_go_to_spacy_and_still_match(checker: Checker) -> None:
    data = load_yaml(
        """category: demanding
rules:
  - id: send-then-me
    severity: warning
    message: A command.
    dependency:
      - - {RIGHT_ID: verb, RIGHT_ATTRS: {LEMMA: send}}
        - {LEFT_ID: verb, REL_OP: ".", RIGHT_ID: next, RIGHT_ATTRS: {LOWER: me}}
    anchor: verb
"""
    )
    matcher = RuleMatcher(checker.nlp.vocab, parse_rules(data, "user.yml", CONDITIONS))
    assert not matcher._walked  # "." (immediately precedes) is spaCy's to match

    def fired(text: str) -> list[tuple[str, int, int]]:
        doc = checker.nlp(text, disable=["tonecheck"])
        return [(h.rule.id, h.start, h.end) for h in matcher(doc)]

    assert fired("Send me the notes.") == [("send-then-me", 0, 2)]
    assert fired("I will send the notes.") == []
