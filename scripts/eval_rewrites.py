"""Check that the first suggestion of every finding fixes it without a new finding.

    python scripts/eval_rewrites.py                # every sentence the rules flag
    python scripts/eval_rewrites.py --split dev --all-suggestions

For every sentence of ``corpora/sentences.jsonl`` with at least one tone finding, each
finding's first suggestion is applied to the sentence and the result is checked again.
A suggestion succeeds when the finding is gone and no other finding appears (findings
the sentence already had elsewhere may stay). Prints the success rate (the target is at
least 95%) and every failure; exits 1 below ``--target``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from tonecheck import Checker

ROOT = Path(__file__).resolve().parent.parent


def evaluate(
    checker: Checker, texts: list[str], all_suggestions: bool = False
) -> tuple[int, list[dict[str, object]]]:
    """(number of suggestions tried, failures) over ``texts``."""
    trials: list[tuple[str, str, str, str, Counter[str]]] = []
    for text, report in zip(texts, checker.check_many(texts), strict=True):
        tone = report.tone_findings
        for f in tone:
            allowed = Counter(g.rule for g in tone if g is not f)
            sugs = f.suggestions if all_suggestions else f.suggestions[:1]
            if not sugs:
                trials.append((text, f.rule, "", "(no suggestion)", allowed))
            for s in sugs:
                new = text[: s.start] + s.text + text[s.end :]
                trials.append((text, f.rule, s.text, new, allowed))
    failures: list[dict[str, object]] = []
    checked = checker.check_many([t[3] for t in trials], verify_suggestions=False)
    for (text, rule, sug, new, allowed), report in zip(trials, checked, strict=True):
        found = Counter(g.rule for g in report.tone_findings)
        if new == "(no suggestion)" or any(n > allowed[r] for r, n in found.items()):
            failures.append(
                {"text": text, "rule": rule, "suggestion": sug, "result": new,
                 "findings": sorted(found.elements())}
            )  # fmt: skip
    return len(trials), failures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT / "corpora" / "sentences.jsonl"))
    ap.add_argument("--split", default="all", help="dev, test or all")
    ap.add_argument("--all-suggestions", action="store_true", help="try every alternative")
    ap.add_argument("--target", type=float, default=0.95)
    args = ap.parse_args()
    rows = [json.loads(line) for line in Path(args.corpus).read_text("utf-8").splitlines() if line]
    texts = [r["text"] for r in rows if args.split == "all" or r.get("split") == args.split]
    n, failures = evaluate(Checker(), texts, args.all_suggestions)
    rate = 1 - len(failures) / n if n else 1.0
    print(f"{args.corpus} ({args.split}): {n} suggestions on flagged sentences, "
          f"{n - len(failures)} fix their finding cleanly: {rate:.1%}")  # fmt: skip
    for fl in failures:
        print(f"FAIL [{fl['rule']}] {fl['text']!r}\n     -> {fl['result']!r} {fl['findings']}")
    sys.exit(0 if rate >= args.target else 1)


if __name__ == "__main__":
    main()
