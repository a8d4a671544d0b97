"""Sentence hints: a small statistical model that reads a sentence as a whole.

The rules (:mod:`tonecheck.rules`) find the phrasing families of the domain guide and say
exactly what is wrong; they miss phrasings nobody wrote a pattern for. The hint model is a
per-category logistic regression over TF-IDF of lemma unigrams, bigrams and dependency
arcs (``nsubj(owe,you)``: who does what to whom, wherever the words stand), trained on the
``dev`` split of the project's corpus (``python -m tonecheck.hints_train``). Where it is
confident that a sentence reads as demanding, entitled or defensive and no rule of that
category fired there, it adds an ``info`` finding (``<category>.hint``) that points at the
clause whose words weigh most. Where it is nearly sure that a sentence a rule flagged is
none of that rule's category (the probability below the category's ``veto``, chosen in
training so that at most one rule finding in 200 that was right is lost), it withdraws the
rule's finding: a look-alike the patterns cannot tell apart ("Your team must get a flood
of applications for every opening") reads as clean to a model that has seen thousands.
Hints are off by default (``Checker(hints=True)``, ``tonecheck --hints``): they are
guesses, and say so.

Scoring needs only numpy; the weights are package data (``data/tone_hints.json``).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

import numpy as np
from spacy.tokens import Doc, Span, Token

from .context import DocContext, clause_verb
from .report import HINT, hint_rule
from .rules.matching import trim_edges

WEIGHTS_FILE = "tone_hints.json"
#: the threshold of a category whose hints did no better than its rules: never hint
NO_HINTS = 1.0
MIN_WORDS = 3
#: What the weights were trained on (the weights file's meta says it too).
FEATURES = (
    "TF-IDF (sublinear tf, smooth idf, L2) of lemma unigrams, bigrams and dependency arcs "
    "relation(head,dependent)"
)

# Function words that carry stance ("you", "my", "not", "should") stay; other stop words go.
KEEP_STOP = frozenset((
    "you", "your", "yours", "i", "my", "me", "mine", "we", "our", "not", "n't", "no",
    "never", "should", "must", "have", "has", "had", "need", "would", "could", "will",
    "can", "may", "might", "least", "only", "just", "even", "so", "why", "how", "what",
    "after",
))  # fmt: skip

#: What a hint says about its category (the rules' messages say it for their phrase).
HINT_MESSAGES = {
    "demanding": "This sentence may read as a demand: it presses someone who owes you "
    "nothing. Consider asking lightly and leaving them a way out.",
    "entitled": "This sentence may read as a claim on the reader: feedback is a favour, "
    "so anything that sounds owed tends to go unanswered.",
    "defensive": "This sentence may read as arguing with the decision or blaming the "
    "process; the reader will defend their side instead of helping you.",
}
#: Whole-sentence replacements offered for a hint (the rules' safe fallbacks).
HINT_SUGGESTIONS = {
    "demanding": "If you have a moment, I would be grateful for any feedback you are able "
    "to share.",
    "entitled": "I would be grateful for any insight you are able to share.",
    "defensive": "I would value hearing what you were looking for in this role.",
}


def token_term(tok: Token) -> str | None:
    """The feature word of a token, or None when it carries nothing (punctuation, space,
    most stop words). Names and numbers are masked so one writer's names do not count."""
    if tok.is_punct or tok.is_space:
        return None
    if tok.like_num:
        return "<num>"
    if tok.pos_ == "PROPN":
        return "<propn>"
    low = tok.lower_
    if tok.is_stop and low not in KEEP_STOP:
        return None
    return low if low in KEEP_STOP else tok.lemma_.lower()


Quoted = Sequence[tuple[int, int]]


def sentence_terms(span: Span | Doc, quoted: Quoted = ()) -> list[tuple[str, tuple[int, ...]]]:
    """The terms of a sentence, each with the token indices it covers: unigrams and bigrams
    of :func:`token_term` words, and every dependency arc as ``relation(head,dependent)``
    (``nsubj(owe,you)``, ``aux(send,should)``; stop words count here, by lemma). Arcs tie a
    verb to its subject, object and modal however many words stand between them, which is
    what carries over from one writer's wording to another's. Words inside quotation marks
    are someone else's and are left out, and so are arcs that touch them."""
    words: list[tuple[str, int]] = []
    kept: list[Token] = []
    arc_word: dict[int, str] = {}  # every word but punctuation, for the arcs
    for tok in span:  # one pass: iterating a span is what costs here
        if tok.is_punct or tok.is_space or (quoted and any(a <= tok.idx < b for a, b in quoted)):
            continue
        term = token_term(tok)
        if term is not None:
            words.append((term, tok.i))
        arc_word[tok.i] = term if term is not None else tok.lemma_.lower()
        kept.append(tok)
    out: list[tuple[str, tuple[int, ...]]] = [(w, (i,)) for w, i in words]
    out += [(f"{a} {b}", (i, j)) for (a, i), (b, j) in pairwise(words)]
    for tok in kept:
        head = tok.head.i
        # the root has no arc; a head outside the span (or quoted, or punctuation) is skipped
        if head != tok.i and head in arc_word:
            out.append((f"{tok.dep_}({arc_word[head]},{arc_word[tok.i]})", (head, tok.i)))
    return out


def tfidf(
    terms: list[str], vocab: dict[str, int], idf: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Indices and TF-IDF values (sublinear tf, L2-normalised) of the terms in ``vocab``:
    the one formula that training (:mod:`tonecheck.hints_train`) and scoring share."""
    counts = Counter(t for t in terms if t in vocab)
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    idx = np.fromiter((vocab[t] for t in counts), dtype=np.int64, count=len(counts))
    tf = np.fromiter((1.0 + math.log(n) for n in counts.values()), dtype=np.float64)
    val = tf * idf[idx]
    norm = float(np.sqrt(np.dot(val, val)))
    return idx, (val / norm if norm else val)


@dataclass(frozen=True)
class HintModel:
    """The shipped weights: vocabulary, idf and one linear model per category."""

    vocab: dict[str, int]
    idf: np.ndarray
    coef: dict[str, np.ndarray]
    intercept: dict[str, float]
    threshold: dict[str, float]
    meta: dict[str, Any]
    #: below this probability a rule's finding of the category is withdrawn (0: never)
    veto: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HintModel:
        vocab = {t: i for i, t in enumerate(data["terms"])}
        cats = data["categories"]
        return cls(
            vocab=vocab,
            idf=np.asarray(data["idf"], dtype=np.float64),
            coef={c: np.asarray(v["coef"], dtype=np.float64) for c, v in cats.items()},
            intercept={c: float(v["intercept"]) for c, v in cats.items()},
            threshold={c: float(v["threshold"]) for c, v in cats.items()},
            meta=data.get("meta", {}),
            veto={c: float(v.get("veto", 0.0)) for c, v in cats.items()},
        )

    def vector(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Indices and TF-IDF values of the known terms (see :func:`tfidf`)."""
        return tfidf(terms, self.vocab, self.idf)

    def probabilities(
        self, terms: list[str], vector: tuple[np.ndarray, np.ndarray] | None = None
    ) -> dict[str, float]:
        """P(category) for a sentence's terms, per category (``vector``: their
        :meth:`vector`, when the caller has it already)."""
        idx, val = vector if vector is not None else self.vector(terms)
        out = {}
        for cat, w in self.coef.items():
            z = self.intercept[cat] + (float(np.dot(w[idx], val)) if len(idx) else 0.0)
            out[cat] = 1.0 / (1.0 + math.exp(-z))
        return out

    def contributions(
        self,
        terms: list[str],
        category: str,
        vector: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> dict[str, float]:
        """How much each known term pushed the sentence towards ``category``."""
        idx, val = vector if vector is not None else self.vector(terms)
        w = self.coef[category]
        keys = [t for t in dict.fromkeys(terms) if t in self.vocab]
        by_index = dict(zip(idx.tolist(), (w[idx] * val).tolist(), strict=True))
        return {t: by_index[self.vocab[t]] for t in keys}


@lru_cache(maxsize=1)
def load_model() -> HintModel:
    """The shipped hint model (loaded once)."""
    text = resources.files("tonecheck").joinpath("data", WEIGHTS_FILE).read_text("utf-8")
    return HintModel.from_dict(json.loads(text))


def _clause(sent: Span, tok: Token) -> tuple[int, int]:
    """Token bounds of the smallest clause around ``tok`` inside its sentence."""
    verb = clause_verb(tok)
    lo, hi = max(verb.left_edge.i, sent.start), min(verb.right_edge.i + 1, sent.end)
    return trim_edges(sent.doc, lo, hi)


@dataclass(frozen=True)
class Scored:
    """A sentence the model reads: its index in the doc, its terms and their probabilities."""

    index: int
    sent: Span
    grams: list[tuple[str, tuple[int, ...]]]
    vector: tuple[np.ndarray, np.ndarray]
    probs: dict[str, float]


def scored_sentences(doc: Doc, quoted: Quoted, model: HintModel) -> Iterator[Scored]:
    """The sentences of ``doc`` the model has enough to read, with their probabilities."""
    for i, sent in enumerate(doc.sents):
        # (slicing the doc's text: Span.text walks every token)
        if not doc.text[sent.start_char : sent.end_char].strip():
            continue
        grams = sentence_terms(sent, quoted)
        # greetings, sign-offs and names are not sentences to read: the model needs a verb
        # and a few words of its own
        if sum(len(toks) == 1 for _, toks in grams) < MIN_WORDS or not any(
            t.pos_ in ("VERB", "AUX") for t in sent
        ):
            continue
        terms = [t for t, _ in grams]
        vector = model.vector(terms)
        yield Scored(i, sent, grams, vector, model.probabilities(terms, vector))


def sentence_hints(
    doc: Doc,
    ruled: set[tuple[int, str]],
    quoted: Quoted = (),
    model: HintModel | None = None,
    scored: Sequence[Scored] | None = None,
) -> list[dict[str, Any]]:
    """Hint findings (as :meth:`Finding.to_dict` dicts) for the sentences of ``doc``.

    ``ruled`` holds (sentence index, category) pairs that a rule already covers; no hint
    repeats a rule. Each hint highlights the clause around its weightiest word. ``scored``:
    the :func:`scored_sentences` of ``doc``, when the caller has them already.
    """
    model = model or load_model()
    if scored is None:
        scored = list(scored_sentences(doc, quoted, model))
    out = []
    for s in scored:
        i, sent, grams, vector = s.index, s.sent, s.grams, s.vector
        terms = [t for t, _ in grams]
        written: dict[str, str] | None = None
        for cat, p in s.probs.items():
            threshold = model.threshold[cat]
            if p < threshold or threshold >= NO_HINTS or (i, cat) in ruled:
                continue
            weights = model.contributions(terms, cat, vector)
            score: dict[int, float] = {}
            for term, toks in grams:
                for t in toks:
                    score[t] = score.get(t, 0.0) + weights.get(term, 0.0)
            top = [t for t, v in sorted(score.items(), key=lambda kv: -kv[1]) if v > 0]
            if not top:
                continue
            lo, hi = _clause(sent, doc[top[0]])
            span = doc[lo:hi]
            ranked = sorted(weights.items(), key=lambda kv: -kv[1])
            # show single words as written ("kept"), not the model's lemmas, bigrams or arcs
            if written is None:
                written = {term: doc[toks[0]].text for term, toks in grams if len(toks) == 1}
            words = list(dict.fromkeys(written[t] for t, w in ranked if w > 0 and t in written))
            shown = ", ".join(f"\u201c{w}\u201d" for w in words[:3])
            sent_lo, sent_hi = _sentence_bounds(sent)
            out.append(
                {
                    "category": cat,
                    "rule": hint_rule(cat),
                    "severity": "info",
                    "start": span.start_char,
                    "end": span.end_char,
                    "text": span.text,
                    "message": f"{HINT_MESSAGES[cat]} (A statistical hint, p = {p:.2f}; the words "
                    f"that weigh most: {shown}.)",
                    "sentence": i,
                    "suggestions": [
                        {
                            "text": HINT_SUGGESTIONS[cat],
                            "start": sent_lo,
                            "end": sent_hi,
                        }
                    ],
                    "source": "tonecheck",
                    "why": "tonecheck's sentence model (trained on the project's corpus) reads "
                    "this sentence as a whole; no rule of this category matched it.",
                }
            )
    return out


def _sentence_bounds(sent: Span) -> tuple[int, int]:
    """Character bounds of a sentence without its trailing whitespace."""
    text = sent.doc.text[sent.start_char : sent.end_char]
    return sent.start_char, sent.start_char + len(text.rstrip())


def add_hints(
    doc: Doc,
    analysis: dict[str, Any],
    categories: Sequence[str] | None = None,
    disabled: Sequence[str] = (),
    severities: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An analysis of ``doc`` (the ``tonecheck`` component's) with the sentence hints
    added, as a copy: only hints of the selected ``categories`` (all when None) that are
    not ``disabled`` (``defensive.hint``, ``hint``, or the category), with the severity
    ``severities`` gives them (by hint id, or ``hint``)."""
    off = {name.lower() for name in disabled}
    model = load_model()
    quoted = DocContext(doc).quoted_ranges()
    scored = list(scored_sentences(doc, quoted, model))
    findings = withhold_vetoed(analysis["findings"], scored, model)
    ruled = {(f["sentence"], f["category"]) for f in findings}
    hints = [
        h for h in sentence_hints(doc, ruled, quoted, model, scored)
        if (categories is None or h["category"] in categories)
        and not off & {h["rule"], HINT, h["category"]}
    ]  # fmt: skip
    if not hints and len(findings) == len(analysis["findings"]):
        return analysis
    for h in hints:
        severity = (severities or {}).get(h["rule"]) or (severities or {}).get(HINT)
        if severity:
            h["severity"] = severity
    return analysis | {"findings": sorted([*findings, *hints], key=lambda f: f["start"])}


def withhold_vetoed(
    findings: list[dict[str, Any]], scored: Sequence[Scored], model: HintModel
) -> list[dict[str, Any]]:
    """``findings`` without the rule findings whose sentence the model reads as clearly
    not of their category (probability below the category's :attr:`HintModel.veto`).
    Sentences the model does not read (too short, no verb) keep their findings."""
    probs = {s.index: s.probs for s in scored}
    return [
        f for f in findings
        if f["sentence"] not in probs
        or f["category"] not in model.veto
        or probs[f["sentence"]][f["category"]] >= model.veto[f["category"]]
    ]  # fmt: skip
