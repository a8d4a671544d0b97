"""Check that the politeness model carries over to tonecheck's own hand-written data.

Run: ``python models/politeness/check_transfer.py``. Uses ``corpora/drafts.jsonl``
(whole feedback-request emails, good-* vs bad-*) and ``corpora/sentences.jsonl``
(sentences, clean vs labelled demanding/entitled/defensive), neither of which comes from
Wikipedia. Prints ROC AUC of "clean/good is more polite" and accuracy at 0.5.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from tonecheck.cli_eval import roc_auc
from tonecheck.politeness_data import load_spacy
from tonecheck.politeness_model import PolitenessModel

ROOT = Path(__file__).resolve().parents[2]


def _report(name: str, y: list[int], probs: list[float]) -> None:
    arr = np.asarray(probs)
    acc = float(np.mean((arr > 0.5).astype(int) == np.asarray(y)))
    print(f"{name}: n={len(y)} ({sum(y)} polite) AUC={roc_auc(y, arr):.3f} accuracy@0.5={acc:.3f}")


def main() -> None:
    nlp = load_spacy()
    model = PolitenessModel.load()
    corpora = ROOT / "corpora"
    drafts = [json.loads(line) for line in (corpora / "drafts.jsonl").open(encoding="utf-8")]
    y = [0 if d["labels"] else 1 for d in drafts]
    texts = [(corpora / d["file"]).read_text(encoding="utf-8") for d in drafts]
    docs = list(nlp.pipe(texts))
    _report("drafts, whole email", y, [model.predict_proba(d) for d in docs])
    mean_sent = [float(np.mean([model.predict_proba(s) for s in d.sents])) for d in docs]
    _report("drafts, mean of sentences", y, mean_sent)
    min_sent = [float(np.min([model.predict_proba(s) for s in d.sents])) for d in docs]
    _report("drafts, least polite sentence", y, min_sent)
    rows = [json.loads(line) for line in (corpora / "sentences.jsonl").open(encoding="utf-8")]
    y = [0 if r["labels"] else 1 for r in rows]
    probs = [model.predict_proba(d) for d in nlp.pipe(r["text"] for r in rows)]
    _report("sentences, clean vs flagged", y, probs)


if __name__ == "__main__":
    main()
