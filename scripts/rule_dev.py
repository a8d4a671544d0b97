"""Fast rule development loop: the rules' figures on a corpus split, from cached parses.

Parsing is what costs (about a minute for dev); the rules take a few seconds. The
parses are cached as a DocBin keyed by the texts, the model and spaCy's version, so a
rule edit is measured in seconds. The figures equal ``scripts/eval_corpus.py``'s (rules
only, no hints); they come from the rules of whatever ``tonecheck`` is imported.

python scripts/rule_dev.py --split dev                   # table
python scripts/rule_dev.py --split dev --save base.json  # keep the predictions
python scripts/rule_dev.py --split dev --baseline base.json   # fixed / broken since
python scripts/rule_dev.py --split dev --errors defensive     # misses and false alarms
python scripts/rule_dev.py --corpus new_batch.jsonl --split all
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from tonecheck import Checker
from tonecheck.evaluation import load_corpus, score
from tonecheck.markup import prepare

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path.home() / ".cache" / "tonecheck" / "parses"


def parsed(checker: Checker, texts: list[str]) -> list[spacy.tokens.Doc]:
    nlp = checker.nlp
    names = [n for n in nlp.pipe_names if n != "tonecheck"]
    key = hashlib.sha1(
        json.dumps([texts, checker.model, spacy.__version__, names]).encode()
    ).hexdigest()[:16]
    path = CACHE / f"{key}.spacy"
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    with nlp.select_pipes(enable=names):
        docs = list(nlp.pipe(texts, batch_size=128))
    CACHE.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs).to_disk(path)
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT / "corpora" / "sentences.jsonl"))
    ap.add_argument(
        "--split", default="dev", help="dev (the only split to tune rules on), val, test or all"
    )
    ap.add_argument("--save", metavar="FILE", help="write the predictions as JSON")
    ap.add_argument("--baseline", metavar="FILE", help="compare with saved predictions")
    ap.add_argument("--errors", metavar="CAT", help="print misses and false alarms of CAT")
    args = ap.parse_args()
    items = load_corpus(args.corpus, None if args.split == "all" else args.split)
    checker = Checker(grammar="off")
    docs = parsed(checker, [prepare(i["text"], "plain").masked for i in items])
    comp = checker.component
    found = [
        [(h.rule.category, h.rule.qualified_id, doc[h.start : h.end].text) for h in comp.hits(doc)]
        for doc in docs
    ]
    ev = score(items, found)
    pred = {i["id"]: sorted({cat for cat, _, _ in f}) for i, f in zip(items, found, strict=True)}
    fired = {i["id"]: [f"{r}:{t}" for _, r, t in f] for i, f in zip(items, found, strict=True)}
    print(f"{args.corpus}, split {args.split}: {len(items)} items (rules)")
    print(ev.table())
    if args.save:
        Path(args.save).write_text(json.dumps(pred))
    if args.baseline:
        base = json.loads(Path(args.baseline).read_text())
        fixed, broken = [], []
        for i in items:
            gold, old, new = set(i["labels"]), set(base[i["id"]]), set(pred[i["id"]])
            before, after = len(gold ^ old), len(gold ^ new)
            if after < before:
                fixed.append(i["id"])
            elif after > before:
                broken.append(i["id"])
        writers = sorted({i[:2] for i in fixed})
        print(f"fixed {len(fixed)} (writers {' '.join(writers)}): {' '.join(fixed)}")
        print(f"broken {len(broken)}: {' '.join(broken)}")
        for i in items:
            if i["id"] in broken:
                print(
                    f"  BROKEN {i['id']} gold={i['labels']} pred={pred[i['id']]} "
                    f"{i['text']!r} {fired[i['id']]}"
                )
    if args.errors:
        if args.split != "dev" and args.corpus.endswith("sentences.jsonl"):
            raise SystemExit("errors are for dev only: the held-out split is not read")
        cat = args.errors
        for i in items:
            wanted, got = cat in i["labels"], cat in pred[i["id"]]
            if wanted != got:
                kind = "MISS" if wanted else "FALSE"
                print(f"{kind} {i['id']} gold={i['labels']} {i['text']!r} {fired[i['id']]}")


if __name__ == "__main__":
    main()
