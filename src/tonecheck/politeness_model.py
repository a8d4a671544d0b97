"""Politeness probability of a request: a logistic regression over sparse features.

The features (:func:`featurize`) are the politeness strategies of
:mod:`tonecheck.politeness`, lemma unigrams (proper nouns, numbers and URLs
masked so that names and links of one community do not count), dependency features of
the parse (arcs, subject-verb and verb-object pairs, root, first and last words) and
TextBlob's polarity and subjectivity. Weights are trained by :mod:`tonecheck.train` on the
Wikipedia politeness corpus and shipped as JSON in ``tonecheck/data``; scoring needs no
scikit-learn.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from .politeness import sentences, strategy_names
from .sentiment import assessments

#: Bumped whenever :func:`featurize` changes; a weights file states the version it needs.
FEATURES_VERSION = 3
#: File name of the shipped weights inside the package's ``data`` directory.
WEIGHTS_FILE = "politeness_lr.json"

_URL_LOWER = frozenset({"url", "<url>"})
_WH = frozenset({"what", "why", "who", "whom", "whose", "how", "where", "when", "which"})


def _term(tok: Token) -> str:
    """The word feature of a token: its lower-cased lemma, with names, numbers, links masked."""
    if tok.like_url or tok.lower_ in _URL_LOWER:
        return "<url>"
    if tok.like_num:
        return "<num>"
    if tok.pos_ == "PROPN" and not tok.is_sent_start:
        return "<propn>"
    return tok.lemma_.lower()


@dataclass(frozen=True)
class _Parts:
    """What one sentence contributes to the features of any text that contains it."""

    strategies: frozenset[str]
    terms: tuple[str, ...]
    syntax: tuple[str, ...]
    assessments: tuple[tuple[float, float], ...]  # (polarity, subjectivity) per cue


def _syntax(sent: Span, term: dict[int, str]) -> list[str]:
    """Parse features of one sentence, after the paper's dependency features.

    Every dependency arc as relation + head + dependent (``d:``), subject-verb
    (``sv:``) and verb-object (``vo:``) pairs, the root (``r:``), the first word,
    first two words and last word (``f1:``, ``f2:``, ``l1:``) and whether it is a
    question opening with a wh-word (``whq``). Words are
    :func:`_term`, so names, numbers and links stay masked.
    """
    words = [t for t in sent if not (t.is_punct or t.is_space)]
    if not words:
        return []

    def tm(tok: Token) -> str:
        return term.get(tok.i) or _term(tok)  # a head outside a clipped span

    out = []
    for tok in sent:
        if tok.is_space:
            continue
        dep = tok.dep_
        if dep == "ROOT":
            out.append("r:" + term[tok.i])
            continue
        if dep == "punct":
            continue
        head, child = tm(tok.head), term[tok.i]
        out.append(f"d:{dep}:{head}>{child}")
        if dep in ("nsubj", "nsubjpass"):
            out.append(f"sv:{child}>{head}")
        elif dep == "dobj":
            out.append(f"vo:{head}>{child}")
    out.append("f1:" + term[words[0].i])
    if len(words) > 1:
        out.append(f"f2:{term[words[0].i]}_{term[words[1].i]}")
    out.append("l1:" + term[words[-1].i])
    # No plain "is a question" feature: every training request has a "?", so it would
    # act as a second intercept (see Vocabulary.fit in tonecheck.train).
    if words[0].lower_ in _WH and any(t.text == "?" for t in sent):
        out.append("whq")
    return out


def _parts(sent: Span) -> _Parts:
    names = strategy_names(sent)
    term = {t.i: _term(t) for t in sent if not t.is_space}
    # TextBlob's (pattern's) analyser, fed spaCy's tokens, so no second tokenization.
    cues = assessments(t.lower_ for t in sent)
    return _Parts(
        names,
        tuple(term.values()),
        tuple(_syntax(sent, term)),
        tuple((float(c[1]), float(c[2])) for c in cues),
    )


def _combine(parts: Sequence[_Parts]) -> dict[str, float]:
    feats: dict[str, float] = {}
    for part in parts:
        for name in part.strategies:
            feats["s:" + name] = 1.0
    # Unigrams only: bigrams added nothing in cross-validation on Wikipedia and did
    # slightly worse on tonecheck's own drafts (see models/politeness/MODEL_CARD.md).
    for part in parts:
        for term in part.terms:
            feats["w:" + term] = 1.0
    for part in parts:
        for name in part.syntax:
            feats[name] = 1.0
    # Mean over the sentiment cues, as TextBlob's polarity/subjectivity of the text.
    cues = [c for part in parts for c in part.assessments]
    n = len(cues) or 1
    feats["polarity"] = sum(c[0] for c in cues) / n
    feats["subjectivity"] = sum(c[1] for c in cues) / n
    return feats


def featurize(span_or_doc: Doc | Span) -> dict[str, float]:
    """Sparse features of one request (a whole ``Doc`` or a sentence ``Span``)."""
    return _combine([_parts(sent) for sent in sentences(span_or_doc)])


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass(frozen=True)
class PolitenessModel:
    """Linear model: P(polite) = sigmoid(bias + sum of weight * feature value)."""

    weights: dict[str, float]
    bias: float
    meta: dict[str, Any]

    @classmethod
    def load(cls, path: str | Path | None = None) -> PolitenessModel:
        """Load weights from ``path``, or the shipped ones (cached) when ``path`` is None."""
        if path is None:
            return _shipped_model()
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PolitenessModel:
        version = data.get("features_version")
        if version != FEATURES_VERSION:
            raise ValueError(
                f"weights were trained for features version {version}, "
                f"this tonecheck computes version {FEATURES_VERSION}: retrain them"
            )
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        return cls(weights, float(data["bias"]), dict(data.get("meta", {})))

    def to_dict(self) -> dict[str, Any]:
        return {
            "features_version": FEATURES_VERSION,
            "bias": self.bias,
            "weights": dict(sorted(self.weights.items())),
            "meta": self.meta,
        }

    def decision(self, feats: dict[str, float]) -> float:
        """The linear score (log-odds of politeness) of a feature dict."""
        w = self.weights
        return self.bias + sum(w.get(name, 0.0) * value for name, value in feats.items())

    def predict_proba(self, span_or_doc: Doc | Span) -> float:
        """Probability that a reader finds the text polite (0 = rude, 1 = polite)."""
        return _sigmoid(self.decision(featurize(span_or_doc)))

    def explain(self, span_or_doc: Doc | Span, top: int = 5) -> list[tuple[str, float]]:
        """The features that moved the score most, as (feature, contribution) pairs."""
        feats = featurize(span_or_doc)
        contrib = [(n, self.weights.get(n, 0.0) * v) for n, v in feats.items()]
        contrib = [c for c in contrib if c[1] != 0.0]
        contrib.sort(key=lambda c: -abs(c[1]))
        return contrib[:top]


@functools.cache
def _shipped_model() -> PolitenessModel:
    text = (resources.files("tonecheck") / "data" / WEIGHTS_FILE).read_text(encoding="utf-8")
    return PolitenessModel.from_dict(json.loads(text))


def score_sentences(doc: Doc, model: PolitenessModel | None = None) -> list[float]:
    """One politeness probability per sentence of ``doc.sents``."""
    return score_doc_and_sentences(doc, model)[1]


def score_doc(doc: Doc, model: PolitenessModel | None = None) -> float:
    """Politeness probability of the whole document (scored as one request)."""
    return (model or PolitenessModel.load()).predict_proba(doc)


def score_doc_and_sentences(
    doc: Doc, model: PolitenessModel | None = None
) -> tuple[float, list[float]]:
    """Document probability and one probability per sentence, from one pass over ``doc``.

    Same values as :func:`score_doc` and :func:`score_sentences`, at about the cost of one.
    """
    model = model or PolitenessModel.load()
    parts = [_parts(sent) for sent in sentences(doc)]
    per_sentence = [_sigmoid(model.decision(_combine([p]))) for p in parts]
    return _sigmoid(model.decision(_combine(parts))), per_sentence
