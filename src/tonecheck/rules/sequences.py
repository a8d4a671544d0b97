"""A small matcher for token patterns, in spaCy's ``Matcher`` format.

spaCy's ``Matcher`` tests a pattern at every token of the text it is given, and each call
has a fixed cost of its own; the rule engine calls it for a few dozen patterns per
sentence. Most of our patterns name a word that must be present ("deserve", "ASAP"), so
this matcher starts only where that word stands in the sentence (a word index gives the
positions) and walks the pattern from the few starts it allows. It returns what
``Matcher(..., with_alignments=True)`` returns: every (start, end) the pattern matches,
each once, with the pattern token each matched token stands for. Where operators let a
match align two ways, the alignment may be another of the valid ones than spaCy's
(:attr:`SequencePattern.one_way`); the rule engine keeps spaCy's matcher for patterns
whose rule reads the alignment.

It covers the token attributes of :mod:`.trees` plus a few flags, and the operators
``?``, ``*`` and ``+``; :func:`compile_sequence` returns None for anything else, and the
caller keeps spaCy's ``Matcher`` for that pattern. ``tests/test_sequences.py`` checks it
against ``Matcher`` for every built-in pattern on corpus sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Span, Token
from spacy.vocab import Vocab

from .trees import Test, _test

#: String attributes a pattern may test, by pattern key, and the Token attribute each reads.
STRING_ATTRS = {
    "ORTH": "orth_", "TEXT": "orth_", "LOWER": "lower_", "NORM": "norm_", "SHAPE": "shape_",
    "LEMMA": "lemma_", "POS": "pos_", "TAG": "tag_", "DEP": "dep_",
}  # fmt: skip
_FLAGS = {
    "IS_PUNCT": "is_punct", "IS_SPACE": "is_space", "IS_ALPHA": "is_alpha",
    "IS_DIGIT": "is_digit", "IS_TITLE": "is_title", "IS_UPPER": "is_upper",
    "IS_LOWER": "is_lower", "LIKE_NUM": "like_num",
}  # fmt: skip
_OPS = (None, "?", "*", "+")


def token_test(attr: str, value: Any) -> Test | None:
    """A test of one token attribute against a pattern value, as spaCy's ``Matcher``
    evaluates it (a string, ``IN``, ``NOT_IN``, ``REGEX``, or a flag's true/false), or
    None where the pattern uses anything else."""
    if attr in _FLAGS:
        flag = _FLAGS[attr]
        return (lambda t: bool(getattr(t, flag)) is value) if isinstance(value, bool) else None
    if attr == "IS_SENT_START":
        return _test(attr, value)
    name = STRING_ATTRS.get(attr)
    if name is None:
        return None
    if isinstance(value, str):
        return lambda t: bool(getattr(t, name) == value)
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((op, arg),) = value.items()
    if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
        options = frozenset(arg)
        if op == "IN":
            return lambda t: getattr(t, name) in options
        return lambda t: getattr(t, name) not in options
    if op == "REGEX" and isinstance(arg, str):
        rx = re.compile(arg)  # the Matcher searches, it does not anchor
        return lambda t: rx.search(getattr(t, name)) is not None
    return None


def _spec_test(spec: dict[str, Any]) -> Test | None:
    tests = []
    for attr, value in spec.items():
        if attr == "OP":
            continue
        test = token_test(str(attr), value)
        if test is None:
            return None
        tests.append(test)
    if not tests:
        return lambda t: True
    if len(tests) == 1:
        return tests[0]
    return lambda t: all(test(t) for test in tests)


def token_words(spec: dict[str, Any]) -> frozenset[str] | None:
    """The words a pattern token can be (its LOWER or LEMMA values), lower-cased, if it
    names them."""
    words: set[str] = set()
    for attr in ("LOWER", "LEMMA"):
        value = spec.get(attr)
        if isinstance(value, str):
            words.add(value.lower())
        elif isinstance(value, dict) and set(value) == {"IN"}:
            words.update(str(v).lower() for v in value["IN"])
    return frozenset(words) if words else None


@dataclass(frozen=True)
class SequencePattern:
    """One compiled token pattern: a test and an operator per pattern token, and the
    token the search starts from (``seed``: its index, the words it can be, and how
    many tokens can stand before it)."""

    tests: tuple[Test, ...]
    ops: tuple[str | None, ...]
    seed: tuple[frozenset[str], int, int] | None

    @property
    def one_way(self) -> bool:
        """Whether a match can align with the pattern in one way only (no operators).
        Otherwise, where two optional tokens could each take a word, this matcher's
        alignment may differ from spaCy's (the start and end are the same)."""
        return all(op is None for op in self.ops)

    def matches(
        self, tokens: Sequence[Token], positions: dict[str, list[int]]
    ) -> list[tuple[int, int, list[int]]]:
        """Every (start, end, alignment) within ``tokens`` (one sentence), with offsets
        into ``tokens``; ``positions`` maps each word of the sentence (lower-case form and
        lower-cased lemma) to where it stands."""
        n = len(tokens)
        if self.seed is None:
            starts: Sequence[int] = range(n)
        else:
            words, before_min, before_max = self.seed
            found: set[int] = set()
            for w in words:
                for p in positions.get(w, ()):
                    found.update(range(max(0, p - before_max), p - before_min + 1))
            starts = sorted(found)
        out: list[tuple[int, int, list[int]]] = []
        for start in starts:
            self._walk(tokens, start, 0, start, [], set(), out)
        return out

    def _walk(
        self,
        tokens: Sequence[Token],
        start: int,
        pi: int,
        ti: int,
        align: list[int],
        ends: set[int],
        out: list[tuple[int, int, list[int]]],
    ) -> None:
        if pi == len(self.tests):
            if ti > start and ti not in ends:  # each (start, end) once, as spaCy gives it
                ends.add(ti)
                out.append((start, ti, list(align)))
            return
        op = self.ops[pi]
        # consume the token first, then skip the pattern token: spaCy reports the
        # alignment where an optional token takes what it can
        if ti < len(tokens) and self.tests[pi](tokens[ti]):
            align.append(pi)
            self._walk(tokens, start, pi if op in ("*", "+") else pi + 1, ti + 1, align, ends, out)
            if op == "+":  # after one, a "+" token is optional like "*"
                self._walk(tokens, start, pi + 1, ti + 1, align, ends, out)
            align.pop()
        if op in ("?", "*"):
            self._walk(tokens, start, pi + 1, ti, align, ends, out)


def word_positions(tokens: Sequence[Token]) -> dict[str, list[int]]:
    """Where each word stands in ``tokens``: lower-case forms and lower-cased lemmas, the
    index :meth:`SequencePattern.matches` starts from."""
    positions: dict[str, list[int]] = {}
    for k, t in enumerate(tokens):
        positions.setdefault(t.lower_, []).append(k)
        lemma = t.lemma_.lower()
        if lemma != t.lower_:
            positions.setdefault(lemma, []).append(k)
    return positions


def compile_sequence(pattern: Sequence[dict[str, Any]]) -> SequencePattern | None:
    """The pattern compiled, or None when it uses what this matcher does not cover."""
    tests: list[Test] = []
    ops: list[str | None] = []
    for spec in pattern:
        op = spec.get("OP")
        if op not in _OPS or op == "!":
            return None
        test = _spec_test(spec)
        if test is None:
            return None
        tests.append(test)
        ops.append(op)
    if not tests or all(op in ("?", "*") for op in ops):
        return None  # spaCy's handling of all-optional patterns is its own
    seed = None
    before_min = 0
    for i, (spec, op) in enumerate(zip(pattern, ops, strict=True)):
        if any(o in ("*", "+") for o in ops[:i]):
            break  # no fixed bound on what stands before this token
        words = token_words(spec)
        if op in (None, "+") and words is not None and (seed is None or len(words) < len(seed[0])):
            seed = (words, before_min, i)
        if op in (None, "+"):
            before_min += 1
    return SequencePattern(tuple(tests), tuple(ops), seed)


class TokenPatterns:
    """Token patterns under keys, matched by the sequence matcher where it covers them
    and by a spaCy ``Matcher`` (built now, so a pattern spaCy refuses fails at load) for
    the rest. ``needs``: sets of words each of which must share one with a sentence for
    any of the patterns to match there. ``aligned``: keys whose matches' alignment is read;
    their patterns with operators stay with spaCy, whose alignment they then keep."""

    def __init__(
        self,
        vocab: Vocab,
        patterns: Sequence[tuple[str, list[Any]]],
        needs: Sequence[frozenset[str]] = (),
        aligned: frozenset[str] = frozenset(),
    ) -> None:
        self.needs = tuple(needs)
        self.native: list[tuple[str, SequencePattern]] = []
        rest = []
        for key, pat in patterns:
            compiled = compile_sequence(pat)
            if compiled is None or (key in aligned and not compiled.one_way):
                rest.append((key, pat))
            else:
                self.native.append((key, compiled))
        self.matcher: Matcher | None = None
        if rest:
            self.matcher = Matcher(vocab)
            for key, pat in rest:  # Matcher.add appends to a key's patterns
                self.matcher.add(key, [pat])

    def may_match(self, words: AbstractSet[str]) -> bool:
        return all(not options.isdisjoint(words) for options in self.needs)

    def find(
        self, span: Span, tokens: Sequence[Token], positions: dict[str, list[int]]
    ) -> Iterator[tuple[str, int, int, list[int]]]:
        """(pattern key, start, end, alignment) of every match in ``span`` (``tokens``
        are its tokens, ``positions`` their :func:`word_positions`), offsets into it."""
        for key, pattern in self.native:
            for s, e, align in pattern.matches(tokens, positions):
                yield key, s, e, align
        if self.matcher is not None:
            strings = span.doc.vocab.strings
            found: list[Any] = self.matcher(span, with_alignments=True)
            for match_id, s, e, align in found:
                yield strings[match_id], s, e, align
