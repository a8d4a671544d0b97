"""Good-request signals: thanks, acknowledgement, goodwill, a light ask, an easy way out.

The signal definitions (patterns, descriptions, advice) are data in ``data/signals.yml``;
this module compiles them into one spaCy ``Matcher`` and reads a document.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from .report import Signal
from .rules import load_yaml
from .rules.sequences import TokenPatterns, word_positions

# How many content sentences count as the opening and the closing of a message.
EDGE_SENTENCES = 3


@dataclass(frozen=True)
class SignalSpec:
    name: str
    description: str
    advice: str
    where: str
    patterns: tuple[Any, ...]


@functools.lru_cache(maxsize=1)
def signal_specs() -> tuple[SignalSpec, ...]:
    raw = load_yaml(
        resources.files("tonecheck").joinpath("data/signals.yml").read_text(encoding="utf-8")
    )
    return tuple(
        SignalSpec(
            s["name"],
            s["description"],
            s["advice"],
            s.get("where", "anywhere"),
            tuple(s["patterns"]),
        )
        for s in raw["signals"]
    )


def _is_content(sent: Span) -> bool:
    """Greetings ("Hi Sarah,") and sign-offs ("Best regards, Ana") are not content."""
    words = [t for t in sent if t.is_alpha]
    return len(words) > 3 or sent.text.rstrip().endswith(("?", "."))


class SignalDetector:
    """Finds the good-request signals in parsed sentences."""

    def __init__(self, vocab: Vocab) -> None:
        self.specs = signal_specs()
        # each pattern starts only where its named word stands (spaCy's Matcher, which
        # keeps the few the sequence matcher does not cover, tries every token)
        self.patterns = TokenPatterns(
            vocab, [(spec.name, list(p)) for spec in self.specs for p in spec.patterns]
        )

    def matches(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(signal name, char start, char end) for every match in ``doc``."""
        tokens = list(doc)
        found = [
            (e, s, name)
            for name, s, e, _ in self.patterns.find(doc[:], tokens, word_positions(tokens))
        ]
        found.sort(key=lambda m: m[:2])  # in the order spaCy's Matcher gives: by end, start
        return [(name, doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for e, s, name in found]


def read_signals(
    text: str,
    matches: list[tuple[str, int, int]],
    sentence_bounds: list[tuple[int, int, bool]],
) -> list[Signal]:
    """Decide presence from matches and sentence bounds ``(start, end, is_content)``.

    Works on whole-document offsets, so a document checked paragraph by paragraph
    is judged as one message.
    """
    content = [(s, e) for s, e, c in sentence_bounds if c] or [
        (s, e) for s, e, _ in sentence_bounds
    ]
    opening = content[:EDGE_SENTENCES]
    closing = content[-EDGE_SENTENCES:]
    # A short message's opening and closing overlap; thanks then counts for one only.
    if len(content) <= EDGE_SENTENCES:
        closing = content[-1:]
        opening = content[:1]
    out = []
    for spec in signal_specs():
        zone = {"opening": opening, "closing": closing}.get(spec.where)
        found = None
        for name, s, e in sorted(matches, key=lambda m: m[1], reverse=spec.where == "closing"):
            if name != spec.name:
                continue
            if zone is not None and not any(zs <= s < ze for zs, ze in zone):
                continue
            found = (s, e)
            break
        out.append(
            Signal(
                name=spec.name,
                present=found is not None,
                description=spec.description,
                advice=spec.advice,
                start=found[0] if found else None,
                end=found[1] if found else None,
                text=text[found[0] : found[1]] if found else None,
            )
        )
    return out


def sentence_bounds(doc: Doc, offset: int = 0) -> list[tuple[int, int, bool]]:
    return [(s.start_char + offset, s.end_char + offset, _is_content(s)) for s in doc.sents]
