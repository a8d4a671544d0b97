"""Context conditions that rules name in ``require:`` and ``forbid:``.

A rule's patterns say *what* phrase to look for; these conditions say *when it counts*:
negated or disclaimed obligations, first-person reflection, questions that ask lightly,
conditionals, reported speech. They are generic (no rule-specific words), so the rule
data stays declarative and every rule gets the same treatment of context.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources

from spacy.tokens import Doc, Span, Token

from .rules import load_yaml
from .sentiment import polarity_subjectivity

FIRST_PERSON = {"i", "me", "we", "us", "myself", "ourselves"}
SECOND_PERSON = {"you", "yourself", "yourselves", "y'all", "u"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "expl", "csubj"}
CONDITIONAL_MARKS = {"if", "when", "whenever", "unless", "whether", "once", "should"}
# Words that, as a determiner or adverb of the clause, disclaim an obligation:
# "no need to reply", "never feel obliged", "no pressure".
NEGATORS = {"not", "n't", "never", "no", "nobody", "nothing", "neither", "nor", "without"}
OPEN_QUOTES = {'"': '"', "\u201c": "\u201d", "\u00ab": "\u00bb", "\u2018": "\u2019"}


def _load_lexicon() -> dict[str, frozenset[str]]:
    """The word lists in ``data/lexicon.yml`` (domain data, kept out of the code)."""
    raw = load_yaml(resources.files("tonecheck").joinpath("data/lexicon.yml").read_text("utf-8"))
    return {key: frozenset(str(w) for w in words) for key, words in raw.items()}


LEXICON = _load_lexicon()
DEMAND_LEMMAS = LEXICON["demand_lemmas"]
SELF_TASKS = LEXICON["self_tasks"]
READER_SIDE = LEXICON["reader_side"]
FAULT_VERBS = LEXICON["fault_verbs"]
SUFFICIENCY = LEXICON["sufficiency"]
DUTY_VERBS = LEXICON["duty_verbs"]
NEGATIVE_DESCRIPTORS = LEXICON["negative_descriptors"]
APPRECIATIVE = LEXICON["appreciative"]
TIME_WORDS = LEXICON["time_words"]
SAY_VERBS = LEXICON["say_verbs"]
ASSESSOR_VERBS = LEXICON["assessor_verbs"]
PASSIVE_DUTIES = DUTY_VERBS | LEXICON["passive_duties"]
JUDGING_MANNER = LEXICON["judging_manner"]
CLAIM_WORDS = LEXICON["claim_words"]
EXCUSED = LEXICON["excused"]
FORGIVING = LEXICON["forgiving"]
DIFFICULTY_WORDS = LEXICON["difficulty_words"]
CHALLENGE_WORDS = LEXICON["challenge_words"]
ENTITLEMENT_LEMMAS = LEXICON["entitlement_lemmas"]


@dataclass
class DocContext:
    """Per-document caches the conditions share (sentiment, quote spans)."""

    doc: Doc
    _quotes: list[tuple[int, int]] | None = None
    _polarity: dict[tuple[int, int], tuple[float, float]] = field(default_factory=dict)
    _sent_words: dict[tuple[int, int], tuple[frozenset[str], frozenset[str]]] = field(
        default_factory=dict
    )

    def sentence_words(self, sent: Span) -> tuple[frozenset[str], frozenset[str]]:
        """The lower-case forms and the lower-cased lemmas of a sentence's tokens, made
        once per sentence for all the conditions that ask."""
        key = (sent.start, sent.end)
        found = self._sent_words.get(key)
        if found is None:
            tokens = list(sent)
            found = (
                frozenset(t.lower_ for t in tokens),
                frozenset(t.lemma_.lower() for t in tokens),
            )
            self._sent_words[key] = found
        return found

    def quoted_ranges(self) -> list[tuple[int, int]]:
        """Character ranges inside quotation marks (the marks included)."""
        if self._quotes is None:
            self._quotes = find_quoted_ranges(self.doc.text)
        return self._quotes

    def in_quotes(self, start: int, end: int) -> bool:
        return any(qs <= start and end <= qe for qs, qe in self.quoted_ranges())

    def sentiment(self, span: Span) -> tuple[float, float]:
        key = (span.start_char, span.end_char)
        if key not in self._polarity:
            self._polarity[key] = polarity_subjectivity(span.text)
        return self._polarity[key]


def find_quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Pair up quotation marks. Straight double quotes pair in order; curly ones by kind.

    A curly left single quote only opens at a word start ("\u2018like this\u2019").
    Straight single quotes double as apostrophes, so they pair only as British-style
    quotation marks do: one opening a word after a space or bracket, one closing a word
    before a space or punctuation, on the same line and at most :data:`SINGLE_QUOTE_MAX`
    characters apart ("the 'not a culture fit' line"; never "don't" or "it's").
    """
    ranges: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        opens = ch == "'" and (i == 0 or text[i - 1] in _BEFORE_SINGLE)
        if opens and text[i + 1 : i + 2].isalnum():
            j = _single_close(text, i)
            if j is not None:
                ranges.append((i, j + 1))
                i = j + 1
                continue
        close = OPEN_QUOTES.get(ch)
        if close is not None and (ch != "\u2018" or i == 0 or not text[i - 1].isalnum()):
            j = text.find(close, i + 1)
            # A quote that never closes within the paragraph is not a quotation.
            para_end = text.find("\n\n", i + 1)
            if j != -1 and (para_end == -1 or j < para_end):
                ranges.append((i, j + 1))
                i = j + 1
                continue
        i += 1
    return ranges


SINGLE_QUOTE_MAX = 120
_BEFORE_SINGLE = frozenset(" \t\n([{\u2014\u2013-/")


def _single_close(text: str, i: int) -> int | None:
    """The straight single quote that closes the one opening at ``i``, if any."""
    end = min(len(text), i + SINGLE_QUOTE_MAX)
    j = i + 1
    while j < end:
        ch = text[j]
        if ch == "\n":
            return None
        if (
            ch == "'"
            and (text[j - 1].isalnum() or text[j - 1] in ".,!?")
            and not text[j + 1 : j + 2].isalnum()
        ):
            return j
        j += 1
    return None


@dataclass
class MatchView:
    """What a condition sees of a rule match."""

    anchor: Token
    start: int  # token index, inclusive
    end: int  # token index, exclusive
    ctx: DocContext

    @functools.cached_property
    def sent(self) -> Span:
        # cached: Token.sent scans for the sentence's bounds each time, and conditions
        # read it again and again
        return self.anchor.sent

    @property
    def sent_lowers(self) -> frozenset[str]:
        """The lower-case forms of the sentence's tokens."""
        return self.ctx.sentence_words(self.sent)[0]

    @property
    def sent_lemmas(self) -> frozenset[str]:
        """The lower-cased lemmas of the sentence's tokens."""
        return self.ctx.sentence_words(self.sent)[1]

    @functools.cached_property
    def span(self) -> Span:
        return self.ctx.doc[self.start : self.end]


Condition = Callable[[MatchView], bool]
CONDITIONS: dict[str, Condition] = {}


def condition(name: str) -> Callable[[Condition], Condition]:
    def register(fn: Condition) -> Condition:
        CONDITIONS[name] = fn
        return fn

    return register


def clause_verb(tok: Token) -> Token:
    """The verb that heads the clause ``tok`` is in (itself if it is one)."""
    cur = tok
    for _ in range(32):  # parse trees are shallow; the bound guards against cycles
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ not in ("aux", "auxpass"):
            return cur
        if cur.head is cur:
            return cur
        cur = cur.head
    return cur


def subjects(verb: Token) -> list[Token]:
    """Subjects of a clause, following conjunctions and auxiliaries up to the verb."""
    found = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if not found and verb.dep_ in ("conj", "xcomp") and verb.head is not verb:
        # "I've earned an answer, so get me the notes": a bare base form joined to a
        # finite clause is an imperative of its own, not the first clause's subject
        if verb.dep_ == "conj" and _bare_imperative_conj(verb):
            return found
        found = [c for c in verb.head.children if c.dep_ in SUBJECT_DEPS]
    return found


def _bare_imperative_conj(verb: Token) -> bool:
    if verb.tag_ != "VB" or verb.head.tag_ in ("VB", "MD"):
        return False
    if any(c.dep_ in ("aux", "auxpass") or c.lower_ == "to" for c in verb.children):
        return False
    # the conjunct starts a new clause: "..., so get", "...; forward", "... and send"
    before = [
        t for t in verb.doc[verb.head.i + 1 : verb.i] if t.head is verb or t.head is verb.head
    ]
    openers = ("so", "then", "now", "therefore", ";", "just", "please")
    return any(t.lower_ in openers for t in before)


def _person(tokens: list[Token], words: set[str]) -> bool:
    return any(t.lower_ in words for t in tokens)


@condition("negated")
def negated(m: MatchView) -> bool:
    """The phrase is negated or disclaimed: "I don't expect", "no need to", "never"."""
    verb = clause_verb(m.anchor)
    # "a candidate of my calibre wasn't even offered...": the predicate's negation does not
    # take back a claim made in its subject
    if m.anchor is not verb and any(
        s.dep_ in ("nsubj", "nsubjpass")
        and s.left_edge.i <= m.start
        and m.end <= s.right_edge.i + 1
        for s in verb.children
    ):
        return False
    # only words of the phrase's own clause: "Explain why I was not selected" is not negated
    heads = {verb, m.anchor, *[t for t in m.span if clause_verb(t) == verb]}
    # "I don't think the role should have been mine", "Please don't feel you have to reply
    # straight away": the negation sits on a verb above
    lifted = verb
    while lifted.dep_ == "xcomp" and lifted.head is not lifted:
        lifted = lifted.head
    denying = ("think", "believe", "feel", "say", "mean", "imagine", "suppose")
    if lifted.dep_ == "ccomp" and lifted.head.lemma_ in denying:
        above = list(lifted.head.children)
        # "I can't believe I'm entitled to..." is incredulity, not a denial
        if any(c.dep_ == "neg" for c in above) and not any(
            c.lemma_ in ("can", "could") for c in above
        ):
            return True
    # a match that begins with its own negator ("no later than") is not negated by it
    opener = m.start if m.ctx.doc[m.start].lower_ in NEGATORS else -1
    quotes = m.ctx.quoted_ranges()
    for t in heads:
        for c in t.children:
            if c.i == opener or any(qs <= c.idx < qe for qs, qe in quotes):
                continue  # quoted words ("Explain what 'not the right fit' means") are theirs
            if c.dep_ == "neg" and t.pos_ in ("NOUN", "PROPN") and c.i > t.i:
                continue  # "the full scoring grid, not a summary" contrasts, it does not negate
            if c.dep_ == "neg" or (c.lower_ in NEGATORS and c.dep_ in ("det", "advmod", "neg")):
                return True
    # "under no obligation", "not expecting": a negator right before the phrase
    first = m.ctx.doc[m.start]
    prev = [t for t in m.ctx.doc[max(first.sent.start, m.start - 2) : m.start]]
    return any(
        t.lower_ in NEGATORS
        and not (t.i + 1 < len(t.doc) and t.nbor().lemma_ in ("doubt", "question"))
        for t in prev
    )


@condition("question")
def question(m: MatchView) -> bool:
    """The sentence is a question ("Could you share...?")."""
    sent = m.sent
    lowers = m.sent_lowers
    for t in sent if ":" in lowers or ";" in lowers else ():
        if t.i > m.anchor.i and t.lower_ in (":", ";"):
            # "Answer me this: why was I...?": the question is after the colon
            head = sent.doc[sent.start : t.i].text.rstrip()
            return head.endswith("?")
    return sent.text.rstrip().rstrip("\"'\u201d)").endswith("?")


@condition("conditional")
def conditional(m: MatchView) -> bool:
    """The phrase sits in an if/when clause: "if you need to reschedule".

    "I'd appreciate it if...", "...if you replied promptly, that would be ideal" are
    request frames, not conditions, and do not count.
    """
    return _in_condition(m, CONDITIONAL_MARKS, skip_hedges=True)


def _in_condition(m: MatchView, marks: set[str], *, skip_hedges: bool) -> bool:
    """The match sits in (or its verb carries) a clause opened by one of ``marks``, and
    that clause is not a request frame ("I'd appreciate it if..."), a bare "if you would"
    or, with ``skip_hedges``, a hedge ("if I'm honest")."""
    for t in [m.anchor, *m.anchor.ancestors]:
        if t.dep_ == "advcl" and _request_frame(t.head):
            return False
        if skip_hedges and _hedge_if(t):
            continue  # "if I'm honest", "if I may say so" frames the writer's words
        if any(c.dep_ == "mark" and c.lower_ in marks for c in t.children):
            return True
    # an if/when clause attached to the phrase's own verb softens it: "If you have a
    # moment, please share any thoughts."; a bare "if you would" is politeness, not a
    # condition ("Provide, if you would, a note by Monday")
    verb = clause_verb(m.anchor)
    return any(
        c.dep_ == "advcl"
        and any(g.dep_ == "mark" and g.lower_ in marks for g in c.children)
        and not _polite_if(c)
        and not (skip_hedges and _hedge_if(c))
        for c in verb.children
    )


HEDGE_IF_WORDS = LEXICON["hedge_if_words"]


def _hedge_if(clause: Token) -> bool:
    """ "if I'm honest", "if I'm being candid", "if I may say so": a hedge on the writer's own
    words, with no condition in it."""
    if not any(c.dep_ == "mark" and c.lower_ == "if" for c in clause.children):
        return False
    words = list(clause.subtree)
    if len(words) > 7 or not any(t.lower_ in ("i", "i'm") for t in words):
        return False
    lows = {t.lower_ for t in words}
    return not HEDGE_IF_WORDS.isdisjoint(lows) or {"say", "so"} <= lows


def _polite_if(clause: Token) -> bool:
    """ "if you would", "if you can", "if you don't mind", "if it's not too much trouble": a
    courtesy with no condition."""
    words = list(clause.subtree)
    if clause.lemma_ in ("would", "could", "will", "can", "mind") and len(words) <= 5:
        return True
    return len(words) <= 8 and any(t.lemma_ in ("trouble", "bother", "imposition") for t in words)


def _request_frame(head: Token) -> bool:
    if head.lemma_ in ("appreciate", "grateful", "thankful", "help", "oblige", "obliged"):
        return True
    frame_words = {"grateful", "ideal", "great", "helpful", "best", "good", "appreciated", "useful"}
    frame_words |= {"obliged", "thankful"}
    return any(c.dep_ in ("acomp", "attr") and c.lower_ in frame_words for c in head.children)


@condition("first_person_subject")
def first_person_subject(m: MatchView) -> bool:
    """The clause is about the writer: "I need to practise more"."""
    return _person(subjects(clause_verb(m.anchor)), FIRST_PERSON)


@condition("no_subject")
def no_subject(m: MatchView) -> bool:
    """The clause has no subject at all (imperatives)."""
    verb = clause_verb(m.anchor)
    # an emphatic "do" ("Please do revert") keeps the imperative; "do not" is negation
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    emphatic = all(a.lemma_ == "do" for a in auxes) and not any(
        c.dep_ == "neg" for c in verb.children
    )
    return not subjects(verb) and (not auxes or emphatic)


@condition("reported")
def reported(m: MatchView) -> bool:
    """The phrase is someone else's words: "your email said you need someone who..."."""
    child = clause_verb(m.anchor)
    if any(
        c.i < child.i and c.lower_ in ("so", "but", "yet") and c.dep_ in ("advmod", "cc", "mark")
        for c in child.children
    ):
        return False  # "Your recruiter told me X, so it's a bit rich to...": the writer's words
    if _comment_clause(child):
        return False  # "The feedback says X, which isn't what anyone said": the writer's comment
    for t in child.ancestors:
        # only words inside a complement clause of a verb of saying are reported
        if child.dep_ in ("ccomp", "xcomp", "parataxis") and t.lemma_ in SAY_VERBS:
            subs = subjects(t)
            # "Tell me who approved..." is a command, not a report: a report has a speaker;
            # "That said, ..." is a discourse marker, not a speaker
            # "My references would tell you...": a witness called, not a report
            if (
                subs
                and not _person(subs, FIRST_PERSON | {"that", "this"})
                and not (_appeal_to_witness(t))
            ):
                return True
        child = t
    return False


@condition("sentence_start")
def sentence_start(m: MatchView) -> bool:
    """The match opens its sentence, after interjections, softeners (please, kindly, just)
    and fronted adverbials ("Before you close the file, send me..."). A verb joined to an
    opening imperative ("Don't bother..., just give me") counts as opening too."""
    anchor = m.anchor
    while anchor.dep_ == "conj" and anchor.head.i < anchor.i:
        anchor = anchor.head
    fronted: set[int] = set()
    for c in anchor.children:
        if c.i < anchor.i and c.dep_ in ("advcl", "prep", "npadvmod", "advmod", "intj", "dep"):
            fronted.update(t.i for t in c.subtree)
    start = min(m.start, anchor.i)
    for t in m.sent:
        if t.i >= start:
            return True
        if t.is_punct or t.is_space or t.pos_ == "INTJ" or t.dep_ == "intj" or t.i in fronted:
            continue
        if t.lower_ in ("please", "kindly", "just", "so", "then", "and", "also", "now", "do"):
            continue
        return False
    return True


@condition("past_tense")
def past_tense(m: MatchView) -> bool:
    """The clause is in the past tense: "I deserved the rejection"."""
    verb = clause_verb(m.anchor)
    return verb.tag_ == "VBD" or any(c.tag_ == "VBD" for c in verb.children if c.dep_ == "aux")


@condition("directed_at_reader")
def directed_at_reader(m: MatchView) -> bool:
    """The phrase presses the reader, not the writer's own plans or a past event.

    False for the writer's commitments ("I will send it by Friday") and for past events
    ("I was immediately impressed"); True otherwise (imperatives, "you ...", "I need").
    """
    verb = clause_verb(m.anchor)
    if not any(t.pos_ in ("VERB", "AUX") for t in m.sent):
        return True  # a verbless fragment ("ASAP, please.") is aimed at the reader
    if verb.dep_ == "ccomp" and verb.head.lemma_ == "let":
        verb = verb.head  # "Do let me know by Friday": judge the imperative, not "me know"
    if verb.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in ("before", "until", "by") for c in verb.children
    ):
        # "Can you send it before my shift starts tonight?": the time limits the main clause
        verb = verb.head
    while (
        verb.tag_ == "VBG"
        and verb.dep_ in ("pcomp", "advcl", "acl")
        and verb.head is not verb
        and not subjects(verb)
    ):
        # a subjectless -ing clause belongs to the clause it hangs from: "I'll take the note
        # about pacing my lecture on board before my next interview" is the writer's plan
        verb = clause_verb(verb.head)
    subs = subjects(verb)
    chain = [verb]
    while chain[-1].dep_ == "xcomp" and chain[-1].head is not chain[-1]:
        chain.append(chain[-1].head)  # "wanted to reply straight away": judge "wanted"
    for v in chain:
        auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
        past = v.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes)
        if past and _subjunctive_request(v):
            past = False  # "It would be helpful if you replied by Wednesday": not a past event
        if past and not any(a.lemma_ in MODALS for a in auxes):
            return False
    # thanks for what the reader did ("I appreciate you telling me straight away")
    if verb.tag_ == "VBG" and verb.head.lemma_ in ("appreciate", "thank", "value"):
        return False
    # the writer's own plans ("I will send it by Friday") and things ("my placement wraps
    # up by Friday", "my replies may be slow until Tuesday") press nobody
    own = bool(subs) and all(_writers_own(s) for s in subs)
    task, wanting = (verb, verb.head) if verb.dep_ == "xcomp" else (None, verb)
    if task is None:
        task = next((c for c in verb.children if c.dep_ == "xcomp"), None)
    if (
        task is not None
        and task.lemma_ in SELF_TASKS
        and wanting.lemma_ in ("need", "want")
        and _person(subjects(wanting), FIRST_PERSON)
    ):
        return False  # "I need to brush up on networking before my next interview"
    # "I want to resit it this week", "I'd like the panel to re-interview me this week": the
    # wish presses the reader, whoever does the task
    # (not "I need to get sharper before my next interview": the writer's own deadline)
    head_wish = (
        verb.dep_ == "xcomp"
        and verb.head.lemma_ in ("want", "like")
        and not any(t.lower_ in ("my", "our") for t in m.span)
    )
    return head_wish or not (
        (_person(subs, FIRST_PERSON) or own) and verb.lemma_ not in DEMAND_LEMMAS
    )


MODALS = {"need", "must", "should", "may", "might", "will", "would", "can", "could", "shall"}


def _negative_subject(tok: Token) -> bool:
    return tok.lower_ in ("nobody", "noone") or (
        tok.lower_ == "one" and any(c.lower_ == "no" for c in tok.children)
    )


def _writers_own(tok: Token) -> bool:
    """``tok`` is something of the writer's: "my final-round interview", "our team"."""
    return any(c.lower_ in ("my", "our") for c in tok.children)


def _of_reader(pobj: Token) -> bool:
    return pobj.dep_ == "pobj" and (
        pobj.lower_ in READER_SIDE or any(x.lower_ == "your" for x in pobj.children)
    )


def _reader_side(tok: Token) -> bool:
    if _writers_own(tok):
        return False  # "my final-round interview", "my old manager": the writer's own
    if any(c.dep_ == "relcl" and c.lemma_.lower() in ASSESSOR_VERBS for c in tok.children):
        return True  # "the person who interviewed me", "whoever set the task"
    if tok.pos_ == "NOUN" and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(_of_reader(g) for g in c.children)
        for c in tok.children
    ):
        return True  # "the tone of your rejection letter"
    if tok.lower_ == "one" and any(c.lower_ == "no" for c in tok.children):
        return True  # "No one on the panel asked..."
    if tok.lower_ in READER_SIDE or tok.lemma_.lower() in READER_SIDE:
        return True
    if any(c.lower_ == "your" for c in tok.children):
        return True
    return tok.pos_ == "PROPN" and tok.ent_type_ not in ("ORG", "GPE", "DATE")


OUTCOME_FEELINGS = LEXICON["outcome_feelings"]
OUTCOME_NOUNS = LEXICON["outcome_nouns"]
ACKNOWLEDGING = LEXICON["acknowledging_verbs"]


def _about_outcome(tok: Token) -> bool:
    """The clause of ``tok`` has only the outcome itself as its subject ("it", "the
    rejection", "the result"), not a person or a part of the process."""
    verb = clause_verb(tok)
    subs = subjects(verb)
    # "It's disappointing that the panel chose...": the "it" stands for what the reader did
    if any(c.dep_ == "ccomp" and not _person(subjects(c), FIRST_PERSON) for c in verb.subtree):
        return False
    return bool(subs) and all(
        s.lower_ in OUTCOME_NOUNS and not any(c.lower_ == "your" for c in s.children) for s in subs
    )


@condition("criticism")
def criticism(m: MatchView) -> bool:
    """The anchor's clause finds fault with the reader's side.

    True when the clause's subject is on the reader's side and the clause is negative:
    a verb of fault ("misread", "lost"), a negated duty ("never explained", "didn't
    read"), or negative wording (TextBlob polarity below zero).
    """
    verb = clause_verb(m.anchor)
    if not EXCUSED.isdisjoint(m.sent_lowers):
        return False  # "...running late because of the snow, which was understandable"
    if "late" in m.sent_lowers and not FORGIVING.isdisjoint(m.sent_lemmas):
        return False  # "a few minutes late, which was no problem at all given the storm"
    # "my references were never checked", "my portfolio wasn't even opened": in a negated
    # passive of a duty the reader's side is the missing agent
    # ("none of it was even looked at": the subject negates, "even" reproaches)
    if (
        verb.tag_ == "VBN"
        and any(c.dep_ == "nsubjpass" for c in verb.children)
        and any(
            c.dep_ == "neg"
            or c.lower_ in ("never", "barely", "hardly")
            or (
                c.dep_ == "nsubjpass"
                and c.lower_ == "none"
                and any(x.lower_ == "even" for x in verb.children)
            )
            for c in verb.children
        )
        and verb.lemma_.lower() in PASSIVE_DUTIES
    ):
        return not any(c.dep_ == "agent" for c in verb.children)
    # "it wasn't marked fairly": a negated manner of judging
    if any(c.dep_ == "neg" for c in verb.children) and any(
        c.dep_ == "advmod" and c.lower_ in JUDGING_MANNER for c in verb.children
    ):
        return True
    subs = [s for s in subjects(verb) if _reader_side(s)]
    # "nobody asked about...", "no one mentioned..." is a reproach, not a report
    said = (
        verb.lemma_ in SAY_VERBS
        and not any(
            c.dep_ == "neg" or c.lower_ in ("never", "barely", "hardly") for c in verb.children
        )
        and not any(_negative_subject(s) for s in subs)
    )
    if not subs or verb.dep_ == "relcl" or said:
        return False  # reporting what someone said is not a fault of theirs
    if any(c.tag_ in ("WDT", "WP") for s in subs for c in s.children):
        return False  # "which part of the exercise let me down" asks, it does not blame
    passive = any(c.dep_ == "nsubjpass" for c in verb.children)
    if not passive and any(
        _negative_subject(s) and any(c.lower_ in ("else", "other") for c in s.children)
        for s in subs
    ):
        return False  # "nobody else on the shortlist has run a ward" compares, not blames
    if any(c.tag_ == "WRB" and c.lower_ == "how" and c.i < verb.i for c in verb.children):
        return False  # "a full account of how the scoring worked" asks, it does not blame
    doc = verb.doc
    if any(_negative_subject(s) for s in subs) and any(
        t.lower_ == "i"
        and t.i > verb.i
        and any(x.lower_ in ("way", "than", "as", "like", "scale") for x in doc[verb.i : t.i])
        for t in verb.subtree
    ):
        return False  # "nobody knows these cases the way I do" boasts, it does not blame
    # a modal clause is an obligation or a hypothesis, not a reproach of what happened;
    # a negated can/could ("couldn't see past my accent") is a reproach all the same
    modal = [c for c in verb.children if c.dep_ == "aux" and c.lemma_ in MODALS]
    if (
        modal
        and verb.dep_ == "ccomp"
        and verb.head.lemma_ in ACKNOWLEDGING
        and _person(subjects(verb.head), FIRST_PERSON)
        and not any(c.dep_ == "neg" for c in verb.head.children)
    ):
        # "I understand that the board cannot give feedback to every applicant": the writer
        # acknowledges a constraint on the reader's side rather than reproaching it
        return False
    if (modal and not any(c.dep_ == "neg" for c in verb.children)) or any(
        m.lemma_ not in ("can", "could") for m in modal
    ):
        return False
    if verb.lemma_.lower() in FAULT_VERBS:
        return True
    # "the interview started twenty minutes late", "the panel had no idea", "knew nothing"
    if any(c.dep_ == "advmod" and c.lower_ == "late" for c in verb.children):
        return True
    for v in (verb, *[c for c in verb.children if c.dep_ == "xcomp"]):
        if v.lemma_ == "owe":
            continue  # "the firm owes me nothing" disclaims, it does not blame
        for c in v.children:
            if c.dep_ == "dobj" and (
                c.lower_ == "nothing"
                or (
                    c.lemma_ in ("idea", "clue", "interest")
                    and any(d.lower_ == "no" for d in c.children)
                )
            ):
                return True
    negated_here = any(
        c.dep_ == "neg" or c.lower_ in ("never", "barely", "hardly") for c in verb.children
    ) or any(_negative_subject(s) for s in subs)
    # "seems designed to exclude", "chose to ignore": a fault verb down the xcomp chain
    chain, cur = [], verb
    while True:
        nxt = [c for c in cur.children if c.dep_ == "xcomp"]
        if not nxt:
            break
        cur = nxt[0]
        chain.append(cur)
    quotes = m.ctx.quoted_ranges()
    if any(
        t.lemma_.lower() in FAULT_VERBS and not any(qs <= t.idx < qe for qs, qe in quotes)
        for t in chain
    ):
        return True
    # "I don't think the panel read my CV" negates the panel's reading
    head = verb.head
    negated_above = (
        verb.dep_ == "ccomp"
        and head.lemma_ in ("think", "believe", "be")
        and any(c.dep_ == "neg" for c in head.children)
        and (head.lemma_ != "be" or any(c.lower_ in ("sure", "convinced") for c in head.children))
    ) or (
        # "I'm not sure anyone had looked...": the clause hangs off "sure"
        verb.dep_ == "ccomp"
        and head.lower_ in ("sure", "convinced", "certain")
        and any(c.dep_ == "neg" for c in (*head.children, *head.head.children))
    )
    elliptical = verb.lemma_ == "do" and not any(
        c.dep_ in ("dobj", "xcomp", "ccomp", "prep", "attr") and c.tag_ not in ("WP", "WDT")
        for c in verb.children
    )  # "what they liked, as well as what they didn't"
    if (negated_here or negated_above) and verb.lemma_.lower() in DUTY_VERBS and not elliptical:
        return True
    # "the rejection email didn't even have my name right": a negated "even" reproaches
    if negated_here and any(c.lower_ == "even" for c in verb.children):
        return True
    # "I don't think a twenty-minute lesson was enough to judge": disputing sufficiency
    if (negated_here or negated_above) and any(
        c.dep_ == "acomp" and c.lower_ in SUFFICIENCY for c in verb.children
    ):
        return True
    if all(s.lower_ == "you" for s in subs):
        return False  # the reader themselves: only explicit faults count, not mood
    quotes = m.ctx.quoted_ranges()
    # claims ("the least I was owed", "mine to lose") are not faults of the reader's, nor is
    # difficulty ("how hard these decisions are"); what a clause on the subject reports
    # ("your feedback that my reel ran too long was spot on") is not the clause's tone
    reported = (
        {d.i for s in subs for c in s.children if c.dep_ in ("acl", "relcl") for d in c.subtree}
        | {  # a relative clause about the writer ("experience that I don't have yet")
            d.i
            for c in verb.subtree
            if c.dep_ == "relcl" and _person(subjects(c), FIRST_PERSON)
            for d in c.subtree
        }
        | {  # nor is a clause joined on with a subject of its own ("..., and I've cut it")
            d.i
            for c in verb.children
            if c.dep_ == "conj" and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
            for d in c.subtree
        }
    )
    # the subject's own head noun is not the clause's tone ("the firm owes me an explanation")
    reported |= {s.i for s in subs}
    # disappointment at the outcome is the writer's feeling: "The rejection was disappointing"
    if _about_outcome(verb):
        reported |= {t.i for t in verb.subtree if t.lower_ in OUTCOME_FEELINGS}
    # a negative word lessened is praise: "she made the day much less scary", "made the board
    # feel less daunting" (the word, its "less" and what modifies that)
    for t in verb.subtree:
        lessened = [c for c in t.children if c.dep_ == "advmod" and c.lower_ in ("less", "fewer")]
        if lessened:
            reported |= {t.i} | {d.i for c in lessened for d in c.subtree}
    words = [
        t.text
        for t in verb.subtree
        if not any(qs <= t.idx < qe for qs, qe in quotes)
        and t.i not in reported
        and t.lemma_.lower() not in CLAIM_WORDS
        and t.lemma_.lower() not in DIFFICULTY_WORDS
    ]
    pol, _ = polarity_subjectivity(" ".join(words))
    return pol < -0.1


@condition("complaint")
def complaint(m: MatchView) -> bool:
    """The sentence complains: negative wording, or fault found with the reader's side."""
    # the hedge itself ("to be honest") reads positive to a lexicon: score the rest
    rest = m.ctx.doc[m.sent.start : m.start].text + " " + m.ctx.doc[m.end : m.sent.end].text
    pol, _ = polarity_subjectivity(rest)
    if pol >= 0.2:
        return False
    subs = [t for t in m.sent if t.dep_ in SUBJECT_DEPS]
    if subs and all(t.lower_ in FIRST_PERSON or _writers_own(t) for t in subs):
        return False  # "To be honest, I was nervous", "Candidly, my answers were thin"
    if pol < -0.2:
        return True
    quotes = m.ctx.quoted_ranges()
    if any(
        t.lower_ in NEGATIVE_DESCRIPTORS
        and not (m.start <= t.i < m.end)
        and not any(qs <= t.idx < qe for qs, qe in quotes)
        and not any(c.dep_ == "neg" for c in (*t.children, *t.head.children))
        for t in m.sent
    ):
        return True  # "Frankly, your scheduling team made the whole process a mess"
    for t in m.sent:
        # "Frankly, after six rounds I'm owed better than this": an unnegated claim on the
        # reader, outside the hedge's own clause ("You owe it to me to be honest about...")
        if (
            t.lemma_.lower() in ENTITLEMENT_LEMMAS
            and not (m.start <= t.i < m.end)
            and not any(c.dep_ == "neg" for c in (*t.children, *t.head.children))
            and not any(
                d.lower_ in ("not", "n't", "never", "didnt", "dont")
                for d in t.doc[max(m.sent.start, t.i - 3) : t.i]
            )
            and not (m.start > t.i and m.anchor in list(t.subtree))
        ):
            return True
    for tok in m.sent:
        if tok.dep_ in SUBJECT_DEPS and _reader_side(tok) and tok.lower_ not in ("i", "we"):
            view = MatchView(anchor=tok, start=tok.i, end=tok.i + 1, ctx=m.ctx)
            if criticism(view):
                return True
    return _reproach(m)


def _reproach(m: MatchView) -> bool:
    """Fault found in neutral words outside the hedge: the reader's side, or a person
    described, with a negation ("nobody on the panel had practised", "the girl who got it
    has never driven a van"), a message that "tells me nothing", or a contrast tagged on
    ("pitched at someone with ten years in, not an apprentice")."""
    if appreciative(m):
        return False  # "Honestly, nobody made me feel rushed, and I'm grateful for that"
    quotes = m.ctx.quoted_ranges()
    for tok in m.sent:
        if m.start <= tok.i < m.end or any(qs <= tok.idx < qe for qs, qe in quotes):
            continue
        told_nothing = tok.lower_ == "nothing" and tok.dep_ == "dobj" and tok.head.pos_ == "VERB"
        if told_nothing and not _person(subjects(tok.head), FIRST_PERSON):
            return True  # "'not the right fit' tells me nothing at all"
        if tok.dep_ not in ("nsubj", "nsubjpass") or tok.lower_ in FIRST_PERSON:
            continue
        if _writers_own(tok):
            continue
        described = any(c.dep_ in ("relcl", "acl") for c in tok.children)
        if not (_reader_side(tok) or _negative_subject(tok) or described):
            continue
        verb = tok.head
        if any(c.tag_ in ("JJR", "RBR") for c in verb.children) or verb.dep_ == "advcl":
            continue  # praise: "couldn't have been kinder", "..., because nobody has ever phoned"
        if _negative_subject(tok) or any(
            c.dep_ == "neg" or c.lower_ in ("never", "hardly", "barely") for c in verb.children
        ):
            return True
        if any(t.dep_ == "neg" and t.head.pos_ in ("NOUN", "PROPN", "ADP") for t in verb.subtree):
            return True  # "..., not an apprentice", "..., not people who can do the job"
    return False


@condition("claims_self")
def claims_self(m: MatchView) -> bool:
    """The claim is about the writer: the phrase names them ("...has my ten years") or the
    clause's subject does ("I was...", "my portfolio is..."), so a comparison is a self-claim.
    "The rounds taught me more than any job description" compares something else."""
    mine = FIRST_PERSON | {"my", "mine", "our"}
    if any(t.lower_ in mine for t in m.span):
        return True
    return any(t.lower_ in mine for s in subjects(clause_verb(m.anchor)) for t in s.subtree)


@condition("reader_mentioned")
def reader_mentioned(m: MatchView) -> bool:
    """The sentence names the reader's side: you, your team, the panel, the decision..."""
    lowers = m.sent_lowers
    return not READER_SIDE.isdisjoint(lowers) or "your" in lowers or "yours" in lowers


@condition("negative_descriptor")
def negative_descriptor(m: MatchView) -> bool:
    """The anchor word disparages: a known descriptor or a negative TextBlob word."""
    word = m.anchor.lower_
    if word in OUTCOME_FEELINGS and _about_outcome(m.anchor):
        return False  # "It's a wee bit disappointing, but...": the writer's feeling
    if word in NEGATIVE_DESCRIPTORS:
        return True
    pol, _ = polarity_subjectivity(word)
    return pol <= -0.3


@condition("thanking_or_apologising")
def thanking_or_apologising(m: MatchView) -> bool:
    """The sentence thanks or apologises: "Thank you for ... rather than an automated email"."""
    return any(
        t.lemma_.lower()
        in (
            "thank",
            "thanks",
            "grateful",
            "appreciate",
            "excuse",
            "forgive",
            "sorry",
            "apologise",
            "apologize",
            "apology",
        )
        for t in m.sent
    )


@condition("self_wonder")
def self_wonder(m: MatchView) -> bool:
    """Wonder at the writer's own experience, not at the reader: "I can't believe how much
    I learned", "...how quickly the time went, it was such a great conversation"."""
    later = [t for t in m.sent if t.i >= m.end and t.dep_ in SUBJECT_DEPS]
    if later and all(t.lower_ in FIRST_PERSON for t in later):
        return True
    if any(_reader_side(t) and t.lower_ not in ("it", "this", "that") for t in later):
        return False  # "...that the panel saw enough of me to make a fair decision"
    words = [t.text for t in m.sent if t.pos_ != "ADV" and t.tag_ not in ("JJR", "RBR")]
    return polarity_subjectivity(" ".join(words))[0] >= 0.1


@condition("appreciative")
def appreciative(m: MatchView) -> bool:
    """The sentence expresses gladness or gratitude: "...I'm glad I got to meet the team"."""
    return not APPRECIATIVE.isdisjoint(m.sent_lemmas) or not APPRECIATIVE.isdisjoint(m.sent_lowers)


@condition("time_named")
def time_named(m: MatchView) -> bool:
    """The sentence names a day or a time ("on Monday", "at ten", "at 9am")."""
    for t in m.sent:
        if t.lower_ in TIME_WORDS or (t.lower_.endswith(("am", "pm")) and t.lower_[:1].isdigit()):
            return True
        if t.lower_ == "at" and t.i + 1 < t.sent.end and t.nbor().like_num:
            return True
    return False


@condition("counterfactual_blame")
def counterfactual_blame(m: MatchView) -> bool:
    """A past-perfect condition whose subject is on the reader's side: "if someone had
    told me", "had the instructions been clearer", "if the interview hadn't been booked"."""
    for tok in m.sent:
        if tok.lower_ not in ("had", "hadn't", "'d") or tok.i < m.start:
            continue
        if tok.lemma_ != "have":
            continue  # "if you'd like" is "would", not a past perfect
        if (
            tok.dep_ not in ("aux", "auxpass")
            and any(c.dep_ == "dobj" for c in tok.children)
            and any(c.dep_ == "mark" for c in tok.children)
        ):
            continue  # a condition on possession, not a past perfect: "if you ever had a minute"
        verb = tok.head if tok.dep_ in ("aux", "auxpass") else tok
        subs = subjects(verb) or [t for t in verb.children if t.dep_ in ("nsubj", "nsubjpass")]
        if not subs and tok.i + 1 < m.sent.end and tok.dep_ != "aux":
            subs = [tok.nbor()]  # "Had the instructions been clearer" parses loosely
        if any(
            not _person([s], FIRST_PERSON)
            and (_reader_side(s) or s.lower_ in ("anyone", "someone", "anybody", "somebody"))
            for s in subs
        ):
            return True
        if tok.i - m.start > 6:
            break
    return False


# Words that, inside a how/why clause, turn a question about a decision into a challenge
# of it: "how anyone could score that a two", "how a junior with two years beat me",
# "how that was a fair interview", "how 'lacking initiative' fits with...".
CHALLENGE_ADVERBS = LEXICON["challenge_adverbs"]
CHALLENGE_MARKS = LEXICON["challenge_marks"]


def _wh_clause(m: MatchView) -> list[Token]:
    """The tokens of the how/why clause the match opens (the rest of the sentence when the
    parse hangs the wh-word on the matrix verb)."""
    wh = next((t for t in m.span if t.lower_ in ("how", "why")), None)
    if wh is None:
        return []
    verb = clause_verb(wh.head)
    if verb.i < wh.i or verb is wh:
        return [t for t in m.sent if t.i > wh.i]
    return [t for t in verb.subtree if t.i > wh.i]


@condition("wh_challenge")
def wh_challenge(m: MatchView) -> bool:
    """The how/why clause after the match challenges the decision rather than asking about
    it: a modal of possibility, "possibly"/"even", a judgement of fairness, a contest
    ("beat", "fits with", "adds up"), a negation, a lack ("with no board experience"), or a
    contrast ("when I have...", "without a human ever seeing")."""
    quotes = m.ctx.quoted_ranges()
    words = [t for t in _wh_clause(m) if not any(qs <= t.idx < qe for qs, qe in quotes)]
    for t in words:
        low, lemma = t.lower_, t.lemma_.lower()
        if t.dep_ == "aux" and lemma in ("can", "could"):
            return True
        if low in CHALLENGE_ADVERBS or lemma in CHALLENGE_WORDS:
            return True
        if low in CHALLENGE_MARKS and t.dep_ in ("mark", "prep", "advmod"):
            return True
        if t.dep_ == "neg" or (low in ("no", "less", "fewer") and t.dep_ in ("det", "amod")):
            return True
        if lemma == "add" and any(c.lower_ == "up" for c in t.children):
            return True
    return False


@condition("reader_or_challenge")
def reader_or_challenge(m: MatchView) -> bool:
    """The sentence names the reader's side, or its how/why clause challenges the decision."""
    return reader_mentioned(m) or wh_challenge(m)


@condition("positive_tone")
def positive_tone(m: MatchView) -> bool:
    """The rest of the sentence reads warmly (TextBlob polarity of at least 0.25 outside the
    match): "The welcome I got says a lot about the team's culture"."""
    rest = m.ctx.doc[m.sent.start : m.start].text + " " + m.ctx.doc[m.end : m.sent.end].text
    return polarity_subjectivity(rest)[0] >= 0.25


# entitled round 3
DEBT_UNITS = LEXICON["debt_units"]
DEBT_MARKERS = LEXICON["debt_markers"]
DEBT_STANDING = LEXICON["debt_standing"]
EFFORT_VERBS = LEXICON["effort_verbs"]
PREMISE_OPENERS = LEXICON["premise_openers"]
_QUANTIFIERS = LEXICON["quantifiers"]
_NOT_EFFORT = LEXICON["not_effort"]
_DEADLINE_BEFORE = LEXICON["deadline_before"]


def _debt_content(window: list[Token], opener: str) -> bool:
    """Effort, tenure or standing in a stretch of words: "my years of loyalty", "the
    forty hours I put in", "a whole weekend", "my seniority", "trained half the team"."""
    lowers = {t.lower_ for t in window}
    if not _NOT_EFFORT.isdisjoint(lowers) or not _NOT_EFFORT.isdisjoint(
        {t.lemma_.lower() for t in window}
    ):
        return False
    if any(t.lemma_.lower() in DEBT_MARKERS for t in window):
        return True
    writer = bool(lowers & {"i", "my", "our", "we", "myself"}) or opener == "having"
    if not writer and lowers & {"you", "your"} and any(t.lemma_ == "take" for t in window):
        return False  # "given that it took your team three weeks": the reader's time, not given
    for t in window:
        before = t.doc[max(window[0].i, t.i - 3) : t.i]
        if t.lemma_.lower() in DEBT_UNITS and opener != "since":
            # "since two weeks" is time waited, not time given
            if any(b.lower_ in _DEADLINE_BEFORE for b in before):
                continue
            single = t.lemma_.lower() in ("interview", "round", "stage", "time", "effort")
            if any(
                b.like_num
                or (b.lower_ in _QUANTIFIERS and not (single and b.lower_ in ("a", "an")))
                for b in before
            ):
                return True
        if t.lemma_.lower() in DEBT_STANDING and any(b.lower_ in ("my", "our") for b in before):
            return True
        if t.pos_ == "VERB" and t.lemma_.lower() in EFFORT_VERBS and writer:
            subs = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
            # "I gave up a weekend", "Having given up two days": the writer's own effort;
            # "your system lost my test" is not
            if _person(subs, FIRST_PERSON) or (not subs and opener):
                return True
    return False


@condition("debt_premise")
def debt_premise(m: MatchView) -> bool:
    """Outside the phrase, the sentence sets up effort, tenure or standing as the ground
    for it: "Given my years of loyalty, ...", "Having given up two days' leave, ...",
    "After six years here, ...", "I did four months of trial shifts, so ..."."""
    sent = m.sent
    toks = [t for t in sent if not (m.start <= t.i < m.end)]
    for k, t in enumerate(toks):
        if t.lower_ in PREMISE_OPENERS and (t.i < m.start or t.i >= m.end):
            window: list[Token] = []
            for u in toks[k + 1 : k + 15]:
                if u.i == m.start or (u.lower_ in (",", ";", ":", "-", "\u2014") and window):
                    break
                window.append(u)
            if window and _debt_content(window, t.lower_):
                return True
    # "I did four months of unpaid trial shifts, so you need to...": a clause before "so"
    before = [t for t in sent if t.i < m.start]
    for k, t in enumerate(before):
        if t.lower_ in ("so", "therefore", "thus") and k > 2 and _debt_content(before[:k], ""):
            return True
    return False


CLAIMANTS = LEXICON["claimants"]
_CHOSEN = LEXICON["chosen"]


@condition("claimant")
def claimant(m: MatchView) -> bool:
    """Before the phrase, its sentence names the writer ("my seniority", "I") or a
    candidate in general ("someone with a doctorate", "applicants who...") as the one with
    the claim; not the person hired ("the person you hired deserves...")."""
    before = [t for t in m.sent if t.i < m.anchor.i]
    if any(t.lemma_.lower() in _CHOSEN or t.lower_ in _CHOSEN for t in before):
        return False
    return any(
        t.lower_ in FIRST_PERSON | {"my", "our"} or t.lemma_.lower() in CLAIMANTS for t in before
    )


_CERTAIN = LEXICON["certain"]
_CERTAIN_VERBS = LEXICON["certain_verbs"]


@condition("certain_frame")
def certain_frame(m: MatchView) -> bool:
    """Before the phrase, the writer states certainty about what the reader will do: "I'm
    sure", "I'm quite certain", "I've no doubt", "I know", "I'll assume" (not "I'm not
    sure", "I doubt")."""
    before = [t for t in m.sent if t.i < m.start]
    for k, t in enumerate(before):
        prev = before[max(0, k - 3) : k]
        if any(p.lower_ in ("not", "n't", "never", "hardly") for p in prev):
            continue
        if t.lower_ in _CERTAIN or t.lower_ == "sure":
            return True
        if t.lemma_ == "doubt" and any(p.lower_ in ("no", "little") for p in prev):
            return True
        if (
            t.lemma_ in _CERTAIN_VERBS
            and t.pos_ == "VERB"
            and any(p.lower_ in ("i", "we") for p in prev)
        ):
            return True
    return False


_IF_MARKS = {"if", "unless", "whether"}


@condition("if_conditional")
def if_conditional(m: MatchView) -> bool:
    """Like ``conditional``, but only a real condition (if, unless, whether) counts: in "I'm
    sure once the dust settles you'll reconsider", "once" times a presumed outcome."""
    return _in_condition(m, _IF_MARKS, skip_hedges=False)


@condition("doubt_frame")
def doubt_frame(m: MatchView) -> bool:
    """Before the phrase, the writer doubts the outcome rather than presumes it: "I'm not
    sure the panel will revisit...", "I doubt you'll reconsider", "I don't imagine..."."""
    before = [t for t in m.sent if t.i < m.start]
    for k, t in enumerate(before):
        prev = before[max(0, k - 3) : k]
        negated_here = any(p.lower_ in ("not", "n't", "never", "hardly") for p in prev)
        between = m.ctx.doc[t.i + 1 : m.start]
        if any(b.lower_ in (";", ":", "so", "but", "\u2014") for b in between):
            continue  # "I don't think I lost it on merit; the role was mine": the other clause
        if t.lemma_ == "doubt" and not any(p.lower_ in ("no", "little", "without") for p in prev):
            return True
        if negated_here and (
            t.lower_ in _CERTAIN or t.lemma_ in ("think", "imagine", "believe", "suppose")
        ):
            return True
    return False


_ACCEPTING = LEXICON["accepting"]


@condition("accepting")
def accepting(m: MatchView) -> bool:
    """The sentence accepts rather than reproaches: "I understand my years in retail count
    for little here", "..., and that's fair"."""
    return not _ACCEPTING.isdisjoint(m.sent_lemmas) or not _ACCEPTING.isdisjoint(m.sent_lowers)


RIVALS = LEXICON["rivals"]


@condition("rival_named")
def rival_named(m: MatchView) -> bool:
    """The sentence names the person chosen or the choosing: "someone from outside was
    picked", "a junior beat me", "the post went to a fresher"."""
    return not RIVALS.isdisjoint(m.sent_lemmas) or not RIVALS.isdisjoint(m.sent_lowers)


# defensive round 4: disputes

RHETORICAL_CLAIMS = LEXICON["rhetorical_claims"]


@condition("claim_on_reader")
def claim_on_reader(m: MatchView) -> bool:
    """The sentence presses a claim on the reader ("Surely a finalist is owed...", "surely
    that isn't much to ask"), or is about the writer alone ("Surely I've done enough"): a
    rhetorical "surely" then claims, it does not dispute."""
    lemmas = m.sent_lemmas
    if not RHETORICAL_CLAIMS.isdisjoint(lemmas) or not RHETORICAL_CLAIMS.isdisjoint(m.sent_lowers):
        return True
    root = m.sent.root
    return _person(subjects(root), FIRST_PERSON)


@condition("argues_point")
def argues_point(m: MatchView) -> bool:
    """The sentence argues rather than remarks: it asks, compares ("counts for more than",
    "isn't the best way"), or sets a negation against the reader ("Surely the panel noticed
    the projector wasn't working"). "Surely anyone who met the team would want to join" does
    none of these."""
    if question(m):
        return True
    lowers = m.sent_lowers
    if "than" in lowers or not NEGATORS.isdisjoint(lowers):
        return True
    return any(t.tag_ in ("JJS", "RBS") or t.dep_ == "neg" for t in m.sent)


def _comment_clause(verb: Token) -> bool:
    """A non-restrictive "which" clause set off by a comma ("..., which isn't what anyone
    said") is the writer's comment on what was reported, not part of the report."""
    if verb.dep_ != "relcl":
        return False
    rel = [c for c in verb.children if c.lower_ == "which" and c.i < verb.i]
    if not (rel and rel[0].i > 0 and verb.doc[rel[0].i - 1].lower_ == ","):
        return False
    # only a contrary comment: "..., which is good to know" takes the report as it is
    words = list(verb.subtree)
    if any(t.dep_ == "neg" for t in words):
        return True
    pol, _ = polarity_subjectivity(" ".join(t.text for t in words))
    return pol < 0


_SEEM_FORMS = LEXICON["seem_forms"]


@condition("pitched_elsewhere")
def pitched_elsewhere(m: MatchView) -> bool:
    """The assessment is said to be made for someone else: it "seemed designed for..."
    (an impression of the reader's side, not the writer's own work), or "designed for X,
    not for / rather than / instead of Y". Not when the verb is negated ("didn't seem
    designed for") or the contrast names the writer ("for beginners, not for me")."""
    verb = clause_verb(m.anchor)
    if any(t.dep_ == "neg" and (t.head is verb or m.start <= t.head.i < m.end) for t in m.sent):
        return False
    if any(t.lower_ in NEGATORS for t in m.ctx.doc[max(m.sent.start, m.start - 2) : m.start]):
        return False
    subs = subjects(verb)
    if any(_writers_own(s) for s in subs):
        return False
    if m.ctx.doc[m.start].lower_ in _SEEM_FORMS:
        return True
    tail = list(m.ctx.doc[m.end : m.sent.end])
    for k, t in enumerate(tail[:8]):
        nxt = [x.lower_ for x in tail[k + 1 : k + 3]]
        contrast = (
            (t.lower_ == "rather" and nxt[:1] == ["than"])
            or (t.lower_ == "instead" and nxt[:1] == ["of"])
            or (t.lower_ == "not" and k > 0 and tail[k - 1].lower_ == ",")
        )
        if contrast:
            return not any(x in FIRST_PERSON for x in nxt)
    return False


_BAFFLED = LEXICON["baffled"]


@condition("baffled_frame")
def baffled_frame(m: MatchView) -> bool:
    """Before the phrase, its sentence frames it as bafflement or denial: "hard to see",
    "at a loss as to", "I'm not sure", "I don't know", "I can't imagine"."""
    before = list(m.ctx.doc[m.sent.start : m.start + 1])
    return any(
        t.lower_ in _BAFFLED
        or t.lemma_ in _BAFFLED
        or t.lower_ in ("not", "n't", "never")
        or t.dep_ == "neg"
        for t in before
    )


JUDGING_ACTS = LEXICON["judging_acts"]


@condition("odd_at_reader")
def odd_at_reader(m: MatchView) -> bool:
    """What "it seems odd / strange / ironic" remarks on is the reader's act: an act of
    judging or choosing in the infinitive ("odd to reject a candidate...", "strange for a
    charity ... to run such a process"), or a that-clause about someone other than the
    writer ("ironic that a bank ... let a chatbot screen my interview"). "It was strange to
    walk back into my old school", "odd that I wasn't nervous" are about the writer."""
    if appreciative(m) or positive_tone(m):
        return False
    tail = [t for t in m.ctx.doc[m.end : m.sent.end]]
    last = m.ctx.doc[m.end - 1].lower_
    for t in tail:
        if t.pos_ == "VERB" or (t.pos_ == "AUX" and t.dep_ not in ("aux", "auxpass")):
            if t.lemma_.lower() in JUDGING_ACTS and t.dep_ != "relcl":
                return True
            if last == "that" or (t.dep_ in ("ccomp", "csubj") and last in ("that", "for")):
                subs = subjects(t)
                return (
                    bool(subs)
                    and not _person(subs, FIRST_PERSON)
                    and not any(_writers_own(s) and s.lower_ in FIRST_PERSON for s in subs)
                )
            if t.dep_ == "relcl":
                continue  # "for a charity that talks about inclusion to run ...": read on
            return False
    return False


_HEDGE_WORDS = LEXICON["hedge_words"]


def _has_hedge(sent: Span) -> bool:
    lows = [t.lower_ for t in sent]
    text = " ".join(lows)
    return not _HEDGE_WORDS.isdisjoint(lows) or any(
        h in text
        for h in ("must say", "to be honest", "to be frank", "have to say", "all due respect")
    )


@condition("hedged_finding")
def hedged_finding(m: MatchView) -> bool:
    """After a combative hedge ("I must say", "frankly"), the writer reports finding fault
    with the reader's side: "I must say I found the tone of the second interviewer rather
    dismissive", "I found it remarkable that nobody on the panel had practised...", "I was
    surprised by the manner in which the interview was conducted, with two panel members
    arriving late". Difficulty ("I found the second task hard") and the writer's own work
    ("I found my answers thin") are not fault found."""
    sent = m.sent
    if not _has_hedge(sent) or appreciative(m):
        return False
    rest = [t for t in sent if t.i >= m.end]
    if any(t.lower_ in ("my", "myself", "mine") for t in rest[:3]):
        return False
    nominals = [t for t in rest if t.pos_ in ("NOUN", "PRON", "PROPN")]
    if not any(_reader_side(t) or t.lower_ in ("it", "nobody") for t in nominals):
        return False
    quotes = m.ctx.quoted_ranges()
    for t in rest:
        if any(qs <= t.idx < qe for qs, qe in quotes) or t.lemma_.lower() in DIFFICULTY_WORDS:
            continue
        if t.lower_ in NEGATIVE_DESCRIPTORS or t.lower_ in NEGATORS:
            return True
        if t.pos_ in ("ADJ", "ADV", "VERB") and polarity_subjectivity(t.text)[0] <= -0.2:
            return True
    return False


@condition("reader_assessed")
def reader_assessed(m: MatchView) -> bool:
    """What the denial is about is the assessment, not the writer: the copula's subject in
    the phrase is not the writer or the writer's own ("my answer wasn't a true reflection")."""
    for t in m.span:
        if t.lemma_ != "be":
            continue
        subs = subjects(clause_verb(t))
        if _person(subs, FIRST_PERSON) or any(_writers_own(s) for s in subs):
            return False
    return True


# defensive round 4: blame
@condition("writers_own_subject")
def writers_own_subject(m: MatchView) -> bool:
    """The clause's subject is the writer or something of theirs ("I", "my nerves", "my own
    slides"): what it did or failed to do is self-blame, not blame."""
    subs = subjects(clause_verb(m.anchor))
    return _person(subs, FIRST_PERSON) or any(_writers_own(s) for s in subs)


@condition("cause_not_writer")
def cause_not_writer(m: MatchView) -> bool:
    """Before the phrase's "so" (or the comma before it), its sentence has a cause and it is
    not the writer or theirs: "The site visit overran, so I had no time" (not "I overslept,
    so I had no time", "My train was late, so...")."""
    before = [t for t in m.sent if t.i < m.start]
    cut = next(
        (t.i for t in reversed([*before, m.ctx.doc[m.start]]) if t.lower_ == "so"),
        next((t.i for t in reversed(before) if t.lower_ in (",", ";")), m.start),
    )
    cause = [t for t in before if t.i < cut]
    if not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in cause):
        return False
    return not any(
        t.dep_ in (*SUBJECT_DEPS, "dep", "ROOT")
        and (t.lower_ in FIRST_PERSON or t.lower_ in ("ive", "im", "id") or _writers_own(t))
        for t in cause
    )


_FEARED = LEXICON["feared"]


@condition("writer_feared")
def writer_feared(m: MatchView) -> bool:
    """The sentence sets out what the writer feared or assumed ("I worried the panel would
    be stern, which turned out not to be true"): an outcome that failed to come about is then
    good news, not a broken promise."""
    return any(
        t.lemma_.lower() in _FEARED and _person(subjects(clause_verb(t)), FIRST_PERSON)
        for t in m.sent
    )


# entitled round 6: promises turned into debts

PROMISED_OUTCOMES = LEXICON["promised_outcomes"]
_PROMISE_VERBS = LEXICON["promise_verbs"]


@condition("promise_premise")
def promise_premise(m: MatchView) -> bool:
    """Before the phrase, the sentence reports a promise about the writer's outcome: "I was
    told I'd be fast-tracked", "your recruiter told me I was the frontrunner", "everyone
    told me the job was as good as mine" (not "I was told the panel was running late")."""
    for t in m.sent:
        if t.i >= m.start:
            break
        if t.lemma_ not in _PROMISE_VERBS or t.pos_ != "VERB":
            continue
        if any(c.dep_ == "neg" for c in t.children):
            continue
        told_me = any(
            (c.dep_ in ("dobj", "dative", "iobj") and c.lower_ in ("me", "us"))
            or (c.dep_ == "nsubjpass" and c.lower_ in ("i", "we"))
            for c in t.children
        )
        if not told_me and t.lemma_ != "promise":
            continue
        window = m.ctx.doc[t.i + 1 : m.start]
        if any(
            u.lower_ in PROMISED_OUTCOMES or u.lemma_.lower() in PROMISED_OUTCOMES for u in window
        ):
            return True
    return False


_NOT_ONCE_MARKS = CONDITIONAL_MARKS - {"once"}


@condition("conditional_not_once")
def conditional_not_once(m: MatchView) -> bool:
    """Like ``conditional``, but a "once" clause does not count: "Once you've read this,
    call me" only times the command; it sets no condition that softens it."""
    return _in_condition(m, _NOT_ONCE_MARKS, skip_hedges=True)


def _subjunctive_request(verb: Token) -> bool:
    """ "It would be best if you replied promptly": a past-tense form in an if-clause of a
    request frame asks for something to be done, it reports nothing past."""
    return (
        verb.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ == "if" for c in verb.children)
        and _request_frame(verb.head)
    )


# Defensive round 6
REMARK_NOUNS = LEXICON["remark_nouns"]
_EVIDENTIAL = LEXICON["evidential"]


@condition("remark_commented")
def remark_commented(m: MatchView) -> bool:
    """The clause comments on something said or decided about the writer: its subject is a
    remark ("That comment about my reconciliations is strange, since..."), or a "which" /
    "that" pointing back at one in a sentence that names the reader's side ("Your email
    describes the panel as unanimous, which is strange, since..."). "The drive was strange,
    since I grew up there" and "I took a job in the city, which is odd, since..." are the
    writer's own feelings."""
    for s in subjects(clause_verb(m.anchor)):
        if s.lemma_.lower() in REMARK_NOUNS and not _writers_own(s):
            return True
        if s.lower_ in ("which", "that", "this", "it") and reader_mentioned(m):
            head = clause_verb(s.head.head) if s.head.dep_ == "relcl" else None
            while head is not None and head.dep_ == "relcl" and head.head is not head:
                head = clause_verb(head.head.head)  # "...than the engineers I met, which"
            # "..., which is odd": the comment hangs on what the reader's side said or did,
            # not on the writer's own doing (a clause of theirs reported counts as said)
            if (
                head is None
                or head.dep_ in ("ccomp", "xcomp")
                or not _person(subjects(head), FIRST_PERSON)
            ):
                return True
            # "I gather / hear / notice the decision was made by HR, ..., which would
            # explain a lot": the writer only reports what the reader's side did
            if head.lemma_.lower() in _EVIDENTIAL and any(c.dep_ == "ccomp" for c in head.children):
                return True
    return False


HOLDS_UP_VERBS = LEXICON["holds_up_verbs"]
JUDGED_FAIR = LEXICON["judged_fair"]


@condition("judgement_denied")
def judgement_denied(m: MatchView) -> bool:
    """The clause under "I don't think / believe" says the assessment does not hold: it
    doesn't match or reflect ("I don't believe the criticism matches what happened"), isn't
    justified or fair ("...the score is in any way justified"), or a thing of the writer's
    record should not have weighed as it did ("I don't think one weak answer should have
    cancelled out a first-class degree"). About the writer ("I don't think I did it
    justice", "...my answers reflected my experience") or a bare "it" ("I don't think it's
    fair to ask") it is reflection or politeness."""
    verb = m.anchor
    # "I don't believe the score of 2 out of 5 is justified" can parse the score as the
    # object of "believe"; it is the subject of the clause all the same
    subs = subjects(verb) or [c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i]
    if not subs or any(
        s.lower_ in FIRST_PERSON
        or s.lower_ in ("it", "this", "that", "there", "you", "ive", "im", "id")
        or _writers_own(s)
        or s.tag_ in ("WP", "WDT")
        for s in subs
    ):
        return False
    if verb.lemma_.lower() in HOLDS_UP_VERBS:
        return True
    if verb.lemma_ == "be" and any(
        c.dep_ in ("acomp", "attr") and c.lower_ in JUDGED_FAIR for c in verb.children
    ):
        return True
    auxes = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    return (
        verb.tag_ == "VBN"
        and "should" in auxes
        and "have" in auxes
        and all(s.pos_ in ("NOUN", "PROPN") for s in subs)
    )


def _appeal_to_witness(say: Token) -> bool:
    """ "My references would tell you...", "which anyone in teaching will tell you is hardly
    ideal": a verb of saying with a modal, told to the reader, calls a witness for the
    writer's own point; nobody has said it, so it is not a report."""
    return any(
        c.dep_ == "aux" and c.lower_ in ("would", "will", "'d", "'ll", "could", "can")
        for c in say.children
    ) and any(c.dep_ in ("dative", "dobj", "iobj") and c.lower_ == "you" for c in say.children)


GENERIC_CANDIDATES = LEXICON["generic_candidates"]
BENIGN_ACTS = LEXICON["benign_acts"]


@condition("norm_question_on_candidates")
def norm_question_on_candidates(m: MatchView) -> bool:
    """ "Is it normal / usual / reasonable ..." asks about what the reader's side does to
    candidates ("...to reject someone over a visa", "...that panel members interrupt
    candidates"), which makes the question an accusation. Not when the candidates are the
    ones acting ("for candidates to hear back"), the act is a courtesy ("to give candidates
    feedback by phone"), or the writer asks about themselves ("for me to follow up")."""
    rest = [t for t in m.sent if t.i >= m.end]
    if any(t.lower_ in FIRST_PERSON or t.lower_ in ("my", "mine") for t in rest):
        return False
    if any(t.lemma_.lower() in BENIGN_ACTS and t.pos_ in ("VERB", "AUX") for t in rest):
        return False
    doc = m.ctx.doc
    return any(
        t.lower_ in GENERIC_CANDIDATES
        and doc[t.i - 1].lower_ != "for"
        and not (t.dep_ in ("nsubj", "nsubjpass") and t.head.lemma_.lower() in BENIGN_ACTS)
        for t in rest
    )


_FAILURE_LEMMAS = LEXICON["failure_lemmas"]


def _sours(tokens: list[Token]) -> bool:
    """A stretch of words with a negation, a fault or a failure in it, or negative wording."""
    if any(
        t.lower_ in NEGATORS
        or t.dep_ == "neg"
        or t.lemma_.lower() in FAULT_VERBS
        or t.lemma_.lower() in _FAILURE_LEMMAS
        for t in tokens
    ):
        return True
    return polarity_subjectivity(" ".join(t.text for t in tokens))[0] < 0


def _writer_subject(tokens: list[Token]) -> bool:
    return any(
        t.dep_ in SUBJECT_DEPS and (t.lower_ in FIRST_PERSON or _writers_own(t)) for t in tokens
    )


@condition("cause_elsewhere")
def cause_elsewhere(m: MatchView) -> bool:
    """ "If I came across as nervous, it was because there were six people staring at me
    without a word of welcome", "The dress code came by email the night before, that is why
    I arrived in the wrong clothes": the writer's stumble put down to what someone else did
    or failed to do. "...it was because I was nervous" owns it; "..., that is why I applied"
    names no stumble."""
    sent = list(m.sent)
    after = [t for t in sent if t.i >= m.end and not t.is_punct]
    before = [t for t in sent if t.i < m.start and not t.is_punct]
    mark = m.ctx.doc[m.end - 1]
    if mark.lower_ == "because":
        subs = subjects(mark.head) if mark.head.i >= m.end else []
        return (
            bool(subs)
            and not any(t.lower_ in FIRST_PERSON or _writers_own(t) for t in subs)
            and _sours(after)
        )
    # "..., that is why I ...": the cause comes first, the writer's stumble after
    return (
        bool(before)
        and not _writer_subject(before)
        and any(t.pos_ in ("NOUN", "PROPN") for t in before)
        and _writer_subject(after)
        and _sours(after)
    )


_RIVAL_NOVICES = LEXICON["rival_novices"]
_SCHOOLS = LEXICON["schools"]
_PASSED_OVER_FRAMES = {
    ("than",),
    ("over",),
    ("favour", "of"),
    ("favor", "of"),
    ("out", "to"),
    ("lost", "to"),
    ("lose", "to"),
    ("losing", "to"),
}


@condition("passed_over_for_novice")
def passed_over_for_novice(m: MatchView) -> bool:
    """The writer set against, or passed over for, a beginner: "worth more to you than a
    fresh bootcamp graduate", "lost out to someone straight out of law school", "in favour
    of an agency newcomer". A beginner as a modifier ("a junior associate", "a graduate
    scheme") or a school that is not where the rival comes "out of" ("more than a month of
    college did") is no rival."""
    doc = m.ctx.doc
    first, last = doc[m.start], doc[m.end - 1]
    frame = tuple(t.lower_ for t in doc[max(m.sent.start, first.i - 1) : first.i + 1])
    if not any(frame[-len(f) :] == f for f in _PASSED_OVER_FRAMES):
        return False
    if last.dep_ in ("compound", "amod") and last.head.i > last.i:
        return False
    if last.lemma_.lower() in _SCHOOLS:
        return any(
            doc[i].lower_ == "out" and doc[i + 1].lower_ == "of" for i in range(m.start, m.end - 1)
        )
    return last.lemma_.lower() in _RIVAL_NOVICES


CONCESSION_OPENERS = LEXICON["concession_openers"]
DISAPPOINTMENT_WORDS = LEXICON["disappointment_words"]
ARGUING_VERBS = LEXICON["arguing_verbs"]


@condition("concession_then_grievance")
def concession_then_grievance(m: MatchView) -> bool:
    """Thanks or acceptance, then ", though / although / even if / but" and a grievance:
    "Thanks for the reply, though it arrived a month after the date you promised", "I take
    the point about my slides, although the projector washed out every colour I used". Not
    when what follows is disappointment, a wish or a request ("..., although I'm
    disappointed", "..., but I'd love to hear what I could improve", "..., even if it means
    I won't be joining the team")."""
    sent = list(m.sent)
    words = [t for t in sent if not t.is_punct]
    if not words:
        return False
    first = words[1] if words[0].lower_ == "i" and len(words) > 1 else words[0]
    if first.lemma_.lower() not in CONCESSION_OPENERS and first.lower_ not in ("'m", "am"):
        return False
    if first.lower_ in ("'m", "am") and (len(words) < 3 or words[2].lower_ != "grateful"):
        return False
    conn = m.ctx.doc[m.end - 1]
    rest = [t for t in sent if t.i > conn.i]
    if not rest or any(t.lemma_.lower() in DISAPPOINTMENT_WORDS for t in rest):
        return False
    if any(t.lower_ in ("please", "?") for t in rest):
        return False
    # "..., but the role isn't right for me", "..., though it was a close call": the
    # writer's fit, or a hard choice, is no grievance
    if any(
        t.lower_ in ("me", "myself", "close") or t.lemma_.lower() in DIFFICULTY_WORDS for t in rest
    ):
        return False
    # "..., although it was tough to take": the writer's feelings about the news
    if any(
        t.lower_ in ("hard", "tough", "difficult", "painful")
        and t.i + 1 < m.sent.end
        and m.ctx.doc[t.i + 1].lower_ == "to"
        for t in rest
    ):
        return False
    head = next((t for t in rest if t.head.i <= conn.i or t.head is t), None)
    verb = clause_verb(head) if head is not None else None
    if verb is None or verb.i <= conn.i:
        verb = next(
            (t for t in rest if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass")),
            None,
        )
    if verb is None:
        return False
    subs = subjects(verb)
    if any(s.lower_ in FIRST_PERSON for s in subs):
        return verb.lemma_.lower() in ARGUING_VERBS
    if any(s.lower_ == "you" for s in subs):
        return False  # "..., but you were very kind to call"
    # "..., even if it means I won't be joining": the writer's own loss, not a grievance
    return not any(
        t.lower_ in FIRST_PERSON and t.dep_ in SUBJECT_DEPS and t.head.dep_ != "relcl" for t in rest
    )


# Denials the writer makes of a fault: "I don't think the feedback is unfair at all".
DENYING_VERBS = LEXICON["denying_verbs"]


@condition("denied_by_writer")
def denied_by_writer(m: MatchView) -> bool:
    """The clause is what the writer says is not so: the complement of a negated
    first-person "think / believe / say / feel" ("I don't think the feedback is unfair",
    "I wouldn't say the panel was rushed"). Finding no fault is the opposite of finding one;
    "I don't think the feedback was fair" has no fault word, so no fault-finding match."""
    verb = clause_verb(m.anchor)
    head = verb.head
    if not (
        verb.dep_ == "ccomp"
        and head is not verb
        and head.lemma_.lower() in DENYING_VERBS
        and any(c.dep_ == "neg" for c in head.children)
        and not any(c.lower_ in ("can", "could", "ca") for c in head.children)  # incredulity
        and _person(subjects(head), FIRST_PERSON)
    ):
        return False
    # only a fault word is denied: "I don't think the panel understood" finds a fault
    clause = list(verb.subtree)
    return any(
        t.lower_ in NEGATIVE_DESCRIPTORS or t.lemma_.lower() in FAULT_VERBS for t in clause
    ) and not any(t.dep_ == "neg" for t in clause)


# Defensive round 8 (precision). Lists in lexicon.yml under def_ names.
DEF_CONCESSIVES = LEXICON["def_concessives"]
_DEF_THANKS = APPRECIATIVE - {"worth", "worthwhile"}


@condition("def_plain_thanks")
def def_plain_thanks(m: MatchView) -> bool:
    """The sentence thanks or is glad, and takes nothing back after the thanks: "I appreciate
    that the panel gave me extra time when the projector failed", "I know December is mad, so
    thank you for getting back to me". Thanks followed by "though", "but", "even though" ("I
    was grateful for the interview, even though the panel ran late") is grudging, not plain."""
    thanks = [t for t in m.sent if t.lemma_.lower() in _DEF_THANKS or t.lower_ in _DEF_THANKS]
    if not thanks:
        return False
    first = thanks[0]
    if any(t.i > first.i and t.lower_ in DEF_CONCESSIVES for t in m.sent):
        return False
    if first.i < m.start:
        # thanks first, then a clause of its own ("Thanks for the reply; the panel never read
        # my CV") is no thanks for what the clause tells: only a clause the thanks governs is
        cur = clause_verb(m.anchor)
        for _ in range(32):
            if cur.i == first.i:
                return True
            if cur.dep_ in ("parataxis", "conj") or cur.head.i == cur.i:
                return False
            cur = cur.head
        return False
    return True


DEF_OWN_EQUIPMENT = LEXICON["def_own_equipment"]
DEF_REPAIR_VERBS = LEXICON["def_repair_verbs"]
DEF_KINDNESS = LEXICON["def_kindness"]
DEF_EFFECT_VERBS = LEXICON["def_effect_verbs"]
DEF_CARRY_ON = LEXICON["def_carry_on"]
_DEF_OUTCOME_VERBS = ENTITLEMENT_LEMMAS | {"be", "get", "receive", "win", "land", "gotten"}
_DEF_GRUDGING = {"barely", "hardly", "only", "just", "never", "scarcely"}


def _def_absorbs(verb: Token) -> bool:
    """The clause of ``verb`` takes a mishap on the writer, shrugs it off or tells how it was
    put right: "that's on me", "which was my own router", "which was nobody's fault", "I
    should have had a backup ready", "it didn't affect my result", "I doubt it changed
    anything", "the helpdesk sorted it quickly", "Lina was super patient", "I managed to
    finish it fine"."""
    subs = subjects(verb)
    mine = _person(subs, FIRST_PERSON)
    words = [t for t in verb.subtree if clause_verb(t).i == verb.i]
    # (a contrast tagged on, "that's on me, not the format", denies nothing)
    contrast = {
        t.i for t in words if t.dep_ == "neg" and t.i > 0 and t.nbor(-1).lower_ in (",", ";")
    }
    denied = any(
        (c.dep_ == "neg" and c.i not in contrast)
        or c.lower_ in _DEF_GRUDGING
        or _negative_subject(c)
        for c in verb.children
    ) or any(
        t.dep_ == "neg" and t.i not in contrast and t.head.pos_ not in ("NOUN", "PROPN")
        for t in words
    )
    for t in words if not denied else ():  # not "which was not my fault"
        kids = list(t.children)
        # "my fault", "nobody's fault", "no one's fault", "nobody's fault but mine"
        if t.lower_ == "fault" and any(
            c.lower_ in ("my", "mine") or _negative_subject(c) for c in kids
        ):
            return True
        # "that's on me", "this was on me for not charging it"
        if t.lower_ == "on" and verb.lemma_ == "be" and any(c.lower_ == "me" for c in kids):
            return True
        # "which was my own router", "probably my old phone more than anything"
        if (
            t.dep_ == "attr"
            and verb.lemma_ == "be"
            and any(c.lower_ in ("my", "our") for c in kids)
            and (t.lemma_.lower() in DEF_OWN_EQUIPMENT or any(c.lower_ == "own" for c in kids))
        ):
            return True
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    done = verb.tag_ == "VBD" or any(a.tag_ == "VBD" or a.lemma_ == "have" for a in auxes)
    done = done and not any(a.lemma_ in MODALS for a in auxes)
    if denied:
        # "it didn't affect my result", "it didn't matter": the mishap shrugged off (not the
        # present "not that it matters now")
        return (
            done
            and verb.lemma_.lower() in DEF_EFFECT_VERBS
            and not any(c.lower_ in _DEF_GRUDGING for c in verb.children)
        )
    # "I doubt it changed anything"
    if (
        verb.lemma_.lower() in DEF_EFFECT_VERBS
        and verb.dep_ == "ccomp"
        and verb.head.lemma_ == "doubt"
        and _person(subjects(verb.head), FIRST_PERSON)
    ):
        return True
    # "I should have had a backup ready", "which I should have tested beforehand" (not "I
    # should have been the obvious pick", "I should have got the part", nor a passive "should
    # have been told")
    if (
        mine
        and verb.tag_ == "VBN"
        and verb.lemma_.lower() not in _DEF_OUTCOME_VERBS
        and any(a.lemma_ in ("should", "ought") for a in auxes)
        and not any(a.dep_ == "auxpass" for a in auxes)
    ):
        return True
    # "I managed to finish it fine", "I was able to finish", "I recovered quickly"
    if mine and done:
        if verb.lemma_ == "manage" and any(c.dep_ == "xcomp" for c in verb.children):
            return True
        if verb.lemma_.lower() in DEF_CARRY_ON and verb.lemma_ != "manage":
            return True
        if any(
            c.dep_ == "acomp" and c.lower_ == "able" and any(g.dep_ == "xcomp" for g in c.children)
            for c in verb.children
        ):
            return True
    # "the helpdesk sorted it quickly", "your coordinator reset it within minutes": a repair
    # done to the mishap ("it"), not a candidate who "handled the same question"
    if (
        subs
        and not mine
        and done
        and verb.lemma_.lower() in DEF_REPAIR_VERBS
        and any(
            c.dep_ == "dobj" and c.lower_ in ("it", "this", "that", "everything", "things")
            for c in verb.children
        )
    ):
        return True
    # "Lina was super patient", "Priya was kind enough to let me start again"
    # (not a request frame: "a note would be really helpful")
    return (
        bool(subs)
        and not mine
        and done
        and any(c.dep_ in ("acomp", "advmod") and c.lower_ in DEF_KINDNESS for c in verb.children)
    )


@condition("def_mishap_absorbed")
def def_mishap_absorbed(m: MatchView) -> bool:
    """Another clause of the sentence takes the mishap on the writer, shrugs it off or tells
    how the reader's side put it right (see :func:`_def_absorbs`): "The video link dropped
    once, and I should have had a backup ready", "The platform logged me out once, but the
    helpdesk sorted it quickly". Not when the sentence goes on to a grievance as well."""
    own = clause_verb(m.anchor)
    verbs = {
        clause_verb(t).i for t in m.sent if t.pos_ in ("VERB", "AUX") and clause_verb(t).i != own.i
    }
    doc = m.ctx.doc
    for i in sorted(verbs):
        # after the mishap, and not itself taken back ("the panel were patient, but...")
        # (or one that governs the mishap: "I should have asked for printouts, since the
        # screen was small")
        governs = any(a.i == i for a in own.ancestors)
        if (i > own.i or governs) and _def_absorbs(doc[i]):
            return not any(t.i > i and t.lower_ in DEF_CONCESSIVES for t in m.sent)
    return False


DEF_ACKNOWLEDGING = LEXICON["def_acknowledging"]


def _def_acknowledger(verb: Token) -> Token | None:
    """The first-person "I know / I understand / I realise / I accept / I'm aware" whose
    complement the clause of ``verb`` is, if any: present or perfect, not negated, not
    itself wanted or demanded ("I want to know why..."), not a past belief ("I'd always
    understood that...")."""
    cur = verb
    for _ in range(6):
        if cur.dep_ != "ccomp" or cur.head.i == cur.i:
            return None
        head = cur.head
        frame = head
        if head.lower_ in DEF_ACKNOWLEDGING and head.pos_ == "ADJ":
            frame = head.head  # "I'm aware (that) ...": the adjective hangs on "be"
        if head.lemma_.lower() in DEF_ACKNOWLEDGING or head.lower_ in DEF_ACKNOWLEDGING:
            auxes = [c for c in frame.children if c.dep_ == "aux"]
            past = frame.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes)
            if (
                frame.dep_ != "xcomp"
                and not past
                and not any(c.dep_ == "neg" for c in (*frame.children, *head.children))
                and _person([c for c in frame.children if c.dep_ == "nsubj"], {"i", "we"})
            ):
                return head
            return None
        cur = head
    return None


@condition("def_acknowledged")
def def_acknowledged(m: MatchView) -> bool:
    """The clause is what the writer says they know, understand or accept about the reader's
    side: "I know December is a crazy month", "I understand that you may not be allowed to
    share scores", "I accept that they were not enough". Not when the clause still names a
    fault done or a disparaging word ("I know the panel never read my CV", "I understand the
    panel ignored my references", "...was dismissive"), sets someone against the writer
    ("...has less experience than me") or is asserted as fact ("I know for a fact").
    """
    verb = clause_verb(m.anchor)
    head = _def_acknowledger(verb)
    if head is None:
        return False
    clause = list(verb.subtree)
    if any(t.lemma_.lower() in FAULT_VERBS or t.lower_ in NEGATIVE_DESCRIPTORS for t in clause):
        return False  # "I know the panel ignored my portfolio", "...was dismissive"
    if any(t.lower_ == "fact" for t in head.subtree):
        return False
    if any(t.lower_ == "than" for t in clause) and any(
        t.lower_ in FIRST_PERSON | {"mine"} for t in clause
    ):
        return False
    for t in clause:
        if clause_verb(t).i != t.i or t.lemma_.lower() not in PASSIVE_DUTIES:
            continue
        auxes = [c for c in t.children if c.dep_ in ("aux", "auxpass")]
        done = t.tag_ == "VBD" or any(a.tag_ == "VBD" or a.lemma_ == "have" for a in auxes)
        denied = any(
            c.dep_ == "neg" or c.lower_ in ("never", "barely", "hardly") or _negative_subject(c)
            for c in t.children
        )
        if done and denied:
            return False  # "I know nobody read my portfolio"
    return True


@condition("def_inside_own_subject")
def def_inside_own_subject(m: MatchView) -> bool:
    """The phrase opens on a noun buried in a subject that is the writer's own: "My answer on
    the liquidity question was wrong", "my answers on the access-to-information question
    were confusing" fault the writer's answer, not the question."""
    first = m.ctx.doc[m.start]
    if first.pos_ not in ("NOUN", "PROPN"):
        return False
    for a in first.ancestors:
        if a.dep_ in ("nsubj", "nsubjpass"):
            return _writers_own(a) or a.lower_ in FIRST_PERSON
        if a.pos_ in ("VERB", "AUX"):
            return False
    return False


@condition("def_hyphen_compound")
def def_hyphen_compound(m: MatchView) -> bool:
    """The word is the first half of a hyphenated compound with its head ("the cold-call
    test", "the cold-call scoring"): the compound names a thing, the word describes nothing."""
    tok = m.anchor
    doc = tok.doc
    if tok.i + 2 >= len(doc) or tok.whitespace_:
        return False
    dash, nxt = doc[tok.i + 1], doc[tok.i + 2]
    return dash.text == "-" and not dash.whitespace_ and tok.head.i == nxt.i


DEF_REPORT_VERBS = LEXICON["def_report_verbs"]
DEF_WRITER_LEARNS = LEXICON["def_writer_learns"]
_DEF_TIME_PREPS = {"before", "until", "till", "since", "by", "from", "back", "til", "than"}


def _def_report_before(m: MatchView) -> Token | None:
    """A report of what the reader's side said or promised, before the match: "I was told
    ...", "the recruiter said ...", "the advert promised ..."; not the writer's own words, nor a
    negated report."""
    for t in m.sent:
        if t.i >= m.start:
            return None
        if t.pos_ != "VERB" or t.lemma_.lower() not in DEF_REPORT_VERBS:
            continue
        if any(c.dep_ == "neg" for c in t.children):
            continue
        subs = subjects(t)
        passive = any(c.dep_ == "nsubjpass" and c.lower_ in ("i", "we") for c in t.children)
        if passive or (subs and not _person(subs, FIRST_PERSON)):
            return t
    return None


@condition("def_told_then_otherwise")
def def_told_then_otherwise(m: MatchView) -> bool:
    """After a report of what the reader's side said or promised ("I was told the test would
    take two hours", "the ad said no experience needed"), the sentence goes on to what
    happened instead, with a sequencing "then" or "now", or "it turned out": "..., and then
    the brief came with a sixteen-page brand book", "..., and now the feedback says I lack
    experience". Not "before then", "back then", nor the writer's own learning since ("...,
    and now I can see why", "I've now booked the course")."""
    anchor = m.anchor
    if m.ctx.in_quotes(anchor.idx, anchor.idx + len(anchor.text)):
        return False
    report = _def_report_before(m)
    if report is None:
        return False
    loose = anchor.dep_ not in ("advmod", "npadvmod") or (
        anchor.i > 0 and anchor.nbor(-1).lower_ in _DEF_TIME_PREPS
    )
    if anchor.lower_ in ("then", "now") and loose:
        return False
    verb = clause_verb(anchor)
    if verb.i == report.i:
        return False  # "said at the end that I would hear then": the report's own time
    if anchor.lower_ == "now" and anchor.i > verb.i:
        return False  # "that promise is on you now": the present, not what happened next
    # the "then" of the report itself: "I was told I'd meet the team first and then the
    # director", "she said to arrive at nine and then head upstairs"
    content = {d.i for c in report.children if c.dep_ in ("ccomp", "xcomp") for d in c.subtree}
    # the time since the report, not inside it ("the recruiter said the role had opened three
    # weeks ago"); a second complement after a comma is the writer's ("Marco said I'd hear
    # within a week, that was a month ago")
    told = [c for c in report.children if c.dep_ in ("ccomp", "xcomp")]
    if (
        anchor.lower_ not in ("then", "now", "turn", "turned", "turns")
        and told
        and told[0].left_edge.i <= verb.i <= told[0].right_edge.i
    ):
        return False
    auxes = [c for c in verb.children if c.dep_ == "aux"]
    if verb.i in content and (
        any(a.lemma_ in MODALS or a.lower_ == "to" for a in auxes)
        or (verb.tag_ == "VB" and not subjects(verb))
    ):
        return False
    # the promise kept: "..., and then it was, in the best way", "and he was right"
    clause = [t for t in verb.subtree if clause_verb(t).i == verb.i]
    if (
        anchor.lower_ in ("then", "now")
        and verb.lemma_ in ("be", "do")
        and not any(
            c.dep_ in ("acomp", "attr", "dobj", "prep", "xcomp", "ccomp") for c in verb.children
        )
    ):
        return False
    if polarity_subjectivity(" ".join(t.text for t in clause))[0] >= 0.3:
        return False
    for v in (verb, *verb.ancestors):
        if v.i <= report.i:
            break
        learns = anchor.lower_ == "now" or v.lemma_.lower() in DEF_WRITER_LEARNS
        if v.pos_ in ("VERB", "AUX") and _person(subjects(v), FIRST_PERSON) and learns:
            return False  # "and now I see why", "I can see now she was right"
    return True


DEF_EXPECTING = LEXICON["def_expecting"]


@condition("def_expectation_let_down")
def def_expectation_let_down(m: MatchView) -> bool:
    """The "at least" / "actually" sits in what the writer had expected of someone else: "I
    had expected the panel to at least have read the brief", "I'd assumed a second round would
    at least involve someone from the kitchen", "I'd expected a competency panel to actually
    probe my examples": a minimum the reader's side is implied to have missed. Not the
    writer's own hoped-for outcome ("I assumed I'd at least get an interview", "a board that
    headhunted me would at least make me an offer"), which is a claim, not a reproach."""
    clause = clause_verb(m.anchor)
    for cur in (clause, *clause.ancestors):
        if cur.dep_ not in ("ccomp", "xcomp") or cur.head.i == cur.i:
            continue
        head = cur.head
        if head.lemma_.lower() not in DEF_EXPECTING:
            continue
        if not _person(subjects(head), FIRST_PERSON) or any(c.dep_ == "neg" for c in head.children):
            return False
        auxes = [c for c in head.children if c.dep_ == "aux"]
        past = head.tag_ == "VBD" or (
            head.tag_ == "VBN" and any(a.lemma_ == "have" or a.lower_ == "'d" for a in auxes)
        )
        if not past:
            return False
        # the one expected to act; a parse may hang it on the expecting verb ("I had assumed
        # a final round would at least come with...")
        subs = subjects(cur) or [c for c in head.children if c.dep_ == "dobj" and c.i < cur.i]
        if not subs or _person(subs, FIRST_PERSON | {"you"}) or any(_writers_own(x) for x in subs):
            return False  # "I assumed I'd at least get...", "my years would guarantee me..."
        words = list(cur.subtree)
        return not any(
            t.lower_ in PROMISED_OUTCOMES or t.lemma_.lower() in PROMISED_OUTCOMES for t in words
        )
    return False


DEF_ATTENTION_VERBS = LEXICON["def_attention_verbs"]


@condition("def_loaded_alternative")
def def_loaded_alternative(m: MatchView) -> bool:
    """A yes/no question about what was done ("Did the panel look at my portfolio...", "Was
    anyone reading...", "Were my references ever phoned...") whose "or" offers the lesser
    alternative ("..., or just the scoring sheet?", "..., or was it decided already?"): the
    question insinuates neglect. Not a request ("Could you share notes, or just a summary?"),
    nor a question about which factor counted ("Was it the timing, or ...", "Is there any
    chance of...")."""
    sent = m.sent
    if not sent.text.rstrip().endswith("?"):
        return False
    first = next((t for t in sent if not (t.is_punct or t.pos_ == "INTJ")), None)
    if first is None or first.pos_ not in ("AUX", "VERB") or first.i >= m.start:
        return False
    if first.tag_ == "MD" or first.lemma_ not in ("do", "be", "have"):
        return False
    root = first if first.dep_ == "ROOT" else first.head
    subs = subjects(root)
    if not subs or any(s.lower_ in ("it", "there", "this", "that") for s in subs):
        return False
    if any(t.lower_ in ("possible", "chance", "ok", "okay") for t in sent):
        return False
    # the first alternative asks whether a duty of attention was done ("did the panel look at
    # ...", "was anyone reading..."), or presses it ("at all", "ever", "even", "actually");
    # not what the panel wanted ("Did the panel want more detail, or just a clearer...?")
    if root.lemma_.lower() in DEF_ATTENTION_VERBS:
        return True
    before = [t.lower_ for t in sent if t.i < m.start]
    return any(w in before for w in ("ever", "even", "actually")) or " at all " in (
        " " + " ".join(before) + " "
    )


@condition("def_praising_complement")
def def_praising_complement(m: MatchView) -> bool:
    """The match ends on "a"/"an" and the noun phrase it opens praises ("the process was a good
    one", "the team is a great one"): a compliment, not "a joke"."""
    last = m.ctx.doc[m.end - 1]
    if last.lower_ not in ("a", "an") or last.head.i == last.i:
        return False
    words = [t for t in last.head.subtree if t.i >= last.i]
    if any(t.lower_ in NEGATIVE_DESCRIPTORS for t in words):
        return False  # "a great big farce"
    return polarity_subjectivity(" ".join(t.text for t in words))[0] > 0.2


# Words that thank ("Thank you for...", "I'm grateful for..."); lemmas.
ED_THANKING = LEXICON["ed_thanking"]


@condition("thanked_for")
def thanked_for(m: MatchView) -> bool:
    """The phrase sits in what the writer thanks the reader for: "Thank you for telling me
    immediately", "Thanks for the call this afternoon". A time there dates what the reader
    already did; it sets no deadline. Thanks "in advance" thank for what is still wanted."""
    if any(t.lower_ in ("advance", "beforehand") for t in m.sent):
        return False
    cur = m.anchor
    for _ in range(32):
        if cur.head.i == cur.i:
            return False
        if cur.dep_ == "prep" and cur.lower_ == "for" and cur.head.lemma_.lower() in ED_THANKING:
            return True
        cur = cur.head
    return False


# Verbs that state what the reader's side required or wanted ("than the role needed",
# "than the band allowed"); lemmas.
ED_REQUIREMENT_VERBS = LEXICON["ed_requirement_verbs"]


@condition("owned_mismatch")
def owned_mismatch(m: MatchView) -> bool:
    """A comparison measured against what the reader's side wanted, in a sentence that
    accepts it: "my plans were more ambitious than the board wanted, and that is a fair
    judgement", "my experience is narrower than the role needed, I accept that". The writer
    owns a mismatch with the brief; nobody else is ranked below them."""
    if not accepting(m):
        return False
    than = next((t for t in m.sent if t.lower_ == "than" and t.i >= m.start), None)
    if than is None:
        return False
    for t in m.sent[than.i + 1 - m.sent.start :]:
        if t.is_punct or t.lower_ in ("and", "but", "so", "which"):
            return False
        if t.pos_ == "VERB" and t.lemma_.lower() in ED_REQUIREMENT_VERBS:
            return True
    return False


@condition("pluperfect")
def pluperfect(m: MatchView) -> bool:
    """The clause is a contracted past perfect: "I'd expected", "I'd wanted" ("'d" is "had"
    before a bare participle, though the tagger reads it as "would"). Like ``past_tense``,
    it tells what the writer once thought, not what they ask now. "I'd have expected" (would
    have) is not this form."""
    verb = clause_verb(m.anchor)
    if verb.tag_ != "VBN":
        return False
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    return any(a.lower_ in ("'d", "d", "’d") for a in auxes) and not any(
        a.lemma_.lower() == "have" for a in auxes
    )


# Verbs with which the writer surmises or grants something about the reader's situation
# ("I know you have to make tough calls", "..., I imagine"); lemmas.
ED_SURMISING = LEXICON["ed_surmising"]


@condition("obligation_granted")
def obligation_granted(m: MatchView) -> bool:
    """The reader's obligation is something the writer grants or disclaims, not imposes:
    the clause is the complement of a first-person "know / imagine / understand ..." ("I
    know you have to make tough calls", "You have to balance a lot, I imagine"), or of a
    negated first-person verb ("I wouldn't want you to feel you have to reply")."""
    verb = clause_verb(m.anchor)
    for _ in range(8):
        while verb.dep_ == "xcomp" and verb.head.i != verb.i:
            verb = verb.head
        if verb.dep_ != "ccomp" or verb.head.i == verb.i:
            return False
        head = verb.head
        if head.i > verb.i and not all(
            c.i == verb.i or c.dep_ in ("nsubj", "punct", "advmod") for c in head.children
        ):
            # a later clause of its own ("..., I know I can pass it", "..., otherwise I can't
            # improve") is no frame; only a bare parenthetical ("..., I imagine") is
            return False
        if _person(subjects(head), FIRST_PERSON):
            if head.i < verb.i and any(c.dep_ == "neg" for c in head.children):
                return True
            return head.lemma_.lower() in ED_SURMISING
        verb = head
    return False


@condition("relayed_goodwill")
def relayed_goodwill(m: MatchView) -> bool:
    """The command only asks the reader to pass on the writer's goodwill to someone else:
    "Tell Dominic the coffee tip was spot on", "Tell the trustees I'd still love to help",
    "Give Marco a high five from me". Not when the message is itself a demand or a
    complaint ("Tell the panel I want their scores", "Tell Daniel to send me his notes",
    "... and get him to call me")."""
    verb = m.anchor
    lemma = verb.lemma_.lower()
    if lemma not in ("tell", "give"):
        return False
    kids = list(verb.children)
    recipients = [
        c for c in kids if c.dep_ in ("dobj", "dative") and c.pos_ in ("NOUN", "PROPN", "PRON")
    ]
    from_me = any(
        c.dep_ == "prep" and c.lower_ == "from" and any(g.lower_ == "me" for g in c.children)
        for c in kids
    )
    if lemma == "give":
        recipients = [c for c in kids if c.dep_ == "dative" and c.lower_ != "for"]
        if not from_me:
            return False
    message = [c for c in kids if c.dep_ == "ccomp"]
    if lemma == "tell" and not (message or from_me):
        return False
    if not recipients or any(r.lower_ in FIRST_PERSON for r in recipients):
        return False
    if any(c.dep_ == "xcomp" for c in kids):
        return False  # "Tell Daniel to send me his notes"
    said = [t for c in kids if c.dep_ not in ("dobj", "dative") for t in c.subtree]
    for t in said:
        if t.lemma_.lower() in DEMAND_LEMMAS or t.lower_ in ("why", "what", "how", "whether"):
            return False
        if t.dep_ == "conj" and t.tag_ == "VB":
            return False  # "... and get him to call me"
        if t.lower_ in ("me", "us") and t.dep_ in ("dobj", "dative"):
            return False
    # no fault found in the message ("Tell the governors their decision was wrong")
    return not any(
        t.lower_ in NEGATIVE_DESCRIPTORS
        or t.lemma_.lower() in FAULT_VERBS
        or (t.pos_ == "ADJ" and polarity_subjectivity(t.text)[0] < 0)
        for t in said
    )


# Verbs that report an earlier promise or statement ("I was told I'd hear by Friday"); lemmas.
ED_PROMISING = LEXICON["ed_promising"]


@condition("promised_earlier")
def promised_earlier(m: MatchView) -> bool:
    """The time sits in what someone said or promised earlier: "I was told I'd hear by
    Friday", "You told me that I'd hear by the 14th". It dates a past promise, it is not a
    deadline the writer sets now."""
    cur = m.anchor
    clause = False  # passed into the said clause (a "that" clause the parser may hang on a
    # noun of an intervening phrase: "told at the end of the panel that I'd hear by Friday")
    for _ in range(32):
        head = cur.head
        if head.i == cur.i:
            return False
        clause = clause or cur.dep_ in ("ccomp", "relcl")
        if (
            clause
            and cur.dep_ in ("ccomp", "prep")
            and head.lemma_.lower() in ED_PROMISING
            and (
                head.tag_ == "VBD"
                or (head.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in head.children))
            )
        ):
            return True
        cur = head
    return False


@condition("predicted_choice")
def predicted_choice(m: MatchView) -> bool:
    """ "You'll want to ..." after the writer's certainty ("I'm sure you'll want to
    reconsider", "I assume you'll want to offer me the next vacancy") predicts the reader's
    choice, a presumed outcome, rather than telling them what to do ("You'll want to include
    the moderation notes")."""
    if not any(t.lemma_.lower() == "want" for t in m.span):
        return False
    if not any(t.lower_ == "you" for t in m.span):
        return False
    return certain_frame(m)


@condition("expects_own_standing")
def expects_own_standing(m: MatchView) -> bool:
    """The writer expects a standing of their own, not an act of the reader's: "I'd expect
    to be first in line next time", "I fully expect to be on your list", "I expect to go
    straight to interview". That presumes an outcome (entitled); it asks nothing of the
    reader now. "I expect to be told why" (a participle: the reader's act) is a demand."""
    verb = m.anchor
    if verb.lemma_.lower() != "expect":
        return False
    comps = [c for c in verb.children if c.dep_ == "xcomp" and c.lemma_.lower() in ("be", "go")]
    if not comps:
        return False
    comp = comps[0]
    return not any(
        c.tag_ == "VBN" or c.dep_ in ("auxpass", "dobj", "dative") for c in comp.children
    )


# Adverbs that make a task the writer's own practice ("read more widely", "read it twice").
ED_PRACTICE_ADVERBS = LEXICON["ed_practice_adverbs"]


@condition("own_preparation")
def own_preparation(m: MatchView) -> bool:
    """The writer needs or wants to do a task as their own preparation: "I need to read more
    widely on charity law before I apply again", "I need to read the specification twice
    before I start pricing". The task carries a degree or repetition adverb, or is timed by
    the writer's own next step; it asks nothing of the reader. Receiving verbs ("I need to
    know / see / hear more") are left to the rule."""
    verb = m.anchor
    if verb.lemma_.lower() not in ("need", "want") or not _person(subjects(verb), FIRST_PERSON):
        return False
    tasks = [c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
    receiving = {
        "know",
        "see",
        "hear",
        "receive",
        "get",
        "have",
        "speak",
        "talk",
        "discuss",
        "meet",
        "understand",
        "be",
    }
    for task in tasks:
        if task.lemma_.lower() in receiving:
            continue
        for c in task.children:
            if c.dep_ == "advmod" and c.lower_ in ED_PRACTICE_ADVERBS:
                return True
            if c.dep_ == "dobj" and c.lower_ == "more" and not any(True for _ in c.children):
                return True  # "read more around the sector" (not "more of your notes")
            if (
                c.dep_ == "advcl"
                and any(g.dep_ == "mark" and g.lower_ in ("before", "until") for g in c.children)
                and _person(subjects(c), FIRST_PERSON)
            ):
                return True
    return False


@condition("claim_quoted")
def claim_quoted(m: MatchView) -> bool:
    """The claim word itself is inside quotation marks, though the match starts before them:
    "the recruiter told me the team 'owes every finalist a call'", "they 'owe it to the
    membership'". Quoted words are someone else's; the engine skips matches wholly quoted."""
    last = m.ctx.doc[m.end - 1]
    return m.ctx.in_quotes(last.idx, last.idx + len(last))
