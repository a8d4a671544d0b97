"""Politeness strategies of Danescu-Niculescu-Mizil et al. (ACL 2013) on spaCy parses.

Each strategy of the paper's Table 3 is written here from the paper's own description
(word lists are ours, kept short and aimed at requests), and every hit names the tokens
that triggered it, as character offsets into ``doc.text``.

Strategies whose name ends in ``_start`` look only at the first word of a sentence (after
leading punctuation); their plain twins look at the rest, as in the paper, so "Please fix
it." is ``please_start`` and "Could you please fix it?" is ``please``.

Reference: Cristian Danescu-Niculescu-Mizil, Moritz Sudhof, Dan Jurafsky, Jure Leskovec
and Christopher Potts. "A computational approach to politeness with application to
social factors". ACL 2013.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .sentiment import textblob_data_dir

#: Strategy names, in the order of the paper's Table 3 (feature order of the model).
STRATEGY_NAMES: tuple[str, ...] = (
    "gratitude",
    "deference",
    "greeting",
    "positive_lexicon",
    "negative_lexicon",
    "apologizing",
    "please",
    "please_start",
    "indirect_btw",
    "direct_question",
    "direct_start",
    "counterfactual_modal",
    "indicative_modal",
    "first_person_start",
    "first_person_plural",
    "first_person",
    "second_person",
    "second_person_start",
    "hedges",
    "factuality",
)


@dataclass(frozen=True)
class StrategyHit:
    """One use of a strategy: ``doc.text[start:end] == text``."""

    name: str
    start: int
    end: int
    text: str


# --- word lists (ours) -------------------------------------------------------------

_GRATITUDE_LEMMAS = frozenset({"thank", "thanks", "appreciate", "grateful", "thankful"})
# Praise words that open a sentence ("Nice work", "Great point", "Interesting.").
_DEFERENCE_LEMMAS = frozenset(
    {
        "nice", "great", "good", "excellent", "awesome", "cool", "interesting", "fantastic",
        "wonderful", "impressive", "brilliant", "terrific", "superb", "fair",
    }
)  # fmt: skip
# "Good luck" opens a sentence with "good" but is a farewell, not deference.
_NOT_DEFERENCE_NEXT = frozenset({"luck", "grief", "lord", "god", "heavens", "morning",
                                 "afternoon", "evening", "day"})  # fmt: skip
_GREETING_LOWER = frozenset({"hi", "hello", "hey", "greetings", "howdy", "hiya", "yo", "dear"})
_GREETING_TIMES = frozenset({"morning", "afternoon", "evening", "day"})
_APOLOGY_LEMMAS = frozenset({"sorry", "apologize", "apologise", "apology", "apologies",
                             "oops", "whoops", "woops", "regret"})  # fmt: skip
# "excuse me", "forgive me", "pardon me": the verb only counts with "me".
_APOLOGY_WITH_ME = frozenset({"excuse", "forgive", "pardon"})
_BTW_LOWER = frozenset({"btw", "incidentally"})
_WH_LOWER = frozenset({"what", "why", "who", "whom", "whose", "how", "where", "when", "which"})
_DIRECT_START_LOWER = frozenset({"so", "then", "and", "but", "or"})
_COUNTERFACTUAL = frozenset({"could", "would"})
_INDICATIVE = frozenset({"can", "will", "ca", "wo"})  # "ca"/"wo": spaCy splits can't/won't
_FIRST_SG = frozenset({"i", "me", "my", "mine", "myself"})
_FIRST_PL = frozenset({"we", "us", "our", "ours", "ourselves", "let's"})
_SECOND = frozenset({"you", "your", "yours", "yourself", "yourselves", "u", "ur"})
# Hedges: words that soften a claim or a request (after Hyland's notion, our short list).
_HEDGE_VERBS = frozenset({"think", "believe", "suppose", "guess", "assume", "suggest",
                          "seem", "appear", "wonder", "suspect", "tend", "feel"})  # fmt: skip
_HEDGE_WORDS = frozenset(
    {
        "perhaps", "maybe", "possibly", "probably", "apparently", "presumably", "somewhat",
        "fairly", "rather", "likely", "unlikely", "arguably", "generally", "usually",
        "roughly", "approximately", "almost", "might", "possible", "somehow", "sometimes",
    }
)  # fmt: skip
_HEDGE_PHRASES: tuple[tuple[str, ...], ...] = (
    ("sort", "of"),
    ("kind", "of"),
    ("a", "bit"),
    ("a", "little"),
    ("in", "general"),
    ("more", "or", "less"),
)
# Factuality: the writer presents a claim as settled fact.
_FACT_WORDS = frozenset({"actually", "obviously", "clearly", "honestly", "surely",
                         "indeed", "certainly", "really"})  # fmt: skip
_FACT_PHRASES: tuple[tuple[str, ...], ...] = (
    ("in", "fact"),
    ("of", "course"),
    ("the", "fact", "is"),
    ("the", "fact", "that"),
    ("the", "point", "is"),
    ("the", "truth", "is"),
    ("the", "reality", "is"),
    ("as", "a", "matter", "of", "fact"),
)
# Words the sentiment lexicon marks but which in requests carry no attitude
# ("please" is its own strategy; "just" and "right" are mostly adverbial).
_LEXICON_STOP = frozenset({"please", "just", "right", "only", "more", "much", "many", "own",
                           "other", "same", "most", "such", "first", "last", "new", "old",
                           "real", "little", "few", "least", "less", "high", "low", "full",
                           "long", "short", "certain", "sure", "able", "big", "small",
                           "very", "too", "well", "even", "still", "so", "all", "far"})  # fmt: skip
_LEXICON_THRESHOLD = 0.2


@functools.cache
def sentiment_lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """Positive and negative word sets derived from TextBlob's ``en-sentiment.xml``.

    A word form is positive (negative) when the mean polarity of its senses is at least
    +0.2 (at most -0.2). Read once, at first use.
    """
    path = textblob_data_dir() / "en-sentiment.xml"
    totals: dict[str, list[float]] = {}
    with path.open("rb") as fh:
        for elem in ET.parse(fh).getroot().iter("word"):
            form = (elem.get("form") or "").lower()
            if not form or " " in form:
                continue
            totals.setdefault(form, []).append(float(elem.get("polarity") or 0.0))
    positive, negative = set(), set()
    for form, values in totals.items():
        mean = sum(values) / len(values)
        if form in _LEXICON_STOP:
            continue
        if mean >= _LEXICON_THRESHOLD:
            positive.add(form)
        elif mean <= -_LEXICON_THRESHOLD:
            negative.add(form)
    return frozenset(positive), frozenset(negative)


# --- helpers ----------------------------------------------------------------------


def _hit(name: str, first: Token, last: Token) -> tuple[str, Token, Token]:
    # a strategy and its first and last token; :func:`strategies` makes the StrategyHit
    # (the politeness model needs only the names, and a hit's text costs a Span)
    return name, first, last


def _as_hit(name: str, first: Token, last: Token) -> StrategyHit:
    start, end = first.idx, last.idx + len(last.text)
    # the span's own text: Doc.text would join every token of the doc for each hit
    return StrategyHit(name, start, end, first.doc[first.i : last.i + 1].text)


def _words(sent: Span) -> list[Token]:
    """The sentence's tokens without punctuation and whitespace."""
    return [t for t in sent if not (t.is_punct or t.is_space)]


def sentences(obj: Doc | Span) -> Iterator[Span]:
    """The sentences of a doc, or of a span clipped to it (the whole text if unparsed)."""
    if isinstance(obj, Doc):
        if obj.has_annotation("SENT_START"):
            yield from obj.sents
        else:
            yield obj[:]
        return
    doc = obj.doc
    if not doc.has_annotation("SENT_START"):
        yield obj
        return
    # Start from the span's own sentence instead of walking the whole doc.
    sent = obj[0].sent if len(obj) else None
    while sent is not None and sent.start < obj.end:
        # Clip sentences to the span so that no hit falls outside it.
        yield doc[max(sent.start, obj.start) : min(sent.end, obj.end)]
        sent = doc[sent.end].sent if sent.end < len(doc) else None


def _phrases(
    words: Sequence[Token], phrases: tuple[tuple[str, ...], ...]
) -> Iterator[tuple[int, int]]:
    lowers = [t.lower_ for t in words]
    for i in range(len(lowers)):
        for phrase in phrases:
            if tuple(lowers[i : i + len(phrase)]) == phrase:
                yield i, i + len(phrase) - 1


def _has_you_after(words: Sequence[Token], i: int) -> int | None:
    """Index of "you" right after the modal at ``i`` (inverted question form), if any."""
    if i + 1 < len(words) and words[i + 1].lower_ in ("you", "u"):
        return i + 1
    # "Could n't you", "could any of you" are rare; one intervening "not" is allowed.
    if (
        i + 2 < len(words)
        and words[i + 1].lower_ in ("n't", "not")
        and words[i + 2].lower_ in ("you", "u")
    ):
        return i + 2
    return None


# --- the strategies -------------------------------------------------------------------


def _sentence_hits(sent: Span) -> Iterator[tuple[str, Token, Token]]:
    words = _words(sent)
    if not words:
        return
    positive, negative = sentiment_lexicon()
    first = words[0]
    first_lower = first.lower_
    is_question = any(t.text == "?" for t in sent)

    # Sentence-initial strategies.
    if first_lower in _GREETING_LOWER:
        yield _hit("greeting", first, first)
    elif first_lower == "good" and len(words) > 1 and words[1].lower_ in _GREETING_TIMES:
        yield _hit("greeting", first, words[1])
    if (
        first.lemma_.lower() in _DEFERENCE_LEMMAS
        and first.pos_ in ("ADJ", "INTJ", "PROPN")
        and not (len(words) > 1 and words[1].lower_ in _NOT_DEFERENCE_NEXT)
    ):
        last = words[1] if len(words) > 1 and words[1].pos_ == "NOUN" else first
        yield _hit("deference", first, last)
    if first_lower == "please":
        yield _hit("please_start", first, first)
    if first_lower in _DIRECT_START_LOWER:
        yield _hit("direct_start", first, first)
    if first_lower in _FIRST_SG:
        yield _hit("first_person_start", first, first)
    if first_lower in _SECOND:
        yield _hit("second_person_start", first, first)
    # Direct question: a question that opens with a wh-word, possibly after "so"/"and"...
    if is_question:
        k = 1 if first_lower in _DIRECT_START_LOWER and len(words) > 1 else 0
        if words[k].lower_ in _WH_LOWER:
            yield _hit("direct_question", words[k], words[k])

    for i, tok in enumerate(words):
        lower = tok.lower_
        lemma = tok.lemma_.lower()
        nxt = words[i + 1].lower_ if i + 1 < len(words) else ""
        if lemma in _GRATITUDE_LEMMAS or lower in ("thanks", "thx", "ty"):
            yield _hit("gratitude", tok, tok)
        if lemma in _APOLOGY_LEMMAS or lower in _APOLOGY_LEMMAS:
            yield _hit("apologizing", tok, tok)
        elif lemma in _APOLOGY_WITH_ME and nxt == "me":
            yield _hit("apologizing", tok, words[i + 1])
        if i > 0 and lower == "please":
            yield _hit("please", tok, tok)
        if lower in _BTW_LOWER:
            yield _hit("indirect_btw", tok, tok)
        elif lower == "by" and nxt == "the" and i + 2 < len(words) and words[i + 2].lower_ == "way":
            yield _hit("indirect_btw", tok, words[i + 2])
        if tok.tag_ == "MD" and (lower in _COUNTERFACTUAL or lower in _INDICATIVE):
            j = _has_you_after(words, i)
            if j is not None:
                name = "counterfactual_modal" if lower in _COUNTERFACTUAL else "indicative_modal"
                yield _hit(name, tok, words[j])
        if lower in _FIRST_PL:
            yield _hit("first_person_plural", tok, tok)
        if i > 0 and lower in _FIRST_SG:
            yield _hit("first_person", tok, tok)
        if i > 0 and lower in _SECOND:
            yield _hit("second_person", tok, tok)
        if (lemma in _HEDGE_VERBS and tok.pos_ == "VERB") or lower in _HEDGE_WORDS:
            yield _hit("hedges", tok, tok)
        if lower in _FACT_WORDS:
            yield _hit("factuality", tok, tok)
        if lower in positive:
            yield _hit("positive_lexicon", tok, tok)
        elif lower in negative:
            yield _hit("negative_lexicon", tok, tok)

    for i, j in _phrases(words, _HEDGE_PHRASES):
        yield _hit("hedges", words[i], words[j])
    for i, j in _phrases(words, _FACT_PHRASES):
        yield _hit("factuality", words[i], words[j])


def strategies(span_or_doc: Doc | Span) -> list[StrategyHit]:
    """All strategy hits in a parsed ``Doc`` or ``Span``, ordered by position.

    Needs a parse (sentence boundaries) and POS tags; offsets are into ``doc.text``.
    """
    hits = [_as_hit(*h) for sent in sentences(span_or_doc) for h in _sentence_hits(sent)]
    hits.sort(key=lambda h: (h.start, h.end, STRATEGY_NAMES.index(h.name)))
    return hits


def strategy_names(sent: Span) -> frozenset[str]:
    """The names of the strategies present in one sentence."""
    return frozenset(name for name, _, _ in _sentence_hits(sent))


def strategy_counts(span_or_doc: Doc | Span) -> dict[str, int]:
    """How often each strategy occurs (every name of :data:`STRATEGY_NAMES` is present)."""
    counts = dict.fromkeys(STRATEGY_NAMES, 0)
    for hit in strategies(span_or_doc):
        counts[hit.name] += 1
    return counts
