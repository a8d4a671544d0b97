"""Input awareness: which parts of a Markdown file or an email are prose to check.

Nothing is ever cut out of the text. The parts that are not the writer's prose (code,
URLs, link targets, HTML, block quotes, email headers, quoted replies, signatures) are
*masked*: every character in them becomes a space, line breaks stay. The masked text has
the same length as the original, so the offsets the checker finds in it are offsets into
the original, and findings' ``text`` is sliced from the original.

Inline suppression comments (``<!-- tonecheck: disable=demanding.deadline -->``,
``tonecheck: ignore`` at the end of a line) become :class:`Suppression` ranges.

An ``.eml`` file is raw MIME; :func:`decode_eml` turns it into the *message text*
(``Subject: ...``, a blank line, the decoded plain-text body) which is what gets checked
and what offsets index into.
"""

from __future__ import annotations

import bisect
import email
import email.policy
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

INPUT_FORMATS: tuple[str, ...] = ("plain", "markdown", "email")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
EMAIL_SUFFIXES = (".eml",)

Range = tuple[int, int]


def format_for_path(path: str | Path | None) -> str:
    """The input format implied by a file name: ``markdown``, ``email`` or ``plain``."""
    if path is None:
        return "plain"
    suffix = Path(str(path)).suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in EMAIL_SUFFIXES:
        return "email"
    return "plain"


# --------------------------------------------------------------------------- masking

_NOT_BREAK = re.compile(r"[^\r\n]")


def merge_ranges(ranges: Iterable[Range]) -> list[Range]:
    """Sort and merge overlapping or touching ranges; empty ones are dropped."""
    out: list[Range] = []
    for s, e in sorted(r for r in ranges if r[1] > r[0]):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def mask(text: str, ranges: Iterable[Range]) -> str:
    """``text`` with every character in ``ranges`` replaced by a space (line breaks kept)."""
    merged = merge_ranges(ranges)
    if not merged:
        return text
    parts: list[str] = []
    pos = 0
    for s, e in merged:
        parts.append(text[pos:s])
        parts.append(_NOT_BREAK.sub(" ", text[s:e]))
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(text: str) -> list[tuple[int, int, str]]:
    """``(start, end_without_break, content)`` of every line (``\\n``, ``\\r\\n``, ``\\r``)."""
    out = []
    for m in _LINE.finditer(text):
        line = m.group()
        content = line.rstrip("\r\n")
        out.append((m.start(), m.start() + len(content), content))
    return out


# ------------------------------------------------------------------------- Markdown

_FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_ATX = re.compile(r"^( {0,3}#{1,6})(?=[ \t]|$)")
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_SETEXT_OR_BREAK = re.compile(
    r"^ {0,3}(?:=+|-+|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})[ \t]*$"
)
_LIST = re.compile(r"^([ \t]*)([-+*]|\d{1,9}[.)])([ \t]+(?:\[[ xX]\][ \t]+)?|$)")
_QUOTE = re.compile(r"^ {0,3}>")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S")
_TABLE_DELIM = re.compile(r"^[ \t]*\|?[ \t]*:?-{1,}:?[ \t]*(?:\|[ \t]*:?-{1,}:?[ \t]*)+\|?[ \t]*$")
_RAW_HTML_OPEN = re.compile(r"^ {0,3}<(script|style|pre|textarea)\b", re.IGNORECASE)
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")

_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_IMAGE = re.compile(r"!\[[^\]\n]*\](?:\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)|\[[^\]\n]*\])")
_LINK = re.compile(r"\[(?P<label>[^\]\n]*)\](?P<target>\((?:[^()\n]|\([^()\n]*\))*\)|\[[^\]\n]*\])")
_URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}*_~]")
_EMAIL_ADDR = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
_EMPHASIS = re.compile(r"\*+|(?<![^\W_])_+|_+(?![^\W_])|~~")
_BACKTICKS = re.compile(r"`+")


def _fence_close(content: str, fence: str) -> bool:
    s = content.strip()
    return len(s) >= len(fence) and set(s) == {fence[0]}


def _markdown_blocks(text: str) -> tuple[list[Range], list[Range]]:
    """Block-level ranges: ``(skip whole, mask markers only)``."""
    skip: list[Range] = []
    markers: list[Range] = []
    lines = _lines(text)
    i, n = 0, len(lines)
    # YAML front matter at the very top
    if lines and lines[0][2].rstrip() == "---":
        for j in range(1, n):
            if _FRONT_MATTER_END.match(lines[j][2]):
                skip.append((0, lines[j][1]))
                i = j + 1
                break
    prev_blank = True
    in_list = False
    in_quote = False
    while i < n:
        start, end, content = lines[i]
        stripped = content.strip()
        if not stripped:
            prev_blank, in_quote = True, False
            i += 1
            continue
        fence = _FENCE_OPEN.match(content)
        if fence:
            j = i + 1
            while j < n and not _fence_close(lines[j][2], fence.group(1)):
                j += 1
            last = lines[min(j, n - 1)]
            skip.append((start, last[1]))
            i, prev_blank = j + 1, False
            continue
        raw = _RAW_HTML_OPEN.match(content)
        if raw:
            close = re.compile(rf"</{raw.group(1)}\s*>", re.IGNORECASE)
            j = i
            while j < n and not close.search(lines[j][2]):
                j += 1
            last = lines[min(j, n - 1)]
            skip.append((start, last[1]))
            i, prev_blank = j + 1, False
            continue
        indent = len(content) - len(content.lstrip(" \t"))
        width = len(content[:indent].expandtabs(4))
        code_indent = 8 if in_list else 4
        if width >= code_indent and prev_blank and not in_quote:
            # an indented code block: this line and the following indented or blank lines
            j = i
            last_code = i
            while j < n:
                c = lines[j][2]
                if c.strip():
                    if len(c[: len(c) - len(c.lstrip(" \t"))].expandtabs(4)) < code_indent:
                        break
                    last_code = j
                j += 1
            skip.append((start, lines[last_code][1]))
            i, prev_blank = last_code + 1, False
            continue
        if _QUOTE.match(content) or (in_quote and not prev_blank):
            skip.append((start, end))  # block quotes (with lazy continuation lines)
            in_quote, prev_blank = True, False
            i += 1
            continue
        if _REF_DEF.match(content) or _TABLE_DELIM.match(content):
            skip.append((start, end))
        elif _SETEXT_OR_BREAK.match(content):
            markers.append((start, end))
        else:
            atx = _ATX.match(content)
            if atx:
                markers.append((start, start + atx.end()))
                close_m = _ATX_CLOSE.search(content)
                if close_m and close_m.start() > atx.end():
                    markers.append((start + close_m.start(), end))
            lst = _LIST.match(content)
            if lst:
                markers.append((start + lst.start(2), start + lst.end()))
                in_list = True
            elif indent == 0 and prev_blank:
                in_list = False
        prev_blank = False
        i += 1
    return skip, markers


def _inline_code(text: str) -> list[Range]:
    """Code spans: a run of backticks up to the next run of the same length."""
    out: list[Range] = []
    runs = list(_BACKTICKS.finditer(text))
    used = -1
    for k, m in enumerate(runs):
        if m.start() < used:
            continue
        width = len(m.group())
        for m2 in runs[k + 1 :]:
            between = text[m.end() : m2.start()]
            if re.search(r"\n[ \t]*\n", between):
                break
            if len(m2.group()) == width:
                out.append((m.start(), m2.end()))
                used = m2.end()
                break
    return out


def markdown_ranges(text: str) -> list[Range]:
    """Ranges of a Markdown text that are not prose (to be masked)."""
    skip, markers = _markdown_blocks(text)
    skip.extend(m.span() for m in _HTML_COMMENT.finditer(text))
    # inline syntax is found in the text with block-level skips already masked
    work = mask(text, skip)
    inline: list[Range] = _inline_code(work)
    work = mask(work, inline)
    for rx in (_AUTOLINK, _IMAGE, _HTML_TAG):
        inline.extend(m.span() for m in rx.finditer(work))
    work = mask(work, inline)
    for m in _LINK.finditer(work):
        inline.append((m.start(), m.start() + 1))  # "["
        inline.append((m.end("label"), m.end()))  # "](target)" or "][ref]"
    work = mask(work, inline)
    for rx in (_URL, _EMAIL_ADDR):
        inline.extend(m.span() for m in rx.finditer(work))
    work = mask(work, inline)
    for m in _ESCAPE.finditer(work):
        inline.append(m.span())
    for m in _EMPHASIS.finditer(work):
        s, e = m.span()
        before = work[s - 1] if s else " "
        after = work[e] if e < len(work) else " "
        if not (before.isspace() and after.isspace()):  # "a * b" is not emphasis
            inline.append((s, e))
    return merge_ranges([*skip, *markers, *inline])


# ---------------------------------------------------------------------------- email

_HEADER_NAMES = (
    "from", "to", "cc", "bcc", "subject", "date", "sent", "reply-to", "message-id",
    "mime-version", "content-type", "content-transfer-encoding", "received", "return-path",
    "in-reply-to", "references", "importance", "delivered-to", "thread-topic", "sender",
    "x-[\\w-]+", "user-agent", "organization", "priority",
)  # fmt: skip
_HEADER = re.compile(rf"^(?:{'|'.join(_HEADER_NAMES)})[ \t]*:", re.IGNORECASE)
_ANY_HEADER = re.compile(r"^[A-Za-z][A-Za-z0-9-]*[ \t]*:")
_SUBJECT = re.compile(r"^(subject[ \t]*:[ \t]*)", re.IGNORECASE)
_EMAIL_QUOTE = re.compile(r"^[ \t]*>")
_ATTRIBUTION = re.compile(r"^[ \t]*On\b.{0,300}\bwrote:[ \t]*$", re.IGNORECASE)
_ATTRIBUTION_START = re.compile(r"^[ \t]*On\b.{0,300}$", re.IGNORECASE)
_ORIGINAL = re.compile(
    r"^[ \t]*(?:-{2,}[ \t]*(?:Original Message|Forwarded message)[ \t]*-{2,}|_{10,})[ \t]*$",
    re.IGNORECASE,
)
_OUTLOOK_FROM = re.compile(r"^[ \t]*\**From:\**[ \t]+\S", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^[ \t]*\**(?:Sent|Date|To|Subject):\**", re.IGNORECASE)
_SIG = re.compile(r"^--[ \t]?$")
_MOBILE = re.compile(r"^[ \t]*Sent from my\b.*$", re.IGNORECASE)


def email_ranges(text: str) -> list[Range]:
    """Ranges of a (pasted or decoded) email that are not the writer's body."""
    out: list[Range] = []
    lines = _lines(text)
    n = len(lines)
    i = 0
    while i < n and not lines[i][2].strip():
        i += 1
    # a header block at the top: masked, except the subject's text
    if i < n and _HEADER.match(lines[i][2]):
        in_subject = False
        while i < n:
            start, end, content = lines[i]
            if not content.strip():
                break
            if content[:1] in (" ", "\t") and in_subject:
                pass  # a folded subject line: keep it
            elif content[:1] in (" ", "\t"):
                out.append((start, end))
            elif _ANY_HEADER.match(content):
                subj = _SUBJECT.match(content)
                in_subject = subj is not None
                out.append((start, start + subj.end()) if subj else (start, end))
            else:
                break
            i += 1
    while i < n:
        start, end, content = lines[i]
        if _SIG.match(content) or _ORIGINAL.match(content):
            out.append((start, len(text)))  # signature or forwarded/original message
            break
        if _OUTLOOK_FROM.match(content) and any(
            _OUTLOOK_NEXT.match(lines[j][2]) for j in range(i + 1, min(i + 4, n))
        ):
            out.append((start, len(text)))  # an Outlook-style quoted message
            break
        attribution_end = None
        if _ATTRIBUTION.match(content):
            attribution_end = i
        elif (
            i + 1 < n
            and _ATTRIBUTION_START.match(content)
            and re.match(r"^.{0,200}\bwrote:[ \t]*$", lines[i + 1][2], re.IGNORECASE)
        ):
            attribution_end = i + 1  # "On Mon, ... Jane Doe <jane@example.com>\nwrote:"
        if attribution_end is not None:
            k = attribution_end + 1
            while k < n and not lines[k][2].strip():
                k += 1
            if k < n and _EMAIL_QUOTE.match(lines[k][2]):
                out.append((start, lines[attribution_end][1]))  # ">" lines follow: keep replies
                i = attribution_end + 1
                continue
            out.append((start, len(text)))  # an unmarked quoted message: to the end
            break
        if _EMAIL_QUOTE.match(content) or _MOBILE.match(content):
            out.append((start, end))
        i += 1
    masked = mask(text, out)
    out.extend(m.span() for m in _URL.finditer(masked))
    out.extend(m.span() for m in _EMAIL_ADDR.finditer(masked))
    return merge_ranges(out)


class _HTMLText(HTMLParser):
    """Plain text of an HTML body: tags dropped, quoted replies and scripts left out."""

    _BLOCK: ClassVar[frozenset[str]] = frozenset({
        "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "section", "article", "header", "footer",
    })  # fmt: skip
    _SKIP: ClassVar[frozenset[str]] = frozenset({"script", "style", "head", "title", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_tag: str | None = None
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_tag is not None:
            self.skip_depth += tag == self.skip_tag
            return
        classes = " ".join(v or "" for k, v in attrs if k == "class")
        if tag in self._SKIP or "gmail_quote" in classes:
            self.skip_tag, self.skip_depth = tag, 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if self.skip_depth <= 0:
                    self.skip_tag = None
            return
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip_tag is None:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """A readable plain-text rendering of an HTML email body."""
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


class EmailError(ValueError):
    """An ``.eml`` file that cannot be read as an email."""


def decode_eml(data: bytes) -> str:
    """The message text of a raw email: ``Subject: ...``, a blank line, the plain body.

    The first ``text/plain`` part that is not an attachment is the body (transfer
    encodings and charsets decoded); failing that, the first ``text/html`` part rendered
    as text. Line breaks are normalised to ``\\n``.
    """
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
        subject = str(msg.get("subject", "") or "")
        body_part = None
        for kind in ("plain", "html"):
            for part in msg.walk():
                if part.is_multipart() or part.get_content_type() != f"text/{kind}":
                    continue
                if part.get_content_disposition() == "attachment":
                    continue
                body_part = part
                break
            if body_part is not None:
                break
        body = ""
        if body_part is not None:
            try:
                body = body_part.get_content()
            except (LookupError, UnicodeError, ValueError):
                payload = body_part.get_payload(decode=True)
                body = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
            if not isinstance(body, str):
                body = ""
            if body_part.get_content_type() == "text/html":
                body = html_to_text(body)
    except EmailError:
        raise
    except Exception as exc:  # the email package raises many kinds on malformed input
        raise EmailError(f"cannot parse the email ({type(exc).__name__}: {exc})") from None
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    subject = " ".join(subject.split())
    head = f"Subject: {subject}\n\n" if subject else ""
    return head + body


def looks_like_raw_email(text: str) -> bool:
    """A pasted text that is a raw MIME message (headers with MIME or transport fields)."""
    head = text.lstrip()[:4000].split("\n\n", 1)[0]
    if not _HEADER.match(head):
        return False
    return bool(
        re.search(
            r"^(?:mime-version|content-type|content-transfer-encoding|received|message-id)[ \t]*:",
            head,
            re.IGNORECASE | re.MULTILINE,
        )
    )


# ------------------------------------------------------------------ suppressions

_DIRECTIVE_KINDS = r"disable-next-line|disable-line|disable|enable|ignore"
_COMMENT_DIRECTIVE = re.compile(
    rf"<!--[ \t]*tonecheck:[ \t]*(?P<kind>{_DIRECTIVE_KINDS})"
    r"(?:[ \t]*=[ \t]*(?P<names>[^\n>]*?))?[ \t]*-->",
    re.IGNORECASE,
)
# the bare form ends its line: "... tonecheck: ignore", "# tonecheck: disable=deadline"
_BARE_DIRECTIVE = re.compile(
    rf"(?:(?<=\s)|^)(?:#|//|%|;)?[ \t]*tonecheck:[ \t]*(?P<kind>{_DIRECTIVE_KINDS})"
    r"(?:[ \t]*=[ \t]*(?P<names>[\w.,\- \t]*[\w.-]))?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Suppression:
    """Findings starting in ``[start, end)`` whose rule is named here are dropped.

    ``names`` None means every rule except those in ``keep``; otherwise only the named
    ones. A name is a full rule id (``demanding.deadline``), a bare id (``deadline``) or
    a category (``demanding``).
    """

    start: int
    end: int
    names: frozenset[str] | None = None
    keep: frozenset[str] = frozenset()

    def applies(self, rule: str, category: str) -> bool:
        aliases = rule_aliases(rule, category)
        if self.names is None:
            return not (aliases & self.keep)
        return bool(aliases & self.names)


def rule_aliases(rule: str, category: str) -> set[str]:
    """The names that select a rule: ``category.id``, ``id`` and ``category``."""
    bare = rule.split(".", 1)[1] if rule.startswith(category + ".") else rule
    return {rule.lower(), bare.lower(), category.lower()}


def _names(raw: str | None) -> frozenset[str] | None:
    if raw is None:
        return None
    names = frozenset(x.lower() for x in re.split(r"[\s,]+", raw.strip()) if x)
    return names or None


def _line_bounds(text: str, pos: int) -> Range:
    s = max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1
    m = re.compile(r"[\r\n]").search(text, pos)
    return s, (m.start() if m else len(text))


def directives(text: str, input_format: str) -> tuple[list[Suppression], list[Range]]:
    """Suppressions from ``tonecheck:`` comments, and the comments' own ranges."""
    if "tonecheck" not in text.lower():
        return [], []
    found = [(m, "comment") for m in _COMMENT_DIRECTIVE.finditer(text)]
    if input_format != "markdown":
        found += [(m, "bare") for m in _BARE_DIRECTIVE.finditer(text)]
        covered = [m.span() for m, k in found if k == "comment"]
        found = [
            (m, k)
            for m, k in found
            if k == "comment" or not any(s <= m.start() < e for s, e in covered)
        ]
    found.sort(key=lambda mk: mk[0].start())
    sups: list[Suppression] = []
    own: list[Range] = []
    # region state: everything off (except `keep`), or only `off` names
    all_off, keep, off = False, set[str](), set[str]()
    region_start = 0

    def close(at: int) -> None:
        if at <= region_start:
            return
        if all_off:
            sups.append(Suppression(region_start, at, None, frozenset(keep)))
        elif off:
            sups.append(Suppression(region_start, at, frozenset(off)))

    for m, _ in found:
        own.append(m.span())
        kind = m.group("kind").lower()
        names = _names(m.group("names"))
        if kind in ("disable-line", "ignore"):
            s, e = _line_bounds(text, m.start())
            sups.append(Suppression(s, e, names))
            continue
        if kind == "disable-next-line":
            _, e = _line_bounds(text, m.start())
            nxt = e + (2 if text.startswith("\r\n", e) else 1)
            if nxt <= len(text):
                s2, e2 = _line_bounds(text, nxt)
                sups.append(Suppression(s2, max(e2, s2 + 1), names))
            continue
        close(m.start())
        region_start = m.start()
        if kind == "disable":
            if names is None:
                all_off, keep, off = True, set(), set()
            elif all_off:
                keep -= names
            else:
                off |= names
        else:  # enable
            if names is None:
                all_off, keep, off = False, set(), set()
            elif all_off:
                keep |= names
            else:
                off -= names
    close(len(text) + 1)
    return sups, own


def suppressed(rule: str, category: str, start: int, sups: Sequence[Suppression]) -> bool:
    """Whether a finding of ``rule`` at ``start`` falls under one of the suppressions."""
    return any(s.start <= start < s.end and s.applies(rule, category) for s in sups)


# ------------------------------------------------------------------------ prepare


@dataclass(frozen=True)
class Prepared:
    """A text ready for the checker: the original, its masked twin, and suppressions."""

    text: str
    masked: str
    input_format: str = "plain"
    suppressions: tuple[Suppression, ...] = ()
    skipped: tuple[Range, ...] = field(default=(), repr=False)

    def is_skipped(self, pos: int) -> bool:
        """Whether offset ``pos`` lies in a masked (unchecked) range."""
        k = bisect.bisect_right(self.skipped, (pos, float("inf"))) - 1
        return k >= 0 and self.skipped[k][0] <= pos < self.skipped[k][1]


def prepare(text: str, input_format: str = "plain") -> Prepared:
    """Mask the parts of ``text`` that are not prose, for ``input_format``.

    ``plain`` text is checked as it is, apart from ``tonecheck:`` suppression comments.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    if input_format not in INPUT_FORMATS:
        raise ValueError(
            f"unknown input format {input_format!r}; use one of {', '.join(INPUT_FORMATS)}"
        )
    sups, own = directives(text, input_format)
    ranges: list[Range] = list(own)
    if input_format == "markdown":
        ranges.extend(markdown_ranges(text))
    elif input_format == "email":
        ranges.extend(email_ranges(text))
    if not ranges:
        return Prepared(text, text, input_format, tuple(sups))
    merged = merge_ranges(ranges)
    return Prepared(text, mask(text, merged), input_format, tuple(sups), tuple(merged))


__all__ = [
    "INPUT_FORMATS",
    "EmailError",
    "Prepared",
    "Suppression",
    "decode_eml",
    "directives",
    "email_ranges",
    "format_for_path",
    "html_to_text",
    "looks_like_raw_email",
    "markdown_ranges",
    "mask",
    "prepare",
    "suppressed",
]
