"""Grammar and style findings from a LanguageTool server, as tonecheck :class:`Finding`\\ s.

Typical use::

    checker = grammar.resolve("auto")          # None when no server is running
    if checker is not None:
        findings = checker.check(text, names=grammar.name_spans(doc))

The server side (installing the jars with Maven, starting/stopping a local server, the state
file that lets later processes reuse it) lives in :mod:`tonecheck.grammar_server` and is
re-exported here. The client talks to the server through
``language_tool_python.LanguageTool(..., remote_server=URL)``.

Offsets: LanguageTool is Java and counts UTF-16 code units, so every character outside the
BMP (most emoji) counts twice. language_tool_python corrects ``Match.offset`` for that but
not the length; :func:`_span` recomputes both and checks the result against the match's
context, so ``text[f.start:f.end] == f.text`` holds for every finding.
"""

from __future__ import annotations

import bisect
import logging
import os
import re
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import language_tool_python
import requests
from language_tool_python.exceptions import LanguageToolError, RateLimitError

from .grammar_server import (
    HOME_ENV,
    GrammarError,
    GrammarUnavailable,
    ServerInfo,
    cache_dir,
    ensure_server,
    install,
    installed_version,
    running,
    start,
    status,
    stop,
)
from .report import Finding, Suggestion

__all__ = [
    "CHECKER_MODES",
    "HOME_ENV",
    "MODES",
    "URL_ENV",
    "GrammarChecker",
    "GrammarError",
    "GrammarLink",
    "GrammarUnavailable",
    "RewriteGate",
    "ServerInfo",
    "added_errors",
    "adds_errors",
    "cache_dir",
    "ensure_server",
    "install",
    "installed_version",
    "name_spans",
    "resolve",
    "rewrite_gate",
    "running",
    "sentence_spans",
    "start",
    "status",
    "stop",
]

log = logging.getLogger(__name__)

#: Environment variable with the URL (scheme, host, port) of a LanguageTool server to use.
URL_ENV = "TONECHECK_LANGUAGETOOL_URL"
MODES: tuple[str, ...] = ("off", "auto", "required")
MAX_SUGGESTIONS = 5
SOURCE = "languagetool"

# LanguageTool categories / issue types that are about style rather than correctness.
STYLE_CATEGORIES = frozenset(
    {
        "STYLE",
        "TYPOGRAPHY",
        "REDUNDANCY",
        "PLAIN_ENGLISH",
        "WIKIPEDIA",
        "CREATIVE_WRITING",
        "COLLOQUIALISMS",
        "REGIONALISMS",
        "GENDER_NEUTRALITY",
        "MISUSED_TERMS_EU_PUBLICATIONS",
        "TEXT_ANALYSIS",
    }
)
STYLE_ISSUE_TYPES = frozenset(
    {"style", "typographical", "whitespace", "register", "locale-violation"}
)
# Issue types that are suggestions rather than errors even outside the style categories.
INFO_ISSUE_TYPES = frozenset({"hint", "uncategorized", "other"})
SPELLING_CATEGORIES = frozenset({"TYPOS"})

Span = tuple[int, int]


# --------------------------------------------------------------------------- the client


class GrammarChecker:
    """A connection to one LanguageTool server.

    Construction checks that the server answers (``/v2/languages``) and raises
    :class:`GrammarUnavailable` if not. ``timeout`` bounds every request.
    """

    def __init__(
        self,
        url: str,
        language: str = "en-US",
        *,
        timeout: float = 30.0,
        disabled_rules: Iterable[str] = (),
    ) -> None:
        self.url = normalize_url(url)
        self.language = language
        self.timeout = timeout
        # Probe first with our short timeout: language_tool_python would wait 300 s.
        _probe(self.url, timeout)
        try:
            self._lt = language_tool_python.LanguageTool(language, remote_server=self.url)
        except (LanguageToolError, requests.RequestException, OSError, ValueError) as e:
            raise GrammarUnavailable(
                f"LanguageTool at {self.url} is not usable: {_one_line(e)}"
            ) from e
        # language_tool_python has no timeout parameter; its requests use this attribute.
        setattr(self._lt, "_TIMEOUT", timeout)  # noqa: B010
        if disabled_rules:
            self._lt.disabled_rules = set(disabled_rules)

    def __repr__(self) -> str:
        return f"GrammarChecker(url={self.url!r}, language={self.language!r})"

    def __enter__(self) -> GrammarChecker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Forget the connection (a remote server is never stopped from here)."""
        self._lt.close()

    def check(
        self,
        text: str,
        names: Sequence[Span] = (),
        *,
        sentences: Sequence[Span] = (),
    ) -> list[Finding]:
        """LanguageTool's findings for ``text``, with offsets into ``text``.

        ``names`` are character spans of proper names (see :func:`name_spans`): spelling
        matches on them are dropped, as are spelling matches on a capitalised word that does
        not start a sentence. ``sentences`` are sentence spans (see :func:`sentence_spans`)
        used for :attr:`Finding.sentence` and for "starts a sentence"; without them a simple
        punctuation-based split is used. Raises :class:`GrammarUnavailable` when the server
        fails, times out, or refuses the request.
        """
        if not text.strip():
            return []
        try:
            matches = self._lt.check(text)
        except RateLimitError as e:
            raise GrammarUnavailable(f"LanguageTool at {self.url} rate-limited the check") from e
        except (LanguageToolError, requests.RequestException, OSError) as e:
            raise GrammarUnavailable(f"LanguageTool at {self.url} failed: {_one_line(e)}") from e
        except (KeyError, TypeError, ValueError) as e:
            raise GrammarUnavailable(
                f"LanguageTool at {self.url} sent an unexpected answer: {_one_line(e)}"
            ) from e
        offsets = _Utf16(text)
        sents = list(sentences) or _naive_sentences(text)
        findings = []
        for m in matches:
            f = _to_finding(m, text, offsets, names, sents)
            if f is not None:
                findings.append(f)
        findings.sort(key=lambda f: (f.start, f.end, f.rule))
        return findings


def normalize_url(url: str) -> str:
    """``scheme://host:port`` of a server URL; a trailing ``/v2`` path is dropped."""
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    parts = urllib.parse.urlsplit(url)
    path = re.sub(r"/(v2/?)?$", "", parts.path)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _probe(url: str, timeout: float) -> None:
    try:
        r = requests.get(f"{url}/v2/languages", timeout=min(timeout, 10.0))
    except requests.RequestException as e:
        raise GrammarUnavailable(f"LanguageTool at {url} is not reachable: {_one_line(e)}") from e
    if r.status_code != 200:
        raise GrammarUnavailable(f"LanguageTool at {url} answered HTTP {r.status_code}")


def _one_line(e: BaseException) -> str:
    msg = " ".join(str(e).split()) or type(e).__name__
    return msg[:300]


# --------------------------------------------------------------------------- matches


class _Utf16:
    """Converts between Python code-point offsets and Java's UTF-16 offsets in one text."""

    def __init__(self, text: str) -> None:
        self.narrow = all(ord(c) < 0x10000 for c in text)
        if not self.narrow:
            # starts[i] = UTF-16 offset of code point i; the last entry is the total length.
            starts = [0]
            for c in text:
                starts.append(starts[-1] + (2 if ord(c) >= 0x10000 else 1))
            self.starts = starts

    def to_utf16(self, cp: int) -> int:
        return cp if self.narrow else self.starts[cp]

    def to_cp(self, u16: int) -> int | None:
        """The code-point offset of a UTF-16 offset; None inside a surrogate pair."""
        if self.narrow:
            return u16
        i = bisect.bisect_left(self.starts, u16)
        return i if i < len(self.starts) and self.starts[i] == u16 else None


def _utf16_slice(s: str, start: int, length: int) -> str:
    raw = s.encode("utf-16-le")[2 * start : 2 * (start + length)]
    return raw.decode("utf-16-le", errors="replace")


def _same(a: str, b: str) -> bool:
    # LanguageTool's context turns newlines (and other whitespace) into plain spaces.
    return re.sub(r"\s", " ", a) == re.sub(r"\s", " ", b)


def _span(m: Any, text: str, offsets: _Utf16) -> Span | None:
    """The code-point span of a match in ``text``, verified against the match's context.

    ``m.offset`` is in code points when language_tool_python corrected it (3.x does), in
    UTF-16 units when it did not; ``m.error_length`` is always UTF-16. Both readings are
    tried and the one whose text equals the context's marked text wins.
    """
    length = int(m.error_length)
    expected = _utf16_slice(m.context, int(m.offset_in_context), length)
    n = len(text)
    cp_offset = int(m.offset)
    u16_candidates = []
    if 0 <= cp_offset <= n:
        u16_candidates.append(offsets.to_utf16(cp_offset))
    u16_candidates.append(cp_offset)
    for s16 in dict.fromkeys(u16_candidates):
        start, end = offsets.to_cp(s16), offsets.to_cp(s16 + length)
        if start is None or end is None or not 0 <= start <= end <= n:
            continue
        if _same(text[start:end], expected):
            return start, end
    log.debug("dropping LanguageTool match %s: offsets do not match its context", m.rule_id)
    return None


def _classify(category: str, issue_type: str) -> tuple[str, str]:
    """(tonecheck category, severity) of a LanguageTool category id and issue type."""
    if category in STYLE_CATEGORIES or issue_type in STYLE_ISSUE_TYPES:
        return "style", "info"
    return "grammar", ("info" if issue_type in INFO_ISSUE_TYPES else "warning")


def _is_spelling(m: Any) -> bool:
    return m.category in SPELLING_CATEGORIES or str(m.rule_id).startswith("MORFOLOGIK_RULE")


def _overlaps(start: int, end: int, spans: Sequence[Span]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _sentence_index(start: int, sents: Sequence[Span]) -> int:
    starts = [s for s, _ in sents]
    return max(bisect.bisect_right(starts, start) - 1, 0)


def _starts_sentence(start: int, text: str, sents: Sequence[Span]) -> bool:
    """Whether nothing but punctuation, symbols or spaces precedes ``start`` in its sentence."""
    if not sents:
        return True
    s = sents[_sentence_index(start, sents)][0]
    s = min(s, start)
    return not any(c.isalnum() for c in text[s:start])


_SENT_BREAK = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n\s*")


def _naive_sentences(text: str) -> list[Span]:
    """Sentence spans by punctuation and line breaks, for callers without a parse."""
    spans, pos = [], 0
    for m in _SENT_BREAK.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans or [(0, len(text))]


def _to_finding(
    m: Any,
    text: str,
    offsets: _Utf16,
    names: Sequence[Span],
    sents: Sequence[Span],
) -> Finding | None:
    span = _span(m, text, offsets)
    if span is None:
        return None
    start, end = span
    found = text[start:end]
    if _is_spelling(m) and (
        _overlaps(start, end, names)
        or (found[:1].isupper() and not _starts_sentence(start, text, sents))
    ):
        return None  # a proper name the dictionary does not know, not a typo
    category, severity = _classify(str(m.category), str(m.rule_issue_type))
    suggestions: list[Suggestion] = []
    for r in m.replacements:
        if r != found and all(r != s.text for s in suggestions):
            suggestions.append(Suggestion(text=r, start=start, end=end))
        if len(suggestions) >= MAX_SUGGESTIONS:
            break
    return Finding(
        category=category,
        rule=f"LT:{m.rule_id}",
        severity=severity,
        start=start,
        end=end,
        text=found,
        message=str(m.message),
        sentence=_sentence_index(start, sents),
        suggestions=tuple(suggestions),
        source=SOURCE,
    )


# --------------------------------------------------------------------------- spaCy helpers

# Entity labels that name things; dates, numbers and the like are no shield against typos.
_NAME_LABELS = frozenset(
    {
        "PERSON",
        "ORG",
        "GPE",
        "LOC",
        "NORP",
        "FAC",
        "PRODUCT",
        "WORK_OF_ART",
        "EVENT",
        "LAW",
        "LANGUAGE",
    }
)


def name_spans(doc: Any) -> list[Span]:
    """Character spans of likely proper names in a spaCy ``Doc``.

    PROPN tokens, named entities (of name-like labels) if the pipeline has NER, and
    capitalised tokens that do not start a sentence. Sorted, without duplicates.
    """
    spans: set[Span] = set()
    has_sents = bool(doc.has_annotation("SENT_START")) if hasattr(doc, "has_annotation") else False
    for tok in doc:
        t = tok.text
        if not t or not t[0].isalpha():
            continue
        # A capitalised word inside a sentence is a name the tagger may have missed.
        mid_sentence_capital = t[0].isupper() and has_sents and tok.i > 0 and not tok.is_sent_start
        if tok.pos_ == "PROPN" or mid_sentence_capital:
            spans.add((tok.idx, tok.idx + len(t)))
    for ent in getattr(doc, "ents", ()):
        if ent.label_ in _NAME_LABELS:
            spans.add((ent.start_char, ent.end_char))
    return sorted(spans)


def sentence_spans(doc: Any) -> list[Span]:
    """Character spans of the sentences of a spaCy ``Doc`` (empty without sentence bounds)."""
    if not doc.has_annotation("SENT_START"):
        return []
    return [(s.start_char, s.end_char) for s in doc.sents]


# --------------------------------------------------------------------------- resolve


def resolve(
    mode: str = "auto",
    url: str | None = None,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    language: str = "en-US",
    timeout: float = 30.0,
) -> GrammarChecker | None:
    """A checker for the best LanguageTool server to be had in ``mode``, or None.

    - ``"off"``: None.
    - a ``url`` (argument, else ``$TONECHECK_LANGUAGETOOL_URL``): that server.
    - a running server: the state file's (``tonecheck grammar start``) or this process's own.
    - ``"auto"`` stops there (it never starts a JVM) and returns None.
    - ``"required"`` starts a server for this process (stopped at exit) from
      language_tool_python's own download if there is one, else from tonecheck's cache
      (``tonecheck grammar install``), and raises :class:`GrammarError` if neither exists or
      the server cannot be reached.
    """
    if mode not in MODES:
        raise ValueError(f"grammar mode must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "off":
        return None
    required = mode == "required"
    url = url or os.environ.get(URL_ENV) or None
    try:
        if url:
            return GrammarChecker(url, language, timeout=timeout)
        info = running(cache_dir)
        if info is not None:
            return GrammarChecker(info.url, language, timeout=timeout)
        if not required:
            return None
        jar = ltp_server_jar()
        if jar is not None:
            info = ensure_server(cache_dir=cache_dir, classpath=str(jar))
        elif installed_version(cache_dir) is not None:
            info = ensure_server(cache_dir=cache_dir)
        else:
            raise GrammarError(
                "no LanguageTool server: run `tonecheck grammar install` (needs Java and "
                f"Maven), or set {URL_ENV} to a running server"
            )
        return GrammarChecker(info.url, language, timeout=timeout)
    except GrammarError as e:
        if required:
            raise
        log.info("grammar checks off: %s", e)
        return None


def ltp_server_jar() -> Path | None:
    """The server jar of language_tool_python's own LanguageTool download, if present.

    Looks where language_tool_python 3.x looks (``$LTP_JAR_DIR_PATH``, else ``$LTP_PATH`` or
    ``~/.cache/language_tool_python``) without calling it, since that may start a download.
    """
    jar_dir = os.environ.get("LTP_JAR_DIR_PATH")
    if jar_dir:
        dirs = [Path(jar_dir)]
    else:
        base = Path(os.environ.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python")
        dirs = sorted(
            (p for p in base.glob("LanguageTool-*") if p.is_dir()),
            key=lambda p: [int(x) for x in re.findall(r"\d+", p.name)],
            reverse=True,
        )
    for d in dirs:
        for name in ("languagetool-server.jar", "languagetool.jar"):
            if (d / name).is_file():
                return d / name
    return None


# --------------------------------------------------------------------------- rewrites


def added_errors(
    checker: GrammarChecker,
    before: str,
    after: str,
    *,
    categories: Iterable[str] = ("grammar",),
) -> list[Finding]:
    """LanguageTool findings of ``after`` that ``before`` does not have.

    Findings are compared by rule id and matched text (as a multiset: a second copy of an
    error the original already had counts as new); offsets are ignored because a rewrite
    moves them. Only findings of ``categories`` count (default: grammar and spelling, not
    style hints). Raises :class:`GrammarUnavailable` when the server fails.
    """
    cats = frozenset(categories)
    old = Counter((f.rule, f.text) for f in checker.check(before) if f.category in cats)
    new: list[Finding] = []
    for f in checker.check(after):
        if f.category not in cats:
            continue
        key = (f.rule, f.text)
        if old[key] > 0:
            old[key] -= 1
        else:
            new.append(f)
    return new


def adds_errors(checker: GrammarChecker, before: str, after: str) -> bool:
    """Whether replacing ``before`` by ``after`` (e.g. a sentence by its rewrite) adds a
    LanguageTool grammar or spelling error; see :func:`added_errors`.

    This is the hook for rewrites: when grammar checks are on, a candidate suggestion for
    which this is True should not be offered.
    """
    return bool(added_errors(checker, before, after))


class RewriteGate:
    """:func:`adds_errors` with a cache of LanguageTool's answers, for checking many
    candidate rewrites of the same sentences. A server failure turns the gate off (every
    candidate passes); :attr:`failed` then holds the error."""

    def __init__(self, checker: GrammarChecker) -> None:
        self.checker = checker
        self.failed: GrammarUnavailable | None = None
        self._cache: dict[str, list[Finding]] = {}

    def _check(self, text: str) -> list[Finding]:
        if text not in self._cache:
            self._cache[text] = [f for f in self.checker.check(text) if f.category == "grammar"]
        return self._cache[text]

    def prefetch(self, texts: Iterable[str]) -> None:
        """Check many texts in one request (joined by blank lines) and cache the results;
        a finding that spans two texts is dropped."""
        todo = [t for t in dict.fromkeys(texts) if t.strip() and t not in self._cache]
        if self.failed is not None or not todo:
            return
        sep = "\n\n"
        joined = sep.join(t.replace("\n", " ") for t in todo)
        starts = []
        pos = 0
        for t in todo:
            starts.append(pos)
            pos += len(t) + len(sep)
        try:
            found = self.checker.check(joined)
        except GrammarUnavailable as e:
            self.failed = e
            return
        per: list[list[Finding]] = [[] for _ in todo]
        for f in found:
            i = bisect.bisect_right(starts, f.start) - 1
            if f.category == "grammar" and f.end <= starts[i] + len(todo[i]):
                per[i].append(f)
        for t, fs in zip(todo, per, strict=True):
            self._cache[t] = fs

    def adds_errors(self, before: str, after: str) -> bool:
        if self.failed is not None or not after.strip():
            return False
        try:
            old = Counter((f.rule, f.text) for f in self._check(before))
            new = Counter((f.rule, f.text) for f in self._check(after))
        except GrammarUnavailable as e:
            self.failed = e
            return False
        return any(n > old[k] for k, n in new.items())


def rewrite_gate(checker: Any) -> RewriteGate | None:
    """The gate for a :class:`tonecheck.Checker`'s rewrites: None when its grammar is off
    or no server is to be had (never starts one)."""
    link = getattr(checker, "grammar", None)
    if not isinstance(link, GrammarLink) or link.mode == "off":
        return None
    try:
        gc = link.connect()
    except GrammarError:
        return None
    return RewriteGate(gc) if gc is not None else None


# --------------------------------------------------------------------------- for Checker

#: Seconds after a failed check before a :class:`GrammarLink` looks for a server again.
RETRY_SECONDS = 30.0
#: Checker modes: "on" is the public name of resolve()'s "required".
CHECKER_MODES: tuple[str, ...] = ("auto", "on", "off")


class GrammarLink:
    """The grammar side of a :class:`tonecheck.Checker`: a lazily resolved server that
    never breaks a tone check.

    :meth:`connect` resolves once (``"on"`` raises :class:`GrammarError` when no server can
    be had, ``"auto"`` gives None and never starts a JVM). :meth:`check` returns findings
    plus warnings: when the server fails mid-run the findings are empty, a warning says so,
    and the link looks for a server again (without starting one) after
    :data:`RETRY_SECONDS`.
    """

    def __init__(
        self,
        mode: str = "auto",
        url: str | None = None,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        timeout: float = 30.0,
    ) -> None:
        if mode not in CHECKER_MODES and mode != "required":
            raise ValueError(f"grammar must be one of {', '.join(CHECKER_MODES)}, not {mode!r}")
        self.mode = "required" if mode == "on" else mode
        self.url = url
        self.cache_dir = cache_dir
        self.timeout = timeout
        self._checker: GrammarChecker | None = None
        self._resolved = False
        self._failed_at: float | None = None

    def connect(self) -> GrammarChecker | None:
        """The checker to use now, or None (grammar off, or no server in auto mode)."""
        if self._resolved:
            if self._checker is None and self._failed_at is not None:
                if time.monotonic() - self._failed_at < RETRY_SECONDS:
                    return None
                self._failed_at = None
                # After a failure look again, but never start a JVM mid-run.
                self._checker = resolve(
                    "auto", self.url, cache_dir=self.cache_dir, timeout=self.timeout
                )
            return self._checker
        self._checker = resolve(self.mode, self.url, cache_dir=self.cache_dir, timeout=self.timeout)
        self._resolved = True
        return self._checker

    def check(
        self, pieces: Sequence[tuple[int, str, Sequence[Span], Sequence[Span], int]]
    ) -> tuple[list[Finding], list[str]]:
        """Findings for the pieces of one text, shifted into the whole text.

        Each piece is ``(offset, text, names, sentences, first_sentence_index)`` with spans
        relative to the piece. Never raises for a server failure: the second item then holds
        a one-line warning and the findings are empty (all or nothing per text).
        """
        if self.mode == "off":
            return [], []
        try:
            checker = self.connect()
        except GrammarError as e:
            if not self._resolved:
                raise  # "on" and no server to be had: the caller asked for grammar
            self._failed_at = time.monotonic()
            return [], [f"grammar checks skipped: {e}"]
        if checker is None:
            if self._failed_at is not None:
                return [], ["grammar checks skipped: LanguageTool failed on an earlier text"]
            return [], []
        out: list[Finding] = []
        try:
            for offset, text, names, sents, base in pieces:
                for f in checker.check(text, names, sentences=sents):
                    out.append(_shifted(f, offset, base))
        except GrammarUnavailable as e:
            self._checker = None
            self._failed_at = time.monotonic()
            return [], [f"grammar checks skipped: {e}"]
        return out, []


def _shifted(f: Finding, offset: int, base: int) -> Finding:
    if not offset and not base:
        return f
    return replace(
        f,
        start=f.start + offset,
        end=f.end + offset,
        sentence=f.sentence + base,
        suggestions=tuple(
            Suggestion(s.text, s.start + offset, s.end + offset) for s in f.suggestions
        ),
    )
