"""Robustness: arbitrary text never breaks the checker or its offsets; the CLI never crashes.

Example counts are modest (CI machines are small); the heavier cases are marked slow.
"""

from __future__ import annotations

import codecs
import random
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tonecheck import Checker, Report
from tonecheck.markup import INPUT_FORMATS, EmailError, decode_eml, prepare

# Pieces that stress the Markdown, email and suppression scanners, and the parser.
ODD = st.sampled_from([
    "```", "~~~", "```python\n", "> ", ">", "<!--", "-->", "[", "](", ")", "](http://x.y/(a)",
    "![", "`", "``", "*", "**", "_", "__", "~~", "#", "###### ", "    ", "\t", "\r\n", "\r",
    "\n", "\n\n", "http://x.y/z.", "www.a.b", "<https://a.b>", "<a href='x'>", "</a>", "<b>",
    "---\n", "-- \n", "--\n", "===\n", "- [ ] ", "1. ", "| a | b |\n|---|---|\n",
    "On Mon, 3 Jun 2024, Ana wrote:\n", "wrote:\n", "Subject: ", "From: a@b.c\n", "To: x\n",
    "-----Original Message-----\n", "tonecheck: ignore", "tonecheck: ignore=deadline\n",
    "<!-- tonecheck: disable -->", "<!-- tonecheck: enable=demanding -->",
    "<!-- tonecheck: disable-line=x,y -->", "tonecheck: disable-next-line\n",
    "<!-- tonecheck: disable-next-line -->", "<script>", "</script>", "<pre>",
    "\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x85", "\x00", "\x1f", "\x7f", "\ufeff",
    "\u200b", "\u0301", "\U0001f600", "\U0001f1ec\U0001f1e7", "\u05e9\u05dc\u05d5\u05dd",
    "\ud7ff", "\u201cquoted\u201d", '"', "'", "\u2019",
    "Send me the notes by Friday.", "I deserve an explanation.", "Your process is broken.",
    "Thank you for your time.", " ", "  ", ".", "?", "!",
])  # fmt: skip
TEXTS = st.lists(st.one_of(ODD, st.text(max_size=12)), max_size=30).map("".join)
FORMATS = st.sampled_from(INPUT_FORMATS)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_report_consistent(report: Report, text: str) -> None:
    assert report.text == text
    n = len(text)
    for f in report.findings:
        assert 0 <= f.start < f.end <= n, (f.start, f.end, n)
        assert text[f.start : f.end] == f.text
        assert 0 <= f.sentence < max(len(report.sentences), 1)
        for sug in f.suggestions:
            assert 0 <= sug.start <= sug.end <= n
    for sent in report.sentences:
        assert 0 <= sent.start <= sent.end <= n
    for sig in report.signals:
        if sig.present:
            assert sig.start is not None and sig.end is not None
            assert text[sig.start : sig.end] == sig.text
    assert 0 <= report.tone_score <= 100


@given(text=TEXTS, fmt=FORMATS)
@settings(max_examples=300, deadline=None)
def test_masking_keeps_length_and_only_blanks(text: str, fmt: str) -> None:
    p = prepare(text, fmt)
    assert len(p.masked) == len(text)
    for a, b in zip(text, p.masked, strict=True):
        assert b == a or (b == " " and a not in "\r\n")
    for sup in p.suppressions:
        assert 0 <= sup.start <= sup.end
    for start, end in p.skipped:
        assert 0 <= start < end <= len(text)


@given(text=TEXTS, fmt=FORMATS)
@SETTINGS
def test_check_never_fails_and_offsets_hold(checker: Checker, text: str, fmt: str) -> None:
    report = checker.check(text, input_format=fmt)
    assert_report_consistent(report, text)


@given(
    line=st.text(
        alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\n\r"),
        min_size=1,
        max_size=40,
    ),
    repeat=st.integers(min_value=600, max_value=1500),
    fmt=FORMATS,
    ending=st.sampled_from(["", "\n", "\r\n", "\r"]),
)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@pytest.mark.slow
def test_very_long_lines(checker: Checker, line: str, repeat: int, fmt: str, ending: str) -> None:
    # one line well over the 20,000-character chunk size, then a normal sentence
    text = (line + " Send me the notes by Friday. ") * repeat + ending + "I deserve it."
    report = checker.check(text, input_format=fmt)
    assert_report_consistent(report, text)


@given(
    parts=st.lists(
        st.tuples(
            st.sampled_from(["Send me the notes by Friday.", "```", "> quote", "    code",
                             "<!-- tonecheck: disable -->", "<!-- tonecheck: enable -->",
                             "I deserve an explanation.", "# Title", "- item"]),
            st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\r\n\r\n", " "]),
        ),
        max_size=25,
    )
)  # fmt: skip
@SETTINGS
def test_mixed_line_endings_and_odd_markdown(
    checker: Checker, parts: list[tuple[str, str]]
) -> None:
    text = "".join(a + b for a, b in parts)
    for fmt in ("markdown", "plain"):
        report = checker.check(text, input_format=fmt)
        assert_report_consistent(report, text)


@given(data=st.binary(max_size=600) | TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass")))
@settings(max_examples=150, deadline=None)
def test_decode_eml_returns_text_or_email_error(data: bytes) -> None:
    try:
        text = decode_eml(data)
    except EmailError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(text, str) and "\r" not in text


def test_check_many_mixed_formats_keeps_every_text(checker: Checker) -> None:
    texts = ["", "\r\n\r\n", "```\n", "> only a quote", "\x00\x01", "Send me it.\r" * 50]
    items = [prepare(t, f) for t in texts for f in INPUT_FORMATS]
    reports = list(checker.check_many(items, batch_size=4))
    assert len(reports) == len(items)
    for item, report in zip(items, reports, strict=True):
        assert_report_consistent(report, item.text)


# ------------------------------------------------------------------------- CLI fuzz


def _fuzz_bytes(rng: random.Random, kind: int) -> bytes:
    n = rng.randint(0, 3000)
    if kind == 0:  # anything at all
        return rng.randbytes(n)
    if kind == 1:  # mostly ASCII with control characters, no NUL
        alphabet = b"\t\n\r\x0b\x0c\x1b\x7f abcSend me.>#`*[]()<!-->"
        return bytes(rng.choice(alphabet) for _ in range(n))
    if kind == 2:  # valid UTF-8 of random code points
        return "".join(chr(rng.choice([rng.randint(1, 0xD7FF), rng.randint(0xE000, 0x10FFFF)]))
                       for _ in range(n // 4)).encode("utf-8")  # fmt: skip
    if kind == 3:  # email-like headers with junk
        head = b"Subject: =?utf-8?b?" + rng.randbytes(20).hex().encode() + b"?=\r\n"
        head += b'Content-Type: multipart/mixed; boundary="' + rng.randbytes(5).hex().encode()
        return head + b'"\r\nContent-Transfer-Encoding: base64\r\n\r\n' + rng.randbytes(n)
    if kind == 4:  # a BOM, then anything
        bom = rng.choice([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
                          codecs.BOM_UTF32_LE])  # fmt: skip
        return bom + rng.randbytes(n)
    # Markdown-ish soup
    words = ["```", "> ", "Send me the notes by Friday.", "[a](b)", "`x`", "\n", "\r\n", "#",
             "<!-- tonecheck: disable -->", "    ", "http://x.y", "\u00e9", "-- \n"]  # fmt: skip
    return "".join(rng.choice(words) for _ in range(n // 10)).encode("utf-8")


@pytest.mark.slow
def test_cli_fuzz_random_files(tmp_path: Path, tonecheck_exe: str) -> None:
    rng = random.Random(20240607)
    suffixes = [".txt", ".md", ".eml", "", ".markdown"]
    cases = 0
    for run in range(9):  # 9 subprocesses x 4 files = 36 random files
        files = []
        for k in range(4):
            p = tmp_path / f"fuzz{run}_{k}{rng.choice(suffixes)}"
            p.write_bytes(_fuzz_bytes(rng, (run * 4 + k) % 6))
            files.append(str(p))
        fmt_args = [] if run % 4 else ["--input-format", INPUT_FORMATS[run % 3]]
        out_fmt = ["text", "json", "jsonl"][run % 3]
        proc = subprocess.run(
            [tonecheck_exe, "--no-grammar", "--format", out_fmt, *fmt_args, *files],
            capture_output=True, timeout=300,
        )  # fmt: skip
        stderr = proc.stderr.decode("utf-8", "replace")
        assert proc.returncode in (0, 1, 2), (files, proc.returncode, stderr)
        assert "Traceback" not in stderr, stderr
        for line in stderr.splitlines():
            assert line.startswith("tonecheck: "), line
        cases += len(files)
    # standard input too
    for kind in (0, 2, 5):
        proc = subprocess.run(
            [tonecheck_exe, "--no-grammar", "--input-format", INPUT_FORMATS[kind % 3], "-"],
            input=_fuzz_bytes(rng, kind), capture_output=True, timeout=300,
        )  # fmt: skip
        stderr = proc.stderr.decode("utf-8", "replace")
        assert proc.returncode in (0, 1, 2) and "Traceback" not in stderr, stderr
        cases += 1
    assert cases == 39
