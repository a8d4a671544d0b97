"""Time LanguageTool: server start, first check, and checks of a ~150-word draft.

    python benchmarks/grammar_bench.py [--runs 20] [--url http://127.0.0.1:8081]

Without --url it starts a private server from the installed jars (``tonecheck grammar
install``) in a temporary cache dir and stops it at the end. The last two lines time a
whole ``Checker.check`` (tone rules, verified suggestions, and with grammar on also the
LanguageTool check and the rewrite gate) with grammar off and on.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tonecheck import grammar, grammar_server

DRAFT = (
    "Hi Siobhan,\n\n"
    "Thank you for letting me know about you're decision on the Data Analyst role at "
    "Zylotech. I was obviously disappointed, because I believed my experience with SQL and "
    "dashboards was exactly what the team needed, and I still dont understand why it was "
    "not enough. I expect a detailed explanation of what went wrong in the the interview. "
    "Please send me a list of the areas where I fell short by Friday, since I have a other "
    "interview next week and I need to know what to fix. He go through the same process "
    "last year and got feedback within two days, so I assume this is not a big ask. 😀 "
    "If there was a specific reason, such as the take-home task, I would like to hear it "
    "directly rather then guess. I am still very interested in working at Zylotech and "
    "would apply again in the future.\n\n"
    "Best regards,\nJörg Müller"
)


def _time(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and max milliseconds of ``runs`` calls."""
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples), max(samples)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--url", help="use this running server instead of starting one")
    args = ap.parse_args()
    words = len(DRAFT.split())
    print(f"draft: {words} words, {len(DRAFT)} characters, {args.runs} runs each")

    home: Path | None = None
    url = args.url
    tmp = tempfile.TemporaryDirectory(prefix="tonecheck-bench-")
    try:
        if url is None:
            lib = grammar_server.lib_dir()
            if grammar_server.installed_version() is None:
                print("LanguageTool is not installed: run `tonecheck grammar install`")
                return 2
            home = Path(tmp.name)
            (home / "lib").symlink_to(lib, target_is_directory=True)
            info = grammar.start(cache_dir=home, warm=False)
            print(f"server start (JVM to healthy): {info.startup_seconds:.2f} s")
            url = info.url
        checker = grammar.GrammarChecker(url)
        t0 = time.perf_counter()
        first = checker.check(DRAFT)
        print(f"first check (loads English rules): {time.perf_counter() - t0:.2f} s")
        print(f"grammar findings: {len(first)}: " + ", ".join(f.rule for f in first))

        med, worst = _time(lambda: checker.check(DRAFT), args.runs)
        print(f"grammar check: median {med:.0f} ms, max {worst:.0f} ms")

        import tonecheck

        tone_only = tonecheck.Checker(grammar="off")
        with_grammar = tonecheck.Checker(nlp=tone_only.nlp, grammar="on", languagetool_url=url)
        tone_only.check(DRAFT)  # load the spaCy model once
        with_grammar.check(DRAFT)
        med, worst = _time(lambda: tone_only.check(DRAFT), args.runs)
        print(f"tonecheck.check, grammar off: median {med:.0f} ms, max {worst:.0f} ms")
        med, worst = _time(lambda: with_grammar.check(DRAFT), args.runs)
        print(f"tonecheck.check, grammar on: median {med:.0f} ms, max {worst:.0f} ms")
    finally:
        if home is not None:
            grammar.stop(cache_dir=home)
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
