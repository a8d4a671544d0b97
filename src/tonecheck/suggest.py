"""Render a rule's suggestion templates against the parse of the flagged sentence.

Templates keep the writer's content by carrying parts of the parse into them:

``{span}``            the flagged words as written
``{verb}``            the anchor verb's lemma ("send")
``{verb_ing}``        its gerund ("sending"), from lemminflect's data (:mod:`.inflection`)
``{complement}``      what follows the anchor verb in its clause ("me the scorecards"),
                      without deadline phrases ("by Friday", "within 24 hours",
                      "immediately"), softeners ("please", "kindly", "just") or the final
                      punctuation; coordinated verbs stay in the base form
``{complement_ing}``  the same, with coordinated verbs as gerunds ("sending me the notes
                      and replying to this email"), to follow ``{verb_ing}``
``{object}``          the direct object alone ("the scorecards")
``{before}``          the sentence before the span; ``{after}`` the sentence after it
``{wh_after}``        the question word that ends the span ("how", "why", "what") and the
                      rest of the sentence: "I can't understand how X" gives "how X"

A template whose placeholders come out empty is skipped. Sentence-scoped templates
replace the whole sentence (its trailing whitespace is kept); span-scoped ones replace
the phrase, and an empty template deletes it with one adjacent space.

These are raw candidates: :mod:`tonecheck.rewrite` tidies them, checks each one with the
checker and keeps only those that read cleanly.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

from spacy.tokens import Doc, Token

from .inflection import gerund_forms
from .report import Suggestion
from .rules import Rule

COMPLEMENT_DEPS = {"dobj", "dative", "iobj", "prt", "ccomp", "xcomp", "oprd", "attr", "acomp"}
TEMPLATE_FIELD = re.compile(r"\{(\w+)\}")

#: Words that turn a request into a demand when they travel into the rewrite.
SOFTENERS = {"please", "kindly", "pls", "plz", "just", "simply"}
#: Single words that set a deadline or urgency.
URGENT_WORDS = {
    "immediately", "urgently", "promptly", "straightaway", "asap", "a.s.a.p.", "a.s.a.p",
    "today", "tonight", "tomorrow", "now", "eod", "cob", "quickly", "soon", "already",
    "straight", "once",
}  # fmt: skip
_TIME_WORDS = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|tomorrow|today|"
    r"tonight|noon|midday|midnight|morning|afternoon|evening|end|close|eod|cob|latest|"
    r"hours?|hrs|days?|weeks?|months?|minutes?|business|working|week's|"
    r"january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|\d+(st|nd|rd|th)?)\b",
    re.IGNORECASE,
)
_DEADLINE_PREPS = {"by", "before", "within", "until", "till"}
_NOT_REQUESTABLE = {"let", "be", "have", "do", "get", "make", "keep", "stop", "go"}
_WH = {"how", "why", "what", "whether", "where", "when", "who", "which"}


def gerund(verb: Token) -> str:
    return inflect_ing(verb.lemma_.lower() or verb.lower_)


def inflect_ing(lemma: str) -> str:
    forms = gerund_forms(lemma)  # lemminflect's getInflection(lemma, tag="VBG"), cheaper
    return forms[0] if forms else lemma + "ing"


def _tokens_text(doc: Doc, indices: list[int], replace: dict[int, str] | None = None) -> str:
    replace = replace or {}
    out = []
    for n, i in enumerate(indices):
        tok = doc[i]
        word = replace.get(i, tok.text)
        last = n == len(indices) - 1 or indices[n + 1] != i + 1
        out.append(word if last else word + tok.whitespace_)
        if last and n < len(indices) - 1:
            out.append(" ")
    return "".join(out).strip()


def _subtree_indices(tok: Token) -> list[int]:
    return [t.i for t in tok.subtree if not (t.is_punct and t.i == tok.right_edge.i)]


def is_deadline(tok: Token) -> bool:
    """Whether ``tok`` heads a deadline or urgency phrase ("by Friday", "immediately")."""
    low = tok.lower_
    sub = " ".join(t.lower_ for t in tok.subtree)
    if low in URGENT_WORDS and tok.dep_ in ("advmod", "npadvmod", "pobj", "dobj", "conj", "prep"):
        return tok.dep_ != "dobj" or low in ("today", "tomorrow", "tonight")
    if low in _DEADLINE_PREPS and tok.dep_ == "prep":
        return bool(_TIME_WORDS.search(sub))
    if low == "in" and tok.dep_ == "prep":
        return bool(re.search(r"\b(the next|\d+|a few|an?)\b.*\b(hours?|days?|weeks?)\b", sub))
    if (
        tok.dep_ == "npadvmod"
        and _TIME_WORDS.search(sub)
        and (re.search(r"\b(this|next|by|today|tomorrow|tonight)\b", sub))
    ):
        return True
    if low in ("soon", "possible") and "as soon as" in sub:
        return True
    return tok.dep_ in ("advmod", "prep", "npadvmod") and bool(
        re.match(
            r"(as soon as|right (away|now)|at once|without (further )?delay|no later than|"
            r"at the latest|end of (day|business|play)|this (week|afternoon|evening|morning))",
            sub,
        )
    )


#: Verbs the parser may tag as nouns when coordinated after a long object ("..., and reply").
_COMMAND_VERBS = {
    "forward", "send", "email", "explain", "tell", "give", "provide", "reply", "respond",
    "call", "share", "justify", "list", "clarify", "write", "show", "confirm", "answer",
    "detail", "outline", "supply", "return", "phone", "ring", "update", "resend", "review",
    "reconsider", "arrange", "schedule", "book", "pass", "let", "include", "copy",
}  # fmt: skip


def _coordinated_verb(t: Token, verb: Token) -> bool:
    """``t`` is a second command joined to ``verb`` ("send me X and reply to Y")."""
    if t.dep_ != "conj" or t.i == 0 or t.lower_ in SOFTENERS:
        return False
    if t.tag_ == "VB" and t.head.i == verb.i:
        return True
    prev = t.doc[t.i - 1]
    return prev.lower_ in ("and", "or") and t.lower_ in _COMMAND_VERBS


def _clause_tail(verb: Token, ing: bool) -> str:
    """The words after ``verb`` in its clause, without deadlines and softeners."""
    doc = verb.doc
    sent = verb.sent
    excluded: set[int] = set()
    replace: dict[int, str] = {}
    for t in verb.subtree:
        if t.i <= verb.i or t.i in excluded:
            continue
        if is_deadline(t) or (t.lower_ == "as" and "as soon as" in doc[t.i : t.i + 3].text.lower()):
            excluded.update(x.i for x in t.subtree)
        elif t.lower_ in SOFTENERS and t.dep_ in ("intj", "advmod"):
            excluded.add(t.i)
        elif ing and _coordinated_verb(t, verb):
            replace[t.i] = inflect_ing(t.lemma_.lower())
    indices = [t.i for t in verb.subtree if t.i > verb.i and t.i not in excluded and t.i < sent.end]
    # no trailing punctuation or dangling conjunctions
    indices = [i for i in indices if not doc[i].is_space]
    while indices and (doc[indices[-1]].is_punct or doc[indices[-1]].dep_ == "cc"):
        indices.pop()
    text = _tokens_text(doc, indices, replace)
    text = re.sub(r"\s+([,;:])", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    return text.strip(" ,;:")


def complement_text(verb: Token) -> str:
    return _clause_tail(verb, ing=False)


#: A minimum claimed for the object ("owed at least a few lines") stays out of a rewrite.
_MINIMUM = re.compile(
    r"^(?:at (?:the (?:very )?)?(?:least|minimum)|the (?:least|minimum) of)\s+", re.I
)


def object_text(verb: Token) -> str:
    for c in verb.children:
        if c.dep_ == "dobj":
            return _MINIMUM.sub("", _tokens_text(verb.doc, sorted(_subtree_indices(c))))
    return ""


def _wh_after(doc: Doc, start: int, end: int) -> str:
    last = doc[end - 1]
    if last.lower_ not in _WH:
        return ""
    sent = last.sent
    rest = doc[end : sent.end].text.strip().rstrip(string.punctuation).strip()
    return f"{last.lower_} {rest}" if rest else ""


class _Fields(dict[str, str]):
    """A hit's template fields, each computed the first time a template names it (most
    templates name one or two, and the clause tails take a walk over the parse)."""

    def __init__(self, doc: Doc, anchor: Token, start: int, end: int) -> None:
        super().__init__()
        self.doc, self.anchor, self.start, self.end = doc, anchor, start, end
        self.verb = anchor if anchor.pos_ in ("VERB", "AUX") else anchor.head
        # "Let me be clear" or "Be honest" do not turn into "Would you be open to letting..."
        self.requestable = self.verb.lemma_.lower() not in _NOT_REQUESTABLE
        self._inner: Token | bool | None = False  # not looked for yet

    def inner(self) -> Token | None:
        """ "I expect you to cover X": the verb the writer wants done is the complement's."""
        if self._inner is False:
            inner = next(
                (c for c in self.verb.children if c.dep_ in ("xcomp", "ccomp")
                 and c.pos_ == "VERB"
                 and any(s.lower_ == "you" for s in c.children if s.dep_ == "nsubj")),
                None,
            )  # fmt: skip
            ok = inner is not None and inner.lemma_.lower() not in _NOT_REQUESTABLE
            self._inner = inner if ok else None
        return self._inner if isinstance(self._inner, Token) else None

    def __missing__(self, name: str) -> str:
        value = self._compute(name)
        self[name] = value
        return value

    def _compute(self, name: str) -> str:
        doc, start, end, verb = self.doc, self.start, self.end, self.verb
        if name == "inner_verb":
            inner = self.inner()
            return inner.lemma_.lower() if inner is not None else ""
        if name == "inner_complement":
            inner = self.inner()
            return complement_text(inner) if inner is not None else ""
        if name == "span":
            return doc[start:end].text
        if name == "verb":
            return verb.lemma_.lower() if self.requestable else ""
        if name == "verb_ing":
            return gerund(verb) if self.requestable else ""
        if name == "complement":
            return complement_text(verb)
        if name == "complement_ing":
            return _clause_tail(verb, ing=True)
        if name == "object":
            return object_text(verb)
        sent = self.anchor.sent
        if name == "before":
            return doc[sent.start : start].text.strip()
        if name == "after":
            return doc[end : sent.end].text.strip().rstrip(string.punctuation).strip()
        if name == "wh_after":
            return _wh_after(doc, start, end)
        return ""  # an unknown field: the template is skipped, as for an empty one


def _fill(template: str, fields: dict[str, str]) -> str | None:
    names = TEMPLATE_FIELD.findall(template)
    if any(not fields[n] for n in names):
        return None
    text = TEMPLATE_FIELD.sub(lambda m: fields[m.group(1)], template)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def _at_sentence_start(doc: Doc, start: int) -> bool:
    sent = doc[start].sent
    return all(t.is_punct or t.is_space for t in doc[sent.start : start])


def fix_case(text: str, sentence_initial: bool) -> str:
    if not text:
        return text
    if sentence_initial:
        return text[0].upper() + text[1:]
    first = text.split(" ", 1)[0]
    pronoun = first in ("I", "I'm", "I'd", "I've", "I'll")
    if first[:1].isupper() and not pronoun and not first.isupper():
        return text[0].lower() + text[1:]
    return text


def render(rule: Rule, doc: Doc, anchor: int, start: int, end: int) -> Iterator[Suggestion]:
    """Yield the rule's suggestions for a hit, in the rule's order, without duplicates."""
    tok = doc[anchor]
    fields = _Fields(doc, tok, start, end)
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
            text = fix_case(filled, True)
        else:
            s_char = doc[start].idx
            e_char = doc[end - 1].idx + len(doc[end - 1])
            if TEMPLATE_FIELD.search(tmpl.template) and {"after", "wh_after"} & set(
                TEMPLATE_FIELD.findall(tmpl.template)
            ):
                # the template carries the rest of the sentence: it replaces it, and only
                # reads well when the span opens the sentence
                if not _at_sentence_start(doc, start):
                    continue
                last = sent.end - 1
                while last > end and (doc[last].is_punct or doc[last].is_space):
                    last -= 1
                e_char = max(e_char, doc[last].idx + len(doc[last]))
            if not filled:
                # deleting a phrase takes one neighbouring space with it
                if s_char > 0 and doc.text[s_char - 1] == " ":
                    s_char -= 1
                elif e_char < len(doc.text) and doc.text[e_char] == " ":
                    e_char += 1
                text = ""
            else:
                text = fix_case(filled, _at_sentence_start(doc, start))
        key = (text, s_char, e_char)
        if key not in seen:
            seen.add(key)
            yield Suggestion(text=text, start=s_char, end=e_char)
