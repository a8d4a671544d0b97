"""The library API: check, check_many, Report, offsets, long input."""

from __future__ import annotations

import json

import pytest

import tonecheck
from tonecheck import Checker, Report
from tonecheck.checker import CHUNK_CHARS, split_chunks

BAD = "Forward me the scorecards by Friday. I deserve an explanation. Your process is broken."


def test_check_finds_all_three_categories(checker: Checker) -> None:
    report = checker.check(BAD)
    assert {f.category for f in report.findings} == {"demanding", "entitled", "defensive"}
    for f in report.findings:
        assert BAD[f.start : f.end] == f.text
        assert f.message and f.rule.startswith(f.category + ".")
        assert 0 <= f.sentence < len(report.sentences)


def test_module_level_check_and_json_roundtrip() -> None:
    report = tonecheck.check("Thank you for your time. I understand your decision.")
    assert isinstance(report, Report)
    assert report.findings == []
    data = json.loads(json.dumps(report.to_dict()))
    assert data["schema_version"] == tonecheck.SCHEMA_VERSION
    again = tonecheck.report_from_dict(data, report.text)
    assert again.tone_score == report.tone_score
    assert [s.name for s in again.signals] == [s.name for s in report.signals]


def test_sentence_scores_use_textblob_per_sentence(checker: Checker) -> None:
    text = "I am so grateful for this wonderful chance. This is terrible and awful."
    report = checker.check(text)
    assert len(report.sentences) == 2
    assert report.sentences[0].polarity > 0 > report.sentences[1].polarity
    assert all(0 <= s.subjectivity <= 1 for s in report.sentences)


def test_sentiment_alone_does_not_flag(checker: Checker) -> None:
    report = checker.check("I am really disappointed and sad about this news.")
    assert report.tone_findings == []


def test_signals_present_and_missing(checker: Checker) -> None:
    good = checker.check(
        "Hi Ana,\n\nThank you for the interviews. I understand your decision. I enjoyed "
        "meeting the team. Would you be open to sharing any feedback? I completely "
        "understand if that isn't possible. Thanks again for your time.\n\nBest,\nLee"
    )
    assert {s.name for s in good.signals if s.present} == {
        "opening_thanks",
        "acknowledges_decision",
        "goodwill",
        "light_ask",
        "easy_out",
        "closing_thanks",
    }
    bad = checker.check("Send me the notes.")
    missing = {s.name for s in bad.missing_signals}
    assert {"opening_thanks", "easy_out"} <= missing
    assert all(s.advice for s in bad.missing_signals)
    assert good.tone_score > bad.tone_score


def test_signal_patterns_are_valid_spacy_patterns() -> None:
    # most signal patterns run on tonecheck's sequence matcher, which does not validate
    # them the way spaCy's Matcher(validate=True) does
    from spacy.schemas import validate_token_pattern

    from tonecheck.signals import signal_specs

    specs = signal_specs()
    assert specs and all(s.patterns and s.advice for s in specs)
    for spec in specs:
        for pattern in spec.patterns:
            assert validate_token_pattern(list(pattern)) == [], (spec.name, pattern)


def test_empty_and_whitespace_text(checker: Checker) -> None:
    for text in ("", "   \n\n  "):
        report = checker.check(text)
        assert report.findings == [] and report.text == text


def test_check_many_keeps_order_and_offsets(checker: Checker) -> None:
    texts = ["Thanks so much.", BAD, "", "Explain the decision."]
    reports = list(checker.check_many(texts, batch_size=2))
    assert [r.text for r in reports] == texts
    assert [bool(r.findings) for r in reports] == [False, True, False, True]


def test_split_chunks_covers_text_exactly() -> None:
    para = "Send me the notes by Friday. " * 40
    text = "\n\n".join([para] * 30) + "\n" + "x" * (CHUNK_CHARS + 10)
    chunks = split_chunks(text)
    assert "".join(c for _, c in chunks) == text
    assert all(text[o : o + len(c)] == c for o, c in chunks)
    assert all(len(c) <= CHUNK_CHARS for _, c in chunks)


def test_long_text_offsets_hold(checker: Checker) -> None:
    para = "Hello there.\r\nForward me the scorecards by Friday. I deserve an answer.\r\n\r\n"
    text = para * 600  # ~45k characters, several chunks
    report = checker.check(text)
    assert len(report.findings) >= 1800
    for f in report.findings:
        assert text[f.start : f.end] == f.text
    assert [s.index for s in report.sentences] == list(range(len(report.sentences)))


def test_quoted_words_are_not_flagged(checker: Checker) -> None:
    text = 'Your email said "you must send the forms by Friday", which I did.'
    assert checker.check(text).tone_findings == []


def test_model_resolution_errors() -> None:
    with pytest.raises(tonecheck.ModelNotFoundError, match="pip install"):
        tonecheck.resolve_model("no_such_model_xyz")


def test_category_filter() -> None:
    only = Checker(categories=["entitled"])
    assert {f.category for f in only.check(BAD).findings} == {"entitled"}


def test_module_level_input_format() -> None:
    text = "Thanks!\n\n```\nSend me the logs by Friday.\n```\n\n> You must reply now.\n"
    assert tonecheck.check(text, grammar="off").tone_findings  # as plain text: flagged
    markdown = tonecheck.check(text, grammar="off", input_format="markdown")
    assert markdown.tone_findings == [] and markdown.text == text
    many = list(tonecheck.check_many([text], grammar="off", input_format="markdown"))
    assert many[0].tone_findings == []
