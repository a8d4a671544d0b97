"""Offsets into a Python string <-> LSP positions (line, character).

Python indexes strings by code point; the Language Server Protocol counts a position's
``character`` in code units of the negotiated encoding, UTF-16 unless the client and
server agree otherwise. An emoji such as "🙂" is one code point but two UTF-16 units (and
four UTF-8 units); "é" is one UTF-16 unit but two UTF-8 units. Lines end at ``\\n``,
``\\r\\n`` or ``\\r`` (the protocol's definition; Python's ``str.splitlines`` also splits at
form feeds, U+2028 and others, which editors do not).
"""

from __future__ import annotations

import bisect
import re

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
ENCODINGS: tuple[str, ...] = (UTF8, UTF16, UTF32)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def code_units(s: str, encoding: str = UTF16) -> int:
    """Length of ``s`` in code units of ``encoding`` (utf-8, utf-16 or utf-32)."""
    if encoding == UTF32 or s.isascii():
        return len(s)
    if encoding == UTF16:
        return len(s) + sum(1 for c in s if ord(c) > 0xFFFF)
    if encoding == UTF8:
        return len(s.encode("utf-8", "surrogatepass"))
    raise ValueError(f"unknown position encoding {encoding!r}")


def _unit(c: str, encoding: str) -> int:
    o = ord(c)
    if encoding == UTF16:
        return 2 if o > 0xFFFF else 1
    if encoding == UTF8:
        return 1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4
    return 1


class LineIndex:
    """Converts between code-point offsets of one text and (line, character) positions.

    >>> idx = LineIndex("a🙂b\\r\\nc")
    >>> idx.position(2), idx.position(5)
    ((0, 3), (1, 0))
    >>> idx.offset(0, 3), idx.offset(1, 0)
    (2, 5)
    """

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        if encoding not in ENCODINGS:
            raise ValueError(f"unknown position encoding {encoding!r}")
        self.text = text
        self.encoding = encoding
        self.line_starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
        # where each line's content ends (before its line break)
        self._line_ends = [m.start() for m in _LINE_BREAK.finditer(text)] + [len(text)]

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def position(self, offset: int) -> tuple[int, int]:
        """(line, character) of a code-point offset (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.line_starts, offset) - 1
        start = self.line_starts[line]
        return line, code_units(self.text[start:offset], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """Code-point offset of an LSP position.

        As the protocol says, a ``character`` past the end of the line means the end of the
        line, and a ``line`` past the last line means the end of the text. A position inside
        a character (between the two halves of a UTF-16 surrogate pair) moves to its start.
        """
        if line < 0:
            return 0
        if line >= len(self.line_starts):
            return len(self.text)
        start, end = self.line_starts[line], self._line_ends[line]
        if character <= 0:
            return start
        segment = self.text[start:end]
        if self.encoding == UTF32 or segment.isascii():
            return start + min(character, len(segment))
        units = 0
        for i, c in enumerate(segment):
            units += _unit(c, self.encoding)
            if units > character:
                return start + i
            if units == character:
                return start + i + 1
        return end

    def range(self, start: int, end: int) -> tuple[tuple[int, int], tuple[int, int]]:
        """The LSP range ((line, character), (line, character)) of ``text[start:end]``."""
        return self.position(start), self.position(end)


def apply_change(
    text: str,
    start: tuple[int, int],
    end: tuple[int, int],
    new_text: str,
    encoding: str = UTF16,
) -> str:
    """``text`` with the range from ``start`` to ``end`` (LSP positions) replaced."""
    idx = LineIndex(text, encoding)
    a, b = idx.offset(*start), idx.offset(*end)
    if b < a:
        a, b = b, a
    return text[:a] + new_text + text[b:]
