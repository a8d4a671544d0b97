"""tonecheck against bare spaCy, in one run on the same texts.

    python benchmarks/bench.py [--texts 320] [--runs 3] [--model NAME] [--cold-runs 5]

Texts: the drafts in corpora/drafts/ and examples/, repeated to ``--texts`` texts.
Four comparisons, each against the *full default pipeline* of the same model (tonecheck
loads it without ``ner``, so its own work must cost less than ``ner`` does):

1. throughput: ``Checker.check_many(texts)`` vs ``nlp.pipe(texts)`` (texts/s, best of runs)
2. warm latency: ``checker.check(draft)`` vs ``nlp(draft)`` for a ~150-word draft (median)
3. cold start: ``tonecheck draft.txt`` vs ``python -c "import spacy; spacy.load(MODEL)"``
   (subprocesses, median wall time)
4. peak memory: maxrss of the ``tonecheck draft.txt`` subprocess (``os.wait4``), and of
   ``tonecheck --jsonl-input`` over all the texts (batch mode streams, so it stays flat)

tonecheck caches per-sentence work (sentiment, verified rewrites), and the texts repeat;
``--no-cache`` clears those caches before every text to show the uncached cost.
Targets: 1 >= 1.0x, 2 <= 1.2x, 3 <= 1.3x, 4 < 500 MiB. Exit 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"throughput": 1.0, "latency": 1.2, "cold": 1.3, "memory_mib": 500.0}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    ncpu = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{ncpu} CPUs ({cpu}), {mem}, Python {platform.python_version()}, {platform.system()}"


def drafts() -> list[str]:
    files = sorted((ROOT / "corpora" / "drafts").glob("*.txt")) + sorted(
        (ROOT / "examples").glob("*.txt")
    )
    return [p.read_text(encoding="utf-8") for p in files]


def near_150_words(texts: list[str]) -> str:
    return min(texts, key=lambda t: abs(len(t.split()) - 150))


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def clear_caches(checker: object) -> None:
    """Forget tonecheck's per-sentence caches (sentiment, verified rewrites)."""
    import importlib

    from tonecheck import sentiment

    # the module, not tonecheck.rewrite the function that the package exports
    rewrite = importlib.import_module("tonecheck.rewrite")
    sentiment.polarity_subjectivity.cache_clear()
    caches = getattr(rewrite, "_caches", None)
    if caches is not None and checker in caches:
        caches[checker].clear()


# Linux counts the parent's memory at fork time in a child's maxrss, so the commands are
# started by this small launcher process rather than by the (large) benchmark process.
_LAUNCHER = """
import os, subprocess, sys, time
t = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
_, status, usage = os.wait4(p.pid, 0)
wall = time.perf_counter() - t
code = os.waitstatus_to_exitcode(status)
err = p.stderr.read().decode(errors="replace").strip()[-300:]
print(wall, usage.ru_maxrss, code, repr(err))
"""


def run_child(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one subprocess."""
    out = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *argv], capture_output=True, text=True, check=True
    ).stdout.split(maxsplit=3)
    wall, rss, code, err = float(out[0]), int(out[1]), int(out[2]), out[3]
    if code not in (0, 1):
        raise SystemExit(f"{argv[:3]} failed ({code}): {err}")
    return wall, rss / 1024  # Linux: kilobytes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--texts", type=int, default=320)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--latency-runs", type=int, default=30)
    ap.add_argument("--cold-runs", type=int, default=5)
    ap.add_argument("--model", default=None)
    ap.add_argument("--no-cache", action="store_true", help="clear tonecheck's caches per text")
    args = ap.parse_args()

    import spacy

    from tonecheck import Checker
    from tonecheck.nlp import resolve_model

    model = resolve_model(args.model)
    base = drafts()
    texts = (base * (args.texts // len(base) + 1))[: args.texts]
    words = sum(len(t.split()) for t in texts)
    draft = near_150_words(base)
    print(f"machine: {machine()}")
    print(f"model: {model}; {len(texts)} texts ({len(base)} drafts repeated), {words:,} words")

    full = spacy.load(model)
    checker = Checker(model, grammar="off")
    print(f"bare pipeline: {', '.join(full.pipe_names)}")
    print(f"tonecheck pipeline: {', '.join(checker.nlp.pipe_names)}")
    list(full.pipe(base))
    list(checker.check_many(base))

    def tone_texts() -> Iterator[str]:
        for t in texts:
            if args.no_cache:
                clear_caches(checker)
            yield t

    bare_s, tone_s = [], []
    for _ in range(args.runs):  # interleaved, so machine noise hits both alike
        bare_s.append(timed(lambda: list(full.pipe(texts))))
        if args.no_cache:
            clear_caches(checker)
        tone_s.append(timed(lambda: list(checker.check_many(tone_texts()))))
    bare_tps, tone_tps = len(texts) / min(bare_s), len(texts) / min(tone_s)
    thr_ratio = tone_tps / bare_tps
    print(
        f"1. throughput   check_many {tone_tps:7.1f} texts/s   bare nlp.pipe {bare_tps:7.1f} "
        f"texts/s   ratio {thr_ratio:.2f}x (target >= {TARGETS['throughput']}x)"
    )

    bare_l, tone_l = [], []
    for _ in range(args.latency_runs):
        bare_l.append(timed(lambda: full(draft)))
        clear_caches(checker)  # every check starts with cold per-sentence caches
        tone_l.append(timed(lambda: checker.check(draft)))
    bare_ms, tone_ms = statistics.median(bare_l) * 1000, statistics.median(tone_l) * 1000
    lat_ratio = tone_ms / bare_ms
    print(
        f"2. warm latency check      {tone_ms:7.1f} ms        bare nlp()    {bare_ms:7.1f} ms"
        f"        ratio {lat_ratio:.2f}x (target <= {TARGETS['latency']}x; "
        f"{len(draft.split())}-word draft)"
    )

    exe = Path(sys.executable).parent / "tonecheck"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "draft.txt"
        path.write_text(draft, encoding="utf-8")
        tone_cmd = [str(exe), "--no-grammar", str(path)]
        bare_cmd = [sys.executable, "-c", f"import spacy; spacy.load({model!r})"]
        # spacy.load imports every installed spacy_factories entry point, tonecheck's too
        # (and with it textblob and nltk); this reference skips the entry points
        plain_cmd = [
            sys.executable, "-c",
            "import spacy; spacy.util.registry._entry_point_factories.entry_points = False; "
            f"spacy.load({model!r})",
        ]  # fmt: skip
        run_child(tone_cmd)  # warm the OS file cache for both
        run_child(bare_cmd)
        batch = Path(tmp) / "texts.jsonl"
        batch.write_text(
            "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts)),
            encoding="utf-8",
        )
        batch_s, batch_rss = run_child(
            [str(exe), "--no-grammar", "--format", "jsonl", "--jsonl-input", str(batch)]
        )
        cold_t, cold_b, cold_p, rss_t, rss_b = [], [], [], [], []
        for _ in range(args.cold_runs):
            w, r = run_child(tone_cmd)
            cold_t.append(w)
            rss_t.append(r)
            w, r = run_child(bare_cmd)
            cold_b.append(w)
            rss_b.append(r)
            cold_p.append(run_child(plain_cmd)[0])
    cold_ratio = statistics.median(cold_t) / statistics.median(cold_b)
    print(
        f"3. cold start   tonecheck  {statistics.median(cold_t):7.2f} s         spacy.load    "
        f"{statistics.median(cold_b):7.2f} s         ratio {cold_ratio:.2f}x "
        f"(target <= {TARGETS['cold']}x)"
    )
    print(
        f"   (reference: spacy.load without entry points {statistics.median(cold_p):.2f} s; "
        f"tonecheck is {statistics.median(cold_t) / statistics.median(cold_p):.2f}x that)"
    )
    peak = max(rss_t)
    print(
        f"4. peak memory  tonecheck  {peak:7.0f} MiB       spacy.load    {max(rss_b):7.0f} MiB"
        f"       (target < {TARGETS['memory_mib']:.0f} MiB)"
    )
    print(
        f"   batch: tonecheck --jsonl-input ({len(texts)} texts) {batch_rss:.0f} MiB peak, "
        f"{batch_s:.1f} s ({len(texts) / batch_s:.1f} texts/s including start-up)"
    )
    missed = [
        name
        for name, ok in (
            ("throughput", thr_ratio >= TARGETS["throughput"]),
            ("latency", lat_ratio <= TARGETS["latency"]),
            ("cold start", cold_ratio <= TARGETS["cold"]),
            ("memory", max(peak, batch_rss) < TARGETS["memory_mib"]),
        )
        if not ok
    ]
    print("all targets met" if not missed else f"missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
