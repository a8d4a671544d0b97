"""Time and peak memory of checking one long text: 10 KB, 100 KB, 1 MB.

    python benchmarks/scale.py [--sizes 10000,100000,1000000] [--format plain|markdown]

Each size runs in a fresh process (peak RSS is per process): the text is the drafts in
corpora/drafts/ joined by blank lines until it reaches the size. The process loads the
checker, warms it on one draft, then checks the long text once. Printed per size: seconds,
KB/s (constant when time is proportional to size), findings, the peak RSS and how much the
check added to the RSS of the warmed-up process.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_text(size: int) -> str:
    files = sorted((ROOT / "corpora" / "drafts").glob("*.txt"))
    drafts = [p.read_text(encoding="utf-8") for p in files]
    parts: list[str] = []
    total = 0
    i = 0
    while total < size:
        d = drafts[i % len(drafts)] + "\n\n"
        parts.append(d)
        total += len(d)
        i += 1
    return "".join(parts)[:size]


def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def one(size: int, fmt: str) -> dict[str, float]:
    from tonecheck import Checker

    checker = Checker(grammar="off")
    checker.check(build_text(2000), input_format=fmt)  # load and warm up
    text = build_text(size)
    before = maxrss_mib()
    t = time.perf_counter()
    report = checker.check(text, input_format=fmt)
    seconds = time.perf_counter() - t
    assert all(text[f.start : f.end] == f.text for f in report.findings)
    return {
        "chars": len(text),
        "seconds": seconds,
        "findings": len(report.findings),
        "peak_mib": maxrss_mib(),
        "added_mib": maxrss_mib() - before,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--format", default="plain", choices=["plain", "markdown", "email"])
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.format)))
        return 0
    print(f"{'size':>9} {'seconds':>8} {'KB/s':>6} {'findings':>8} {'peak RSS':>9} {'added':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--format", args.format],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        r = json.loads(out.strip().splitlines()[-1])
        print(
            f"{r['chars']:>9,} {r['seconds']:>8.2f} {r['chars'] / r['seconds'] / 1000:>6.1f} "
            f"{r['findings']:>8} {r['peak_mib']:>6.0f} MiB {r['added_mib']:>4.0f} MiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
