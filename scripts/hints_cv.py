"""How well the sentence hints carry over to a writer they have not seen, on dev only.

    python scripts/hints_cv.py               # leave-one-writer-out and 5-fold figures
    python scripts/hints_cv.py --nested      # also thresholds chosen without the writer
    python scripts/hints_cv.py --shipped     # also the shipped thresholds on unseen writers

Leave-one-writer-out: a model (vocabulary and idf included) is trained on five writers'
dev rows and scores the sixth's, for each writer in turn. On the pooled predictions each
category's veto and threshold are chosen exactly as ``python -m tonecheck.hints_train``
chooses them (:func:`tonecheck.hints_train.select`): the veto that loses at most one in 200
right rule findings, then, with the findings it withdraws, the lowest threshold at which
rules + hints keep precision >= 0.90 and the hints flag at most the category's share of the
clean sentences that no rule flags (the shares that maximise the lowest recall with rules +
hints flagging at most 4% of the clean sentences). The figures are rules (after the veto) +
hints: precision and recall per category, and the share of clean dev sentences that
anything flags. The 5-fold figures are the same with stratified 5-fold predictions
(seed 0), the measure used before; every writer is then in the training folds.

``--nested`` chooses each writer's vetoes and thresholds on leave-one-writer-out
predictions of the other writers only, so they too are applied to a writer they have not
seen.

Only rows with ``split == "dev"`` are read (see :func:`tonecheck.hints_train.load_dev`);
the held-out ``test`` split is never looked at. Deterministic.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np

from tonecheck.hints import load_model
from tonecheck.hints_train import (
    CORPUS,
    DevSet,
    load_dev,
    out_of_fold,
    out_of_writer,
    select,
    union_figures,
    vetoed,
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


def selected(dev: DevSet, probs: dict[str, np.ndarray]) -> tuple[DevSet, dict, dict]:
    """``dev`` with the chosen vetoes' findings withdrawn, the hints and their thresholds."""
    vetoes, as_vetoed, choices = select(dev, probs)
    shares = ", ".join(f"{cat} {c.cap:.2%}" for cat, c in choices.items())
    print(f"  (vetoes {vetoes}; hints' share of the clean rows no rule flags: {shares})")
    hinted = {cat: probs[cat] >= choices[cat].threshold for cat in TONE_CATEGORIES}
    return as_vetoed, hinted, {cat: f"{c.threshold:.3f}" for cat, c in choices.items()}


def nested(dev: DevSet, outer: dict[str, np.ndarray]) -> tuple[DevSet, dict[str, np.ndarray]]:
    writers = dev.writers
    hinted = {cat: np.zeros(len(dev.rows), dtype=bool) for cat in TONE_CATEGORIES}
    ruled = list(dev.ruled)
    for w in sorted(set(writers.tolist())):
        others = writers != w
        inner = out_of_writer(dev, others)
        vetoes, _, choices = select(dev, inner, others)
        held = vetoed(dev, outer, vetoes).ruled
        for k in np.flatnonzero(~others):
            ruled[k] = held[k]
        for cat in TONE_CATEGORIES:
            th = choices[cat].threshold
            hinted[cat][~others] = outer[cat][~others] >= th
            print(
                f"    without {w}: {cat} veto {vetoes[cat]:g}, threshold {th:.3f} "
                f"(cap {choices[cat].cap:.2%})"
            )
    return replace(dev, ruled=ruled), hinted


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
    as_vetoed, hinted, th = selected(dev, lowo)
    table(
        as_vetoed, "leave-one-writer-out (thresholds chosen on the pooled predictions)", hinted, th
    )
    per_writer(as_vetoed, hinted)

    if args.nested:
        print(
            "\nnested: each writer's vetoes and thresholds chosen on the other writers' own "
            "leave-one-writer-out predictions"
        )
        nested_dev, inner = nested(dev, lowo)
        table(
            nested_dev,
            "leave-one-writer-out, nested vetoes and thresholds",
            inner,
            dict.fromkeys(TONE_CATEGORIES, "per writer"),
        )
        per_writer(nested_dev, inner)

    if args.shipped:
        model = load_model()
        shipped = model.threshold
        table(
            vetoed(dev, lowo, model.veto),
            "leave-one-writer-out at the shipped vetoes and thresholds",
            {cat: lowo[cat] >= shipped[cat] for cat in TONE_CATEGORIES},
            {cat: f"{shipped[cat]:.3f}" for cat in TONE_CATEGORIES},
        )

    kfold = out_of_fold(dev)
    as_vetoed, hinted, th = selected(dev, kfold)
    table(
        as_vetoed,
        "5-fold (stratified, seed 0; thresholds chosen on the pooled predictions)",
        hinted,
        th,
    )


if __name__ == "__main__":
    main()
