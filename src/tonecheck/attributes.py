"""An ``attribute_ruler`` that finds its one-token patterns through an index.

spaCy's ``AttributeRuler`` sends every token through one ``Matcher`` holding all of the
model's patterns (179 in ``en_core_web_sm``: the tag map and the morphology exceptions).
That matcher tests every pattern on every token, and costs about as much as the parser on
a short draft. Nearly all of these patterns describe one token by its tag or its
lower-case form, so :class:`IndexedAttributeRuler` looks the token up by that value and
tests only the few patterns filed under it. Patterns it cannot index (two or more
tokens, operators, other predicates) stay with a ``Matcher`` of their own.

It finds the same matches and applies them in the same order as ``AttributeRuler``
(sorted by pattern number, so later patterns win), through ``AttributeRuler``'s own
``set_annotations``; ``tests/test_attributes.py`` checks the tokens come out the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import normalize_token_attrs, set_token_attrs

from .rules.sequences import STRING_ATTRS, token_test
from .rules.trees import Test

#: The attributes the index files patterns under, most selective first (a word before a tag).
_INDEX_ORDER = ("LOWER", "ORTH", "TEXT", "TAG", "DEP")


def _index_values(spec: dict[str, Any]) -> tuple[str, frozenset[str]] | None:
    """The attribute and the values a one-token pattern can be found under."""
    for attr in _INDEX_ORDER:
        value = spec.get(attr)
        if isinstance(value, str):
            return attr, frozenset([value])
        if isinstance(value, dict) and set(value) == {"IN"}:
            return attr, frozenset(value["IN"])
    return None


def _compile(pattern: Sequence[dict[str, Any]]) -> tuple[Test | None, Any] | None:
    """The test and index entry of a one-token pattern (no test: the index lookup says it
    all), or None if it is not one the index handles."""
    if len(pattern) != 1:
        return None
    spec = pattern[0]
    where = _index_values(spec)
    tests = []
    for attr, value in spec.items():
        test = token_test(str(attr), value)
        if test is None:  # "OP", extension attributes, numeric or fuzzy predicates...
            return None
        if where is None or attr != where[0]:  # the lookup tests the indexed attribute
            tests.append(test)
    if not tests:
        return None, where
    if len(tests) == 1:
        return tests[0], where
    return (lambda t: all(test(t) for test in tests)), where


class IndexedAttributeRuler(AttributeRuler):
    """``AttributeRuler`` with the same patterns, matches and results, found faster."""

    def clear(self) -> None:
        super().clear()
        self._patterns: list[list[Any]] = []
        self._rest = Matcher(self.vocab, validate=self.validate)
        # attribute -> value -> [(pattern number, test)]; then the unindexed ones
        self._index: dict[str, dict[str, list[tuple[int, Test | None]]]] = {}
        self._scan: list[tuple[int, Test]] = []
        self._keys: list[int] = []  # pattern number -> its match id

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clear()

    def add(self, patterns: Iterable[Any], attrs: dict[str, Any], index: int = 0) -> None:
        number = len(self.attrs)
        key = str(number)
        patterns = [list(p) for p in patterns]
        slow = []
        for pattern in patterns:
            compiled = _compile(pattern)
            if compiled is None:
                slow.append(pattern)
                continue
            test, where = compiled
            if where is None:
                assert test is not None  # a pattern without tests has an index entry
                self._scan.append((number, test))
            else:
                attr, values = where
                by_value = self._index.setdefault(attr, {})
                for v in values:
                    by_value.setdefault(v, []).append((number, test))
        match_id = self.vocab.strings.add(key)
        if slow:
            self._rest.add(match_id, slow)
        self._keys.append(match_id)
        self._patterns.append(patterns)
        # AttributeRuler.add without its Matcher.add: the same bookkeeping of attributes
        self._attrs_unnormed.append(attrs)
        self.attrs.append(normalize_token_attrs(self.vocab, attrs))
        self.indices.append(index)

    @property
    def patterns(self) -> list[dict[str, Any]]:
        return [
            {
                "patterns": self._patterns[i],
                "attrs": self._attrs_unnormed[i],
                "index": self.indices[i],
            }
            for i in range(len(self.attrs))
        ]

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        strings = self.vocab.strings
        found: set[tuple[int, int]] = set()
        lookups = [(STRING_ATTRS[a], by_value) for a, by_value in self._index.items()]
        scan = self._scan
        for i, token in enumerate(doc):
            for name, by_value in lookups:
                for number, test in by_value.get(getattr(token, name), ()):
                    if test is None or test(token):
                        found.add((number, i))
            for number, test in scan:
                if test(token):
                    found.add((number, i))
        keys = self._keys
        matches = [(n, keys[n], i, i + 1) for n, i in found]
        if len(self._rest):
            for match_id, s, e in self._rest(doc, allow_missing=True, as_spans=False):
                matches.append((int(strings[match_id]), match_id, s, e))
        matches.sort()
        return matches

    def set_annotations(self, doc: Doc, matches: Sequence[tuple[int, int, int, int]]) -> None:
        # one token matched and marked: set it directly (AttributeRuler builds a Span for
        # every match); anything else, in its turn, the way AttributeRuler does
        one_token = (0, -1)
        for match in matches:
            number, _, start, end = match
            if end - start == 1 and self.indices[number] in one_token:
                set_token_attrs(doc[start], self.attrs[number])
            else:
                super().set_annotations(doc, [match])


@Language.factory("tonecheck_attribute_ruler", default_config={"validate": False})
def make_indexed_attribute_ruler(nlp: Language, name: str, validate: bool) -> IndexedAttributeRuler:
    """An :class:`IndexedAttributeRuler`; :func:`speed_up_attribute_ruler` fills it."""
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate)


def speed_up_attribute_ruler(nlp: Language) -> None:
    """Swap the pipeline's ``attribute_ruler`` for an indexed one with its patterns."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    old = nlp.get_pipe("attribute_ruler")
    if type(old) is not AttributeRuler:  # a custom subclass may match differently
        return
    patterns = old.patterns
    new = nlp.replace_pipe("attribute_ruler", "tonecheck_attribute_ruler")
    assert isinstance(new, IndexedAttributeRuler)
    new.add_patterns(patterns)
