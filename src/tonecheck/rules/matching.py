"""Compile rules into spaCy matchers and turn matches into rule hits.

The engine is generic: every rule goes through the same steps.
1. Token patterns (:mod:`.sequences`, spaCy's ``Matcher`` for the rest) and tree patterns
   (:mod:`.trees`, spaCy's ``DependencyMatcher`` for the rest) find candidates.
2. The rule's ``unless`` patterns clear a candidate whose anchor they cover
   (conventional polite forms such as "let me know", "feel free").
3. The named conditions in ``require``/``forbid`` (see :mod:`tonecheck.context`) decide.
4. The highlighted span is computed (``extend``) and trimmed of edge punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import DependencyMatcher
from spacy.schemas import validate_token_pattern
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from ..context import CONDITIONS, DocContext, MatchView
from . import Rule, RuleError
from .sequences import TokenPatterns, token_words, word_positions
from .trees import DocIndex, TreePattern, compile_tree

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
        words = token_words(spec)
        if words:
            out.append(words)
    return tuple(out)


def _optional(op: object) -> bool:
    """Whether a token pattern's ``OP`` lets the token be absent ("?", "*", "!", "{0,n}")."""
    if op in ("?", "*", "!"):
        return True
    if isinstance(op, str) and op.startswith("{"):
        low = op[1:].split(",")[0].rstrip("}").strip()
        return not low or int(low) == 0
    return False


def _index_cost(words: frozenset[str]) -> tuple[int, int, list[str]]:
    """How often a set of needed words is likely to be found in a sentence: stop words
    ("i", "be", "the") are in most of them."""
    return sum(w in STOP_WORDS for w in words), len(words), sorted(words)


def _grouped(items: Sequence[tuple[tuple[frozenset[str], ...], Any]]) -> dict[Any, list[Any]]:
    groups: dict[Any, list[Any]] = {}
    for needs, item in items:
        groups.setdefault(frozenset(needs), []).append(item)
    return groups


class RuleMatcher:
    """All rules compiled against one vocabulary; call it on a parsed ``Doc``.

    spaCy's matchers cost about (patterns x tokens), and a sentence lacks the words of
    most patterns. So token patterns are grouped by the words they name (one token for
    each of them must be present), and a group is tried only on the sentences that have
    those words: a word index and a set lookup rule the rest out. Its patterns are matched
    from where their named word stands (:mod:`.sequences`; the few that sequence matcher
    does not cover go to spaCy's ``Matcher``). One-node tree patterns are token patterns
    in disguise and go with them; the others are walked down the parse (:mod:`.trees`).
    A rule's ``unless`` patterns run only where it has a candidate, on the candidate's
    sentence.
    """

    def __init__(self, vocab: Vocab, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        self._token_groups: list[TokenPatterns] = []
        self._unless: dict[int, TokenPatterns] = {}
        self._unless_needs: dict[int, list[tuple[frozenset[str], ...]]] = {}
        tokens: list[tuple[tuple[frozenset[str], ...], tuple[str, list[Any]]]] = []
        trees: list[tuple[tuple[frozenset[str], ...], tuple[str, list[Any]]]] = []
        for idx, rule in enumerate(self.rules):
            key = str(idx)
            self._validate(rule, vocab)
            for pat in rule.patterns:
                tokens.append((_literal_sets(pat), (key, list(pat))))
            # one key per tree pattern, so a match tells which pattern's node names apply
            for j, tree in enumerate(rule.dependency):
                attrs = [n.get("RIGHT_ATTRS", {}) for n in tree]
                if len(tree) == 1:  # one node: a one-token pattern, matched like one
                    tokens.append((_literal_sets(attrs), (f"{idx}:{j}", attrs)))
                else:
                    trees.append((_literal_sets(attrs), (f"{idx}:{j}", list(tree))))
            if rule.unless:
                self._unless[idx] = TokenPatterns(vocab, [(key, list(p)) for p in rule.unless])
                # the words each unless pattern needs: without any of them in the
                # sentence, no unless pattern can match and the matcher need not run
                self._unless_needs[idx] = [_literal_sets(p) for p in rule.unless]
        aligned = frozenset(
            str(idx)
            for idx, rule in enumerate(self.rules)
            if isinstance(rule.anchor, int) or any(isinstance(h, int) for h in rule.highlight)
        )
        for needs, pats in _grouped(tokens).items():
            self._token_groups.append(TokenPatterns(vocab, pats, needs, aligned))
        # word -> token groups that need it (through one of their sets: the one with the
        # fewest common words, then the smallest), so a sentence's words pick out the few
        # groups worth checking; "i" and "be" are in nearly every sentence
        self._always: list[int] = []
        self._by_word: dict[str, list[int]] = {}
        for i, group in enumerate(self._token_groups):
            if not group.needs:
                self._always.append(i)
                continue
            for word in min(group.needs, key=_index_cost):
                self._by_word.setdefault(word, []).append(i)
        # tree patterns of two or more nodes: walked by .trees where it covers them, the
        # rest share one DependencyMatcher over the doc
        self._walked: list[tuple[int, int, tuple[frozenset[str], ...], TreePattern]] = []
        self._trees = DependencyMatcher(vocab)
        self._tree_needs: list[tuple[frozenset[str], ...]] = []
        for needs, (key, tree) in trees:
            idx_s, j_s = key.split(":")
            compiled = compile_tree(tree)
            if compiled is not None:
                self._walked.append((int(idx_s), int(j_s), needs, compiled))
            else:
                self._trees.add(key, [tree])
                self._tree_needs.append(needs)

    @staticmethod
    def _validate(rule: Rule, vocab: Vocab) -> None:
        """A RuleError naming the rule's file, id and pattern for any pattern spaCy would
        refuse, and for unknown conditions."""

        def bad(what: str) -> RuleError:
            return RuleError(f"{rule.source}: rule {rule.id!r}: bad pattern: {what}")

        for kind, pats in (("pattern", rule.patterns), ("unless pattern", rule.unless)):
            for j, pat in enumerate(pats):
                errors = validate_token_pattern(list(pat))
                if errors:
                    raise bad(f"{kind} {j}: {errors[0]}")
        for j, tree in enumerate(rule.dependency):
            try:
                DependencyMatcher(vocab, validate=True).add("x", [list(tree)])
            except (ValueError, KeyError) as exc:
                # spaCy validates each node alone, so its "pattern 0" names no node
                problem = re.sub(r"^pattern \d+: ", "", _pattern_problem(exc))
                raise bad(f"dependency pattern {j}: {problem}") from exc
        for name in (*rule.require, *rule.forbid):
            if name not in CONDITIONS:
                raise RuleError(f"{rule.source}: rule {rule.id!r}: unknown condition {name!r}")

    def _candidates(self, doc: Doc) -> tuple[list[tuple[int, int, int, int]], dict[int, Any]]:
        """(rule index, token start, token end, anchor) before conditions, and each
        sentence's tokens and word positions, by its first token."""
        out: list[tuple[int, int, int, int]] = []
        sent_data: dict[int, tuple[list[Token], dict[str, list[int]]]] = {}
        strings = doc.vocab.strings
        # matched within each sentence, so a phrase never spans two sentences
        matches: list[tuple[str, int, int, list[int]]] = []
        doc_words: set[str] = set()
        for sent in doc.sents if len(doc) else ():
            tokens = list(sent)
            positions = word_positions(tokens)
            words = set(positions)
            doc_words |= words
            sent_data[sent.start] = (tokens, positions)
            picked = set(self._always)
            for word in words & self._by_word.keys():
                picked.update(self._by_word[word])
            for i in sorted(picked):
                group = self._token_groups[i]
                if group.may_match(words):
                    for key, s, e, align in group.find(sent, tokens, positions):
                        matches.append((key, s + sent.start, e + sent.start, align))
        for key, start, end, align in matches:
            if ":" in key:  # a one-node tree pattern: that token is anchor and highlight
                out.append((int(key.split(":")[0]), start, end, start))
                continue
            idx = int(key)
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
        found_trees: list[tuple[int, int, list[int]]] = []
        # the sentences' tokens, in order, are the doc's (sentences cover every token)
        flat = [t for toks, _ in sent_data.values() for t in toks]
        index = DocIndex(doc, flat if len(flat) == len(doc) else None)
        for idx, j, needs, compiled in self._walked:
            if all(not o.isdisjoint(doc_words) for o in needs):
                found_trees.extend((idx, j, ids) for ids in compiled.matches(doc, index))
        if len(doc) and any(
            all(not o.isdisjoint(doc_words) for o in needs) for needs in self._tree_needs
        ):
            for match_id, token_ids in self._trees(doc):
                idx_s, j_s = strings[match_id].split(":")
                found_trees.append((int(idx_s), int(j_s), token_ids))
        for idx, j, token_ids in found_trees:
            rule = self.rules[idx]
            # token ids come in the order of the pattern's nodes
            names = [n["RIGHT_ID"] for n in rule.dependency[j]]
            nodes = dict(zip(names, token_ids, strict=False))
            anchor = nodes.get(str(rule.anchor), token_ids[0])
            chosen = [nodes[h] for h in rule.highlight if h in nodes] or list(token_ids)
            out.append((idx, min(chosen), max(chosen) + 1, anchor))
        return out, sent_data

    def __call__(self, doc: Doc, ctx: DocContext | None = None) -> list[RuleHit]:
        ctx = ctx or DocContext(doc)
        unless: dict[tuple[int, int], list[tuple[int, int]]] = {}
        hits: dict[tuple[int, int, int], RuleHit] = {}
        # a fixed order, so the anchor kept for a span never depends on how it was matched
        candidates, sent_data = self._candidates(doc)
        for idx, lo, hi, anchor in sorted(candidates):
            rule = self.rules[idx]
            if idx in self._unless:
                # matched in the anchor's sentence, the only one whose matches can cover it
                sent = doc[anchor].sent
                if (idx, sent.start) not in unless:
                    tokens, positions = sent_data[sent.start]
                    if not any(
                        all(not o.isdisjoint(positions.keys()) for o in needs)
                        for needs in self._unless_needs[idx]
                    ):
                        unless[idx, sent.start] = []
                    else:
                        found = self._unless[idx].find(sent, tokens, positions)
                        unless[idx, sent.start] = [
                            (sent.start + s, sent.start + e) for _, s, e, _ in found
                        ]
                if any(s <= anchor < e for s, e in unless[idx, sent.start]):
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
