"""Quotation marks: what counts as someone else's words (never flagged)."""

from __future__ import annotations

import pytest

from tonecheck import Checker
from tonecheck.context import find_quoted_ranges


def quoted(text: str) -> list[str]:
    return [text[a:b] for a, b in find_quoted_ranges(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "send it now" twice.', ['"send it now"']),
        ("The \u201cimmediately\u201d bit.", ["\u201cimmediately\u201d"]),
        ("The 'immediately available' line on my CV.", ["'immediately available'"]),
        ("I don't think it's 'fair', honestly.", ["'fair'"]),
        ("'Send it now' was all the email said.", ["'Send it now'"]),
        ("(see 'Next steps') below", ["'Next steps'"]),
    ],
)
def test_quotations_are_found(text: str, expected: list[str]) -> None:
    assert quoted(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I don't know, and it's fine.",  # apostrophes in words
        "the candidates' scores and Jo's notes",  # possessives
        "It opens 'here\nand closes there' on another line.",  # not on one line
        "an 'opening quote that never closes",
        "'" + "x" * 200 + "'",  # too long for a quotation in a sentence
    ],
)
def test_apostrophes_are_not_quotations(text: str) -> None:
    assert quoted(text) == []


def test_words_in_single_quotes_are_not_flagged(checker: Checker) -> None:
    text = "The 'immediately available' line on my CV is still true, should anything come up."
    assert checker.check(text, verify_suggestions=False).findings == []
    # the same words outside quotation marks are a deadline
    flagged = checker.check("Reply immediately, please.", verify_suggestions=False)
    assert any(f.rule == "demanding.deadline" for f in flagged.findings)
