"""Verified suggestions and the whole-draft rewrite.

The ``tonecheck`` component renders raw suggestions from each rule's templates. This
module turns them into suggestions a user can trust:

1. **Tidy.** Each candidate is applied to its sentence and the seam is cleaned up:
   capital at the sentence start, no doubled words or spaces, no stranded commas, a
   question mark after a question. The suggestion's range grows to cover what the tidy
   step changed (at most the sentence).
2. **Verify.** The candidate sentence is checked again (all candidates of a report go
   through one ``nlp.pipe`` batch, with a per-checker cache keyed by sentence text). A
   candidate that still carries the finding, or brings a new one, is dropped.
3. **Fall back.** Generic sentence-level requests that suit the category ("I would be
   grateful for any insight you are able to share.") are verified the same way, and
   removing the sentence is the last resort, so every tone finding keeps at least one
   suggestion.

:func:`rewrite` applies the best suggestion of every finding (one sentence-level
replacement where findings overlap in a sentence), re-checks the whole draft and repeats
until it is clean or stable. Everything outside the replaced sentences is kept byte for
byte, line endings included.
"""

from __future__ import annotations

import difflib
import re
import weakref
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .report import TONE_CATEGORIES, Finding, Report, SentenceScore, Suggestion
from .suggest import TEMPLATE_FIELD, fix_case

if TYPE_CHECKING:
    from .checker import Checker

#: Sentence-level requests that are safe in any context, by category, best first.
GENERIC_SUGGESTIONS: dict[str, tuple[str, ...]] = {
    "demanding": (
        "If you have a moment, I would be grateful for any feedback you are able to share.",
        "I would be grateful for any insight you are able to share.",
    ),
    "entitled": (
        "I would be grateful for any insight you are able to share.",
        "I would value hearing what you were looking for in this role.",
    ),
    "defensive": (
        "I would value hearing what you were looking for in this role.",
        "I would be grateful for any insight you are able to share.",
    ),
}
_DEFAULT_GENERIC = ("I would be grateful for any insight you are able to share.",)
#: Alternatives kept per finding (the best first).
MAX_SUGGESTIONS = 4
_CACHE_SIZE = 4096
_QUESTION_OPENERS = re.compile(r"^(would|could|can|might|may|do|does|is|are|will)\s+you\b", re.I)
_WORD = re.compile(r"[\w'’-]")

_caches: weakref.WeakKeyDictionary[Any, dict[str, tuple[str, ...]]] = weakref.WeakKeyDictionary()
# Whole-sentence suggestions with no slot to fill (the generic fallbacks, and templates such
# as "Would you be open to sharing any feedback?") read the same whatever the input: each is
# verified once per checker and kept, apart from the per-sentence cache.
_fixed: weakref.WeakKeyDictionary[Any, tuple[Any, frozenset[str], dict[str, tuple[str, ...]]]] = (
    weakref.WeakKeyDictionary()
)


# ---------------------------------------------------------------------------- data types
@dataclass(frozen=True)
class Edit:
    """One replacement: ``original[start:end]`` (offsets into the original) became
    ``replacement``, to fix the findings of ``rules``."""

    start: int
    end: int
    original: str
    replacement: str
    rules: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "original": self.original,
            "replacement": self.replacement,
            "rules": list(self.rules),
        }


@dataclass
class Rewrite:
    """The result of :func:`rewrite`.

    ``text`` is the new draft, ``edits`` what changed (in original offsets, in order),
    and ``unfixed`` the tone findings still in ``text`` (offsets into ``text``). A rewrite
    succeeded when ``unfixed`` is empty.
    """

    original: str
    text: str
    edits: list[Edit] = field(default_factory=list)
    unfixed: list[Finding] = field(default_factory=list)
    added: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.original

    @property
    def ok(self) -> bool:
        """No tone finding is left in the rewritten text."""
        return not self.unfixed

    def diff(self, name: str = "draft") -> str:
        """A unified diff from the original to the rewritten text."""
        a = self.original.splitlines(keepends=True)
        b = self.text.splitlines(keepends=True)
        lines = difflib.unified_diff(a, b, fromfile=f"a/{name}", tofile=f"b/{name}")
        return "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            for line in lines
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "changed": self.changed,
            "edits": [e.to_dict() for e in self.edits],
            "unfixed": [f.to_dict() for f in self.unfixed],
            "added": list(self.added),
        }


@dataclass(frozen=True)
class Candidate:
    """A tidied, checked suggestion; ``remaining`` are the tone rules still in its sentence."""

    suggestion: Suggestion
    region: tuple[int, int]
    new_region: str
    remaining: tuple[str, ...]
    generic: bool = False


# ------------------------------------------------------------------------------- tidying
def _cap(s: str) -> str:
    for i, ch in enumerate(s):
        if ch.isalpha():
            return s[:i] + ch.upper() + s[i + 1 :]
        if not (ch.isspace() or ch in "\"'“‘(["):
            return s
    return s


def _last_word(s: str) -> str:
    m = re.search(r"([\w'’]+)\W*$", s)
    return m.group(1).lower() if m else ""


def _first_word(s: str) -> str:
    m = re.match(r"\W*([\w'’]+)", s)
    return m.group(1).lower() if m else ""


def join_tidy(prefix: str, repl: str, suffix: str) -> str:
    """``prefix + repl + suffix`` for one sentence, with the seams cleaned up."""
    if repl:
        # no doubled word at either seam ("I would be grateful to understand understand")
        if prefix and _last_word(prefix) == _first_word(repl) and _WORD.match(prefix[-1:] or " "):
            prefix = prefix[: len(prefix) - len(re.search(r"[\w'’]+\W*$", prefix).group(0))]  # type: ignore[union-attr]
            prefix = prefix.rstrip(" ") + (" " if prefix.strip() else "")
        if repl[-1:] in ".?!" and suffix.lstrip(" ")[:1] in (".", "?", "!"):
            suffix = suffix.lstrip(" ")[1:]
        text = prefix + repl + suffix
    else:
        left, right = prefix.rstrip(" \t"), suffix.lstrip(" \t")
        if not left.strip():
            right = right.lstrip(",;:-–— \t")
            text = left + right
        elif right[:1] in (",", ";", ":") and left[-1:] in (",", ";", ":", "(", "—", "–"):
            text = left + right[1:]
        elif right[:1] in (".", "?", "!") and left[-1:] in (",", ";", ":", "-", "—", "–"):
            text = left[:-1] + right
        elif not right or right[:1] in ".,;:?!)":
            text = left + right
        else:
            text = left + " " + right
    if "  " in repl + prefix[-2:] + suffix[:2]:
        text = re.sub(r"(?<=\S)[ \t]{2,}(?=\S)", " ", text)
    text = re.sub(r"(?<=\w)[ \t]+([,.;:?!])(?!\w)", r"\1", text)
    text = re.sub(r"[.,;:]+([?!])(?=\s*$)", r"\1", text)
    text = re.sub(r"(?<!\.)\.\.(?=\s*$)", ".", text)
    text = re.sub(r",([.?!])", r"\1", text)
    text = re.sub(r"\b(\w+)\s+\1\b", _undouble, text)
    lead = len(text) - len(text.lstrip())
    body = _cap(text[lead:])
    if _QUESTION_OPENERS.match(body) and body.rstrip().endswith("."):
        stripped = body.rstrip()
        body = stripped[:-1] + "?" + body[len(stripped) :]
    text = text[:lead] + body
    if not re.search(r"\w", text):
        return ""
    return text


def _undouble(m: re.Match[str]) -> str:
    word = m.group(1)
    if word.lower() in ("that", "had", "is", "very", "really", "so"):  # "that that" can be fine
        return m.group(0)
    return word


def _snap(orig: str, new: str, a: int, b: int) -> tuple[int, int, str]:
    """The smallest word-aligned range of ``orig`` that covers ``orig[a:b]`` and every
    difference from ``new``: (start, end, replacement), relative to ``orig``."""
    p = 0
    while p < min(a, len(new)) and orig[p] == new[p]:
        p += 1
    s = 0
    while s < min(len(orig) - b, len(new) - p) and orig[-1 - s] == new[-1 - s]:
        s += 1
    start, end_o, end_n = p, len(orig) - s, len(new) - s
    # never cut a word in two
    while 0 < start < len(orig) and _WORD.match(orig[start - 1]) and _WORD.match(orig[start]):
        start -= 1
    while (
        0 < end_o < len(orig)
        and end_n < len(new)
        and _WORD.match(orig[end_o - 1])
        and _WORD.match(orig[end_o])
    ):
        end_o += 1
        end_n += 1
    return start, end_o, new[start:end_n]


def _region(report: Report, f: Finding) -> tuple[int, int]:
    """The sentence(s) a finding lies in, without surrounding whitespace.

    A finding that runs over a line break is cut back to its anchor sentence's side of
    it: a replacement never merges paragraphs.
    """
    text = report.text
    sents = report.sentences
    # sentences are numbered in order, so the finding's own is found by index and its
    # overlapping neighbours by walking outwards (no scan of the whole report)
    k = f.sentence
    if not (0 <= k < len(sents) and sents[k].index == k):
        k = next((n for n, s in enumerate(sents) if s.index == f.sentence), -1)
    if k < 0:
        a, b = f.start, f.end
    else:
        a, b = sents[k].start, sents[k].end
        for step in (-1, 1):
            n = k + step
            while 0 <= n < len(sents) and sents[n].start < f.end and f.start < sents[n].end:
                lo, hi = min(a, sents[n].start), max(b, sents[n].end)
                if "\n" not in text[lo:hi].strip():
                    a, b = lo, hi
                n += step
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def deletion_range(text: str, a: int, b: int) -> tuple[int, int]:
    """The range to remove so that sentence ``text[a:b]`` disappears cleanly: with one side
    of its spacing, or with its line (and a blank line) when it stands alone."""
    # Positions are scanned in place (no slices of the text), so this stays cheap on
    # long texts with many findings.
    m = _SPACES.match(text, b)
    if m and m.end() < len(text) and text[m.end()] not in "\r\n":
        return a, m.end()
    lead = _ws_back(text, a)
    if lead < a and lead > 0 and text[lead - 1] not in "\r\n":
        return lead, b
    # alone on its line(s)
    after = _LINE_END.match(text, b)
    if after and _NON_SPACE.search(text, after.end()):
        return a, after.end()
    j, newline = _newline_back(text, _ws_back(text, a))
    if newline:
        k, newline2 = _newline_back(text, _ws_back(text, j))
        return (k if newline2 else j), b
    return a, after.end() if after else b


_SPACES = re.compile(r"[ \t]+")
_LINE_END = re.compile(r"[ \t]*(\r?\n)([ \t]*\r?\n)?")
_NON_SPACE = re.compile(r"\S")


def _ws_back(text: str, i: int) -> int:
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return i


def _newline_back(text: str, i: int) -> tuple[int, bool]:
    """Step back over one line break ending at ``i`` (LF or CRLF), if there is one."""
    if i > 0 and text[i - 1] == "\n":
        i -= 1
        if i > 0 and text[i - 1] == "\r":
            i -= 1
        return i, True
    return i, False


# ------------------------------------------------------------------------- verification
def _cache(checker: Checker) -> dict[str, tuple[str, ...]]:
    try:
        return _caches.setdefault(checker, {})
    except TypeError:  # pragma: no cover - not weak-referenceable
        return {}


def _fixed_texts(checker: Checker) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """The input-independent candidate texts of the checker's rules, and their results."""
    component = checker.component
    try:
        matcher, texts, results = _fixed[checker]
    except KeyError:
        matcher = None
    except TypeError:  # pragma: no cover - not weak-referenceable
        return frozenset(), {}
    if matcher is not None and matcher is component.matcher:
        return texts, results
    templates = {g for gs in GENERIC_SUGGESTIONS.values() for g in gs} | set(_DEFAULT_GENERIC)
    for rule in component.rules:
        for t in rule.suggestions:
            if t.scope == "sentence" and not TEMPLATE_FIELD.search(t.template):
                templates.add(fix_case(t.template, True))
    texts = frozenset(join_tidy("", t.strip(), "") for t in templates if t.strip())
    _fixed[checker] = (component.matcher, texts, {})
    return texts, _fixed[checker][2]


def check_sentences(checker: Checker, texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The tone rules that fire on each text, checked alone (one ``nlp.pipe`` batch).

    The texts are parsed by the pipeline up to the ``tonecheck`` component, which then
    only matches its rules (:meth:`ToneCheck.hits`): the rule ids are the same as those
    of the full analysis, without the suggestions, scores and signals nobody reads here.
    """
    cache = _cache(checker)
    fixed, fixed_results = _fixed_texts(checker)
    wanted = list(dict.fromkeys(texts))
    todo = [t for t in wanted if t not in cache and t not in fixed_results and t.strip()]
    if todo:
        if len(cache) + len(todo) > _CACHE_SIZE:
            cache.clear()
        nlp = checker.nlp
        component = checker.component
        names = nlp.pipe_names
        rest = names[names.index(component.name) :]  # the component and anything after it
        for doc in nlp.pipe(todo, batch_size=64, disable=rest):
            found = tuple(
                sorted(
                    h.rule.qualified_id
                    for h in component.hits(doc)
                    if h.rule.category in TONE_CATEGORIES
                )
            )
            (fixed_results if doc.text in fixed else cache)[doc.text] = found
    return {t: fixed_results.get(t, cache.get(t, ())) for t in wanted}


def _raw_candidates(report: Report, f: Finding) -> list[tuple[Suggestion, bool]]:
    a, b = _region(report, f)
    out: list[tuple[Suggestion, bool]] = [(s, False) for s in f.suggestions]
    for g in GENERIC_SUGGESTIONS.get(f.category, _DEFAULT_GENERIC):
        out.append((Suggestion(g, a, b), True))
    out.append((Suggestion("", a, b), True))  # last resort: leave the sentence out
    return out


def _build(report: Report, f: Finding, sug: Suggestion, generic: bool) -> Candidate | None:
    text = report.text
    a, b = _region(report, f)
    s_start, s_end = max(min(sug.start, b), a), max(min(sug.end, b), a)
    # only a raw span deletion may take a space just outside the sentence
    outside = sug.start < a or sug.end > b
    if outside and not (sug.text == "" and sug.end - sug.start <= (b - a) + 1):
        return None
    orig = text[a:b]
    pre, post = orig[: s_start - a], orig[s_end - a :]
    whole = s_start == a and s_end == b
    if whole and not sug.text.strip():
        new = ""
    elif whole:
        new = join_tidy("", sug.text.strip(), "")
    else:
        new = join_tidy(pre, sug.text, post)
    if new == "":
        da, db = deletion_range(text, a, b)
        return Candidate(Suggestion("", da, db), (a, b), "", (), generic)
    if new == orig:
        return None
    ra, rb, rep = _snap(orig, new, s_start - a, s_end - a)
    return Candidate(Suggestion(rep, a + ra, a + rb), (a, b), new, (), generic)


def candidates(checker: Checker, report: Report) -> dict[int, list[Candidate]]:
    """Verified candidates per tone finding (index into ``report.findings``), best first:
    at most :data:`MAX_SUGGESTIONS`, generic ones only to make up two."""
    return {i: _trim(items) for i, items in verified(checker, report).items()}


def _trim(kept: list[Candidate]) -> list[Candidate]:
    # content-keeping suggestions first; generic ones only as needed
    specific = [c for c in kept if not c.generic]
    fallbacks = [c for c in kept if c.generic and c.suggestion.text]
    chosen = specific[:MAX_SUGGESTIONS]
    for c in fallbacks:
        if len(chosen) >= max(2, len(specific)) or len(chosen) >= MAX_SUGGESTIONS:
            break
        chosen.append(c)
    if not chosen:
        chosen = [c for c in kept if c.generic and not c.suggestion.text][:1]
    return chosen


def verified(checker: Checker, report: Report) -> dict[int, list[Candidate]]:
    """Every verified candidate per tone finding, in order: the rule's own, the generic
    ones, leaving the sentence out."""
    built: dict[int, list[Candidate]] = {}
    for i, f in enumerate(report.findings):
        if f.category not in TONE_CATEGORIES:
            continue
        seen: set[tuple[str, int, int]] = set()
        items = []
        for sug, generic in _raw_candidates(report, f):
            c = _build(report, f, sug, generic)
            if c is None:
                continue
            key = (c.suggestion.text, c.suggestion.start, c.suggestion.end)
            if key in seen:
                continue
            seen.add(key)
            items.append(c)
        built[i] = items
    results = check_sentences(
        checker, (c.new_region for items in built.values() for c in items if c.new_region)
    )
    gate = None  # a LanguageTool gate, only when the checker's grammar checks are on
    if getattr(checker, "grammar", None) is not None:  # (importing .grammar takes 0.1 s)
        from .grammar import rewrite_gate

        gate = rewrite_gate(checker)
    if gate is not None:  # one LanguageTool request for all regions and candidates
        gate.prefetch([report.text[slice(*_region(report, report.findings[i]))] for i in built])
        gate.prefetch(c.new_region for items in built.values() for c in items)
    out: dict[int, list[Candidate]] = {}
    tone = report.tone_findings  # computed once: the property builds a new list each time
    for i, items in built.items():
        f = report.findings[i]
        a, b = _region(report, f)
        region_findings = [g for g in tone if g.start < b and a < g.end and g is not f]
        kept: list[Candidate] = []
        for c in items:
            s = c.suggestion
            others = [g for g in region_findings if not (s.start <= g.start and g.end <= s.end)]
            allowed = Counter(g.rule for g in others)
            found = Counter(results.get(c.new_region, ()))
            if any(n > allowed[r] for r, n in found.items()):
                continue
            if gate is not None and gate.adds_errors(report.text[a:b], c.new_region):
                continue  # the rewrite would add a LanguageTool grammar error
            kept.append(replace(c, remaining=tuple(sorted(found.elements()))))
        out[i] = kept
    return out


def verify_report(checker: Checker, report: Report) -> Report:
    """The report with every tone finding's suggestions tidied and verified."""
    if not report.tone_findings:
        return report
    cands = candidates(checker, report)
    findings = [
        replace(f, suggestions=tuple(c.suggestion for c in cands[i])) if i in cands else f
        for i, f in enumerate(report.findings)
    ]
    return replace(report, findings=findings)


# ------------------------------------------------------------------------------ rewrite
@dataclass
class _Piece:
    """A run of the current text: original text (``text is None``) or a replacement."""

    ostart: int
    oend: int
    text: str | None = None
    rules: tuple[str, ...] = ()

    def length(self) -> int:
        return self.oend - self.ostart if self.text is None else len(self.text)


class _EditLog:
    """The current text as pieces of the original and replacements; edits come in offsets
    of the current text and are kept in offsets of the original."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.pieces: list[_Piece] = [_Piece(0, len(original))] if original else []

    def copy(self) -> _EditLog:
        other = _EditLog(self.original)
        other.pieces = [replace(p) for p in self.pieces]
        return other

    def text(self) -> str:
        return "".join(
            self.original[p.ostart : p.oend] if p.text is None else p.text for p in self.pieces
        )

    @property
    def edits(self) -> list[Edit]:
        return [
            Edit(p.ostart, p.oend, self.original[p.ostart : p.oend], p.text, p.rules)
            for p in self.pieces
            if p.text is not None
        ]

    def _split(self, at: int) -> None:
        pos = 0
        for k, p in enumerate(self.pieces):
            n = p.length()
            if p.text is None and pos < at < pos + n:
                cut = p.ostart + (at - pos)
                self.pieces[k : k + 1] = [_Piece(p.ostart, cut), _Piece(cut, p.oend)]
                return
            pos += n

    def add(self, start: int, end: int, replacement: str, rules: Sequence[str]) -> None:
        """Replace ``current[start:end]``; replacements it touches merge with it."""
        self._split(start)
        self._split(end)
        before: list[_Piece] = []
        middle: list[tuple[int, _Piece]] = []
        after: list[_Piece] = []
        pos = 0
        for p in self.pieces:
            n = p.length()
            ps, pe = pos, pos + n
            pos = pe
            touches = p.text is not None and ps <= end and pe >= start
            inside = p.text is None and start < end and ps >= start and pe <= end
            if touches or inside:
                middle.append((ps, p))
            elif pe <= start:
                before.append(p)
            else:
                after.append(p)
        if middle:
            o_lo = min(p.ostart for _, p in middle)
            o_hi = max(p.oend for _, p in middle)
        else:
            o_lo = o_hi = before[-1].oend if before else 0
        pre = suf = ""
        merged_rules: list[str] = []
        for ps, p in middle:
            if p.text is None:
                continue
            merged_rules.extend(p.rules)
            if ps < start:
                pre = p.text[: start - ps]
            if ps + len(p.text) > end:
                suf = p.text[end - ps :]
        rules_all = tuple(dict.fromkeys([*merged_rules, *rules]))
        piece = _Piece(o_lo, o_hi, pre + replacement + suf, rules_all)
        self.pieces = [*before, piece, *after]


def _plan(report: Report, cands: dict[int, list[Candidate]]) -> list[tuple[Suggestion, list[str]]]:
    """Pick one suggestion per sentence region: where several findings share a region,
    the first candidate that leaves it clean (a sentence-level one if need be)."""
    groups: dict[tuple[int, int], list[int]] = {}
    for i in sorted(cands):
        region = _region(report, report.findings[i])
        for key in list(groups):
            if key[0] < region[1] and region[0] < key[1]:
                idx = groups.pop(key)
                region = (min(region[0], key[0]), max(region[1], key[1]))
                groups.setdefault(region, []).extend(idx)
        groups.setdefault(region, []).append(i)
    rank = {"error": 0, "warning": 1, "info": 2}
    plan: list[tuple[Suggestion, list[str]]] = []
    # a whole replacement sentence is used once per draft; after that, the next one (or
    # leaving the sentence out) reads
    # better than saying the same thing twice
    flagged = {report.findings[i].sentence for i in cands}
    used: set[str] = {
        _norm(report.text[s.start : s.end]) for s in report.sentences if s.index not in flagged
    }

    def fresh(c: Candidate) -> bool:
        t = _norm(c.suggestion.text)
        if not t or len(t) <= 30:
            return True
        return not any(
            difflib.SequenceMatcher(None, t, u).ratio() > 0.8 for u in used if len(u) > 30
        )

    for _region_key, idx in sorted(groups.items()):
        order = sorted(idx, key=lambda i: (rank.get(report.findings[i].severity, 3), i))
        rules = [report.findings[i].rule for i in order]
        pick: Candidate | None = None
        if len(order) > 1:
            for want_generic in (False, True):
                for i in order:
                    for c in cands[i]:
                        if c.generic == want_generic and not c.remaining and fresh(c):
                            pick = pick or c
        if pick is None:
            for i in order:
                usable = [c for c in cands[i] if fresh(c)]
                if usable:
                    pick = usable[0]
                    rules = [report.findings[i].rule]
                    break
        if pick is not None:
            plan.append((pick.suggestion, rules))
            used.add(_norm(pick.suggestion.text))
    return plan


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().lower()


def _content_sentences(report: Report) -> list[SentenceScore]:
    out = []
    for s in report.sentences:
        body = report.text[s.start : s.end].strip()
        words = re.findall(r"[A-Za-z]+", body)
        if len(words) > 3 or body.endswith(("?", ".")):
            out.append(s)
    return out


def _add_missing(checker: Checker, text: str, log: _EditLog, added: list[str]) -> None:
    report = checker.check(text, verify_suggestions=False)
    missing = {s.name for s in report.missing_signals}
    content = _content_sentences(report)
    if not content or not missing:
        return
    first, last = content[0], content[-1]

    def end_of(s: SentenceScore) -> int:
        e = s.end
        while e > s.start and text[e - 1].isspace():
            e -= 1
        return e

    inserts: list[tuple[int, str, str]] = []
    if "opening_thanks" in missing:
        inserts.append(
            (
                first.start,
                "Thank you for your time and for the chance to interview with you. ",
                "opening_thanks",
            )
        )
    closing = []
    if "easy_out" in missing:
        closing.append(("I completely understand if that isn't possible.", "easy_out"))
    if "closing_thanks" in missing:
        closing.append(("Thank you again for your time.", "closing_thanks"))
    if closing:
        pos = end_of(last)
        inserts.append((pos, "".join(" " + t for t, _ in closing), "+".join(n for _, n in closing)))
    for pos, words, name in sorted(inserts, reverse=True):
        log.add(pos, pos, words, [f"add-missing.{name}"])
        added.extend(name.split("+"))


def rewrite(
    text: str,
    *,
    checker: Checker | None = None,
    model: str | None = None,
    add_missing: bool = False,
    max_rounds: int = 6,
) -> Rewrite:
    """Rewrite a draft so that it no longer carries demanding, entitled or defensive
    phrasing, keeping everything else byte for byte.

    Every tone finding's best verified suggestion is applied (where findings overlap in
    one sentence, one replacement for the whole sentence); the draft is checked again
    and the process repeats until it is clean or stops changing. Rewriting a rewritten
    draft changes nothing.

    Args:
        text: the draft, exactly as written (LF or CRLF line endings are kept).
        checker: a :class:`~tonecheck.Checker` to use (default: a shared one for ``model``).
        model: a spaCy model name or path, when no checker is given.
        add_missing: also add what a good request usually has and this one lacks: an
            opening thank-you, an easy way out, a closing thank-you (off by default).
        max_rounds: an upper bound on check-and-fix rounds.

    Returns:
        A :class:`Rewrite`: ``text`` (the new draft), ``edits`` (original offsets,
        original text, replacement, rules) and ``unfixed`` (tone findings left in
        ``text``; empty when the rewrite fully succeeded).
    """
    if checker is None:
        from . import _checker

        checker = _checker(model)
    log = _EditLog(text)
    current = text
    report = checker.check(current, verify_suggestions=False)
    for _ in range(max_rounds):
        tone = report.tone_findings
        if not tone:
            break
        cands = verified(checker, report)
        plan = _plan(report, cands)
        if not plan:
            break
        trial = log.copy()
        applied: list[tuple[int, int]] = []
        for sug, rules in sorted(plan, key=lambda p: (p[0].start, p[0].end), reverse=True):
            if any((sug.start < e and s < sug.end) or sug.start == s for s, e in applied):
                continue  # overlapping whitespace of neighbouring deletions: next round
            trial.add(sug.start, sug.end, sug.text, rules)
            applied.append((sug.start, sug.end))
        new_text = trial.text()
        if new_text == current:
            break
        new_report = checker.check(new_text, verify_suggestions=False)
        if len(new_report.tone_findings) >= len(tone):
            break  # no progress: keep the last state (this keeps rewrite idempotent)
        log, current, report = trial, new_text, new_report
    added: list[str] = []
    if add_missing:
        extended = log.copy()
        _add_missing(checker, current, extended, added)
        extended_text = extended.text()
        extended_report = checker.check(extended_text, verify_suggestions=False)
        if extended_text != current and len(extended_report.tone_findings) <= len(
            report.tone_findings
        ):
            log, current, report = extended, extended_text, extended_report
        else:
            added = []
    return Rewrite(
        original=text,
        text=current,
        edits=list(log.edits),
        unfixed=list(report.tone_findings),
        added=added,
    )
