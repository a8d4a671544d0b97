"""The :class:`Checker`: a loaded pipeline plus the ``tonecheck`` component.

Texts are split into paragraph-sized chunks before parsing, so very long inputs stay
within spaCy's limits and memory stays flat; offsets are mapped back to the original
string. The analyses of the chunks are merged into one :class:`Report`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from spacy.language import Language

from .component import USER_DATA_KEY, ToneCheck
from .markup import Prepared, prepare, suppressed
from .nlp import load_pipeline
from .report import Finding, Report, SentenceScore, hint_severities
from .scoring import tone_score
from .sentiment import polarity_subjectivity
from .signals import read_signals

if TYPE_CHECKING:
    from .grammar import GrammarLink

#: Largest text accepted by one check (characters). Larger input raises InputTooLarge.
MAX_TEXT_CHARS = 5_000_000
#: Chunks are cut at paragraph breaks, then line breaks, then spaces, under this size.
CHUNK_CHARS = 20_000
#: One parsing batch holds at most this many characters (parser memory grows with a batch).
BATCH_CHARS = 40_000

_PARA_BREAK = re.compile(r"\n[ \t]*\n|\r\n[ \t]*\r\n")


class InputTooLarge(ValueError):
    """The text is over :data:`MAX_TEXT_CHARS`."""


def _cut_point(text: str, start: int, limit: int) -> int:
    window = text[start : start + limit]
    for sep in ("\n\n", "\n", ". ", " "):
        k = window.rfind(sep)
        if k > limit // 4:
            return start + k + len(sep)
    return start + limit


def split_chunks(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Split into ``(offset, chunk)`` pieces at paragraph breaks, each at most ``limit``.

    Small paragraphs are grouped so short drafts parse as one piece; the concatenation of
    all chunks is the original text.
    """
    if len(text) <= limit:
        return [(0, text)] if text else []
    pieces: list[tuple[int, int]] = []
    start = 0
    for m in _PARA_BREAK.finditer(text):
        pieces.append((start, m.end()))
        start = m.end()
    pieces.append((start, len(text)))
    chunks: list[tuple[int, str]] = []
    cur_s, cur_e = 0, 0
    for s, e in pieces:
        if e - cur_s <= limit:
            cur_e = e
            continue
        if cur_e > cur_s:
            chunks.append((cur_s, text[cur_s:cur_e]))
        cur_s = s
        while e - cur_s > limit:  # a single huge paragraph: cut at lines or words
            cut = _cut_point(text, cur_s, limit)
            chunks.append((cur_s, text[cur_s:cut]))
            cur_s = cut
        cur_e = e
    if cur_e > cur_s:
        chunks.append((cur_s, text[cur_s:cur_e]))
    return chunks


def build_report(
    text: str,
    analyses: Sequence[tuple[int, dict[str, Any]]],
    *,
    model: str = "",
) -> Report:
    """Merge chunk analyses ``(offset, analysis)`` into a report on the whole text."""
    findings: list[Finding] = []
    sentences: list[SentenceScore] = []
    matches: list[tuple[str, int, int]] = []
    bounds: list[tuple[int, int, bool]] = []
    for offset, data in analyses:
        base = len(sentences)
        for s in data["sentences"]:
            sentences.append(
                SentenceScore(
                    index=base + s["index"],
                    start=s["start"] + offset,
                    end=s["end"] + offset,
                    polarity=s["polarity"],
                    subjectivity=s["subjectivity"],
                    politeness=s.get("politeness"),
                )
            )
        findings.extend(Finding.from_dict(f, offset, base) for f in data["findings"])
        matches.extend((n, s + offset, e + offset) for n, s, e in data["signal_matches"])
        bounds.extend((s + offset, e + offset, bool(c)) for s, e, c in data["sentence_bounds"])
    signals = read_signals(text, matches, bounds)
    polarity, subjectivity = _document_sentiment(text, sentences)
    scored = [s.politeness for s in sentences if s.politeness is not None]
    politeness = sum(scored) / len(scored) if scored else None
    return Report(
        text=text,
        findings=findings,
        sentences=sentences,
        signals=signals,
        polarity=polarity,
        subjectivity=subjectivity,
        politeness=politeness,
        tone_score=tone_score(findings, signals, polarity, politeness),
        model=model,
    )


def _document_sentiment(text: str, sentences: Sequence[SentenceScore]) -> tuple[float, float]:
    """Length-weighted mean of the sentences' scores (TextBlob's own doc score, per sentence)."""
    if not sentences:
        return polarity_subjectivity(text) if text.strip() else (0.0, 0.0)
    total = sum(max(s.end - s.start, 1) for s in sentences)
    pol = sum(s.polarity * max(s.end - s.start, 1) for s in sentences) / total
    subj = sum(s.subjectivity * max(s.end - s.start, 1) for s in sentences) / total
    return pol, subj


class Checker:
    """Holds a loaded pipeline (loaded once, lazily) and checks texts with it.

    >>> checker = Checker()
    >>> report = checker.check("Send me the scorecards by Friday.")
    >>> [f.category for f in report.findings]
    ['demanding', 'demanding']
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        categories: Sequence[str] | None = None,
        disabled_rules: Sequence[str] = (),
        severities: dict[str, str] | None = None,
        rule_files: Sequence[str] = (),
        nlp: Language | None = None,
        grammar: str = "auto",
        languagetool_url: str | None = None,
        accept: Sequence[str] = (),
        hints: bool = False,
    ) -> None:
        self.model_name = model
        # sentence hints (see tonecheck.hints): the statistical model's info findings where
        # no rule of the category fired, and its veto on rule findings; off by default
        self.hints = hints
        # accepted phrases (see tonecheck.config): findings with this exact text are dropped
        self.accept = frozenset(normalize_phrase(p) for p in accept)
        # LanguageTool findings (see tonecheck.grammar): "auto" uses a configured or running
        # server and never starts one, "on" also starts one (GrammarError if impossible).
        self.grammar: GrammarLink | None = None
        if grammar != "off":  # imported only when used: language_tool_python is slow to import
            from .grammar import GrammarLink

            self.grammar = GrammarLink(grammar, languagetool_url)
        self._categories = list(categories) if categories else None
        # the hints follow the rules' configuration: "defensive.hint", "hint" or a
        # category switches them off, and they take a severity like a rule
        self._hints_off = tuple(disabled_rules)
        self._hint_severities = hint_severities(severities or {})
        self._config = {
            "categories": self._categories,
            "disabled_rules": list(disabled_rules),
            "severities": dict(severities or {}),
            "rule_files": [str(f) for f in rule_files],
        }
        self._nlp = nlp

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline with the ``tonecheck`` component (loaded on first use)."""
        if self._nlp is None:
            # each checker owns its pipeline, so rule configuration never leaks between them
            nlp = load_pipeline(self.model_name)
            nlp.add_pipe("tonecheck", config=self._config)
            self._nlp = nlp
        elif "tonecheck" not in self._nlp.pipe_names:
            self._nlp.add_pipe("tonecheck", config=self._config)
        return self._nlp

    @property
    def component(self) -> ToneCheck:
        comp = self.nlp.get_pipe("tonecheck")
        assert isinstance(comp, ToneCheck)
        return comp

    @property
    def model(self) -> str:
        meta = self.nlp.meta
        return f"{meta.get('lang', 'en')}_{meta.get('name', '')}-{meta.get('version', '')}"

    def check(
        self, text: str, *, verify_suggestions: bool = True, input_format: str = "plain"
    ) -> Report:
        """Check one text and return its :class:`Report`.

        ``input_format`` (``plain``, ``markdown``, ``email``) says which parts are prose
        (see :mod:`tonecheck.markup`); offsets always index ``text`` itself.

        With ``verify_suggestions`` (the default) every tone finding's suggestions are
        tidied and re-checked, and only those that leave the sentence clean are kept
        (see :mod:`tonecheck.rewrite`); off, they are the rules' raw templates.
        """
        return next(
            self.check_many(
                [text], verify_suggestions=verify_suggestions, input_format=input_format
            )
        )

    def analysis(self, doc: Any) -> dict[str, Any]:
        """The ``tonecheck`` component's analysis of a parsed piece, with the sentence
        hints this checker is configured for."""
        analysis: dict[str, Any] = doc.user_data[USER_DATA_KEY]
        if self.hints:
            from .hints import add_hints  # numpy and the weights only when hints are on

            analysis = add_hints(
                doc, analysis, self._categories, self._hints_off, self._hint_severities
            )
        return analysis

    def check_many(
        self,
        texts: Iterable[str | Prepared],
        *,
        n_process: int = 1,
        batch_size: int = 64,
        verify_suggestions: bool = True,
        input_format: str = "plain",
    ) -> Iterator[Report]:
        """Check many texts with ``nlp.pipe``; yields one report per text, in order.

        Each text is read as ``input_format``; a :class:`~tonecheck.markup.Prepared`
        item (``markup.prepare(text, fmt)``) brings its own format.
        """

        def chunks() -> Iterator[tuple[str, tuple[int, int, int]]]:
            for t_index, item in enumerate(texts):
                if not isinstance(item, (str, Prepared)):
                    raise TypeError(f"expected str, got {type(item).__name__}")
                text = item.text if isinstance(item, Prepared) else item
                if len(text) > MAX_TEXT_CHARS:
                    raise InputTooLarge(
                        f"text has {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}"
                    )
                # keep the original text for the report (the pipe sees only masked chunks)
                prepared = item if isinstance(item, Prepared) else prepare(item, input_format)
                texts_by_index[t_index] = prepared
                parts = split_chunks(prepared.masked) or [(0, "")]
                for offset, chunk in parts:
                    yield chunk, (t_index, offset, len(parts))

        texts_by_index: dict[int, Prepared] = {}
        nlp = self.nlp
        link = self.grammar
        if link is not None:
            link.connect()  # "on" without a server fails here, before any parsing
        pending: list[tuple[int, dict[str, Any]]] = []
        pieces: list[tuple[str, list[tuple[int, int]]]] = []  # chunk text and its names
        for doc, (t_index, offset, n_parts) in _pipe_bounded(
            nlp, chunks(), n_process=n_process, batch_size=batch_size
        ):
            analysis = self.analysis(doc)
            pending.append((offset, analysis))
            if link is not None:
                from .grammar import name_spans

                pieces.append((doc.text, name_spans(doc)))
            if len(pending) == n_parts:
                prepared = texts_by_index.pop(t_index)
                report = build_report(prepared.masked, pending, model=self.model)
                if link is not None:
                    _add_grammar(report, link, pending, pieces)
                report = _unmask(report, prepared, self.accept)
                if verify_suggestions:
                    from .rewrite import verify_report

                    report = verify_report(self, report)
                yield report
                pending, pieces = [], []


def _pipe_bounded(
    nlp: Language, items: Iterator[tuple[str, Any]], *, n_process: int, batch_size: int
) -> Iterator[tuple[Any, Any]]:
    """``nlp.pipe(items, as_tuples=True)`` in batches of at most ``batch_size`` texts *and*
    :data:`BATCH_CHARS` characters, so one long text (many chunks) parses a few chunks at
    a time and memory stays flat.

    With several processes spaCy batches by count alone, so the count is chosen from the
    mean length of the first ``batch_size`` texts (long texts: a few chunks per batch)."""
    if n_process != 1:
        head = list(itertools.islice(items, batch_size))
        mean = sum(len(t) for t, _ in head) / max(len(head), 1)
        size = max(1, min(batch_size, int(BATCH_CHARS // max(mean, 1.0))))
        yield from nlp.pipe(
            itertools.chain(head, items), as_tuples=True, n_process=n_process, batch_size=size
        )
        return
    group: list[tuple[str, Any]] = []
    chars = 0
    for item in items:
        if group and (len(group) >= batch_size or chars + len(item[0]) > BATCH_CHARS):
            yield from nlp.pipe(group, as_tuples=True, batch_size=len(group))
            group, chars = [], 0
        group.append(item)
        chars += len(item[0])
    if group:
        yield from nlp.pipe(group, as_tuples=True, batch_size=len(group))


def _add_grammar(
    report: Report,
    link: GrammarLink,
    analyses: Sequence[tuple[int, dict[str, Any]]],
    chunks: Sequence[tuple[str, list[tuple[int, int]]]],
) -> None:
    """Append LanguageTool findings (chunk by chunk, offsets shifted) and its warnings."""
    pieces = []
    base = 0  # index of the chunk's first sentence in the report
    for (offset, data), (chunk, names) in zip(analyses, chunks, strict=True):
        sents = [(s["start"], s["end"]) for s in data["sentences"]]
        pieces.append((offset, chunk, names, sents, base))
        base += len(sents)
    found, warnings = link.check(pieces)
    if found:
        report.findings = sorted([*report.findings, *found], key=lambda f: f.start)
    report.warnings.extend(warnings)


def normalize_phrase(text: str) -> str:
    """Case-folded, whitespace-collapsed, straight-quoted form for accepted-phrase matching."""
    text = text.translate(_QUOTE_FOLD)
    return " ".join(text.casefold().split())


_QUOTE_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def _unmask(report: Report, prepared: Prepared, accept: frozenset[str]) -> Report:
    """Point a report on the masked text back at the original: findings' and signals'
    text from the original, suppressed and accepted findings dropped, score recomputed."""
    if prepared.masked is prepared.text and not prepared.suppressions and not accept:
        return report
    text = prepared.text
    findings = [
        replace(f, text=text[f.start : f.end])
        for f in report.findings
        if not suppressed(f.rule, f.category, f.start, prepared.suppressions)
        and not (accept and normalize_phrase(text[f.start : f.end]) in accept)
    ]
    signals = [
        replace(s, text=text[s.start : s.end]) if s.start is not None and s.end is not None else s
        for s in report.signals
    ]
    dropped = len(findings) != len(report.findings)
    report.text, report.findings, report.signals = text, findings, signals
    if dropped:
        report.tone_score = tone_score(findings, signals, report.polarity, report.politeness)
    return report
