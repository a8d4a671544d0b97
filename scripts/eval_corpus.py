"""Print precision, recall and false-positive rate of the rules on the labeled corpus.

python scripts/eval_corpus.py                 # held-out split (corpora/sentences.jsonl)
python scripts/eval_corpus.py --split dev --errors
python scripts/eval_corpus.py --by-batch      # also per writer's batch (see the datasheet)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tonecheck import Checker
from tonecheck.evaluation import evaluate, load_corpus

ROOT = Path(__file__).resolve().parent.parent
# id ranges of the writers' batches (corpora/DATASHEET.md)
BATCHES = {
    "s0": "first writer",
    "s1": "second writer",
    "s2": "third writer",
    "s3": "fourth writer",
    "s4": "fifth writer",
    "s5": "sixth writer",
    "s6": "seventh writer",
    "s7": "eighth writer",
    "s8": "ninth writer",
    "s9": "tenth writer",
    "sa": "eleventh writer",
    "sb": "twelfth writer",
    "sc": "thirteenth writer",
    "sd": "fourteenth writer",
    "se": "fifteenth writer",
    "sf": "sixteenth writer",
    "sg": "seventeenth writer",
    "sh": "eighteenth writer",
    "si": "nineteenth writer",
    "sj": "twentieth writer",
    "sk": "twenty-first writer",
    "sl": "twenty-second writer",
    "sm": "twenty-third writer",
    "sn": "twenty-fourth writer",
    "so": "twenty-fifth writer",
    "sp": "twenty-sixth writer",
    "sq": "twenty-seventh writer",
    "sr": "twenty-eighth writer",
    "ss": "twenty-ninth writer",
    "st": "thirtieth writer",
    "su": "thirty-first writer",
    "sv": "thirty-second writer",
    "sw": "thirty-third writer",
    "sx": "thirty-fourth writer",
    "sy": "thirty-fifth writer",
    "sz": "thirty-sixth writer",
    "t0": "thirty-seventh writer",
    "t1": "thirty-eighth writer",
    "t2": "thirty-ninth writer",
    "t3": "fortieth writer",
    "t4": "forty-first writer",
    "t5": "forty-second writer",
    "t6": "forty-third writer",
    "t7": "forty-fourth writer",
    "t8": "forty-fifth writer",
    "t9": "forty-sixth writer",
    "ta": "forty-seventh writer",
    "tb": "forty-eighth writer",
    "tc": "forty-ninth writer",
    "td": "fiftieth writer",
    "te": "fifty-first writer",
    "tf": "fifty-second writer",
    "tg": "fifty-third writer",
    "th": "fifty-fourth writer",
    "ti": "fifty-fifth writer",
    "tj": "fifty-sixth writer",
    "tk": "fifty-seventh writer (val)",
    "tl": "fifty-eighth writer (val)",
    "tm": "fifty-ninth writer (val)",
    "tn": "sixtieth writer (val)",
    "to": "sixty-first writer (val)",
    "tp": "sixty-second writer (val)",
    "tq": "sixty-third writer",
    "tr": "sixty-fourth writer",
    "ts": "sixty-fifth writer",
    "tt": "sixty-sixth writer",
    "tu": "sixty-seventh writer",
    "tv": "sixty-eighth writer",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT / "corpora" / "sentences.jsonl"))
    ap.add_argument(
        "--split", default="test", help="test (held-out), val (validation), dev, or all"
    )
    ap.add_argument("--errors", action="store_true", help="list every disagreement")
    ap.add_argument("--by-batch", action="store_true", help="also a table per writer's batch")
    ap.add_argument("--hints", action="store_true", help="rules and sentence hints together")
    args = ap.parse_args()
    items = load_corpus(args.corpus, None if args.split == "all" else args.split)
    checker = Checker(grammar="off", hints=args.hints)
    ev = evaluate(items, checker)
    what = "rules and sentence hints" if args.hints else "rules"
    print(f"corpus {args.corpus}, split {args.split}: {len(items)} items ({what})")
    print(ev.table())
    if args.by_batch:
        for prefix, name in BATCHES.items():
            part = [i for i in items if i["id"].startswith(prefix)]
            if part:
                print(f"\n{name}: {len(part)} items")
                print(evaluate(part, checker).table())
    if args.errors:
        for e in ev.errors:
            print(f"{e['id']}: gold={e['gold']} pred={e['pred']} {e['text']!r} {e['findings']}")


if __name__ == "__main__":
    main()
