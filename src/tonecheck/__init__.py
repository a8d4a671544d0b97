"""tonecheck: find defensive, entitled and demanding phrasing and suggest humble rewrites.

>>> import tonecheck
>>> report = tonecheck.check("Forward me the scorecards by Friday.")
>>> sorted({f.category for f in report.findings})
['demanding']

Everything else is optional: :class:`Checker` holds a loaded pipeline for repeated use,
:func:`check_many` streams many texts through ``nlp.pipe``, and the spaCy component
``tonecheck`` (``nlp.add_pipe("tonecheck")``) serves other pipelines.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .checker import MAX_TEXT_CHARS, Checker, InputTooLarge
from .nlp import ModelNotFoundError, resolve_model
from .report import (
    SCHEMA_VERSION,
    TONE_CATEGORIES,
    Finding,
    Report,
    SentenceScore,
    Signal,
    Suggestion,
    report_from_dict,
)
from .rules import Rule, RuleError, load_rules

__version__ = "0.1.0"

__all__ = [
    "MAX_TEXT_CHARS",
    "SCHEMA_VERSION",
    "TONE_CATEGORIES",
    "Checker",
    "Finding",
    "InputTooLarge",
    "ModelNotFoundError",
    "Report",
    "Rule",
    "RuleError",
    "SentenceScore",
    "Signal",
    "Suggestion",
    "__version__",
    "check",
    "check_many",
    "load_rules",
    "report_from_dict",
    "resolve_model",
]

_default_checkers: dict[str | None, Checker] = {}


def _checker(model: str | None) -> Checker:
    if model not in _default_checkers:
        _default_checkers[model] = Checker(model)
    return _default_checkers[model]


def check(text: str, *, model: str | None = None) -> Report:
    """Check one text for demanding, entitled and defensive phrasing.

    Args:
        text: the message, exactly as written; offsets in the report index into it.
        model: a spaCy model name or path (default: see :func:`resolve_model`).

    Returns:
        A :class:`Report` with findings, sentence and document scores and signals.
    """
    return _checker(model).check(text)


def check_many(
    texts: Iterable[str], *, model: str | None = None, n_process: int = 1, batch_size: int = 64
) -> Iterator[Report]:
    """Check many texts with ``nlp.pipe``; yields one :class:`Report` per text, in order."""
    return _checker(model).check_many(texts, n_process=n_process, batch_size=batch_size)
