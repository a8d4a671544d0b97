"""The spaCy pipeline component ``tonecheck``: the one engine behind the library and CLI.

``nlp.add_pipe("tonecheck")`` works in any English pipeline with a parser and lemmatizer.
The component reads the parsed ``Doc`` (it never re-tokenises) and stores its analysis as
JSON-able data in ``doc.user_data``, so docs survive ``nlp.pipe(..., n_process=2)`` and
``DocBin``. Extension attributes read it:

- ``doc._.tone``: the :class:`~tonecheck.report.Report` for the doc
- ``doc._.tone_findings``: the findings as ``Span`` objects (label = category), each with
  ``span._.tone_category``, ``span._.tone_rule``, ``span._.tone_severity``,
  ``span._.tone_message``, ``span._.tone_explanation`` (the rule's longer "why", or ""),
  ``span._.tone_suggestions`` (the rewrite texts) and ``span._.tone_finding`` (the
  :class:`~tonecheck.report.Finding`, with each suggestion's own character range)

Configuration (``nlp.add_pipe("tonecheck", config={...})``): ``categories`` (only these),
``disabled_rules`` (rule ids, qualified ids or categories), ``severities`` (rule id ->
info/warning/error), ``rule_files`` (extra YAML rule files), ``builtin_rules`` and
``hints`` (add the sentence model's ``info`` findings, :mod:`tonecheck.hints`). The
texts of user rule files are saved with the pipeline (``nlp.to_disk``), so a loaded
pipeline does not need the original files.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import srsly
import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span

from .context import CONDITIONS, DocContext
from .politeness_model import score_sentences
from .report import SEVERITIES, Finding, Report, SentenceScore, hint_severities
from .rules import Rule, RuleError, load_rules, load_yaml, parse_rules
from .rules.matching import RuleHit, RuleMatcher
from .sentiment import polarity_subjectivity
from .signals import SignalDetector, sentence_bounds
from .suggest import render

USER_DATA_KEY = "tonecheck"
#: File in the component's directory of a saved pipeline with the user rule files' texts.
RULES_FILE = "rules.json"
_SPAN_ATTRS = ("category", "rule", "severity", "message", "explanation", "suggestions", "finding")


def _finding_of(span: Span) -> dict[str, Any] | None:
    data = span.doc.user_data.get(USER_DATA_KEY)
    if not data:
        return None
    found = None
    for f in data["findings"]:
        if f["start"] == span.start_char and f["end"] == span.end_char:
            if not span.label_ or span.label_ == f["category"]:
                return f
            found = found or f
    return found


def _span_attr(attr: str, span: Span) -> Any:
    f = _finding_of(span)
    if f is None:
        return None
    if attr == "suggestions":
        return [s["text"] for s in f["suggestions"]]
    if attr == "explanation":
        return f.get("why", "")
    if attr == "finding":
        return Finding.from_dict(f)
    return f[attr]


def _span_getter(attr: str) -> Any:
    # a partial of a module-level function pickles, as spaCy's multiprocessing with the
    # "spawn" start method (macOS, Windows) pickles the extension getters
    return functools.partial(_span_attr, attr)


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
            k.rule.category == h.rule.category and k.start < h.end and h.start < k.end for k in kept
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
        hints: bool = False,
    ) -> None:
        register_extensions()
        if nlp.lang != "en":
            warnings.warn(
                f"tonecheck's rules are for English; this pipeline's language is {nlp.lang!r}",
                stacklevel=2,
            )
        self.name = name
        self.categories = list(categories) if categories else None
        self.disabled_rules = list(disabled_rules)
        self.severities = dict(severities or {})
        self.rule_files = [str(p) for p in rule_files]
        self.builtin_rules = builtin_rules
        self.hints = hints
        try:
            self._hint_severities = hint_severities(self.severities)
        except ValueError as exc:  # the same error as a rule's bad severity
            raise RuleError(str(exc)) from None
        self.vocab = nlp.vocab
        self.signals = SignalDetector(nlp.vocab)
        # (name, YAML text) of each user rule file: what to_disk saves and from_disk restores
        self._rule_texts: list[tuple[str, str]] = []
        self._missing_files: list[str] = []
        self.rules: list[Rule] = []
        self.matcher: RuleMatcher | None = None
        for f in self.rule_files:
            try:
                self._rule_texts.append((f, Path(f).read_text(encoding="utf-8")))
            except FileNotFoundError:
                # spacy.load() builds the component from its config (the original paths)
                # before from_disk() supplies the saved texts: only fail if they never come.
                self._missing_files.append(f)
            except (OSError, UnicodeDecodeError) as exc:
                raise RuleError(f"{f}: cannot read rule file: {exc}") from exc
        if not self._missing_files:
            self._build()

    def _build(self) -> None:
        """Compile the built-in rules and the user rule texts against the vocab."""
        rules = load_rules(builtin=True, known_predicates=CONDITIONS) if self.builtin_rules else []
        seen = {r.qualified_id: r.source for r in rules}
        for name, text in self._rule_texts:
            try:
                data = load_yaml(text)
            except yaml.YAMLError as exc:
                raise RuleError(f"{name}: not valid YAML: {exc}".splitlines()[0]) from exc
            for rule in parse_rules(data, name, CONDITIONS):
                if rule.qualified_id in seen:
                    other = seen[rule.qualified_id]
                    raise RuleError(f"{name}: rule {rule.id!r}: duplicate id (also in {other})")
                seen[rule.qualified_id] = name
                rules.append(rule)
        self.rules = self._select(rules)
        self.matcher = RuleMatcher(self.vocab, self.rules)
        self._missing_files = []

    def _ready_matcher(self) -> RuleMatcher:
        if self.matcher is None:
            missing = ", ".join(self._missing_files)
            raise RuleError(f"{missing}: cannot read rule file: no such file")
        return self.matcher

    def _select(self, rules: Iterable[Rule]) -> list[Rule]:
        out = []
        disabled = set(self.disabled_rules)
        for rule in rules:
            if self.categories is not None and rule.category not in self.categories:
                continue
            if rule.qualified_id in disabled or rule.id in disabled or rule.category in disabled:
                continue
            sev = self.severities.get(rule.qualified_id) or self.severities.get(rule.id)
            if sev and sev not in SEVERITIES:
                raise RuleError(
                    f"severities: {rule.qualified_id}: {sev!r} is not one of "
                    f"{', '.join(SEVERITIES)}"
                )
            if sev:
                rule = replace(rule, severity=sev)
            out.append(rule)
        return out

    def hits(self, doc: Doc) -> list[RuleHit]:
        """The rules that fire on a parsed doc (deduplicated), in position order: the
        findings of :meth:`analyse` before their suggestions are rendered. Verifying a
        rewrite needs only these (:func:`tonecheck.rewrite.check_sentences`)."""
        matcher = self._ready_matcher()
        if len(doc) and not (doc.has_annotation("DEP") and doc.has_annotation("LEMMA")):
            raise ValueError(
                "the tonecheck component needs a dependency parse and lemmas: add it after "
                "the parser and lemmatizer of a trained English pipeline (e.g. "
                "spacy.load('en_core_web_sm').add_pipe('tonecheck'))"
            )
        return _dedupe(matcher(doc, DocContext(doc)))

    def analyse(self, doc: Doc) -> dict[str, Any]:
        """The JSON-able analysis of one doc (offsets relative to ``doc.text``).

        This is what ``doc.user_data["tonecheck"]`` holds; :func:`tonecheck.checker.build_report`
        merges analyses of consecutive pieces of a text into one report.
        """
        hits = self.hits(doc)
        sents = list(doc.sents)
        sent_index = {s.start: i for i, s in enumerate(sents)}
        findings = []
        for hit in hits:
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
            findings.append(finding.to_dict() | {"why": hit.rule.why})
        # per-sentence politeness probabilities from the shipped numpy model (issue 5)
        politeness = score_sentences(doc)
        sentences = []
        for i, s in enumerate(sents):
            pol, subj = polarity_subjectivity(s.text)
            sentences.append(
                SentenceScore(
                    i,
                    s.start_char,
                    s.end_char,
                    pol,
                    subj,
                    politeness[i] if s.text.strip() else None,
                ).to_dict()
            )
        return {
            "findings": findings,
            "sentences": sentences,
            "signal_matches": [list(m) for m in self.signals.matches(doc)],
            "sentence_bounds": [list(b) for b in sentence_bounds(doc)],
        }

    def __call__(self, doc: Doc) -> Doc:
        analysis = self.analyse(doc)
        if self.hints:
            from .hints import add_hints  # numpy and the weights only when hints are on

            analysis = add_hints(
                doc, analysis, self.categories, self.disabled_rules, self._hint_severities
            )
        doc.user_data[USER_DATA_KEY] = analysis
        return doc

    # serialisation: the texts of user rule files travel with the pipeline
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.json_dumps({"rule_files": [[n, t] for n, t in self._rule_texts]}).encode()

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> ToneCheck:
        texts = [(n, t) for n, t in srsly.json_loads(data)["rule_files"]]
        if texts != self._rule_texts or self.matcher is None:
            self._rule_texts = texts
            self._build()
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / RULES_FILE).write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> ToneCheck:
        """Restore the saved rule texts (parsed from the JSON; nothing is written)."""
        file = Path(path) / RULES_FILE
        if file.exists():
            self.from_bytes(file.read_bytes())
        return self


@Language.factory(
    "tonecheck",
    default_config={
        "categories": None,
        "disabled_rules": [],
        "severities": {},
        "rule_files": [],
        "builtin_rules": True,
        "hints": False,
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
    hints: bool,
) -> ToneCheck:
    return ToneCheck(
        nlp,
        name,
        categories=categories,
        disabled_rules=disabled_rules,
        severities=severities,
        rule_files=rule_files,
        builtin_rules=builtin_rules,
        hints=hints,
    )
