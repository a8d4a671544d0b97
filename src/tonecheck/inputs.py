"""Reading user files safely: decoding, binary detection, size limits, atomic writes.

Every problem becomes an :class:`InputError` with a one-line message naming the file;
the CLI prints it and exits with code 2. Files are only ever replaced atomically.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .checker import MAX_TEXT_CHARS

STDIN_NAME = "-"
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class InputError(Exception):
    """A file that cannot be checked; ``str(err)`` is the one-line message."""


@dataclass
class Source:
    """A decoded input: its display name, text, and how to write it back."""

    name: str
    text: str
    encoding: str = "utf-8"
    path: Path | None = None


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM) or BOM-marked UTF-16/32."""
    encoding = "utf-8"
    for bom, enc in _BOMS:
        if data.startswith(bom):
            encoding = enc
            break
    if encoding == "utf-8" and b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file (NUL bytes); tonecheck reads text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid {encoding.upper()} text (byte 0x{data[exc.start]:02x} at "
            f"offset {exc.start}); save it as UTF-8 and try again"
        ) from None
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(
            f"{name}: {len(text):,} characters is over the limit of {MAX_TEXT_CHARS:,}; "
            "split the file"
        )
    return text, encoding


def read_source(name: str) -> Source:
    """Read a path (or ``-`` for standard input) into a :class:`Source`."""
    if name == STDIN_NAME:
        data = sys.stdin.buffer.read()
        text, enc = decode(data, "<stdin>")
        return Source("<stdin>", text, enc)
    text, enc = decode(read_bytes(name), name)
    return Source(name, text, enc, Path(name))


def read_bytes(name: str) -> bytes:
    """The bytes of a file, or an :class:`InputError` naming it (missing, folder, too big,
    unreadable)."""
    path = Path(name)
    try:
        if path.is_dir():
            raise InputError(f"{name}: is a directory; pass the files inside it")
        size = path.stat().st_size
        if size > MAX_TEXT_CHARS * 4:
            raise InputError(f"{name}: {size:,} bytes is over the size limit; split the file")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


def atomic_write(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then replace.

    A failure at any point leaves the original untouched; the file's permissions are kept.
    """
    folder = path.parent if str(path.parent) else Path(".")
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else None
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{path}: cannot write here ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
        raise


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``offset``; CRLF counts as one break."""
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1
