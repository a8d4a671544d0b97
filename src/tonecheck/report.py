"""The result types: :class:`Finding`, :class:`Suggestion`, :class:`Signal`, :class:`Report`.

Everything here is plain data. Offsets are character offsets into the exact string that
was checked, so ``report.text[f.start:f.end] == f.text`` holds for every finding.
The JSON form (:meth:`Report.to_dict`) is a versioned contract: fields may be added,
never renamed or removed without a major bump of :data:`SCHEMA_VERSION`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1.0"

#: The tone categories that tonecheck's own rules produce.
TONE_CATEGORIES: tuple[str, ...] = ("demanding", "entitled", "defensive")
#: Categories that come from LanguageTool (see :mod:`tonecheck.grammar`).
GRAMMAR_CATEGORIES: tuple[str, ...] = ("grammar", "style")
SEVERITIES: tuple[str, ...] = ("info", "warning", "error")
#: The rule id suffix of sentence hints (:mod:`tonecheck.hints`): ``defensive.hint``. Alone,
#: ``hint`` names the hints of every category in configuration.
HINT = "hint"


def hint_rule(category: str) -> str:
    """The rule id of a category's sentence hints: ``defensive.hint``."""
    return f"{category}.{HINT}"


@dataclass(frozen=True)
class Suggestion:
    """A replacement for ``text[start:end]`` of the checked text.

    Usually the span is the finding's own; where replacing only the phrase cannot read
    well, it covers the whole sentence.
    """

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Finding:
    """One phrase that will put the reader off (or, from LanguageTool, a grammar issue)."""

    category: str
    rule: str
    severity: str
    start: int
    end: int
    text: str
    message: str
    sentence: int
    suggestions: tuple[Suggestion, ...] = ()
    source: str = "tonecheck"

    @classmethod
    def from_dict(cls, f: dict[str, Any], offset: int = 0, sentence_base: int = 0) -> Finding:
        """Rebuild from :meth:`to_dict` output, shifting offsets (for chunked texts)."""
        return cls(
            category=f["category"],
            rule=f["rule"],
            severity=f["severity"],
            start=f["start"] + offset,
            end=f["end"] + offset,
            text=f["text"],
            message=f["message"],
            sentence=f["sentence"] + sentence_base,
            suggestions=tuple(
                Suggestion(s["text"], s["start"] + offset, s["end"] + offset)
                for s in f.get("suggestions", ())
            ),
            source=f.get("source", "tonecheck"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "rule": self.rule,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "sentence": self.sentence,
            "suggestions": [s.to_dict() for s in self.suggestions],
            "source": self.source,
        }


@dataclass(frozen=True)
class SentenceScore:
    """Scores of one sentence; ``start``/``end`` are offsets into the checked text."""

    index: int
    start: int
    end: int
    polarity: float
    subjectivity: float
    politeness: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "polarity": round(self.polarity, 4),
            "subjectivity": round(self.subjectivity, 4),
            "politeness": None if self.politeness is None else round(self.politeness, 4),
        }


@dataclass(frozen=True)
class Signal:
    """A trait of a good feedback request (see the domain guide), present or missing."""

    name: str
    present: bool
    description: str
    advice: str
    start: int | None = None
    end: int | None = None
    text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "present": self.present,
            "description": self.description,
            "advice": self.advice,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


@dataclass
class Report:
    """The result of checking one text."""

    text: str
    findings: list[Finding] = field(default_factory=list)
    sentences: list[SentenceScore] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    polarity: float = 0.0
    subjectivity: float = 0.0
    politeness: float | None = None
    tone_score: int = 100
    model: str = ""
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tone_findings(self) -> list[Finding]:
        """Findings of the tone categories only (no grammar)."""
        return [f for f in self.findings if f.category in TONE_CATEGORIES]

    @property
    def missing_signals(self) -> list[Signal]:
        return [s for s in self.signals if not s.present]

    @property
    def present_signals(self) -> list[Signal]:
        return [s for s in self.signals if s.present]

    def counts(self) -> dict[str, int]:
        """Number of findings per category, in a stable order."""
        c = Counter(f.category for f in self.findings)
        order = [*TONE_CATEGORIES, *GRAMMAR_CATEGORIES]
        return {k: c[k] for k in order if c[k]} | {
            k: v for k, v in sorted(c.items()) if k not in order
        }

    def __bool__(self) -> bool:  # a report is "truthy" when there is something to fix
        return bool(self.findings)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able form of the report (see ``tonecheck --print-schema``)."""
        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "model": self.model,
            "text_length": len(self.text),
            "tone_score": self.tone_score,
            "polarity": round(self.polarity, 4),
            "subjectivity": round(self.subjectivity, 4),
            "politeness": None if self.politeness is None else round(self.politeness, 4),
            "counts": self.counts(),
            "findings": [f.to_dict() for f in self.findings],
            "sentences": [s.to_dict() for s in self.sentences],
            "signals": [s.to_dict() for s in self.signals],
            "warnings": list(self.warnings),
        }
        out.update(self.extra)
        return out


def report_from_dict(data: dict[str, Any], text: str) -> Report:
    """Rebuild a :class:`Report` from its JSON form (``to_dict``) and the checked text."""
    findings = [Finding.from_dict(f) for f in data.get("findings", ())]
    known = {
        "schema_version", "model", "text_length", "tone_score", "polarity", "subjectivity",
        "politeness", "counts", "findings", "sentences", "signals", "warnings",
    }  # fmt: skip
    return Report(
        text=text,
        findings=findings,
        sentences=[SentenceScore(**s) for s in data.get("sentences", ())],
        signals=[Signal(**s) for s in data.get("signals", ())],
        polarity=data.get("polarity", 0.0),
        subjectivity=data.get("subjectivity", 0.0),
        politeness=data.get("politeness"),
        tone_score=data.get("tone_score", 100),
        model=data.get("model", ""),
        warnings=list(data.get("warnings", ())),
        extra={k: v for k, v in data.items() if k not in known},
    )


def hint_severities(severities: dict[str, str]) -> dict[str, str]:
    """The entries of a rule-severity mapping that apply to sentence hints
    (``defensive.hint``, or ``hint`` for all three), checked."""
    out = {k: v for k, v in severities.items() if k == HINT or k.endswith(f".{HINT}")}
    for name, sev in out.items():
        if sev not in SEVERITIES:
            raise ValueError(f"severities: {name}: {sev!r} is not one of {', '.join(SEVERITIES)}")
    return out
