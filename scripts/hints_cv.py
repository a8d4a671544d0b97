"""How well the sentence hints carry over to a writer they have not seen, on dev only.

    python scripts/hints_cv.py               # leave-one-writer-out and 5-fold figures
    python scripts/hints_cv.py --nested      # also thresholds chosen without the writer
    python scripts/hints_cv.py --shipped     # also the shipped thresholds on unseen writers

Leave-one-writer-out: a model (vocabulary and idf included) is trained on five writers'
dev rows and scores the sixth's, for each writer in turn. On the pooled predictions each
category's threshold is chosen exactly as ``python -m tonecheck.hints_train`` chooses it:
the lowest at which rules + hints keep precision >= 0.90 and the hints flag at most a share
of the clean sentences that no rule flags (the largest of 1%, 0.75%, 0.5% and 0.25% at which
rules + hints flag at most 5% of the clean sentences). The figures are rules + hints at
that threshold: precision and recall per category, and the share of clean dev sentences
that anything flags. The 5-fold figures are the same with stratified 5-fold predictions
(seed 0), the measure used before; every writer is then in the training folds.

``--nested`` chooses each writer's thresholds on leave-one-writer-out predictions of the
other five writers only, so the threshold too is applied to a writer it has not seen.

Only rows with ``split == "dev"`` are read (see :func:`tonecheck.hints_train.load_dev`);
the held-out ``test`` split is never looked at. Deterministic.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from tonecheck.hints import load_model
from tonecheck.hints_train import (
    CORPUS,
    DevSet,
    choose_thresholds,
    load_dev,
    out_of_fold,
    out_of_writer,
    union_figures,
)
from tonecheck.report import TONE_CATEGORIES


def table(dev: DevSet, title: str, hinted: dict[str, np.ndarray], th: dict[str, str]) -> None:
    print(f"\n{title}")
    print(f"  {'category':10} {'threshold':>9} {'P':>6} {'R':>6} {'rules R':>7} {'+clean':>6}")
    never = np.zeros(len(dev.rows), dtype=bool)
    anything = dev.ruled_any.copy()
    for cat in TONE_CATEGORIES:
        precision, recall, extra = union_figures(dev, cat, hinted[cat])
        rules_recall = union_figures(dev, cat, never)[1]
        anything |= hinted[cat]
        print(
            f"  {cat:10} {th[cat]:>9} {precision:6.3f} {recall:6.3f} {rules_recall:7.3f} "
            f"{extra:6.1%}"
        )
    clean = dev.clean
    flagged = int((anything & clean).sum())
    print(
        f"  clean sentences flagged (rules + hints, any category): {flagged} of "
        f"{int(clean.sum())} ({flagged / max(1, int(clean.sum())):.1%}; rules alone "
        f"{int((dev.ruled_any & clean).sum())})"
    )


def per_writer(dev: DevSet, hinted: dict[str, np.ndarray]) -> None:
    writers = dev.writers
    print("  per writer, rules + hints P/R:")
    for w in sorted(set(writers.tolist())):
        rows = writers == w
        cells = []
        for cat in TONE_CATEGORIES:
            precision, recall, _ = union_figures(dev, cat, hinted[cat], rows)
            cells.append(f"{cat} {precision:.3f}/{recall:.3f}")
        n_clean = int((rows & dev.clean).sum())
        print(f"    {w} ({int(rows.sum())} rows, {n_clean} clean): " + ", ".join(cells))


def selected(dev: DevSet, probs: dict[str, np.ndarray]) -> tuple[dict, dict]:
    choices = choose_thresholds(dev, probs)
    shares = ", ".join(f"{cat} {c.cap:.2%}" for cat, c in choices.items())
    print(f"  (hints' share of the clean rows no rule flags: {shares})")
    hinted = {cat: probs[cat] >= choices[cat].threshold for cat in TONE_CATEGORIES}
    return hinted, {cat: f"{c.threshold:.3f}" for cat, c in choices.items()}


def nested(dev: DevSet, outer: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    writers = dev.writers
    hinted = {cat: np.zeros(len(dev.rows), dtype=bool) for cat in TONE_CATEGORIES}
    for w in sorted(set(writers.tolist())):
        others = writers != w
        inner = out_of_writer(dev, others)
        choices = choose_thresholds(dev, inner, others)
        for cat in TONE_CATEGORIES:
            th = choices[cat].threshold
            hinted[cat][~others] = outer[cat][~others] >= th
            print(f"    without {w}: {cat} threshold {th:.3f} (cap {choices[cat].cap:.2%})")
    return hinted


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--nested", action="store_true", help="thresholds chosen without the writer")
    ap.add_argument("--shipped", action="store_true", help="the shipped thresholds too")
    args = ap.parse_args()
    dev = load_dev(Path(args.corpus))
    writers = dev.writers
    counts = ", ".join(f"{w} {int((writers == w).sum())}" for w in sorted(set(writers.tolist())))
    print(f"dev split: {len(dev.rows)} rows ({counts}); test split not read")

    lowo = out_of_writer(dev)
    hinted, th = selected(dev, lowo)
    table(dev, "leave-one-writer-out (thresholds chosen on the pooled predictions)", hinted, th)
    per_writer(dev, hinted)

    if args.nested:
        print(
            "\nnested: each writer's thresholds chosen on the other five writers' own "
            "leave-one-writer-out predictions"
        )
        inner = nested(dev, lowo)
        table(
            dev,
            "leave-one-writer-out, nested thresholds",
            inner,
            dict.fromkeys(TONE_CATEGORIES, "per writer"),
        )
        per_writer(dev, inner)

    if args.shipped:
        shipped = load_model().threshold
        table(
            dev,
            "leave-one-writer-out at the shipped thresholds",
            {cat: lowo[cat] >= shipped[cat] for cat in TONE_CATEGORIES},
            {cat: f"{shipped[cat]:.3f}" for cat in TONE_CATEGORIES},
        )

    kfold = out_of_fold(dev)
    hinted, th = selected(dev, kfold)
    table(
        dev, "5-fold (stratified, seed 0; thresholds chosen on the pooled predictions)", hinted, th
    )


if __name__ == "__main__":
    main()
