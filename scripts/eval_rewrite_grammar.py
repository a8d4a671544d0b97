"""Count corpus rewrites that add a LanguageTool grammar error.

    python scripts/eval_rewrite_grammar.py [--url URL] [--raw] [--verbose]

For every sentence of ``corpora/sentences.jsonl``, the first suggestion of each tone
finding is applied and the sentence is checked by LanguageTool before and after
(:func:`tonecheck.grammar.adds_errors`: a grammar or spelling finding, by rule id and
matched text, that the original did not have). Prints the count.

By default the suggestions are the shipped ones, verified with grammar off, so the count
measures what the rewrite gate has to catch; ``--gated`` checks with grammar on, so the
gate itself drops such candidates (the count should then be 0). ``--raw`` uses the rules'
raw templates instead. The server: ``--url``, else ``$TONECHECK_LANGUAGETOOL_URL``, else a
running one, else one started for this run from ``tonecheck grammar install``'s jars.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tonecheck import Checker, grammar

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpora" / "sentences.jsonl")
    ap.add_argument("--url", help="LanguageTool server URL")
    ap.add_argument("--raw", action="store_true", help="raw templates, not verified ones")
    ap.add_argument("--gated", action="store_true", help="verify with grammar on")
    ap.add_argument("--verbose", action="store_true", help="print each offending rewrite")
    args = ap.parse_args()

    try:
        gc = grammar.resolve("required", args.url)
    except grammar.GrammarError as e:
        print(f"eval_rewrite_grammar: error: {e}", file=sys.stderr)
        return 2
    assert gc is not None
    if args.gated:
        checker = Checker(grammar="on", languagetool_url=gc.url)
    else:
        checker = Checker(grammar="off")
    rows = [json.loads(ln) for ln in args.corpus.read_text("utf-8").splitlines() if ln.strip()]
    texts = [r["text"] for r in rows]
    gate = grammar.RewriteGate(gc)
    pairs: list[tuple[str, str, str]] = []  # (rule, before, after)
    for text, report in zip(
        texts, checker.check_many(texts, verify_suggestions=not args.raw), strict=True
    ):
        for f in report.tone_findings:
            if not f.suggestions:
                continue
            s = f.suggestions[0]
            pairs.append((f.rule, text, text[: s.start] + s.text + text[s.end :]))
    gate.prefetch(t for _, before, after in pairs for t in (before, after))
    bad = [(rule, b, a) for rule, b, a in pairs if gate.adds_errors(b, a)]
    if gate.failed is not None:
        print(f"eval_rewrite_grammar: error: {gate.failed}", file=sys.stderr)
        return 2
    if args.verbose:
        for rule, before, after in bad:
            added = grammar.added_errors(gc, before, after)
            print(f"[{rule}] {before!r}\n    -> {after!r}")
            print("    adds: " + ", ".join(f"{f.rule} {f.text!r}" for f in added))
    kind = "raw" if args.raw else ("verified, grammar on" if args.gated else "verified")
    print(
        f"{len(bad)} of {len(pairs)} rewrites ({kind} first suggestions, {len(rows)} "
        "sentences) add a LanguageTool grammar error"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
