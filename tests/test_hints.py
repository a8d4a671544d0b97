"""The sentence-hint model: what it scores, where it points, and that it retrains the same."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from tonecheck import Checker
from tonecheck.context import DocContext
from tonecheck.hints import (
    MIN_WORDS,
    NO_HINTS,
    load_model,
    scored_sentences,
    sentence_hints,
    sentence_terms,
    withhold_vetoed,
)
from tonecheck.hints_train import (
    CORPUS,
    DevSet,
    choose_threshold,
    choose_thresholds,
    choose_vetoes,
    load_dev,
    train,
    vetoed,
    writer,
)
from tonecheck.report import TONE_CATEGORIES


def _hints(checker: Checker, text: str) -> list[dict]:
    doc = checker.nlp(text)
    report = checker.check(text, verify_suggestions=False)
    ruled = {(f.sentence, f.category) for f in report.findings}
    return sentence_hints(doc, ruled, DocContext(doc).quoted_ranges())


def test_model_shape() -> None:
    model = load_model()
    assert set(model.coef) == set(TONE_CATEGORIES)
    assert all(len(w) == len(model.vocab) == len(model.idf) for w in model.coef.values())
    # a threshold of 1.0 (NO_HINTS) means the category's hints did no better than its rules
    assert all(0.5 <= t <= NO_HINTS for t in model.threshold.values())
    assert any(t < NO_HINTS for t in model.threshold.values())
    assert all(0.0 <= v < 0.5 for v in model.veto.values())
    assert model.meta["trained_on"].endswith("split dev")


def test_probabilities_are_probabilities(checker: Checker) -> None:
    doc = checker.nlp("Send me the notes by Friday, because your panel clearly got it wrong.")
    probs = load_model().probabilities([t for t, _ in sentence_terms(doc)])
    assert set(probs) == set(TONE_CATEGORIES)
    assert all(0.0 < p < 1.0 for p in probs.values())
    calm = checker.nlp("Thank you again for your time and for the tour of the site.")
    calm_probs = load_model().probabilities([t for t, _ in sentence_terms(calm)])
    assert probs["demanding"] > calm_probs["demanding"]


def test_hint_points_at_a_clause_and_keeps_offsets(checker: Checker) -> None:
    text = "Thanks for the call.\nThe panel spent most of my presentation talking among themselves."
    hints = _hints(checker, text)
    assert [h["rule"] for h in hints] == ["defensive.hint"]
    h = hints[0]
    assert h["severity"] == "info" and h["sentence"] == 1
    assert text[h["start"] : h["end"]] == h["text"]
    assert "panel" in h["text"]
    assert "statistical hint" in h["message"]
    (s,) = h["suggestions"]
    assert text[s["start"] : s["end"]].startswith("The panel") and text[s["end"] - 1] == "."


def test_no_hint_where_a_rule_of_that_category_fired(checker: Checker) -> None:
    text = "Nobody from the hiring team bothered to turn their camera on during my presentation."
    report = checker.check(text, verify_suggestions=False)
    assert "defensive" in {f.category for f in report.findings}
    assert not [h for h in _hints(checker, text) if h["category"] == "defensive"]


@pytest.mark.parametrize(
    "text",
    [
        "Hi Marco,",
        "Best wishes,\nCallum Reid",
        "Thank you again for your time and for the tour of the site.",
        'My manager said, "you will regret leaving", and she was right about the team.',
    ],
)
def test_no_hints_on_greetings_thanks_and_quotes(checker: Checker, text: str) -> None:
    assert _hints(checker, text) == []


def test_quoted_words_are_not_features(checker: Checker) -> None:
    doc = checker.nlp('She wrote "send it by Friday" in her note.')
    terms = [t for t, _ in sentence_terms(doc, DocContext(doc).quoted_ranges())]
    assert "send" not in terms and "friday" not in terms and "note" in terms
    assert MIN_WORDS >= 2


def test_terms_include_dependency_arcs(checker: Checker) -> None:
    doc = checker.nlp("After three rounds, you owe me an explanation.")
    grams = dict(sentence_terms(doc))
    assert "nsubj(owe,you)" in grams and "dobj(owe,explanation)" in grams
    # an arc covers its head and its dependent, so a hint can point at either
    owe, you = (next(t.i for t in doc if t.text == w) for w in ("owe", "you"))
    assert grams["nsubj(owe,you)"] == (owe, you)
    assert "nummod(round,<num>)" in grams  # numbers masked in arcs too


def test_quoted_words_are_not_in_arcs(checker: Checker) -> None:
    doc = checker.nlp('She wrote "send it by Friday" in her note.')
    arcs = [t for t, _ in sentence_terms(doc, DocContext(doc).quoted_ranges()) if "(" in t]
    assert "nsubj(write,she)" in arcs
    assert not [a for a in arcs if "send" in a or "friday" in a or "<propn>" in a]


def test_writer_is_the_id_without_its_serial() -> None:
    assert [writer(i) for i in ("s0001", "s4084", "s5338")] == ["s0", "s4", "s5"]


def test_training_reads_only_dev_rows(tmp_path) -> None:
    rows = [
        {
            "id": "s0001",
            "text": "Send me the notes by Friday.",
            "labels": ["demanding"],
            "split": "dev",
        },
        {"id": "s0002", "text": "Zebras never apply for jobs here.", "labels": [], "split": "test"},
        {"id": "s1001", "text": "Thank you for your time.", "labels": [], "split": "dev"},
    ]
    corpus = tmp_path / "sentences.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    dev = load_dev(corpus)
    assert [i["id"] for i in dev.items] == ["s0001", "s1001"]
    assert list(dev.writers) == ["s0", "s1"]
    assert not [t for terms in dev.rows for t in terms if "zebra" in t]
    assert dev.ruled[0] == {"demanding"} and dev.ruled[1] == set()


def test_threshold_is_the_lowest_that_keeps_precision_and_the_clean_rate() -> None:
    # 10 entitled rows (the rules find 5 of them), 200 clean ones
    items = [{"id": f"s0{i:03d}", "labels": ["entitled"]} for i in range(10)]
    items += [{"id": f"s1{i:03d}", "labels": []} for i in range(200)]
    ruled = [{"entitled"} if i < 5 else set() for i in range(10)] + [set()] * 200
    dev = DevSet(items, [[] for _ in items], ruled)
    probs = np.full(len(items), 0.1)
    probs[5:10] = 0.9  # what the rules miss, the hints find
    probs[10:13] = 0.61  # 3 of 200 clean rows (1.5%) score 0.61: more than 1% extra
    choice = choose_threshold(dev, "entitled", probs)
    assert choice.threshold == pytest.approx(0.625)
    assert (choice.precision, choice.recall, choice.extra_clean) == (1.0, 1.0, 0.0)
    # hints that only ever find clean rows: no threshold beats the rules alone
    only_clean = np.where(probs == 0.9, 0.1, probs)
    assert choose_threshold(dev, "entitled", only_clean).threshold == NO_HINTS


def test_the_clean_share_cap_keeps_rules_and_hints_within_the_target(monkeypatch) -> None:
    monkeypatch.setattr("tonecheck.hints_train.MAX_CLEAN_FLAGGED", 0.05)
    # 100 clean rows, the rules flag 4 of them; 20 defensive rows the rules miss
    items = [{"id": f"s0{i:03d}", "labels": []} for i in range(100)]
    items += [{"id": f"s1{i:03d}", "labels": ["defensive"]} for i in range(20)]
    ruled = [{"demanding"} if i < 4 else set() for i in range(100)] + [set()] * 20
    low = np.full(len(items), 0.1)
    defensive = low.copy()
    defensive[100:110], defensive[110:] = 0.95, 0.75  # half only below two clean rows'
    defensive[10], defensive[11] = 0.8, 0.7  # two clean rows the rules leave alone
    probs = {"demanding": low, "entitled": low, "defensive": defensive}
    # a 1% share lets the hints flag one of them: 5 of 100 clean flagged, within 5%
    choices = choose_thresholds(DevSet(items, [[] for _ in items], ruled), probs)
    defensive_choice = choices["defensive"]
    assert defensive_choice.cap == 0.01 and defensive_choice.threshold == pytest.approx(0.725)
    # when the rules flag one more, no extra clean row is left: 5 in all
    ruled[4] = {"entitled"}
    choices = choose_thresholds(DevSet(items, [[] for _ in items], ruled), probs)
    defensive_choice = choices["defensive"]
    assert defensive_choice.cap == 0.0 and defensive_choice.threshold == pytest.approx(0.825)
    assert defensive_choice.recall == 0.5


def test_the_clean_budget_goes_to_the_category_with_the_lowest_recall(monkeypatch) -> None:
    monkeypatch.setattr("tonecheck.hints_train.MAX_CLEAN_FLAGGED", 0.05)
    # 100 clean rows, the rules flag 4: room for one more. Entitled: the rules find 10 of
    # 20; defensive: none of 20. Each category's hints find half of the rest for free and
    # the other half only at the cost of one clean row.
    items = [{"id": f"s0{i:03d}", "labels": []} for i in range(100)]
    items += [{"id": f"s1{i:03d}", "labels": ["entitled"]} for i in range(20)]
    items += [{"id": f"s2{i:03d}", "labels": ["defensive"]} for i in range(20)]
    ruled = [{"demanding"} if i < 4 else set() for i in range(100)]
    ruled += [{"entitled"} if i < 10 else set() for i in range(20)] + [set()] * 20
    low = np.full(len(items), 0.1)
    entitled, defensive = low.copy(), low.copy()
    entitled[110:115], entitled[115:120], entitled[10] = 0.95, 0.7, 0.75
    defensive[120:130], defensive[130:140], defensive[11] = 0.95, 0.7, 0.75
    probs = {"demanding": low, "entitled": entitled, "defensive": defensive}
    choices = choose_thresholds(DevSet(items, [[] for _ in items], ruled), probs)
    # the clean row goes to defensive (recall 0.5 -> 1.0), not entitled (0.75 -> 1.0)
    assert choices["defensive"].cap == 0.01 and choices["defensive"].recall == 1.0
    assert choices["entitled"].cap < 0.01 and choices["entitled"].recall == 0.75
    assert choices["entitled"].threshold == pytest.approx(0.775)


def test_veto_is_the_highest_that_loses_at_most_one_right_finding_in_200() -> None:
    # 400 demanding rows the rules find, 2 of them scoring 0.03 and 1 more 0.08;
    # 10 clean rows the rules flag, scoring 0.01
    items = [{"id": f"s0{i:03d}", "labels": ["demanding"]} for i in range(400)]
    items += [{"id": f"s1{i:03d}", "labels": []} for i in range(10)]
    ruled = [{"demanding"} for _ in items]
    demanding = np.full(len(items), 0.9)
    demanding[:2], demanding[2], demanding[400:] = 0.03, 0.08, 0.01
    low = np.full(len(items), 0.1)
    probs = {"demanding": demanding, "entitled": low, "defensive": low}
    dev = DevSet(items, [[] for _ in items], ruled)
    vetoes = choose_vetoes(dev, probs)
    # 0.05 withdraws 2 right findings (0.5% of 400), 0.1 would withdraw 3
    assert vetoes["demanding"] == 0.05
    # a category the rules never find right loses nothing to any veto: the highest is taken
    assert vetoes["entitled"] == max(vetoes.values())
    after = vetoed(dev, probs, vetoes)
    assert sum("demanding" in r for r in after.ruled) == 398
    assert after.ruled[400:] == [set()] * 10 and after.items is dev.items


def test_a_vetoed_rule_finding_is_withdrawn(checker: Checker) -> None:
    text = "You must reply by Friday with the scores."
    doc = checker.nlp(text)
    findings = checker.check(text, verify_suggestions=False).to_dict()["findings"]
    assert {f["category"] for f in findings} >= {"demanding"}
    model = load_model()
    scored = list(scored_sentences(doc, (), model))
    (s,) = scored
    p = s.probs["demanding"]
    assert p > model.veto["demanding"], "the shipped model does not veto a real demand"
    keeps = withhold_vetoed(findings, scored, replace(model, veto={"demanding": p}))
    assert keeps == findings  # at the probability itself the finding stays
    strict = replace(model, veto={"demanding": p + 1e-9})
    left = withhold_vetoed(findings, scored, strict)
    assert left == [f for f in findings if f["category"] != "demanding"]
    # a sentence the model does not read (no verb) keeps its findings
    assert withhold_vetoed(findings, [], strict) == findings


def test_hints_withdraw_a_look_alike_the_rules_flag(checker: Checker) -> None:
    # an epistemic "must" about the reader's workload: the obligation pattern fires, the
    # model has read enough such sentences to know they demand nothing
    text = "Your team must get a flood of applications for every opening."
    hinted = Checker(grammar="off", nlp=checker.nlp, hints=True)
    assert [f.rule for f in checker.check(text).findings] == ["demanding.obligation-modal"]
    assert hinted.check(text).findings == []
    # a real demand keeps its findings
    demand = "You must reply by Friday with the scores."
    rules = {f.rule for f in checker.check(demand).findings}
    assert {f.rule for f in hinted.check(demand).findings} == rules
    assert rules >= {"demanding.obligation-modal", "demanding.deadline"}
    assert all(load_model().veto[c] > 0 for c in TONE_CATEGORIES)


@pytest.mark.slow
def test_retraining_reproduces_the_shipped_weights() -> None:
    shipped = load_model()
    fresh = train(CORPUS)
    assert fresh["terms"] == list(shipped.vocab)
    for cat in TONE_CATEGORIES:
        got = fresh["categories"][cat]
        assert got["threshold"] == pytest.approx(shipped.threshold[cat])
        assert got["intercept"] == pytest.approx(shipped.intercept[cat], abs=1e-4)
        diff = max(abs(a - b) for a, b in zip(got["coef"], shipped.coef[cat], strict=True))
        assert diff < 1e-4
    json.dumps(fresh)  # the weights file is plain JSON


def test_checker_hints_are_opt_in() -> None:
    text = "Thanks for the call.\nThe panel spent most of my presentation talking among themselves."
    plain = Checker(grammar="off")
    hinted = Checker(grammar="off", nlp=plain.nlp, hints=True)
    assert not plain.check(text).findings
    report = hinted.check(text)
    (f,) = report.findings
    assert f.rule == "defensive.hint" and f.severity == "info"
    assert text[f.start : f.end] == f.text
    assert f.suggestions, "a verified whole-sentence suggestion"
    assert report.tone_score < plain.check(text).tone_score
    assert report.to_dict()["findings"][0]["rule"] == "defensive.hint"


HINTED = "Thanks for the call.\nThe panel spent most of my presentation talking among themselves.\n"


def test_cli_hints_flag_and_config(tmp_path) -> None:
    from click.testing import CliRunner

    from tonecheck.cli import main

    draft = tmp_path / "draft.txt"
    draft.write_text(HINTED, "utf-8")
    runner = CliRunner()
    plain = runner.invoke(main, ["--no-grammar", str(draft)])
    assert plain.exit_code == 0, plain.output
    flagged = runner.invoke(main, ["--no-grammar", "--hints", "--format", "json", str(draft)])
    assert flagged.exit_code == 1
    (result,) = json.loads(flagged.stdout)["results"]
    assert [f["rule"] for f in result["findings"]] == ["defensive.hint"]
    # only the selected categories' hints
    other = runner.invoke(main, ["--no-grammar", "--hints", "--category", "demanding", str(draft)])
    assert other.exit_code == 0, other.output
    # a project turns them on in its configuration
    (tmp_path / "pyproject.toml").write_text("[tool.tonecheck]\nhints = true\n", "utf-8")
    configured = runner.invoke(main, ["--no-grammar", str(draft)])
    assert configured.exit_code == 1 and "defensive.hint" in configured.stdout


@pytest.mark.parametrize(
    "setting",
    ['disable = ["defensive.hint"]', 'disable = ["hint"]', 'disable = ["defensive"]',
     'enable = ["demanding"]'],
)  # fmt: skip
def test_config_switches_hints_off_like_rules(tmp_path, setting: str) -> None:
    from click.testing import CliRunner

    from tonecheck.cli import main

    draft = tmp_path / "draft.txt"
    draft.write_text(HINTED, "utf-8")
    (tmp_path / "pyproject.toml").write_text(
        f"[tool.tonecheck]\nhints = true\n{setting}\n", "utf-8"
    )
    result = CliRunner().invoke(main, ["--no-grammar", "--format", "json", str(draft)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"][0]["findings"] == []


def test_config_sets_hint_severity(tmp_path) -> None:
    from click.testing import CliRunner

    from tonecheck.cli import main

    draft = tmp_path / "draft.txt"
    draft.write_text(HINTED, "utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.tonecheck]\nhints = true\n[tool.tonecheck.severity]\n"defensive.hint" = "warning"\n',
        "utf-8",
    )
    result = CliRunner().invoke(main, ["--no-grammar", "--format", "json", str(draft)])
    (finding,) = json.loads(result.stdout)["results"][0]["findings"]
    assert (finding["rule"], finding["severity"]) == ("defensive.hint", "warning")


def test_checker_hint_options() -> None:
    plain = Checker(grammar="off")
    off = Checker(grammar="off", nlp=plain.nlp, hints=True, disabled_rules=["defensive.hint"])
    assert off.check(HINTED).findings == []
    loud = Checker(grammar="off", nlp=plain.nlp, hints=True, severities={"hint": "error"})
    assert [f.severity for f in loud.check(HINTED).findings] == ["error"]
    with pytest.raises(ValueError, match="severities: hint: 'loud'"):
        Checker(grammar="off", hints=True, severities={"hint": "loud"})
