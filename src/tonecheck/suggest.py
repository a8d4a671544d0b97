"""Render a rule's suggestion templates against the parse of the flagged sentence.

Templates keep the writer's content by carrying parts of the parse into them:

``{span}``        the flagged words as written
``{verb}``        the anchor verb's lemma ("send")
``{verb_ing}``    its gerund, inflected with lemminflect ("sending")
``{complement}``  the anchor verb's objects and complements ("me the scorecards"), without
                  deadline or manner phrases
``{object}``      the direct object alone ("the scorecards")
``{before}``      the sentence before the span; ``{after}`` the sentence after it

A template whose placeholders come out empty is skipped. Sentence-scoped templates
replace the whole sentence (its trailing whitespace is kept); span-scoped ones replace
the phrase, and an empty template deletes it with one adjacent space.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

from lemminflect import getInflection
from spacy.tokens import Doc, Token

from .report import Suggestion
from .rules import Rule

COMPLEMENT_DEPS = {"dobj", "dative", "iobj", "prt", "ccomp", "xcomp", "oprd", "attr", "acomp"}
_FIELD = re.compile(r"\{(\w+)\}")


def gerund(verb: Token) -> str:
    lemma = verb.lemma_.lower() or verb.lower_
    forms = getInflection(lemma, tag="VBG")
    return forms[0] if forms else lemma + "ing"


def _tokens_text(doc: Doc, indices: list[int]) -> str:
    out = []
    for n, i in enumerate(indices):
        tok = doc[i]
        last = n == len(indices) - 1 or indices[n + 1] != i + 1
        out.append(tok.text if last else tok.text_with_ws)
        if last and n < len(indices) - 1:
            out.append(" ")
    return "".join(out).strip()


def _subtree_indices(tok: Token) -> list[int]:
    return [t.i for t in tok.subtree if not (t.is_punct and t.i == tok.right_edge.i)]


def complement_text(verb: Token) -> str:
    indices: list[int] = []
    for c in verb.children:
        if c.dep_ in COMPLEMENT_DEPS:
            indices.extend(_subtree_indices(c))
    return _tokens_text(verb.doc, sorted(set(indices)))


def object_text(verb: Token) -> str:
    for c in verb.children:
        if c.dep_ == "dobj":
            return _tokens_text(verb.doc, sorted(_subtree_indices(c)))
    return ""


def _fields(doc: Doc, anchor: Token, start: int, end: int) -> dict[str, str]:
    sent = anchor.sent
    verb = anchor if anchor.pos_ in ("VERB", "AUX") else anchor.head
    return {
        "span": doc[start:end].text,
        "verb": verb.lemma_.lower(),
        "verb_ing": gerund(verb),
        "complement": complement_text(verb),
        "object": object_text(verb),
        "before": doc[sent.start : start].text.strip(),
        "after": doc[end : sent.end].text.strip().rstrip(string.punctuation).strip(),
    }


def _fill(template: str, fields: dict[str, str]) -> str | None:
    names = _FIELD.findall(template)
    if any(not fields.get(n) for n in names):
        return None
    text = _FIELD.sub(lambda m: fields[m.group(1)], template)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def _at_sentence_start(doc: Doc, start: int) -> bool:
    sent = doc[start].sent
    return all(t.is_punct or t.is_space for t in doc[sent.start : start])


def _fix_case(text: str, sentence_initial: bool) -> str:
    if not text:
        return text
    if sentence_initial:
        return text[0].upper() + text[1:]
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and first not in ("I", "I'm", "I'd", "I've", "I'll") and not first.isupper():
        return text[0].lower() + text[1:]
    return text


def render(rule: Rule, doc: Doc, anchor: int, start: int, end: int) -> Iterator[Suggestion]:
    """Yield the rule's suggestions for a hit, in the rule's order, without duplicates."""
    tok = doc[anchor]
    fields = _fields(doc, tok, start, end)
    sent = tok.sent
    seen: set[tuple[str, int, int]] = set()
    for tmpl in rule.suggestions:
        filled = _fill(tmpl.template, fields)
        if filled is None:
            continue
        if tmpl.scope == "sentence":
            s_tok, e_tok = sent.start, sent.end
            while e_tok > s_tok and doc[e_tok - 1].is_space:
                e_tok -= 1
            s_char = doc[s_tok].idx
            e_char = doc[e_tok - 1].idx + len(doc[e_tok - 1])
            text = _fix_case(filled, True)
        else:
            s_char = doc[start].idx
            e_char = doc[end - 1].idx + len(doc[end - 1])
            if not filled:
                # deleting a phrase takes one neighbouring space with it
                if s_char > 0 and doc.text[s_char - 1] == " ":
                    s_char -= 1
                elif e_char < len(doc.text) and doc.text[e_char] == " ":
                    e_char += 1
                text = ""
            else:
                text = _fix_case(filled, _at_sentence_start(doc, start))
        key = (text, s_char, e_char)
        if key not in seen:
            seen.add(key)
            yield Suggestion(text=text, start=s_char, end=e_char)
