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
from .rewrite import Edit, Rewrite
from .rewrite import rewrite as _rewrite_draft
from .rules import Rule, RuleError, load_rules

__version__ = "0.1.0"

__all__ = [
    "MAX_TEXT_CHARS",
    "SCHEMA_VERSION",
    "TONE_CATEGORIES",
    "Checker",
    "Edit",
    "Finding",
    "InputTooLarge",
    "ModelNotFoundError",
    "Report",
    "Rewrite",
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
    "rewrite",
]

_default_checkers: dict[tuple[str | None, str, str | None, bool], Checker] = {}


def _checker(
    model: str | None,
    grammar: str = "auto",
    languagetool_url: str | None = None,
    hints: bool = False,
) -> Checker:
    key = (model, grammar, languagetool_url, hints)
    if key not in _default_checkers:
        # checkers of one model share its loaded pipeline, whatever their grammar setting
        same = next((c for k, c in _default_checkers.items() if k[0] == model), None)
        _default_checkers[key] = Checker(
            model,
            nlp=same.nlp if same is not None else None,
            grammar=grammar,
            languagetool_url=languagetool_url,
            hints=hints,
        )
    return _default_checkers[key]


def check(
    text: str,
    *,
    model: str | None = None,
    grammar: str = "auto",
    languagetool_url: str | None = None,
    input_format: str = "plain",
    hints: bool = False,
) -> Report:
    """Check one text for demanding, entitled and defensive phrasing.

    Args:
        text: the message, exactly as written; offsets in the report index into it.
        model: a spaCy model name or path (default: see :func:`resolve_model`).
        grammar: LanguageTool findings: ``"auto"`` (when a server is configured or
            running; never starts one), ``"on"`` (start one if needed; ``GrammarError`` if
            impossible) or ``"off"``. See :mod:`tonecheck.grammar`.
        languagetool_url: a LanguageTool server (default ``$TONECHECK_LANGUAGETOOL_URL``).
        input_format: ``"plain"``, ``"markdown"`` or ``"email"``: which parts are prose
            (code, quotes, headers... are skipped; offsets still index ``text``).
        hints: also add ``info`` findings (``<category>.hint``) from the sentence model
            where no rule of the category fired, and withdraw rule findings in sentences
            it reads as clearly not of their category (see :mod:`tonecheck.hints`).

    Returns:
        A :class:`Report` with findings, sentence and document scores and signals.
    """
    return _checker(model, grammar, languagetool_url, hints).check(text, input_format=input_format)


def check_many(
    texts: Iterable[str],
    *,
    model: str | None = None,
    n_process: int = 1,
    batch_size: int = 64,
    grammar: str = "auto",
    languagetool_url: str | None = None,
    input_format: str = "plain",
    hints: bool = False,
) -> Iterator[Report]:
    """Check many texts with ``nlp.pipe``; yields one :class:`Report` per text, in order."""
    return _checker(model, grammar, languagetool_url, hints).check_many(
        texts, n_process=n_process, batch_size=batch_size, input_format=input_format
    )


def rewrite(  # the function, not the module, is the public name
    text: str,
    *,
    model: str | None = None,
    checker: Checker | None = None,
    add_missing: bool = False,
    max_rounds: int = 6,
) -> Rewrite:
    """Rewrite a draft into a humble, appreciative one, changing only flagged sentences.

    Each demanding, entitled or defensive finding is replaced by its best verified
    suggestion (one sentence-level replacement where findings share a sentence); the
    draft is re-checked until it is clean or stops changing. Greeting, signature,
    paragraph breaks, line endings (LF or CRLF) and unflagged sentences are kept byte
    for byte, and rewriting the result again changes nothing.

    >>> r = tonecheck.rewrite("Hi Ana,\n\nSend me the scorecards by Friday.\n\nTom\n")
    >>> print(r.text)  # doctest: +SKIP
    Hi Ana,
    <BLANKLINE>
    Would you be open to sending me the scorecards?
    <BLANKLINE>
    Tom

    Args:
        text: the draft, exactly as written.
        model: a spaCy model name or path (default: see :func:`resolve_model`).
        checker: a :class:`Checker` to use instead (its rule configuration applies).
        add_missing: also add what a good request usually has and this one lacks: an
            opening thank-you, an easy way out, a closing thank-you (off by default).
        max_rounds: at most this many check-and-fix rounds.

    Returns:
        A :class:`Rewrite` with ``text`` (the new draft), ``edits`` (original offsets,
        original text, replacement, rules; see :class:`Edit`), ``unfixed`` (tone findings
        still in ``text``, empty on success) and ``diff()``.
    """
    return _rewrite_draft(
        text,
        checker=checker or _checker(model),
        add_missing=add_missing,
        max_rounds=max_rounds,
    )
