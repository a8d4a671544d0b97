"""Sentence boundaries the parser cannot see: paragraph breaks and greeting lines.

The statistical parser sometimes runs a sentence across a blank line ("...on my CV.
\\n\\nSend me the scorecards"), which hides the imperative at the paragraph start. This
component runs before the parser and fixes boundaries that the layout makes certain;
the parser keeps all boundaries set before it.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

# A greeting or sign-off line: a few words ending in a comma ("Hi Sarah,", "Best regards,").
_GREETING_MAX_WORDS = 4


@Language.component("tonecheck_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    line_words = 0
    for i, tok in enumerate(doc):
        if i == 0:
            line_words = 0 if tok.is_space else 1
            continue
        prev = doc[i - 1]
        if prev.is_space and "\n" in prev.text and not tok.is_space:
            prev_real = next((t for t in reversed(doc[: i - 1]) if not t.is_space), None)
            blank_line = prev.text.count("\n") >= 2
            after_greeting = (
                prev_real is not None
                and prev_real.text == ","
                and line_words <= _GREETING_MAX_WORDS + 1
            )
            after_stop = prev_real is not None and prev_real.text in (".", "!", "?", ":")
            if blank_line or after_greeting or after_stop:
                tok.is_sent_start = True
            line_words = 0
        if not tok.is_space:
            line_words += 1
    return doc
