"""Train the sentence-hint model (:mod:`tonecheck.hints`) on the corpus's ``dev`` split.

    python -m tonecheck.hints_train                      # writes src/tonecheck/data/tone_hints.json
    python -m tonecheck.hints_train --out /tmp/h.json    # elsewhere

Needs scikit-learn (the ``train`` extra). Deterministic: liblinear with a fixed seed and
5-fold cross-validation with a fixed seed. The held-out ``test`` split is never read.

Each category's threshold is chosen on out-of-fold probabilities of the dev split: the
lowest threshold at which the rules together with the hints keep precision >= 0.90 and
the hints alone flag at most 1% of the clean dev sentences that the rules leave alone.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from .context import DocContext
from .hints import WEIGHTS_FILE, sentence_terms, tfidf
from .report import TONE_CATEGORIES

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpora" / "sentences.jsonl"
MIN_DF = 2
C = 3.0
SEED = 0
MIN_PRECISION = 0.90
MAX_EXTRA_CLEAN = 0.01


def _matrix(rows: list[list[str]], vocab: dict[str, int], idf: np.ndarray) -> Any:
    from scipy.sparse import csr_matrix

    data: list[float] = []
    ind: list[int] = []
    ptr = [0]
    for terms in rows:
        idx, val = tfidf(terms, vocab, idf)
        data.extend(val.tolist())
        ind.extend(idx.tolist())
        ptr.append(len(ind))
    return csr_matrix((data, ind, ptr), shape=(len(rows), len(vocab)))


def train(corpus: Path = CORPUS) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from .checker import Checker

    items = [json.loads(line) for line in corpus.read_text("utf-8").splitlines() if line.strip()]
    dev = [i for i in items if i["split"] == "dev"]
    checker = Checker(grammar="off")
    nlp = checker.nlp
    docs = list(nlp.pipe([i["text"] for i in dev]))
    rows = [[t for t, _ in sentence_terms(d, DocContext(d).quoted_ranges())] for d in docs]
    ruled = [
        {f.category for f in r.findings}
        for r in checker.check_many([i["text"] for i in dev], verify_suggestions=False)
    ]
    df = Counter(t for terms in rows for t in set(terms))
    terms = sorted(t for t, n in df.items() if n >= MIN_DF)
    vocab = {t: i for i, t in enumerate(terms)}
    n = len(rows)
    # sklearn's smooth idf: ln((1 + n) / (1 + df)) + 1
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms])
    x = _matrix(rows, vocab, idf)
    clean = np.array([not i["labels"] for i in dev])
    ruled_any = np.array([bool(r) for r in ruled])
    out: dict[str, Any] = {}
    report = {}
    for cat in TONE_CATEGORIES:
        y = np.array([cat in i["labels"] for i in dev])
        clf = LogisticRegression(
            C=C, max_iter=5000, class_weight="balanced", solver="liblinear", random_state=SEED
        )
        folds = StratifiedKFold(5, shuffle=True, random_state=SEED)
        oof = cross_val_predict(clf, x, y, cv=folds, method="predict_proba")[:, 1]
        by_rule = np.array([cat in r for r in ruled])
        best = (0.99, 0.0, float((by_rule & y).sum() / max(1, y.sum())))
        for th in np.arange(0.5, 0.99, 0.025):
            hinted = oof >= th
            union = by_rule | hinted
            tp = float((union & y).sum())
            precision = tp / max(1.0, float(union.sum()))
            recall = tp / max(1.0, float(y.sum()))
            extra_clean = float((hinted & clean & ~ruled_any).sum()) / max(1.0, float(clean.sum()))
            if precision >= MIN_PRECISION and extra_clean <= MAX_EXTRA_CLEAN and recall > best[2]:
                best = (round(float(th), 3), precision, recall)
        clf.fit(x, y)
        out[cat] = {
            "coef": [round(float(w), 6) for w in clf.coef_[0]],
            "intercept": round(float(clf.intercept_[0]), 6),
            "threshold": best[0],
        }
        report[cat] = {"threshold": best[0], "dev_cv_union_precision": round(best[1], 3),
                       "dev_cv_union_recall": round(best[2], 3)}
    return {
        "meta": {
            "trained_on": "corpora/sentences.jsonl, split dev",
            "rows": n,
            "min_df": MIN_DF,
            "C": C,
            "features": "TF-IDF (sublinear tf, smooth idf, L2) of lemma unigrams and bigrams",
            "thresholds": report,
        },
        "terms": terms,
        "idf": [round(float(v), 6) for v in idf],
        "categories": out,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--out", default=str(Path(__file__).parent / "data" / WEIGHTS_FILE))
    args = ap.parse_args(argv)
    model = train(Path(args.corpus))
    Path(args.out).write_text(json.dumps(model, separators=(",", ":")) + "\n", "utf-8")
    print(f"wrote {args.out}: {len(model['terms'])} terms")
    for cat, r in model["meta"]["thresholds"].items():
        print(f"  {cat:10} threshold {r['threshold']:.3f}  dev CV (rules + hints): "
              f"P {r['dev_cv_union_precision']:.3f} R {r['dev_cv_union_recall']:.3f}")


if __name__ == "__main__":
    main()
