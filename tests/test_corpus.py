"""The labeled corpus: offsets hold on every item, and the rules' quality does not regress.

The issue's targets (per-category precision >= 0.90 and recall >= 0.85 on the held-out
split, false-positive rate <= 5%) are met by the rules for demanding and the clean rate,
not yet for entitled and defensive; with the sentence hints for every category's precision
and recall, not for the clean rate; the floors below are the figures
measured when this test was written, so any regression fails CI. Raise them as the rules
improve (``python scripts/eval_corpus.py --split test`` prints the current figures).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tonecheck import Checker
from tonecheck.evaluation import evaluate, load_corpus

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "sentences.jsonl"

# measured on the held-out split: see the module docstring
# (532 sentences: the first writer's 198 and half of the third and fourth writers' batches)
HELD_OUT_FLOORS = {
    "demanding": (0.96, 0.93),  # measured 0.966 / 0.934 (114 of 122)
    # measured 0.945 / 0.741; precision was 0.953 at 0.707 recall before the third to fifth
    # rounds of rules (one false positive more, 4 more found)
    "entitled": (0.94, 0.74),
    "defensive": (0.90, 0.63),  # measured 0.904 / 0.639
}
# measured 9 of 221 (4.1%), within the 5% target (10 before the seventh rule round)
MAX_CLEAN_FPR = 0.05
# the same with the sentence hints (Checker(hints=True)), retrained (C = 30) on 18,280 dev
# sentences (fifty-six writers) and the seventh round of rules, the clean budget spent where
# recall is lowest (hints may flag 0.25% / 0.5% / 1.5% of the clean rows no rule flags;
# rules + hints flag <= 5% of the clean dev rows, leave-one-writer-out): demanding
# 0.960 / 0.984, entitled 0.949 / 0.957, defensive 0.900 (117 of 130) / 0.880, 14 of 221
# clean flagged (6.3%). Earlier: on fifty writers' 16,396, 0.952 / 0.975, 0.945 / 0.897,
# 0.897 / 0.850 and 15 of 221; on forty-four writers' 14,488, 0.952 / 0.975,
# 0.946 / 0.905, 0.917 / 0.835 and 13; the same with one 0.5% share for every category,
# 0.945 / 0.992, 0.941 / 0.966, 0.915 / 0.805 and 14; on sixteen writers' 5,219 with a
# fixed 1% share, 0.924 / 0.992, 0.914 / 0.914, 0.905 / 0.789 and 18
HELD_OUT_FLOORS_WITH_HINTS = {
    "demanding": (0.95, 0.98),
    "entitled": (0.94, 0.95),
    "defensive": (0.89, 0.87),
}
MAX_CLEAN_FPR_WITH_HINTS = 0.064


@pytest.fixture(scope="module")
def held_out(checker: Checker):
    return evaluate(load_corpus(CORPUS, "test"), checker)


def test_corpus_shape() -> None:
    items = load_corpus(CORPUS)
    assert len(items) >= 400
    clean = [i for i in items if not i["labels"]]
    assert len(clean) >= len(items) / 3
    assert {i["split"] for i in items} == {"dev", "val", "test"}
    for cat in ("demanding", "entitled", "defensive"):
        assert sum(cat in i["labels"] for i in items if i["split"] == "test") >= 30


@pytest.mark.parametrize("category", sorted(HELD_OUT_FLOORS))
def test_held_out_precision_recall_floors(held_out, category: str) -> None:
    scores = held_out.per_category[category]
    precision, recall = HELD_OUT_FLOORS[category]
    assert scores.precision >= precision, held_out.table()
    assert scores.recall >= recall, held_out.table()


def test_held_out_false_positive_rate(held_out) -> None:
    assert held_out.false_positive_rate <= MAX_CLEAN_FPR, held_out.table()


@pytest.mark.slow
def test_held_out_with_hints(checker: Checker) -> None:
    hinted = Checker(grammar="off", nlp=checker.nlp, hints=True)
    ev = evaluate(load_corpus(CORPUS, "test"), hinted)
    for category, (precision, recall) in HELD_OUT_FLOORS_WITH_HINTS.items():
        scores = ev.per_category[category]
        assert scores.precision >= precision, ev.table()
        assert scores.recall >= recall, ev.table()
    assert ev.false_positive_rate <= MAX_CLEAN_FPR_WITH_HINTS, ev.table()


@pytest.mark.slow
def test_offsets_hold_over_whole_corpus(checker: Checker) -> None:
    items = load_corpus(CORPUS)
    joined = "\n\n".join(i["text"] for i in items)
    texts = [i["text"] for i in items] + [joined]
    for text, report in zip(texts, checker.check_many(texts), strict=True):
        for f in report.findings:
            assert text[f.start : f.end] == f.text
            for s in f.suggestions:
                assert 0 <= s.start <= s.end <= len(text)
