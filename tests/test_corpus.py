"""The labeled corpus: offsets hold on every item, and the rules' quality does not regress.

The issue's targets (per-category precision >= 0.90 and recall >= 0.85 on the held-out
split, false-positive rate <= 5%) are met with the sentence hints on (``--hints``: hints
where no rule fired, and the model's veto on rule findings) for every category and the
clean rate; by the rules alone for precision and the clean rate, and for demanding recall,
not for entitled and defensive recall. The floors below are the figures measured when this
test was written, so any regression fails CI. Raise them as the rules improve
(``python scripts/eval_corpus.py --split test [--hints]`` prints the current figures).
The validation split (``val``, six writers nothing was tuned on) has floors of its own.
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
    "defensive": (0.91, 0.63),  # measured 0.914 / 0.639 (0.904 before the eighth round)
}
# measured 8 of 221 (3.6%), within the 5% target (9 before the eighth rule round)
MAX_CLEAN_FPR = 0.037
# the same with the sentence hints (Checker(hints=True)), retrained (C = 30) on 20,004 dev
# sentences (sixty-two writers) and the eighth round of rules, with the veto (rule findings
# withdrawn below p = 0.05) and rules + hints aiming at <= 4% of the clean dev rows,
# leave-one-writer-out: demanding 0.983 / 0.934, entitled 0.947 / 0.922, defensive
# 0.911 / 0.925, 10 of 221 clean flagged (4.5%): every target met. Before (session 7, no
# veto, a 5% aim, fifty-six writers): 0.960 / 0.984, 0.949 / 0.957, 0.900 / 0.880 and 14
# of 221 (6.3%); on sixteen writers' 5,219 with a fixed 1% share, 0.924 / 0.992,
# 0.914 / 0.914, 0.905 / 0.789 and 18
HELD_OUT_FLOORS_WITH_HINTS = {
    "demanding": (0.98, 0.93),
    "entitled": (0.94, 0.92),
    "defensive": (0.91, 0.92),
}
MAX_CLEAN_FPR_WITH_HINTS = 0.046
# the validation split (1,815 sentences by the fifty-seventh to sixty-second writers, 805
# clean, most of them hard look-alikes): rules 0.933 / 0.948, 0.945 / 0.836, 0.923 / 0.477
# and 40 of 805 clean flagged (5.0%); rules + hints 0.973 / 0.945, 0.954 / 0.939,
# 0.872 / 0.865 and 75 (9.3%). Before this session's rules and hint model: 49 and 83.
VAL_FLOORS = {"demanding": (0.93, 0.94), "entitled": (0.94, 0.83), "defensive": (0.92, 0.47)}
MAX_VAL_CLEAN_FPR = 0.05
VAL_FLOORS_WITH_HINTS = {
    "demanding": (0.97, 0.94),
    "entitled": (0.95, 0.93),
    "defensive": (0.87, 0.86),
}
MAX_VAL_CLEAN_FPR_WITH_HINTS = 0.094


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
    _assert_floors("test", hinted, HELD_OUT_FLOORS_WITH_HINTS, MAX_CLEAN_FPR_WITH_HINTS)


@pytest.mark.slow
@pytest.mark.parametrize("hints", [False, True], ids=["rules", "rules+hints"])
def test_validation_split_floors(checker: Checker, hints: bool) -> None:
    judged = Checker(grammar="off", nlp=checker.nlp, hints=hints)
    if hints:
        _assert_floors("val", judged, VAL_FLOORS_WITH_HINTS, MAX_VAL_CLEAN_FPR_WITH_HINTS)
    else:
        _assert_floors("val", judged, VAL_FLOORS, MAX_VAL_CLEAN_FPR)


def _assert_floors(
    split: str, checker: Checker, floors: dict[str, tuple[float, float]], max_fpr: float
) -> None:
    """The split's per-category precision and recall are at least ``floors``, and its clean
    rate at most ``max_fpr``."""
    ev = evaluate(load_corpus(CORPUS, split), checker)
    for category, (precision, recall) in floors.items():
        scores = ev.per_category[category]
        assert scores.precision >= precision, ev.table()
        assert scores.recall >= recall, ev.table()
    assert ev.false_positive_rate <= max_fpr, ev.table()


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
