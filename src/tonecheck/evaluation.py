"""Evaluation of the rules against a labeled corpus (JSON Lines: text, labels, split).

Used by ``scripts/eval_corpus.py``, the tests and the notebooks, so every figure comes
from one implementation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checker import Checker
from .report import TONE_CATEGORIES


@dataclass
class CategoryScores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    per_category: dict[str, CategoryScores] = field(default_factory=dict)
    clean_total: int = 0
    clean_flagged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def false_positive_rate(self) -> float:
        """Share of clean items (no labels) that got any tone finding."""
        return self.clean_flagged / self.clean_total if self.clean_total else 0.0

    def table(self) -> str:
        head = f"{'category':<11} {'prec':>6} {'recall':>6} {'f1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"
        rows = [head]
        for cat, s in self.per_category.items():
            rows.append(
                f"{cat:<11} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
                f"{s.tp:4d} {s.fp:4d} {s.fn:4d}"
            )
        rows.append(
            f"clean items flagged: {self.clean_flagged}/{self.clean_total} "
            f"(false-positive rate {self.false_positive_rate:.3f})"
        )
        return "\n".join(rows)


def load_corpus(path: str | Path, split: str | None = None) -> list[dict[str, Any]]:
    items = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                item = json.loads(line)
                if split is None or item.get("split") == split:
                    items.append(item)
    return items


def evaluate(
    items: Sequence[dict[str, Any]],
    checker: Checker,
    categories: Iterable[str] = TONE_CATEGORIES,
) -> Evaluation:
    """Sentence-level scores: an item is predicted C when any finding has category C."""
    reports = checker.check_many(i["text"] for i in items)
    return score(
        items,
        ([(f.category, f.rule, f.text) for f in report.findings] for report in reports),
        categories,
    )


def score(
    items: Sequence[dict[str, Any]],
    found: Iterable[Sequence[tuple[str, str, str]]],
    categories: Iterable[str] = TONE_CATEGORIES,
) -> Evaluation:
    """The scores of :func:`evaluate` from what was found in each item, in order:
    (category, rule id, matched text) per finding. ``scripts/rule_dev.py`` scores the rules
    of cached parses with it, so its figures are :func:`evaluate`'s."""
    cats = list(categories)
    ev = Evaluation({c: CategoryScores() for c in cats})
    for item, findings in zip(items, found, strict=True):
        gold = set(item.get("labels", []))
        pred = {cat for cat, _, _ in findings if cat in cats}
        for c in cats:
            s = ev.per_category[c]
            if c in gold and c in pred:
                s.tp += 1
            elif c in pred:
                s.fp += 1
            elif c in gold:
                s.fn += 1
            else:
                s.tn += 1
        if not gold:
            ev.clean_total += 1
            ev.clean_flagged += bool(pred)
        if gold != pred:
            ev.errors.append(
                {
                    "id": item.get("id"),
                    "text": item["text"],
                    "gold": sorted(gold),
                    "pred": sorted(pred),
                    "findings": [(rule, text) for _, rule, text in findings],
                }
            )
    return ev
