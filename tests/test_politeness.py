"""Politeness strategies, the shipped politeness model, its training and evaluation."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tonecheck.cli_eval import eval_group, roc_auc
from tonecheck.politeness import STRATEGY_NAMES, sentiment_lexicon, strategies, strategy_counts
from tonecheck.politeness_data import default_data_path, load_corpus, load_spacy
from tonecheck.politeness_model import (
    PolitenessModel,
    featurize,
    score_doc,
    score_doc_and_sentences,
    score_sentences,
)

DATA = default_data_path()
needs_data = pytest.mark.skipif(
    not DATA.exists(),
    reason=f"politeness corpus not found at {DATA} (set TONECHECK_POLITENESS_DATA)",
)


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_spacy()


# (sentence, strategy, the exact texts of that strategy's hits)
POSITIVE = [
    ("Thanks for your help with the page.", "gratitude", ["Thanks"]),
    ("I really appreciate the time you took.", "gratitude", ["appreciate"]),
    ("Nice work on the new draft.", "deference", ["Nice work"]),
    ("Hi Anna, can you check this?", "greeting", ["Hi"]),
    ("Good morning, I hope you are well.", "greeting", ["Good morning"]),
    ("That was a wonderful talk.", "positive_lexicon", ["wonderful"]),
    ("That was an awful talk.", "negative_lexicon", ["awful"]),
    ("Sorry to bother you again.", "apologizing", ["Sorry"]),
    ("Excuse me, where is the form?", "apologizing", ["Excuse me"]),
    ("Could you please look at it?", "please", ["please"]),
    ("Please look at it today.", "please_start", ["Please"]),
    ("By the way, did you see my note?", "indirect_btw", ["By the way"]),
    ("Why did you reject me?", "direct_question", ["Why"]),
    ("So what did you decide?", "direct_question", ["what"]),
    ("So can you fix it or not?", "direct_start", ["So"]),
    ("Would you mind taking a look?", "counterfactual_modal", ["Would you"]),
    ("Could you send me the notes?", "counterfactual_modal", ["Could you"]),
    ("Can you send me the notes?", "indicative_modal", ["Can you"]),
    ("Will you answer my question?", "indicative_modal", ["Will you"]),
    ("I have just updated the page.", "first_person_start", ["I"]),
    ("Could we meet next week?", "first_person_plural", ["we"]),
    ("It is my view that the page is fine.", "first_person", ["my"]),
    ("What is your native language?", "second_person", ["your"]),
    ("You reverted my edit.", "second_person_start", ["You"]),
    ("I think we should perhaps wait.", "hedges", ["think", "perhaps"]),
    ("It is sort of unclear to me.", "hedges", ["sort of"]),
    ("In fact, you did link it.", "factuality", ["In fact"]),
    ("Actually, the page was fine.", "factuality", ["Actually"]),
]

NEGATIVE = [
    ("I got your email about the page.", "gratitude"),
    ("Good luck with the launch.", "deference"),
    ("I said hi to her yesterday.", "greeting"),
    ("That was a talk about trains.", "positive_lexicon"),
    ("That was a talk about trains.", "negative_lexicon"),
    ("That is no excuse for the delay.", "apologizing"),
    ("Please look at it today.", "please"),
    ("I was pleased with the result.", "please"),
    ("Could you please look at it?", "please_start"),
    ("I went by the station on the way home.", "indirect_btw"),
    ("Could you tell me why I was rejected?", "direct_question"),
    ("I wonder what you think.", "direct_question"),
    ("Can you fix it?", "direct_start"),
    ("I would like some feedback.", "counterfactual_modal"),
    ("Can you send me the notes?", "counterfactual_modal"),
    ("You can send it later.", "indicative_modal"),
    ("Could you send me the notes?", "indicative_modal"),
    ("Yesterday I updated the page.", "first_person_start"),
    ("Could you meet next week?", "first_person_plural"),
    ("I left early.", "first_person"),
    ("You should know this.", "second_person"),
    ("I reverted your edit.", "second_person_start"),
    ("We will wait for the decision.", "hedges"),
    ("You did link it.", "factuality"),
]


@pytest.mark.parametrize(("text", "name", "expected"), POSITIVE)
def test_strategy_detected_with_its_tokens(nlp, text, name, expected):  # type: ignore[no-untyped-def]
    hits = [h for h in strategies(nlp(text)) if h.name == name]
    assert [h.text for h in hits] == expected


@pytest.mark.parametrize(("text", "name"), NEGATIVE)
def test_strategy_not_detected(nlp, text, name):  # type: ignore[no-untyped-def]
    assert name not in {h.name for h in strategies(nlp(text))}


def test_every_strategy_has_positive_and_negative_examples() -> None:
    assert {p[1] for p in POSITIVE} == set(STRATEGY_NAMES)
    assert {n[1] for n in NEGATIVE} == set(STRATEGY_NAMES)


def test_offsets_point_into_doc_text_and_spans_are_clipped(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Hi there. Could you please, by the way, tell me why? Thanks a lot!")
    hits = strategies(doc)
    assert hits and all(doc.text[h.start : h.end] == h.text for h in hits)
    second = list(doc.sents)[1]
    inner = strategies(second)
    assert inner and all(second.start_char <= h.start < h.end <= second.end_char for h in inner)
    assert strategy_counts(doc)["gratitude"] == 1


def test_sentiment_lexicon_comes_from_textblob() -> None:
    positive, negative = sentiment_lexicon()
    assert len(positive) > 300 and len(negative) > 300
    assert "wonderful" in positive and "awful" in negative
    assert not positive & negative


# --- the shipped model -----------------------------------------------------------

POLITE = [
    "Thank you so much for letting me know. Would you be willing to share any feedback?",
    "Hi Sam, I hope you are well. Could you please tell me what I could improve?",
    "I really appreciate your time, and I would be grateful for any advice you have.",
]
RUDE = [
    "Why was I rejected? Explain your decision to me now.",
    "You obviously did not read my application. Send me the interview notes.",
    "So what exactly was wrong with my answers? I want a real answer this time.",
]


def test_model_prefers_polite_requests(nlp) -> None:  # type: ignore[no-untyped-def]
    model = PolitenessModel.load()
    polite = [model.predict_proba(nlp(t)) for t in POLITE]
    rude = [model.predict_proba(nlp(t)) for t in RUDE]
    assert all(0.0 <= p <= 1.0 for p in polite + rude)
    assert min(polite) > max(rude)
    assert min(polite) > 0.5 > max(rude)


def test_sentence_and_doc_scores_agree(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Thanks for the call. Why did you not hire me? Please explain.")
    doc_p, sent_p = score_doc_and_sentences(doc)
    assert len(sent_p) == len(list(doc.sents)) == 3
    assert sent_p == pytest.approx(score_sentences(doc))
    assert doc_p == pytest.approx(score_doc(doc))
    model = PolitenessModel.load()
    assert sent_p == pytest.approx([model.predict_proba(s) for s in doc.sents])
    assert sent_p[0] > sent_p[1]


def test_explain_names_features(nlp) -> None:  # type: ignore[no-untyped-def]
    top = PolitenessModel.load().explain(nlp("Thank you so much for your help!"), top=3)
    assert len(top) == 3 and all(isinstance(n, str) for n, _ in top)
    assert set(featurize(nlp("Thanks."))) >= {"s:gratitude", "polarity", "subjectivity"}


def test_weights_file_roundtrip(tmp_path: Path) -> None:
    model = PolitenessModel.load()
    assert model.meta["citation"].startswith("Danescu-Niculescu-Mizil")
    path = tmp_path / "w.json"
    path.write_text(json.dumps(model.to_dict()), encoding="utf-8")
    again = PolitenessModel.load(path)
    assert again.weights == model.weights and again.bias == model.bias
    bad = model.to_dict() | {"features_version": -1}
    with pytest.raises(ValueError, match="retrain"):
        PolitenessModel.from_dict(bad)


def test_scoring_works_without_sklearn() -> None:
    # NLTK (under TextBlob) imports sklearn when it happens to be installed, so block
    # it outright: scoring must work with the default install, which lacks it.
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'sklearn' or name.startswith('sklearn.'):\n"
        "            raise ImportError('blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "from tonecheck.politeness_data import load_spacy\n"
        "from tonecheck.politeness_model import PolitenessModel\n"
        "p = PolitenessModel.load().predict_proba(load_spacy()('Could you help me?'))\n"
        "assert 0 <= p <= 1\n"
        "assert 'sklearn' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- evaluation command ------------------------------------------------------------


def test_roc_auc_with_ties() -> None:
    assert roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75)
    assert roc_auc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]) == pytest.approx(0.5)


def _write_csv(path: Path, rows: list[tuple[str, float]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Community", "Id", "Request", "Normalized Score"])
        for i, (text, score) in enumerate(rows):
            w.writerow(["Test", i, text, score])


def test_eval_command_on_own_csv(tmp_path: Path) -> None:
    rows = [(t, 1.0 + i / 10) for i, t in enumerate(POLITE)]
    rows += [(t, -1.0 - i / 10) for i, t in enumerate(RUDE)]
    rows += [("Can you look at the page?", 0.0), ("Did you see the page?", 0.05)]
    path = tmp_path / "mini.csv"
    _write_csv(path, rows)
    result = CliRunner().invoke(eval_group, ["politeness", str(path)])
    assert result.exit_code == 0, result.output
    assert "accuracy: 1.0000  ROC AUC: 1.0000" in result.output
    for figure in ("77.0%", "80.7%", "83.8%", "86.7%"):
        assert figure in result.output


# --- tests that need the corpus ----------------------------------------------------


@needs_data
def test_corpus_binary_task() -> None:
    corpus = load_corpus(DATA)
    assert len(corpus.texts) == 4353
    assert (corpus.label == 1).sum() == 1089 and (corpus.label == 0).sum() == 1089


@needs_data
@pytest.mark.slow
def test_retraining_reproduces_shipped_weights(tmp_path: Path) -> None:
    pytest.importorskip("sklearn", reason="training needs the train extra (scikit-learn)")
    import hashlib

    from tonecheck.train import corpus_features, train_model

    corpus = load_corpus(DATA)
    feats = corpus_features(corpus, DATA)
    sha = hashlib.sha256(DATA.read_bytes()).hexdigest()
    fresh = train_model(corpus, feats, sha)
    shipped = PolitenessModel.load()
    assert fresh.meta == shipped.meta
    assert fresh.bias == pytest.approx(shipped.bias, abs=1e-4)
    names = set(fresh.weights) | set(shipped.weights)
    worst = max(abs(fresh.weights.get(n, 0.0) - shipped.weights.get(n, 0.0)) for n in names)
    assert worst < 1e-4


@needs_data
@pytest.mark.slow
def test_shipped_model_on_corpus_beats_chance() -> None:
    result = CliRunner().invoke(eval_group, ["politeness", str(DATA)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("accuracy:"))
    assert float(line.split()[1]) > 0.85  # training data: not a held-out figure
    assert "not held out" in result.output and "use --cv" in result.output


def test_models_folder_points_at_the_shipped_weights() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    link = root / "models" / "politeness" / "politeness_lr.json"
    shipped = root / "src" / "tonecheck" / "data" / "politeness_lr.json"
    assert link.resolve() == shipped.resolve()
    assert link.read_bytes() == shipped.read_bytes()
