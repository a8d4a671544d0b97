"""The spaCy pipeline component ``tonecheck``: the one engine behind the library and CLI.

``nlp.add_pipe("tonecheck")`` works in any English pipeline with a parser and lemmatizer.
The component reads the parsed ``Doc`` (it never re-tokenises) and stores its analysis as
JSON-able data in ``doc.user_data``, so docs survive ``nlp.pipe(..., n_process=2)`` and
``DocBin``. Extension attributes read it:

- ``doc._.tone``: the :class:`~tonecheck.report.Report` for the doc
- ``doc._.tone_findings``: the findings as ``Span`` objects, each with
  ``span._.tone_category``, ``span._.tone_rule``, ``span._.tone_severity``,
  ``span._.tone_message`` and ``span._.tone_suggestions``
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span

from .context import CONDITIONS, DocContext
from .report import SEVERITIES, Finding, Report, SentenceScore
from .rules import Rule, load_rules
from .rules.matching import RuleHit, RuleMatcher
from .scoring import tone_score
from .sentiment import polarity_subjectivity
from .signals import SignalDetector, sentence_bounds
from .suggest import render

USER_DATA_KEY = "tonecheck"
_SPAN_ATTRS = ("category", "rule", "severity", "message", "suggestions")


def _finding_of(span: Span) -> dict[str, Any] | None:
    data = span.doc.user_data.get(USER_DATA_KEY)
    if not data:
        return None
    for f in data["findings"]:
        if f["start"] == span.start_char and f["end"] == span.end_char:
            return f
    return None


def _span_getter(attr: str) -> Any:
    def get(span: Span) -> Any:
        f = _finding_of(span)
        if f is None:
            return None
        if attr == "suggestions":
            return [s["text"] for s in f["suggestions"]]
        return f[attr]

    return get


def _doc_findings(doc: Doc) -> list[Span]:
    data = doc.user_data.get(USER_DATA_KEY)
    if not data:
        return []
    spans = []
    for f in data["findings"]:
        span = doc.char_span(f["start"], f["end"], label=f["category"])
        if span is not None:
            spans.append(span)
    return spans


def _doc_report(doc: Doc) -> Report | None:
    data = doc.user_data.get(USER_DATA_KEY)
    if data is None:
        return None
    from .checker import build_report  # local: checker imports this module

    return build_report(doc.text, [(0, data)], model=doc.vocab.lang)


def register_extensions() -> None:
    """Register the extension attributes once (idempotent)."""
    if not Doc.has_extension("tone"):
        Doc.set_extension("tone", getter=_doc_report)
    if not Doc.has_extension("tone_findings"):
        Doc.set_extension("tone_findings", getter=_doc_findings)
    for attr in _SPAN_ATTRS:
        name = f"tone_{attr}"
        if not Span.has_extension(name):
            Span.set_extension(name, getter=_span_getter(attr))


def _dedupe(hits: list[RuleHit]) -> list[RuleHit]:
    """Within a category, keep the wider of overlapping hits (then the more severe)."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    ordered = sorted(
        hits,
        key=lambda h: (-(h.end - h.start), -rank.get(h.rule.severity, 0), h.start, h.rule.id),
    )
    kept: list[RuleHit] = []
    for h in ordered:
        if any(
            k.rule.category == h.rule.category and k.start < h.end and h.start < k.end
            for k in kept
        ):
            continue
        kept.append(h)
    return sorted(kept, key=lambda h: (h.start, h.end, h.rule.category))


class ToneCheck:
    """Find tone problems in a parsed ``Doc`` and store the analysis on it."""

    def __init__(
        self,
        nlp: Language,
        name: str = "tonecheck",
        *,
        categories: Sequence[str] | None = None,
        disabled_rules: Sequence[str] = (),
        severities: dict[str, str] | None = None,
        rule_files: Sequence[str] = (),
        builtin_rules: bool = True,
    ) -> None:
        register_extensions()
        self.name = name
        self.categories = list(categories) if categories else None
        self.disabled_rules = list(disabled_rules)
        self.severities = dict(severities or {})
        self.rule_files = [str(p) for p in rule_files]
        self.builtin_rules = builtin_rules
        self._rule_texts: dict[str, str] = {}
        self._build(nlp)

    def _build(self, nlp: Language) -> None:
        rules = load_rules(self.rule_files, builtin=self.builtin_rules, known_predicates=CONDITIONS)
        self.rules = self._select(rules)
        self.matcher = RuleMatcher(nlp.vocab, self.rules)
        self.signals = SignalDetector(nlp.vocab)

    def _select(self, rules: Iterable[Rule]) -> list[Rule]:
        out = []
        disabled = set(self.disabled_rules)
        for rule in rules:
            if self.categories is not None and rule.category not in self.categories:
                continue
            if rule.qualified_id in disabled or rule.id in disabled or rule.category in disabled:
                continue
            sev = self.severities.get(rule.qualified_id) or self.severities.get(rule.id)
            if sev:
                from dataclasses import replace

                rule = replace(rule, severity=sev)
            out.append(rule)
        return out

    def analyse(self, doc: Doc) -> dict[str, Any]:
        """The JSON-able analysis of one doc (offsets relative to ``doc.text``)."""
        ctx = DocContext(doc)
        sents = list(doc.sents)
        sent_index = {s.start: i for i, s in enumerate(sents)}
        findings = []
        for hit in _dedupe(self.matcher(doc, ctx)):
            span = doc[hit.start : hit.end]
            finding = Finding(
                category=hit.rule.category,
                rule=hit.rule.qualified_id,
                severity=hit.rule.severity,
                start=span.start_char,
                end=span.end_char,
                text=span.text,
                message=hit.rule.message,
                sentence=sent_index[doc[hit.anchor].sent.start],
                suggestions=tuple(render(hit.rule, doc, hit.anchor, hit.start, hit.end)),
            )
            findings.append(finding.to_dict())
        sentences = []
        for i, s in enumerate(sents):
            pol, subj = polarity_subjectivity(s.text)
            sentences.append(SentenceScore(i, s.start_char, s.end_char, pol, subj).to_dict())
        return {
            "findings": findings,
            "sentences": sentences,
            "signal_matches": [list(m) for m in self.signals.matches(doc)],
            "sentence_bounds": [list(b) for b in sentence_bounds(doc)],
        }

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[USER_DATA_KEY] = self.analyse(doc)
        return doc

    # serialisation: user rule files travel with the pipeline
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        files = {Path(f).name: Path(f).read_text(encoding="utf-8") for f in self.rule_files}
        srsly.write_json(path / "rules.json", files)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> ToneCheck:
        path = Path(path)
        files = srsly.read_json(path / "rules.json") if (path / "rules.json").exists() else {}
        if files:
            target = path / "rules"
            target.mkdir(exist_ok=True)
            for fname, text in files.items():
                (target / fname).write_text(text, encoding="utf-8")
            self.rule_files = [str(target / f) for f in files]
            self._build_from_vocab()
        return self

    def _build_from_vocab(self) -> None:
        rules = load_rules(self.rule_files, builtin=self.builtin_rules, known_predicates=CONDITIONS)
        self.rules = self._select(rules)
        self.matcher = RuleMatcher(self.signals.matcher.vocab, self.rules)


@Language.factory(
    "tonecheck",
    default_config={
        "categories": None,
        "disabled_rules": [],
        "severities": {},
        "rule_files": [],
        "builtin_rules": True,
    },
    requires=["token.dep", "token.lemma", "token.pos", "token.tag"],
    assigns=["doc._.tone", "doc._.tone_findings"],
)
def make_tonecheck(
    nlp: Language,
    name: str,
    categories: list[str] | None,
    disabled_rules: list[str],
    severities: dict[str, str],
    rule_files: list[str],
    builtin_rules: bool,
) -> ToneCheck:
    return ToneCheck(
        nlp,
        name,
        categories=categories,
        disabled_rules=disabled_rules,
        severities=severities,
        rule_files=rule_files,
        builtin_rules=builtin_rules,
    )
