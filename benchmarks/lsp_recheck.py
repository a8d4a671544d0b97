"""Time the language server's re-check after a keystroke: whole draft vs one paragraph.

    python benchmarks/lsp_recheck.py [--runs 5] [--words 2000] [--no-verify]

Builds a ~2,000-word document from the drafts in ``corpora/drafts`` and prints, in one
run, the median wall time of

1. a cold check of the whole document (empty paragraph cache, new checker state),
2. a re-check after a one-word edit in a middle paragraph, with the cache
   (:class:`tonecheck.incremental.IncrementalChecker`, what ``tonecheck lsp`` runs
   after the debounce),
3. a cold check of that one paragraph on its own,

and the ratios (re-check / one paragraph, cold / re-check). Times include verified
suggestions (:mod:`tonecheck.rewrite`) unless ``--no-verify``; loading the spaCy model is
timed separately and excluded. Grammar (LanguageTool) is off.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tonecheck import Checker
from tonecheck.incremental import IncrementalChecker, split_paragraphs

ROOT = Path(__file__).resolve().parent.parent
#: Distinct words for the edits, so no edit brings back a paragraph the cache has seen.
WORDS = ["really", "truly", "very", "quite", "most", "so", "deeply", "sincerely", "warmly"]


def build_document(words: int) -> str:
    """Drafts from the corpus, separated by blank lines, until there are ``words`` words."""
    files = sorted((ROOT / "corpora" / "drafts").glob("*.txt"))
    drafts = [p.read_text(encoding="utf-8").strip() for p in files]
    if not drafts:
        sys.exit("no drafts in corpora/drafts")
    parts: list[str] = []
    i = 0
    while sum(len(p.split()) for p in parts) < words:
        parts.append(drafts[i % len(drafts)])
        i += 1
    return "\n\n".join(parts) + "\n"


def median_ms(fn: Callable[[int], object], runs: int) -> float:
    times = []
    for i in range(runs):
        t0 = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--words", type=int, default=2000)
    ap.add_argument("--no-verify", action="store_true", help="raw rule suggestions only")
    args = ap.parse_args()
    verify = not args.no_verify

    t0 = time.perf_counter()
    base = Checker(grammar="off")
    nlp = base.nlp
    load_ms = (time.perf_counter() - t0) * 1000

    doc = build_document(args.words)
    paragraphs = split_paragraphs(doc)
    # the paragraph to edit: the longest of the middle third; a word goes before its 4th
    third = len(paragraphs) // 3
    offset, para = max(paragraphs[third : 2 * third] or paragraphs, key=lambda p: len(p[1]))
    cut = len(" ".join(para.split(" ")[:3])) + 1
    at = offset + cut

    def fresh() -> IncrementalChecker:
        # a new Checker on the same pipeline: empty paragraph cache and rewrite cache
        return IncrementalChecker(Checker(grammar="off", nlp=nlp))

    fresh().check(doc, verify_suggestions=verify)  # warm-up (first pipe call, imports)

    def cold(_: int) -> None:
        fresh().check(doc, verify_suggestions=verify)

    warm = fresh()
    warm.check(doc, verify_suggestions=verify)
    before = warm.stats.misses

    def recheck(i: int) -> None:
        edited = doc[:at] + WORDS[i % len(WORDS)] + " " + doc[at:]
        warm.check(edited, verify_suggestions=verify)

    def single(i: int) -> None:
        edited = para[:cut] + WORDS[i % len(WORDS)] + " " + para[cut:]
        fresh().check(edited, verify_suggestions=verify)

    cold_ms = median_ms(cold, args.runs)
    recheck_ms = median_ms(recheck, args.runs)
    parsed = (warm.stats.misses - before) / args.runs
    single_ms = median_ms(single, args.runs)

    report = fresh().check(doc, verify_suggestions=verify)
    print(f"document: {len(doc.split()):,} words, {len(doc):,} characters, "
          f"{len(paragraphs)} paragraphs, {len(report.findings)} findings")  # fmt: skip
    print(f"model load (excluded):          {load_ms:8.1f} ms  ({base.model})")
    print(f"cold check, whole document:     {cold_ms:8.1f} ms")
    print(f"re-check after a one-word edit: {recheck_ms:8.1f} ms  "
          f"({parsed:.0f} paragraph(s) parsed per edit)")  # fmt: skip
    print(f"check of the edited paragraph:  {single_ms:8.1f} ms  "
          f"({len(para.split())} words)")  # fmt: skip
    print(f"ratio re-check / one paragraph: {recheck_ms / single_ms:8.2f}")
    print(f"ratio cold / re-check:          {cold_ms / recheck_ms:8.2f}")
    print(f"(median of {args.runs} runs; verified suggestions {'on' if verify else 'off'}; "
          f"grammar off)")  # fmt: skip


if __name__ == "__main__":
    main()
