"""Compile rules into spaCy matchers and turn matches into rule hits.

The engine is generic: every rule goes through the same steps.
1. ``Matcher`` (token patterns) and ``DependencyMatcher`` (tree patterns) find candidates.
2. The rule's ``unless`` patterns clear a candidate whose anchor they cover
   (conventional polite forms such as "let me know", "feel free").
3. The named conditions in ``require``/``forbid`` (see :mod:`tonecheck.context`) decide.
4. The highlighted span is computed (``extend``) and trimmed of edge punctuation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from ..context import CONDITIONS, DocContext, MatchView
from . import Rule, RuleError

# Children kept when a rule highlights the verb phrase of its anchor: the verb's objects
# and complements, not its subject, adverbial clauses or deadline phrases.
VERB_PHRASE_DEPS = {
    "dobj", "dative", "iobj", "prt", "ccomp", "xcomp", "attr", "acomp", "oprd", "aux",
    "neg", "auxpass", "nsubj",
}  # fmt: skip
LEADING_SOFTENERS = {"please", "kindly", "just", "simply", "also"}


@dataclass(frozen=True)
class RuleHit:
    """A rule that fired: token span ``[start, end)`` and its anchor token index."""

    rule: Rule
    start: int
    end: int
    anchor: int


def trim_edges(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without punctuation and space at either end."""
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def _verb_phrase(doc: Doc, anchor: Token) -> tuple[int, int]:
    lo, hi = anchor.i, anchor.i + 1
    for c in anchor.children:
        if c.dep_ in VERB_PHRASE_DEPS or (c.i < anchor.i and c.lower_ in LEADING_SOFTENERS):
            lo = min(lo, c.left_edge.i)
            hi = max(hi, c.right_edge.i + 1)
    # keep the phrase inside the anchor's sentence and contiguous from the left
    sent = anchor.sent
    return max(lo, sent.start), min(hi, sent.end)


def _pattern_problem(exc: Exception) -> str:
    """The useful line of spaCy's pattern validation error: which pattern, what is wrong."""
    current = ""
    for line in str(exc).splitlines():
        line = line.strip()
        if line.startswith("Pattern "):
            current = line.rstrip(":")
        elif line.startswith("- ["):
            return f"{current.lower()}: {line[2:]}" if current else line[2:]
    lines = [x for x in str(exc).splitlines() if x.strip()]
    return lines[0] if lines else repr(exc)


def _literal_sets(pattern: Sequence[dict[str, Any]]) -> tuple[frozenset[str], ...]:
    """For each token of a pattern that must be present, the words it can be (lower-case
    forms and lemmas), where the pattern names them; tokens that are optional, negated or
    described otherwise (POS, NOT_IN, ...) give nothing."""
    out = []
    for spec in pattern:
        if _optional(spec.get("OP")):
            continue
        words: set[str] = set()
        for attr in ("LOWER", "LEMMA"):
            value = spec.get(attr)
            if isinstance(value, str):
                words.add(value.lower())
            elif isinstance(value, dict) and set(value) == {"IN"}:
                words.update(str(v).lower() for v in value["IN"])
        if words:
            out.append(frozenset(words))
    return tuple(out)


def _optional(op: object) -> bool:
    """Whether a token pattern's ``OP`` lets the token be absent ("?", "*", "!", "{0,n}")."""
    if op in ("?", "*", "!"):
        return True
    if isinstance(op, str) and op.startswith("{"):
        low = op[1:].split(",")[0].rstrip("}").strip()
        return not low or int(low) == 0
    return False


@dataclass(frozen=True)
class _Group:
    """Patterns that need the same words, in a matcher of their own: each set in
    ``needs`` must share a word with the sentence (or doc) before the matcher runs."""

    matcher: Any  # Matcher or DependencyMatcher
    needs: tuple[frozenset[str], ...]

    def may_match(self, words: set[str]) -> bool:
        return all(not options.isdisjoint(words) for options in self.needs)


def _grouped(items: Sequence[tuple[tuple[frozenset[str], ...], Any]]) -> dict[Any, list[Any]]:
    groups: dict[Any, list[Any]] = {}
    for needs, item in items:
        groups.setdefault(frozenset(needs), []).append(item)
    return groups


class RuleMatcher:
    """All rules compiled against one vocabulary; call it on a parsed ``Doc``.

    spaCy's matchers cost about (patterns x tokens), and a sentence lacks the words of
    most patterns. So patterns are grouped by the words they name (one token for each of
    them must be present), each group gets a matcher of its own, and a group runs only on
    sentences (token patterns) or docs (tree patterns) that have those words: a set
    lookup rules the rest out. A rule's ``unless`` patterns run only when the rule has a
    candidate.
    """

    def __init__(self, vocab: Vocab, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        self._token_groups: list[_Group] = []
        self._dep_groups: list[_Group] = []
        self._unless: dict[int, Matcher] = {}
        tokens: list[tuple[tuple[frozenset[str], ...], tuple[str, list[Any]]]] = []
        trees: list[tuple[tuple[frozenset[str], ...], tuple[str, list[Any]]]] = []
        for idx, rule in enumerate(self.rules):
            key = str(idx)
            with self._naming(rule):
                for pat in rule.patterns:
                    tokens.append((_literal_sets(pat), (key, list(pat))))
                # one key per tree pattern, so a match tells which pattern's node names apply
                for j, tree in enumerate(rule.dependency):
                    attrs = [n.get("RIGHT_ATTRS", {}) for n in tree]
                    trees.append((_literal_sets(attrs), (f"{idx}:{j}", list(tree))))
                if rule.unless:
                    self._unless[idx] = Matcher(vocab, validate=True)
                    self._unless[idx].add(key, [list(p) for p in rule.unless])
            for name in (*rule.require, *rule.forbid):
                if name not in CONDITIONS:
                    raise RuleError(f"{rule.source}: rule {rule.id!r}: unknown condition {name!r}")
        for needs, pats in _grouped(tokens).items():
            matcher = Matcher(vocab, validate=True)
            for key, pat in pats:  # Matcher.add appends to a key's patterns
                with self._naming(self.rules[int(key)], vocab):
                    matcher.add(key, [pat])
            self._token_groups.append(_Group(matcher, tuple(needs)))
        # word -> token groups that need it (through one of their sets, the smallest), so
        # a sentence's words pick out the few groups worth checking
        self._always: list[int] = []
        self._by_word: dict[str, list[int]] = {}
        for i, group in enumerate(self._token_groups):
            if not group.needs:
                self._always.append(i)
                continue
            for word in min(group.needs, key=lambda o: (len(o), sorted(o))):
                self._by_word.setdefault(word, []).append(i)
        for needs, pats in _grouped(trees).items():
            dep = DependencyMatcher(vocab, validate=True)
            for key, tree in pats:
                with self._naming(self.rules[int(key.split(":")[0])], vocab):
                    dep.add(key, [tree])
            self._dep_groups.append(_Group(dep, tuple(needs)))

    @staticmethod
    @contextmanager
    def _naming(rule: Rule, vocab: Vocab | None = None) -> Iterator[None]:
        """Turn a bad pattern into a RuleError that names the rule's file, id and pattern
        (with ``vocab``, the rule's patterns are validated again on their own, so the
        pattern number is the rule's, not the group's)."""
        try:
            yield
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            problem: Exception = exc
            if vocab is not None:
                try:
                    Matcher(vocab, validate=True).add("x", [list(p) for p in rule.patterns])
                    for tree in rule.dependency:
                        DependencyMatcher(vocab, validate=True).add("x", [list(tree)])
                except (ValueError, KeyError) as again:
                    problem = again
            raise RuleError(
                f"{rule.source}: rule {rule.id!r}: bad pattern: {_pattern_problem(problem)}"
            ) from exc

    def _candidates(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """(rule index, token start, token end, anchor) before conditions."""
        out: list[tuple[int, int, int, int]] = []
        strings = doc.vocab.strings
        # matched within each sentence, so a phrase never spans two sentences
        matches: list[Any] = []
        doc_words: set[str] = set()
        for sent in doc.sents if len(doc) else ():
            words = {t.lower_ for t in sent} | {t.lemma_.lower() for t in sent}
            doc_words |= words
            picked = set(self._always)
            for word in words & self._by_word.keys():
                picked.update(self._by_word[word])
            for i in sorted(picked):
                group = self._token_groups[i]
                if group.may_match(words):
                    found: list[Any] = group.matcher(sent, with_alignments=True)
                    for match_id, s, e, align in found:
                        matches.append((match_id, s + sent.start, e + sent.start, align))
        for match_id, start, end, align in matches:
            idx = int(strings[match_id])
            rule = self.rules[idx]
            anchor = start
            if isinstance(rule.anchor, int):
                hits = [start + k for k, a in enumerate(align) if a == rule.anchor]
                anchor = hits[0] if hits else start
            lo, hi = start, end
            if len(rule.highlight) == 2 and all(isinstance(h, int) for h in rule.highlight):
                first, last = rule.highlight
                sel = [start + k for k, a in enumerate(align) if first <= a <= last]
                if sel:
                    lo, hi = min(sel), max(sel) + 1
            out.append((idx, lo, hi, anchor))
        for group in self._dep_groups:
            if not (len(doc) and group.may_match(doc_words)):
                continue
            for match_id, token_ids in group.matcher(doc):
                idx_s, j_s = strings[match_id].split(":")
                idx = int(idx_s)
                rule = self.rules[idx]
                # DependencyMatcher returns ids in the order of the pattern's nodes
                names = [n["RIGHT_ID"] for n in rule.dependency[int(j_s)]]
                nodes = dict(zip(names, token_ids, strict=False))
                anchor = nodes.get(str(rule.anchor), token_ids[0])
                chosen = [nodes[h] for h in rule.highlight if h in nodes] or list(token_ids)
                out.append((idx, min(chosen), max(chosen) + 1, anchor))
        return out

    def __call__(self, doc: Doc, ctx: DocContext | None = None) -> list[RuleHit]:
        ctx = ctx or DocContext(doc)
        unless: dict[int, list[tuple[int, int]]] = {}
        hits: dict[tuple[int, int, int], RuleHit] = {}
        # a fixed order, so the anchor kept for a span never depends on how it was matched
        for idx, lo, hi, anchor in sorted(self._candidates(doc)):
            rule = self.rules[idx]
            if idx in self._unless and idx not in unless:
                unless[idx] = [(s, e) for _, s, e in self._unless[idx](doc)]
            if any(s <= anchor < e for s, e in unless.get(idx, ())):
                continue
            tok = doc[anchor]
            if rule.extend == "verb_phrase":
                vp_lo, vp_hi = _verb_phrase(doc, tok)
                lo, hi = min(lo, vp_lo), max(hi, vp_hi)
            elif rule.extend == "subtree":
                lo, hi = min(lo, tok.left_edge.i), max(hi, tok.right_edge.i + 1)
            elif rule.extend == "sentence":
                lo, hi = tok.sent.start, tok.sent.end
            lo, hi = trim_edges(doc, lo, hi)
            if lo >= hi:
                continue
            view = MatchView(anchor=tok, start=lo, end=hi, ctx=ctx)
            if not all(CONDITIONS[name](view) for name in rule.require):
                continue
            if any(CONDITIONS[name](view) for name in rule.forbid):
                continue
            # quoted words are someone else's: the engine skips them for every rule
            if ctx.in_quotes(doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])) or ctx.in_quotes(
                tok.idx, tok.idx + len(tok)
            ):
                continue
            hits.setdefault((idx, lo, hi), RuleHit(rule, lo, hi, anchor))
        return list(hits.values())
