"""Input awareness: Markdown and email masking, .eml decoding, inline suppression."""

from __future__ import annotations

import itertools
from email.message import EmailMessage

import pytest

from tonecheck import Checker
from tonecheck.markup import (
    decode_eml,
    directives,
    email_ranges,
    format_for_path,
    looks_like_raw_email,
    markdown_ranges,
    mask,
    prepare,
)

DEMAND = "Send me the notes by Friday."
ENTITLED = "I deserve an explanation."


def masked_md(text: str) -> str:
    return prepare(text, "markdown").masked


def rules_of(report: object) -> list[str]:
    return [f.rule for f in report.findings]  # type: ignore[attr-defined]


def assert_offsets(report: object, text: str) -> None:
    assert report.text == text  # type: ignore[attr-defined]
    for f in report.findings:  # type: ignore[attr-defined]
        assert text[f.start : f.end] == f.text


# ------------------------------------------------------------------------ masking


def test_mask_keeps_length_and_line_breaks() -> None:
    text = "ab\r\ncd\nef\rgh"
    out = mask(text, [(1, 9)])
    assert len(out) == len(text)
    assert out == "a \r\n  \n  \rgh"
    assert mask(text, []) is text


def test_format_for_path() -> None:
    assert format_for_path("a/b.MD") == "markdown"
    assert format_for_path("x.markdown") == "markdown"
    assert format_for_path("mail.eml") == "email"
    assert format_for_path("draft.txt") == "plain"
    assert format_for_path(None) == "plain"


def test_prepare_rejects_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown input format"):
        prepare("x", "rst")
    with pytest.raises(TypeError):
        prepare(b"x", "plain")  # type: ignore[arg-type]


def test_plain_text_is_left_alone() -> None:
    text = "Send `me` the <b>notes</b> at https://x.com\n> quoted\n"
    p = prepare(text, "plain")
    assert p.masked == text and not p.skipped


# ------------------------------------------------------------------------ Markdown


def test_markdown_code_is_masked() -> None:
    text = (
        "Intro line.\n\n```python\nsend_me_the_notes()\n```\n\n~~~\nSend me it\n~~~\n\n"
        "    indented code line\n\nUse `send me` here.\n"
    )
    out = masked_md(text)
    assert len(out) == len(text)
    assert "Intro line." in out and "Use" in out and "here." in out
    for gone in ("send_me_the_notes", "python", "Send me it", "indented code", "`send me`"):
        assert gone not in out


def test_unclosed_fence_runs_to_the_end() -> None:
    out = masked_md("Text.\n\n```\nSend me the notes.\nmore\n")
    assert out.startswith("Text.") and "Send" not in out and "more" not in out


def test_markdown_links_urls_html_comments() -> None:
    text = (
        'See [our notes](https://example.com/a_(b) "Title") and ![logo](img.png).\n'
        "Visit https://example.com/x?y=1. or <https://a.b/c> or <me@example.com>.\n"
        "<!-- Send me the notes -->Thanks <b>so</b> much.\n"
        "[ref]: https://example.com/ref\n"
        "A [reference link][ref] stays.\n"
    )
    out = masked_md(text)
    assert "our notes" in out and "reference link" in out  # link text is prose
    for gone in ("example.com", "Title", "logo", "img.png", "Send me", "<b>", "[ref]"):
        assert gone not in out
    assert "Visit" in out and ". or" in out  # the sentence's own full stop stays
    assert "Thanks" in out and "so" in out and "much." in out


def test_markdown_quotes_front_matter_and_markers() -> None:
    text = (
        "---\ntitle: Send me the notes\n---\n# Heading here\n\n"
        "> Send me the notes by Friday.\nlazy continuation\n\n"
        "- [x] item *one* and __two__\n1. second\n\nsnake_case_name stays; a * b stays.\n"
    )
    out = masked_md(text)
    assert "title" not in out and "Send" not in out and "lazy" not in out
    assert "#" not in out and "Heading here" in out
    assert "[x]" not in out and "- " not in out and "1." not in out
    assert "item  one  and   two" in out
    assert "snake_case_name" in out and "a * b" in out


def test_list_continuation_is_not_code() -> None:
    text = "- first item\n\n    Send me the notes by Friday.\n"
    assert "Send me the notes" in masked_md(text)


def test_markdown_ranges_are_sorted_and_disjoint() -> None:
    ranges = markdown_ranges("`a` [b](c) `d` https://e.f <!-- g -->")
    assert ranges == sorted(ranges)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(ranges))


def test_markdown_check_skips_code_and_quotes(checker: Checker) -> None:
    text = (
        "# Feedback request\n\n"
        "> Send me the notes by Friday.\n\n"
        "```\nSend me the notes by Friday.\n```\n\n"
        f"Thank you for your time. {ENTITLED}\n\n"
        "My notes are [here](https://example.com/send-me-the-notes-by-friday).\n"
    )
    plain = checker.check(text)
    md = checker.check(text, input_format="markdown")
    assert_offsets(md, text)
    assert "demanding.deadline" in rules_of(plain)
    assert "demanding.deadline" not in rules_of(md)
    assert rules_of(md) == ["entitled.deserve"]
    (f,) = md.findings
    assert text[f.start : f.end] == "I deserve an explanation"


def test_markdown_finding_text_comes_from_the_original(checker: Checker) -> None:
    text = "Send me the **interview notes** by Friday.\n"
    report = checker.check(text, input_format="markdown")
    assert_offsets(report, text)
    assert any("**" in f.text for f in report.findings)  # sliced from the original


def test_check_many_accepts_prepared_items(checker: Checker) -> None:
    md = f"> {DEMAND}\n\n{ENTITLED}\n"
    reports = list(checker.check_many([prepare(md, "markdown"), md, DEMAND]))
    assert rules_of(reports[0]) == ["entitled.deserve"]
    assert "demanding.deadline" in rules_of(reports[1])  # a plain str: plain format
    assert [r.text for r in reports] == [md, md, DEMAND]


# --------------------------------------------------------------------------- email

PASTED = """From: Lee Park <lee@example.com>
To: Ana <ana@example.com>
Subject: Send me the notes
Date: Mon, 3 Jun 2024 10:00:00 +0100

Hi Ana,

Thank you for letting me know. I deserve an explanation.

On Mon, 3 Jun 2024 at 09:00, Ana <ana@example.com> wrote:
> Send me the notes by Friday.
> Best, Ana

Your process is broken.

--\x20
Lee Park
Send me the notes by Friday.
"""


def test_pasted_email_masks_headers_quotes_and_signature() -> None:
    out = mask(PASTED, email_ranges(PASTED))
    assert len(out) == len(PASTED)
    assert "Lee Park <" not in out and "Date" not in out and "Subject:" not in out
    assert "Send me the notes\n" in out  # the subject's text stays
    assert "I deserve an explanation." in out
    assert "wrote:" not in out and "by Friday" not in out and "Best, Ana" not in out
    assert "Your process is broken." in out  # a reply after the quote is checked
    assert out.rstrip().endswith("Your process is broken.")  # the signature is gone


def test_unmarked_quoted_reply_runs_to_the_end() -> None:
    text = "Thanks so much.\n\nOn Tue, Ana Silva <ana@x.com>\nwrote:\n\nSend me the notes.\n"
    out = mask(text, email_ranges(text))
    assert out.startswith("Thanks so much.") and "Send" not in out and "wrote" not in out


def test_outlook_original_message_is_masked() -> None:
    text = (
        "Thanks for your time.\n\n-----Original Message-----\nFrom: Ana\nSent: Monday\n"
        "Send me the notes.\n"
    )
    out = mask(text, email_ranges(text))
    assert "Thanks for your time." in out and "Send" not in out and "Original" not in out
    text2 = "Thanks.\n\nFrom: Ana Silva\nSent: Monday 3 June\nTo: Lee\n\nSend me the notes.\n"
    assert "Send" not in mask(text2, email_ranges(text2))


def test_email_check_offsets_and_findings(checker: Checker) -> None:
    report = checker.check(PASTED, input_format="email")
    assert_offsets(report, PASTED)
    rules = rules_of(report)
    assert "entitled.deserve" in rules
    assert "demanding.deadline" not in rules  # only in the quote and the signature
    starts = {PASTED[f.start : f.end] for f in report.findings}
    assert not any("Friday" in s for s in starts)


def _eml(body: str, subject: str = "Feedback", html: str | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Lee <lee@example.com>"
    msg["To"] = "ana@example.com"
    msg["Subject"] = subject
    msg.set_content(body, charset="utf-8", cte="quoted-printable")
    if html is not None:
        msg.add_alternative(html, subtype="html")
    msg.add_attachment(b"Send me the notes.", maintype="text", subtype="plain",
                       filename="notes.txt")  # fmt: skip
    return msg.as_bytes()


def test_decode_eml_multipart_quoted_printable() -> None:
    body = "Hi Ana,\n\nThank you \u2014 I deserve an explanation caf\u00e9.\n"
    text = decode_eml(_eml(body, "Re: the analyst role", "<p>HTML version</p>"))
    assert text.startswith("Subject: Re: the analyst role\n\n")
    assert "I deserve an explanation caf\u00e9." in text
    assert "HTML version" not in text and "notes.txt" not in text  # plain part, no attachment
    assert "=E2" not in text and "\r" not in text


def test_decode_eml_html_only_and_latin1() -> None:
    raw = (
        b"From: a@b.c\r\nSubject: Hello\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/html; charset=iso-8859-1\r\n\r\n"
        b"<html><head><style>p {color: red}</style></head><body><p>Caf\xe9 &amp; thanks.</p>"
        b"<div class='gmail_quote'><div>Send me the notes.</div></div></body></html>\r\n"
    )
    text = decode_eml(raw)
    assert "Caf\u00e9 & thanks." in text
    assert "color" not in text and "Send me" not in text


def test_eml_check_skips_headers_and_signature(checker: Checker) -> None:
    body = f"Thank you for your time.\n\n{ENTITLED}\n\n-- \nLee\n{DEMAND}\n"
    text = decode_eml(_eml(body, "Send me the notes"))
    report = checker.check(text, input_format="email")
    assert_offsets(report, text)
    # the subject is checked (not its "Subject:" label), the signature is not
    assert rules_of(report) == ["demanding.bare-imperative", "entitled.deserve"]
    assert report.findings[0].text == "Send me the notes"
    assert report.findings[0].start == len("Subject: ")


def test_looks_like_raw_email() -> None:
    assert looks_like_raw_email("From: a@b\nMIME-Version: 1.0\nSubject: x\n\nbody")
    assert not looks_like_raw_email("From: a@b\nSubject: x\n\nbody")  # pasted, not MIME
    assert not looks_like_raw_email("Hi Ana,\n\nThanks.")


# --------------------------------------------------------------------- suppression


def test_markdown_disable_enable_region(checker: Checker) -> None:
    text = (
        f"{DEMAND}\n\n<!-- tonecheck: disable=demanding.deadline -->\n\n{DEMAND}\n\n"
        f"{ENTITLED}\n\n<!-- tonecheck: enable -->\n\n{DEMAND}\n"
    )
    report = checker.check(text, input_format="markdown")
    assert_offsets(report, text)
    deadlines = [f for f in report.findings if f.rule == "demanding.deadline"]
    assert len(deadlines) == 2  # the first and last paragraphs
    region = (text.index("<!--"), text.index("<!-- tonecheck: enable"))
    assert not any(region[0] <= f.start < region[1] for f in deadlines)
    assert "entitled.deserve" in rules_of(report)  # not named, so still checked


def test_disable_all_with_exceptions_and_bare_ids(checker: Checker) -> None:
    text = (
        f"<!-- tonecheck: disable -->\n{DEMAND} {ENTITLED}\n"
        f"<!-- tonecheck: enable=deserve -->\n{DEMAND} {ENTITLED}\n"
    )
    report = checker.check(text, input_format="markdown")
    second_line = text.index("-->\n", text.index("enable")) + 4
    assert all(f.start >= second_line for f in report.findings)
    assert rules_of(report) == ["entitled.deserve"]


def test_disable_line_and_next_line(checker: Checker) -> None:
    text = (
        f"{DEMAND} <!-- tonecheck: disable-line=demanding -->\n"
        "<!-- tonecheck: disable-next-line=deadline -->\n"
        f"{DEMAND}\n{DEMAND}\n"
    )
    report = checker.check(text, input_format="markdown")
    lines = [text.count("\n", 0, f.start) for f in report.findings]
    assert 0 not in lines  # the whole category is off on the first line
    assert ("demanding.deadline", 2) not in list(zip(rules_of(report), lines, strict=True))
    assert ("demanding.deadline", 3) in list(zip(rules_of(report), lines, strict=True))
    assert ("demanding.bare-imperative", 2) in list(zip(rules_of(report), lines, strict=True))


def test_plain_text_ignore_at_end_of_line(checker: Checker) -> None:
    text = f"{DEMAND} tonecheck: ignore\n{DEMAND}\r\n{ENTITLED}  # tonecheck: ignore=deserve\n"
    report = checker.check(text)
    assert_offsets(report, text)
    assert all(text.count("\n", 0, f.start) == 1 for f in report.findings)
    assert "demanding.deadline" in rules_of(report)
    assert all("tonecheck" not in f.text for f in report.findings)


def test_bare_directive_needs_line_end_and_markdown_needs_comment() -> None:
    sups, _ = directives("tonecheck: ignore is a phrase here.\n", "plain")
    assert sups == []
    sups, _ = directives("Send it. tonecheck: ignore\n", "markdown")
    assert sups == []  # Markdown takes the HTML comment form only
    sups, own = directives("Send it. tonecheck: IGNORE = a, b.c\n", "plain")
    assert len(sups) == 1 and sups[0].names == frozenset({"a", "b.c"}) and len(own) == 1
