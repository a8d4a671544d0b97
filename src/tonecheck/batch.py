"""Batch checking: finding files in folders, reading JSON Lines, streaming reports.

Everything here is lazy: files are read one at a time as the pipeline asks for them, and
reports come out (in input order) as soon as their text is parsed, so memory stays flat
however many inputs there are. A file that cannot be read is reported and skipped; the
rest are still checked.
"""

from __future__ import annotations

import fnmatch
import itertools
import json
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .checker import MAX_TEXT_CHARS, Checker
from .config import Config, ConfigFinder, checker_options
from .inputs import STDIN_NAME, InputError, read_bytes, read_source
from .markup import (
    EmailError,
    Prepared,
    decode_eml,
    format_for_path,
    looks_like_raw_email,
    prepare,
)
from .report import Report

#: Files a folder check looks at, unless ``--include`` says otherwise.
DEFAULT_INCLUDE: tuple[str, ...] = ("*.txt", "*.md", "*.markdown", "*.eml")


@dataclass
class Item:
    """One text to check: where it came from, the text itself and how to read it."""

    name: str
    text: str
    input_format: str = "plain"
    path: Path | None = None
    encoding: str = "utf-8"
    id: Any = None  # the ``id`` of a JSON Lines record (its line number if it has none)
    config_base: Path | None = None  # where the configuration search starts
    jsonl: str | None = None  # the JSON Lines file a record comes from


def _matches(rel: PurePosixPath, patterns: Sequence[str]) -> bool:
    """A glob matches the path relative to the folder, the name, or any parent folder."""
    text = rel.as_posix()
    return any(
        fnmatch.fnmatch(text, p) or any(fnmatch.fnmatch(part, p) for part in rel.parts)
        for p in patterns
    )


def discover(
    paths: Iterable[str],
    include: Sequence[str] = DEFAULT_INCLUDE,
    exclude: Sequence[str] = (),
) -> list[str]:
    """Expand folders (recursively) into the files to check, in a stable order.

    Files named explicitly are always checked; in folders, a file is taken when its name
    (or path relative to the folder) matches an ``include`` glob and nothing matches an
    ``exclude`` glob. Hidden folders (``.git``, ``.venv``) are skipped.
    """
    out: list[str] = []
    seen: set[str] = set()

    def add(name: str) -> None:
        if name not in seen:
            seen.add(name)
            out.append(name)

    for arg in paths:
        if arg == STDIN_NAME or not os.path.isdir(arg):
            add(arg)
            continue
        root = Path(arg)
        for folder, dirnames, filenames in os.walk(root):
            rel_dir = PurePosixPath(Path(folder).relative_to(root).as_posix())
            dirnames[:] = sorted(
                d for d in dirnames if not d.startswith(".") and not _matches(rel_dir / d, exclude)
            )
            for fname in sorted(filenames):
                rel = rel_dir / fname
                if not any(
                    fnmatch.fnmatch(fname, p) or fnmatch.fnmatch(str(rel), p) for p in include
                ):
                    continue
                if _matches(rel, exclude):
                    continue
                add(os.path.join(folder, fname))
    return out


def _email_text(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file (NUL bytes); tonecheck reads text")
    try:
        text = decode_eml(data)
    except EmailError as exc:
        raise InputError(f"{name}: {exc}") from None
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"{name}: over the limit of {MAX_TEXT_CHARS:,} characters")
    return text


def load_item(name: str, input_format: str | None = None) -> Item:
    """Read one file (or ``-``) as an :class:`Item`; :class:`InputError` if impossible.

    The format is ``input_format`` when given, else the file's extension decides
    (``.md``/``.markdown`` Markdown, ``.eml`` email, anything else plain; stdin: plain).
    An ``.eml`` file, or email input that is a raw MIME message, is decoded first: the
    checked text is then the message text (see :func:`tonecheck.markup.decode_eml`).
    """
    fmt = input_format or (format_for_path(name) if name != STDIN_NAME else "plain")
    if fmt == "email" and name != STDIN_NAME and Path(name).suffix.lower() == ".eml":
        text = _email_text(read_bytes(name), name)
        return Item(name, text, fmt, Path(name), "utf-8")
    source = read_source(name)
    text = source.text
    if fmt == "email" and looks_like_raw_email(text):
        text = _email_text(text.encode(source.encoding, "surrogateescape"), source.name)
    return Item(source.name, text, fmt, source.path, source.encoding)


def read_jsonl(path: str, input_format: str | None = None) -> Iterator[Item | InputError]:
    """Records of a JSON Lines file (``-``: stdin): ``text`` required, ``id`` optional.

    Yields an :class:`InputError` (instead of stopping) for a line that is not a JSON
    object with a string ``text``; blank lines are skipped.
    """
    name = "<stdin>" if path == STDIN_NAME else path
    base = None if path == STDIN_NAME else Path(path).resolve().parent
    try:
        fh = (
            sys.stdin if path == STDIN_NAME else open(path, encoding="utf-8-sig", errors="strict")  # noqa: SIM115
        )
    except FileNotFoundError:
        yield InputError(f"{path}: no such file")
        return
    except OSError as exc:
        yield InputError(f"{path}: cannot read ({exc.strerror or exc})")
        return
    try:
        for lineno in itertools.count(1):
            try:
                line = fh.readline()
            except UnicodeDecodeError:
                yield InputError(f"{name}:{lineno}: not valid UTF-8")
                return
            if not line:
                return
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield InputError(f"{name}:{lineno}: not valid JSON ({exc.msg})")
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                yield InputError(f"{name}:{lineno}: expected an object with a string 'text'")
                continue
            text = record["text"]
            if len(text) > MAX_TEXT_CHARS:
                yield InputError(f"{name}:{lineno}: text is over {MAX_TEXT_CHARS:,} characters")
                continue
            rid = record.get("id", lineno)
            yield Item(
                f"{name}[{rid}]", text, input_format or "plain", None, "utf-8", rid, base, name
            )
    finally:
        if fh is not sys.stdin:
            fh.close()


def count_jsonl(path: str) -> int | None:
    """Number of non-blank lines (for a progress bar); None for stdin or unreadable files."""
    if path == STDIN_NAME:
        return None
    try:
        with open(path, "rb") as fh:
            return sum(1 for line in fh if line.strip())
    except OSError:
        return None


def check_items(
    items: Iterable[Item],
    finder: ConfigFinder,
    *,
    model: str | None = None,
    categories: Sequence[str] = (),
    n_process: int = 1,
    batch_size: int = 64,
    make_checker: Callable[..., Checker] | None = None,
) -> Iterator[tuple[Item, Report, Config]]:
    """Check items with the configuration that applies to each, streaming in order.

    Consecutive items that share a configuration go through one ``check_many`` call;
    checkers are cached per distinct set of options, so a run with one configuration
    loads the pipeline once.
    """
    factory = make_checker or Checker
    checkers: dict[Any, Checker] = {}

    def configured() -> Iterator[tuple[Item, Config]]:
        for item in items:
            yield item, finder.for_path(item.path or item.config_base)

    for _, group in itertools.groupby(configured(), key=lambda ic: ic[1].pipeline_key):
        rows = list(itertools.islice(group, 1))
        config = rows[0][1]
        options = checker_options(config, categories)
        if options not in checkers:
            checkers[options] = factory(model, **options.kwargs())
        items_of_group = (item for item, _ in itertools.chain(rows, group))
        for item, report in _check_group(checkers[options], items_of_group, n_process, batch_size):
            yield item, report, config


def _check_group(
    checker: Checker, items: Iterator[Item], n_process: int, batch_size: int
) -> Iterator[tuple[Item, Report]]:
    """Stream items through one checker, pairing each report with its item."""
    pending: deque[Item] = deque()

    def feed() -> Iterator[Prepared]:
        for item in items:
            pending.append(item)  # nlp.pipe reads ahead by at most a batch or so
            yield prepare(item.text, item.input_format)

    for report in checker.check_many(feed(), n_process=n_process, batch_size=batch_size):
        yield pending.popleft(), report
