"""LSP positions (UTF-16 code units) and the paragraph cache of IncrementalChecker."""

from __future__ import annotations

import pytest

from tonecheck import Checker
from tonecheck.incremental import IncrementalChecker, split_paragraphs
from tonecheck.positions import UTF8, UTF32, LineIndex, apply_change, code_units

PARAS = [
    "Hi Ana,\n",
    "Thank you for the interviews. I understand your decision.\n",
    "Send me the scorecards by Friday. I deserve an explanation.\n",
    "Would you be open to sharing any feedback? Thanks again for your time.\n",
    "Best,\nLee\n",
]
DRAFT = "\n".join(PARAS)


# ------------------------------------------------------------------------------ positions


def test_code_units() -> None:
    assert code_units("abc") == 3
    assert code_units("🙂") == 2 and code_units("🙂", UTF8) == 4 and code_units("🙂", UTF32) == 1
    assert code_units("é") == 1 and code_units("é", UTF8) == 2


def test_positions_after_emoji_and_accents() -> None:
    text = "Café 🙂👍🏽 ok\nnaïve 🙂 Send"
    idx = LineIndex(text)
    ok = text.index("ok")
    # "Café " = 5 units, "🙂" = 2, "👍🏽" = 4 (two astral code points), " " = 1
    assert idx.position(ok) == (0, 12)
    send = text.index("Send")
    assert idx.position(send) == (1, 9)
    assert idx.offset(0, 12) == ok and idx.offset(1, 9) == send
    for off in range(len(text) + 1):  # round trip at every code point boundary
        assert idx.offset(*idx.position(off)) == off
    # the same in UTF-8 and UTF-32
    assert LineIndex(text, UTF8).position(send) == (1, 12)
    assert LineIndex(text, UTF32).position(send) == (1, 8)
    assert LineIndex(text, UTF8).offset(1, 12) == send


def test_positions_with_crlf_and_lone_cr() -> None:
    text = "one\r\ntwo\rthree\nfour\u2028still four"
    idx = LineIndex(text)
    assert idx.line_count == 4
    assert idx.position(text.index("two")) == (1, 0)
    assert idx.position(text.index("three")) == (2, 0)
    assert idx.position(text.index("still")) == (3, 5)  # U+2028 is not an LSP line break
    # a character past the end of the line means the end of the line (before the break)
    assert idx.offset(0, 99) == 3
    assert idx.offset(99, 0) == len(text)
    # inside a surrogate pair: the start of the character
    emoji = LineIndex("a🙂b")
    assert emoji.offset(0, 2) == 1 and emoji.offset(0, 3) == 2


def test_apply_change_in_utf16_units() -> None:
    text = "🙂 Send me\r\nthe notes"
    changed = apply_change(text, (0, 3), (0, 7), "Could you send")
    assert changed == "🙂 Could you send me\r\nthe notes"
    assert apply_change(text, (1, 0), (1, 3), "your") == "🙂 Send me\r\nyour notes"
    assert apply_change(text, (0, 10), (1, 0), " ") == "🙂 Send me the notes"  # joins the lines
    assert apply_change("", (0, 0), (0, 0), "hi") == "hi"


# ------------------------------------------------------------------------------ paragraphs


def test_split_paragraphs_covers_the_text() -> None:
    for text in (DRAFT, DRAFT.replace("\n", "\r\n"), "one para", "", "a\n\n\n\nb\n \nc"):
        pieces = split_paragraphs(text)
        assert "".join(p for _, p in pieces) == text
        assert all(text[o : o + len(p)] == p for o, p in pieces)
    assert len(split_paragraphs(DRAFT)) == 5
    assert len(split_paragraphs(DRAFT.replace("\n", "\r\n"))) == 5
    long = "word " * 3000
    pieces = split_paragraphs(long, limit=1000)
    assert len(pieces) > 10 and all(len(p) <= 1000 for _, p in pieces)


@pytest.fixture(scope="module")
def checker() -> Checker:
    """Without LanguageTool, so the checker's reports are comparable (no grammar findings)."""
    return Checker(grammar="off")


@pytest.fixture(scope="module")
def inc(checker: Checker) -> IncrementalChecker:
    return IncrementalChecker(checker)


def _key(report: object) -> list[tuple[object, ...]]:
    return [
        (f.start, f.end, f.rule, f.sentence, tuple(s.to_dict().items() for s in f.suggestions))
        for f in report.findings  # type: ignore[attr-defined]
    ]


def test_edit_reparses_only_the_changed_paragraph(checker: Checker) -> None:
    inc = IncrementalChecker(checker)
    first = inc.check(DRAFT)
    assert inc.stats.misses == 5 and inc.stats.hits == 0
    assert {f.category for f in first.findings} >= {"demanding", "entitled"}

    edited = DRAFT.replace("the interviews", "the two interviews")
    second = inc.check(edited)
    assert inc.stats.misses == 6 and inc.stats.hits == 4  # one paragraph parsed again
    assert inc.stats.parsed_chars == len(DRAFT) + len(PARAS[1]) + len(" two") + 1
    # offsets shifted to the edited text, and the same report as a cold check gives
    shift = len(" two")
    assert [f.start for f in second.findings] == [f.start + shift for f in first.findings]
    for f in second.findings:
        assert edited[f.start : f.end] == f.text
    cold = IncrementalChecker(checker).check(edited)
    assert _key(second) == _key(cold)
    assert second.tone_score == cold.tone_score
    assert [s.to_dict() for s in second.signals] == [s.to_dict() for s in cold.signals]
    # an unchanged text is all cache hits
    misses = inc.stats.misses
    inc.check(edited)
    assert inc.stats.misses == misses


def test_same_report_as_the_checker_for_one_paragraph(
    checker: Checker, inc: IncrementalChecker
) -> None:
    text = "Send me the scorecards by Friday. I deserve an explanation. Your process is broken."
    a, b = checker.check(text), inc.check(text)
    assert _key(a) == _key(b) and a.findings
    assert a.tone_score == b.tone_score
    assert [s.to_dict() for s in a.sentences] == [s.to_dict() for s in b.sentences]


def test_markdown_code_is_masked_like_the_checker(
    checker: Checker, inc: IncrementalChecker
) -> None:
    text = "Thanks for your time.\n\n```\nSend me the scorecards.\n```\n\nExplain the decision.\n"
    a = checker.check(text, input_format="markdown")
    b = inc.check(text, input_format="markdown")
    assert [f.text for f in b.findings] == ["Explain the decision"]
    assert _key(a) == _key(b)
    # without the fences it is prose
    assert "Send me the scorecards" in [f.text for f in inc.check(text.replace("```", "")).findings]


def test_empty_text_and_cache_bound(checker: Checker) -> None:
    inc = IncrementalChecker(checker, cache_size=2)
    assert inc.check("").findings == []
    inc.check("One.\n\nTwo.\n\nThree.\n\nFour.")
    assert len(inc) == 4  # a text's own paragraphs stay even over the bound
    inc.check("Five.")
    assert len(inc) == 2
    assert inc.explanation("demanding.bare-imperative")
    assert inc.explanation("no.such-rule") == ""
