"""Re-checking a text after small edits without re-parsing what did not change.

:class:`IncrementalChecker` splits a text into paragraphs, parses only the paragraphs it
has not seen before (through the same pipeline and ``tonecheck`` spaCy component as
:class:`~tonecheck.checker.Checker`), and caches each paragraph's analysis keyed by the
paragraph's exact text. A keystroke in one paragraph of a long draft then costs one
paragraph's parse; the report on the whole text is rebuilt from the cached analyses with
:func:`~tonecheck.checker.build_report`, so sentence indexes, signals and the tone score
are those of the whole text. The rest is :meth:`Checker.check`'s: Markdown/email masking
(:mod:`tonecheck.markup`), suppression comments, accepted phrases, and verified
suggestions (:mod:`tonecheck.rewrite`, which caches its own re-checks by sentence).

Each paragraph is parsed on its own (the pipeline already ends sentences at blank lines),
so a finding can differ from :meth:`Checker.check`'s only where the parser's context
window crosses a blank line.

The language server (:mod:`tonecheck.lsp`) keeps one instance for all open documents.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from .checker import (
    CHUNK_CHARS,
    MAX_TEXT_CHARS,
    Checker,
    InputTooLarge,
    _unmask,
    build_report,
    split_chunks,
)
from .markup import Prepared, prepare
from .report import Report

Span = tuple[int, int]

# A paragraph ends after a blank line (\n, \r\n or \r line breaks).
_PARA_BREAK = re.compile(r"\n[ \t]*\n|\r\n[ \t]*\r\n|\r[ \t]*\r(?!\n)")


def split_paragraphs(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """``(offset, paragraph)`` pieces of ``text``; each ends after its blank line.

    The pieces concatenate to ``text``. A paragraph longer than ``limit`` is cut further at
    line breaks or spaces (as :func:`~tonecheck.checker.split_chunks` does).
    """
    pieces: list[tuple[int, str]] = []
    start = 0
    ends = [m.end() for m in _PARA_BREAK.finditer(text)]
    for end in [*ends, len(text)]:
        if end <= start:
            continue
        piece = text[start:end]
        if not piece.strip() and pieces:
            # blank lines (or a masked code block) stay with the paragraph before them, as
            # the parser attaches whitespace to the sentence before it
            off, prev = pieces[-1]
            pieces[-1] = (off, prev + piece)
        elif pieces and not pieces[-1][1].strip():
            off, prev = pieces[-1]  # leading blank lines go with the first paragraph
            pieces[-1] = (off, prev + piece)
        else:
            pieces.append((start, piece))
        start = end
    out: list[tuple[int, str]] = []
    for offset, piece in pieces:
        if len(piece) <= limit:
            out.append((offset, piece))
        else:
            out.extend((offset + o, part) for o, part in split_chunks(piece, limit))
    return out


@dataclass
class CacheStats:
    """Counters since the checker was created (or :meth:`IncrementalChecker.clear`)."""

    hits: int = 0
    misses: int = 0
    parsed_chars: int = 0


@dataclass(frozen=True)
class Paragraph:
    """One analysed paragraph of a (masked) text.

    ``analysis`` is the component's JSON-able analysis (offsets relative to ``text``);
    ``names`` are the character spans of likely proper names (for LanguageTool).
    """

    offset: int
    text: str
    analysis: dict[str, Any]
    names: tuple[Span, ...] = ()

    @property
    def sentences(self) -> list[Span]:
        return [(s["start"], s["end"]) for s in self.analysis["sentences"]]


@dataclass(frozen=True)
class Checked:
    """A report plus what it was built from (for the language server's grammar pass)."""

    report: Report
    prepared: Prepared
    paragraphs: tuple[Paragraph, ...] = field(repr=False)


class IncrementalChecker:
    """Checks whole texts, re-using the analyses of paragraphs it has seen before.

    >>> inc = IncrementalChecker()
    >>> r1 = inc.check("Thanks for your time.\\n\\nSend me the notes.")
    >>> r2 = inc.check("Thanks for your time!\\n\\nSend me the notes.")  # re-parses paragraph 1
    >>> inc.stats.hits, inc.stats.misses
    (1, 3)

    Thread-safe: checks are serialised (a spaCy pipeline is not meant for concurrent use).
    ``cache_size`` bounds the number of cached paragraphs (least recently used go first).
    """

    def __init__(self, checker: Checker | None = None, *, cache_size: int = 4096) -> None:
        self.checker = checker if checker is not None else Checker(grammar="off")
        self.cache_size = cache_size
        self.stats = CacheStats()
        self._cache: OrderedDict[str, Paragraph] = OrderedDict()
        self._lock = threading.RLock()
        self._why: dict[str, str] | None = None

    def clear(self) -> None:
        """Forget every cached paragraph and reset :attr:`stats`."""
        with self._lock:
            self._cache.clear()
            self.stats = CacheStats()

    def __len__(self) -> int:
        return len(self._cache)

    def paragraphs(self, text: str) -> list[Paragraph]:
        """The analysed paragraphs of ``text`` (already masked), parsing only new ones."""
        if len(text) > MAX_TEXT_CHARS:
            raise InputTooLarge(
                f"text has {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}"
            )
        pieces = split_paragraphs(text) or [(0, "")]
        with self._lock:
            todo: list[str] = []
            for _, piece in pieces:
                if piece in self._cache:
                    self._cache.move_to_end(piece)
                    self.stats.hits += 1
                elif piece not in todo:
                    todo.append(piece)
            if todo:
                from .grammar import name_spans

                for piece, doc in zip(todo, self.checker.nlp.pipe(todo), strict=True):
                    names = tuple(name_spans(doc))
                    analysis = self.checker.analysis(doc)  # hints included, if configured
                    self._cache[piece] = Paragraph(0, piece, analysis, names)
                    self.stats.misses += 1
                    self.stats.parsed_chars += len(piece)
            out = [
                Paragraph(offset, piece, self._cache[piece].analysis, self._cache[piece].names)
                for offset, piece in pieces
            ]
            while len(self._cache) > max(self.cache_size, len(pieces)):
                self._cache.popitem(last=False)
        return out

    def check_full(
        self, text: str, *, input_format: str = "plain", verify_suggestions: bool = True
    ) -> Checked:
        """Like :meth:`check`, with the prepared text and its paragraphs."""
        prepared = prepare(text, input_format)
        with self._lock:
            paragraphs = self.paragraphs(prepared.masked)
            report = build_report(
                prepared.masked,
                [(p.offset, p.analysis) for p in paragraphs],
                model=self.checker.model,
            )
            report = _unmask(report, prepared, self.checker.accept)
            if verify_suggestions:
                from .rewrite import verify_report

                report = verify_report(self.checker, report)
        return Checked(report, prepared, tuple(paragraphs))

    def check(
        self, text: str, *, input_format: str = "plain", verify_suggestions: bool = True
    ) -> Report:
        """The :class:`Report` on ``text``, as :meth:`Checker.check` gives it.

        ``input_format`` is ``plain``, ``markdown`` or ``email`` (see
        :mod:`tonecheck.markup`); offsets always index ``text``.
        """
        return self.check_full(
            text, input_format=input_format, verify_suggestions=verify_suggestions
        ).report

    def explanation(self, rule_id: str) -> str:
        """The longer "why" of a tone rule (by qualified id), or ""."""
        if self._why is None:
            self._why = {r.qualified_id: r.why for r in self.checker.component.rules}
        return self._why.get(rule_id, "")
