"""A small matcher for dependency-tree patterns, in the ``DependencyMatcher`` format.

spaCy's ``DependencyMatcher`` first runs every node of every pattern as a one-token
pattern over every token of the doc, calling a Python predicate per ``IN`` / ``NOT_IN``
set each time; on our rules that was a third of the rule engine's time. This matcher
finds the same matches by walking the tree instead: it tests a pattern's first node on
each token (word sets first, as they rule out most tokens), then only the tokens that
stand in the named relation to a node already matched.

It covers the node attributes and operators our rules use (``ORTH``, ``TEXT``,
``LOWER``, ``LEMMA``, ``POS``, ``TAG``, ``DEP`` as a string or ``IN`` / ``NOT_IN``,
``IS_SENT_START``; ``>``, ``<``, ``>>``, ``<<``); :func:`compile_tree` returns None for
anything else, and the caller keeps spaCy's matcher for that pattern.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Token

_ATTRS: dict[str, Callable[[Token], Any]] = {
    "ORTH": lambda t: t.orth_,
    "TEXT": lambda t: t.orth_,
    "LOWER": lambda t: t.lower_,
    "LEMMA": lambda t: t.lemma_,
    "POS": lambda t: t.pos_,
    "TAG": lambda t: t.tag_,
    "DEP": lambda t: t.dep_,
}
# the word attributes first: they rule out most tokens
_ORDER = {"LOWER": 0, "ORTH": 0, "TEXT": 0, "LEMMA": 1, "DEP": 2, "POS": 3, "TAG": 4}
_RELATIONS: dict[str, Callable[[Token], Iterator[Token]]] = {
    ">": lambda t: t.children,
    "<": lambda t: iter(() if t.head is t else (t.head,)),
    ">>": lambda t: (d for d in t.subtree if d is not t),
    "<<": lambda t: t.ancestors,
}

Test = Callable[[Token], bool]


def _test(attr: str, value: Any) -> Test | None:
    if attr == "IS_SENT_START" and isinstance(value, bool):
        return lambda t: (t.is_sent_start is True) == value
    get = _ATTRS.get(attr)
    if get is None:
        return None
    if isinstance(value, str):
        return lambda t: get(t) == value
    if isinstance(value, dict) and len(value) == 1:
        ((op, items),) = value.items()
        if isinstance(items, list) and all(isinstance(v, str) for v in items):
            options = frozenset(items)
            if op == "IN":
                return lambda t: get(t) in options
            if op == "NOT_IN":
                return lambda t: get(t) not in options
    return None


def _seed(attrs: dict[str, Any]) -> tuple[str, frozenset[str]] | None:
    """The attribute and values a token must have to match the node, for looking the
    node's tokens up in a :class:`DocIndex` (the most selective kind of attribute)."""
    for attr in sorted(attrs, key=lambda a: _ORDER.get(a, 9)):
        value = attrs[attr]
        if attr not in _ATTRS:
            continue
        if isinstance(value, str):
            return attr, frozenset((value,))
        if isinstance(value, dict) and set(value) == {"IN"}:
            return attr, frozenset(value["IN"])
    return None


class DocIndex:
    """Token indices of a doc by attribute value, built per attribute on first use."""

    def __init__(self, doc: Doc, tokens: Sequence[Token] | None = None) -> None:
        self.doc = doc
        # the doc's tokens, if the caller has them already (making Token objects costs)
        self._tokens = list(doc) if tokens is None else tokens
        self._by: dict[str, dict[str, list[int]]] = {}

    def tokens(self, attr: str, values: frozenset[str]) -> list[Token]:
        table = self._by.get(attr)
        if table is None:
            table = {}
            get = _ATTRS[attr]
            for i, tok in enumerate(self._tokens):
                table.setdefault(get(tok), []).append(i)
            self._by[attr] = table
        found = sorted(i for v in values & table.keys() for i in table[v])
        return [self._tokens[i] for i in found]


def _node_test(attrs: dict[str, Any]) -> Test | None:
    tests: list[Test] = []
    for attr in sorted(attrs, key=lambda a: _ORDER.get(a, 9)):
        test = _test(attr, attrs[attr])
        if test is None:
            return None
        tests.append(test)
    return lambda t: all(test(t) for test in tests)


@dataclass(frozen=True)
class TreePattern:
    """One compiled tree pattern: node tests, and for each node after the first the
    index of its left node and the relation from it."""

    tests: tuple[Test, ...]
    links: tuple[tuple[int, Callable[[Token], Iterator[Token]]], ...]
    seed: tuple[str, frozenset[str]] | None = None

    def matches(self, doc: Doc, index: DocIndex | None = None) -> Iterator[list[int]]:
        """Every assignment of tokens to nodes (token indices, in node order), as
        ``DependencyMatcher`` gives them. An ``index`` of the doc finds the tokens that
        can be the first node without testing every token."""
        first = self.tests[0]
        if self.seed is not None:
            index = index if index is not None and index.doc is doc else DocIndex(doc)
            starts: Iterable[Token] = index.tokens(*self.seed)
        else:
            starts = doc
        for tok in starts:
            if first(tok):
                yield from self._extend([tok])

    def _extend(self, chosen: list[Token]) -> Iterator[list[int]]:
        j = len(chosen)
        if j == len(self.tests):
            yield [t.i for t in chosen]
            return
        left, relation = self.links[j - 1]
        test = self.tests[j]
        for tok in relation(chosen[left]):
            if test(tok):
                yield from self._extend([*chosen, tok])


def compile_tree(pattern: Sequence[dict[str, Any]]) -> TreePattern | None:
    """The pattern compiled, or None when it uses what this matcher does not cover."""
    ids = {node.get("RIGHT_ID"): j for j, node in enumerate(pattern)}
    tests: list[Test] = []
    links: list[tuple[int, Callable[[Token], Iterator[Token]]]] = []
    for j, node in enumerate(pattern):
        test = _node_test(node.get("RIGHT_ATTRS", {}))
        if test is None or set(node) - {"RIGHT_ID", "RIGHT_ATTRS", "LEFT_ID", "REL_OP"}:
            return None
        tests.append(test)
        if j == 0:
            if "REL_OP" in node:
                return None
            continue
        relation = _RELATIONS.get(node.get("REL_OP", ""))
        left = ids.get(node.get("LEFT_ID"))
        if relation is None or left is None or left >= j:
            return None
        links.append((left, relation))
    return TreePattern(tuple(tests), tuple(links), _seed(pattern[0].get("RIGHT_ATTRS", {})))
