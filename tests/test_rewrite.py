"""Verified suggestions and the whole-draft rewrite (tonecheck.rewrite)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tonecheck
from tonecheck import Checker
from tonecheck.rewrite import _EditLog, deletion_range, join_tidy, rewrite

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = ROOT / "corpora" / "drafts"
GOLDEN = ROOT / "corpora" / "rewrites"
GOLDEN_NAMES = sorted(p.stem for p in GOLDEN.glob("*.txt"))


def _apply(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


# --------------------------------------------------------------------------- tidy seams
@pytest.mark.parametrize(
    ("prefix", "repl", "suffix", "expected"),
    [
        ("", "", ", the panel was kind.", "The panel was kind."),
        ("Please reply", "", " .", "Please reply."),
        ("Send me it ", "whenever convenient", ".", "Send me it whenever convenient."),
        ("", "Would you be open to sending it", ".", "Would you be open to sending it?"),
        ("I think,", "", ", it went well.", "I think, it went well."),
        ("", "", ".", ""),
        ("I am glad to ", "understand the role", ".", "I am glad to understand the role."),
    ],
)
def test_join_tidy(prefix: str, repl: str, suffix: str, expected: str) -> None:
    assert join_tidy(prefix, repl, suffix) == expected


def test_deletion_range_keeps_paragraphs_and_spacing() -> None:
    text = "A one.\n\nThanks for nothing.\n\nRegards,\nB\n"
    a = text.index("Thanks")
    s, e = deletion_range(text, a, a + len("Thanks for nothing."))
    assert _apply(text, s, e, "") == "A one.\n\nRegards,\nB\n"
    text = "Fine. Bad one. Fine again."
    a = text.index("Bad")
    s, e = deletion_range(text, a, a + len("Bad one."))
    assert _apply(text, s, e, "") == "Fine. Fine again."
    crlf = "Hi,\r\n\r\nBad one.\r\n\r\nBye\r\n"
    a = crlf.index("Bad")
    s, e = deletion_range(crlf, a, a + len("Bad one."))
    assert _apply(crlf, s, e, "") == "Hi,\r\n\r\nBye\r\n"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 5), st.sampled_from(["", "X", "YYY"])),
                min_size=1, max_size=6))  # fmt: skip
def test_edit_log_maps_to_original(ops: list[tuple[int, int, str]]) -> None:
    original = "abcdefghijklmnopqrstuvwxyz0123456789"
    log, current = _EditLog(original), original
    for a, n, rep in ops:
        a = min(a, len(current))
        b = min(len(current), a + n)
        log.add(a, b, rep, ["r"])
        current = current[:a] + rep + current[b:]
        assert log.text() == current
    rebuilt, pos = [], 0
    for e in log.edits:  # edits are in original offsets, in order, and rebuild the text
        assert pos <= e.start <= e.end and original[e.start : e.end] == e.original
        rebuilt += [original[pos : e.start], e.replacement]
        pos = e.end
    assert "".join([*rebuilt, original[pos:]]) == current


# ----------------------------------------------------------------- suggestions per finding
SENTENCES = [
    "Forward me the scorecards from all three interviewers by Friday.",
    "Kindly send me the interview notes immediately.",
    "You need to explain why I was not selected within 24 hours.",
    "I deserve a proper explanation.",
    "The instructions were unclear.",
    "Thanks for nothing.",
    "With all due respect, your panel missed my strengths.",
    "I think you got this decision wrong.",
]


def test_every_finding_has_a_verified_suggestion(checker: Checker) -> None:
    reports = list(checker.check_many(SENTENCES))
    for text, report in zip(SENTENCES, reports, strict=True):
        assert report.tone_findings, text
        fixed = []
        for f in report.tone_findings:
            assert f.suggestions, f"{f.rule} in {text!r} has no suggestion"
            for s in f.suggestions:
                assert 0 <= s.start <= s.end <= len(text)
            fixed.append((f, _apply(text, f.suggestions[0].start, f.suggestions[0].end,
                                    f.suggestions[0].text)))  # fmt: skip
        for (f, new), again in zip(
            fixed, checker.check_many([n for _, n in fixed], verify_suggestions=False), strict=True
        ):
            allowed = Counter(g.rule for g in report.tone_findings if g is not f)
            found = Counter(g.rule for g in again.tone_findings)
            assert not found - allowed, (text, new, found)


def test_suggestions_keep_content_and_drop_deadline_and_softener(checker: Checker) -> None:
    report = checker.check("Kindly send me the interview notes from Priya by Friday.")
    imperative = next(f for f in report.findings if f.rule == "demanding.bare-imperative")
    first = imperative.suggestions[0].text
    assert first == "Would you be open to sending me the interview notes from Priya?"
    assert all("Friday" not in s.text and "indly" not in s.text for s in imperative.suggestions)
    report = checker.check(
        "Send me the results of the exercise and the panel notes, and reply to this email "
        "within 24 hours."
    )
    texts = [s.text for f in report.findings for s in f.suggestions]
    assert (
        "Would you be open to sending me the results of the exercise and the panel notes, "
        "and replying to this email?" in texts
    )


def test_raw_suggestions_without_verification(checker: Checker) -> None:
    text = "Frankly, the instructions were unclear."
    raw = checker.check(text, verify_suggestions=False)
    verified = checker.check(text)
    assert [f.rule for f in raw.findings] == [f.rule for f in verified.findings]
    for f in verified.tone_findings:  # no raw deletion that leaves ", the ..." behind
        for s in f.suggestions:
            new = _apply(text, s.start, s.end, s.text)
            assert (not new.startswith((",", " ")) and new[:1].isupper()) or new == ""


# --------------------------------------------------------------------- whole-draft rewrite
@pytest.mark.parametrize("name", GOLDEN_NAMES)
def test_golden_rewrites(checker: Checker, name: str) -> None:
    original = (DRAFTS / f"{name}.txt").read_text("utf-8")
    expected = (GOLDEN / f"{name}.txt").read_text("utf-8")
    result = rewrite(original, checker=checker)
    assert result.text == expected
    assert result.ok and not checker.check(result.text).tone_findings
    assert rewrite(result.text, checker=checker).text == result.text  # idempotent


def test_rewrite_crlf_and_untouched_bytes(checker: Checker) -> None:
    name = "bad-06-thanks-for-nothing"
    lf = (DRAFTS / f"{name}.txt").read_text("utf-8")
    crlf = lf.replace("\n", "\r\n")
    result = rewrite(crlf, checker=checker)
    assert result.text == (GOLDEN / f"{name}.txt").read_text("utf-8").replace("\n", "\r\n")
    assert "\n" not in result.text.replace("\r\n", "")
    assert result.text.startswith("Hi Aisha,\r\n\r\n") and result.text.endswith("Gareth Price\r\n")
    pos = 0
    for e in result.edits:  # everything between edits is the original, byte for byte
        assert crlf[e.start : e.end] == e.original
        pos = e.end
    assert crlf[pos:] == result.text[len(result.text) - len(crlf) + pos :]


def test_rewrite_api_and_json(checker: Checker) -> None:
    text = "Hi Ana,\n\nSend me the scorecards by Friday.\n\nTom\n"
    result = tonecheck.rewrite(text, checker=checker)
    assert isinstance(result, tonecheck.Rewrite)
    assert result.text == "Hi Ana,\n\nWould you be open to sending me the scorecards?\n\nTom\n"
    assert [(e.start, e.end, e.original) for e in result.edits] == [
        (9, 42, "Send me the scorecards by Friday.")
    ]
    assert set(result.edits[0].rules) >= {"demanding.bare-imperative"}
    data = json.loads(json.dumps(result.to_dict()))
    assert data["changed"] and data["unfixed"] == [] and data["edits"][0]["replacement"]
    assert result.diff("d.txt").startswith("--- a/d.txt\n+++ b/d.txt\n")


def test_add_missing_signals(checker: Checker) -> None:
    text = "Hi Ana,\n\nCould you share what I could improve for the analyst role?\n\nTom\n"
    plain = rewrite(text, checker=checker)
    assert not plain.changed
    added = rewrite(text, checker=checker, add_missing=True)
    assert added.added and "closing_thanks" in added.added
    assert added.text.startswith("Hi Ana,\n\nThank you for")
    assert added.text.endswith("Thank you again for your time.\n\nTom\n")
    assert not checker.check(added.text).tone_findings
    assert rewrite(added.text, checker=checker, add_missing=True).text == added.text


# ---------------------------------------------------------------- properties over drafts
def _corpus_sentences() -> list[str]:
    rows = [json.loads(x) for x in (ROOT / "corpora" / "sentences.jsonl").read_text().splitlines()]
    return [r["text"] for r in rows if r.get("split") == "dev" and "\n" not in r["text"]][:120]


CORPUS = _corpus_sentences()


@st.composite
def drafts(draw: st.DrawFn) -> str:
    paras = draw(st.lists(st.lists(st.sampled_from(CORPUS), min_size=1, max_size=3),
                          min_size=1, max_size=3))  # fmt: skip
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    body = (nl + nl).join(" ".join(p) for p in paras)
    return f"Hi Sam,{nl}{nl}{body}{nl}{nl}Best,{nl}Alex{nl}"


@pytest.mark.slow
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drafts())
def test_rewrite_properties(checker: Checker, draft: str) -> None:
    result = rewrite(draft, checker=checker)
    nl = "\r\n" if "\r\n" in draft else "\n"
    # offsets valid, untouched parts byte-identical, edits rebuild the text
    pieces, pos = [], 0
    for e in result.edits:
        assert pos <= e.start <= e.end <= len(draft) and draft[e.start : e.end] == e.original
        pieces += [draft[pos : e.start], e.replacement]
        pos = e.end
    assert "".join([*pieces, draft[pos:]]) == result.text
    # greeting, signature and line endings survive
    assert result.text.startswith(f"Hi Sam,{nl}{nl}")
    assert result.text.endswith(f"{nl}{nl}Best,{nl}Alex{nl}")
    if nl == "\r\n":
        assert "\n" not in result.text.replace("\r\n", "")
    # clean unless reported, and idempotent
    report = checker.check(result.text)
    assert [f.rule for f in report.tone_findings] == [f.rule for f in result.unfixed]
    assert rewrite(result.text, checker=checker).text == result.text
