"""Train the politeness model: ``python -m tonecheck.train politeness --data FILE.csv``.

Needs the ``train`` extra (scikit-learn). The protocol, kept deterministic:

* Task: the paper's binary task (top vs bottom quartile of ``Normalized Score``).
* Training rows: the binary requests with hard labels, plus the middle half of the corpus
  (never a test item of the binary task) with soft labels ``sigmoid(4 * score / IQR)``,
  each entered twice (as polite and as impolite) with those probabilities as weights.
* Features: :func:`tonecheck.politeness_model.featurize`; words and parse features seen
  in fewer than ``MIN_DF`` training requests are dropped, and so are those present in all
  of them.
* Model: L2 logistic regression (liblinear); C is chosen from ``C_GRID`` by an inner
  5-fold stratified CV on the training requests only.

The spaCy parse of the corpus is cached under the temp directory, keyed on the CSV's
bytes, the featurizer's source and the spaCy pipeline.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import numpy as np

from . import politeness, politeness_model
from .politeness_data import Corpus, default_data_path, load_corpus, load_spacy
from .politeness_model import FEATURES_VERSION, WEIGHTS_FILE, PolitenessModel, featurize

SEED = 0
FOLDS = 10
INNER_FOLDS = 5
C_GRID: tuple[float, ...] = (0.03, 0.1, 0.3, 1.0)
MIN_DF = 2
#: Slope of the soft labels of the middle half, in units of the interquartile range.
SOFT_SLOPE = 4.0
#: Decimals kept in the weights file (keeps it small and diffs readable).
DECIMALS = 6

DEFAULT_OUT = Path(__file__).parent / "data" / WEIGHTS_FILE

FeatureDicts = list[dict[str, float]]

#: Dense features kept whatever their document frequency.
_ALWAYS_KEPT = frozenset({"polarity", "subjectivity"})


# --- features ---------------------------------------------------------------------


def corpus_features(
    corpus: Corpus, path: str | os.PathLike[str], cache: bool = True
) -> FeatureDicts:
    """Feature dicts of every request, parsed once and cached in the temp directory."""
    nlp = load_spacy()
    key = hashlib.sha256()
    key.update(Path(path).read_bytes())
    key.update(f"{FEATURES_VERSION}|{nlp.meta['name']}|{nlp.meta['version']}".encode())
    # The featurizer's own source, so that an edit without a version bump re-parses.
    for module in (politeness, politeness_model):
        key.update(Path(module.__file__ or "").read_bytes())
    cache_file = Path(tempfile.gettempdir()) / f"tonecheck-politeness-{key.hexdigest()[:16]}.json"
    if cache and cache_file.exists():
        cached: FeatureDicts = json.loads(cache_file.read_text(encoding="utf-8"))
        if len(cached) == len(corpus.texts):
            return cached
    feats = [featurize(doc) for doc in nlp.pipe(corpus.texts, batch_size=64)]
    if cache:
        tmp = cache_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(feats), encoding="utf-8")
        tmp.replace(cache_file)
    return feats


@dataclass
class Vocabulary:
    """Feature name -> column; words rarer than ``MIN_DF`` are left out."""

    names: list[str]

    @classmethod
    def fit(cls, feats: Sequence[dict[str, float]], min_df: int | None = None) -> Vocabulary:
        min_df = MIN_DF if min_df is None else min_df
        df: dict[str, int] = {}
        for f in feats:
            for name in f:
                df[name] = df.get(name, 0) + 1
        # A word present in every training request (the corpus has a "?" in each) carries
        # no information, only a second intercept that would shift the score of every
        # text without it; leave it out so the bias alone plays that part. The same
        # filter applies to the parse features; the strategies and the two sentiment
        # values are always kept.
        keep = [n for n, c in df.items() if n in _ALWAYS_KEPT or n.startswith("s:")
                or min_df <= c < len(feats)]  # fmt: skip
        return cls(sorted(keep))

    def transform(self, feats: Sequence[dict[str, float]]) -> Any:
        from scipy.sparse import csr_matrix

        index = {n: i for i, n in enumerate(self.names)}
        rows, cols, vals = [], [], []
        for r, f in enumerate(feats):
            for name, value in f.items():
                j = index.get(name)
                if j is not None and value != 0.0:
                    rows.append(r)
                    cols.append(j)
                    vals.append(value)
        return csr_matrix((vals, (rows, cols)), shape=(len(feats), len(self.names)))


# --- fitting ----------------------------------------------------------------------


def soft_targets(corpus: Corpus, train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Training items (``train`` binary items + the middle half) and their P(polite)."""
    middle = np.flatnonzero(corpus.label < 0)
    q1, q3 = np.percentile(corpus.scores, [25, 75])
    soft = 1.0 / (1.0 + np.exp(-SOFT_SLOPE * corpus.scores[middle] / (q3 - q1)))
    items = np.concatenate([train, middle])
    target = np.concatenate([corpus.label[train].astype(float), soft])
    return items, target


def fit(feats: FeatureDicts, items: np.ndarray, target: np.ndarray, c: float) -> PolitenessModel:
    """Logistic regression on soft targets (each row twice, weighted by its target)."""
    from scipy.sparse import vstack
    from sklearn.linear_model import LogisticRegression

    rows = [feats[i] for i in items]
    vocab = Vocabulary.fit(rows)
    x = vocab.transform(rows)
    x2 = vstack([x, x]).tocsr()
    y2 = np.concatenate([np.ones(len(rows)), np.zeros(len(rows))])
    w2 = np.concatenate([target, 1.0 - target])
    keep = w2 > 0
    clf = LogisticRegression(C=c, solver="liblinear", random_state=SEED)
    clf.fit(x2[keep], y2[keep], sample_weight=w2[keep])
    coef = np.round(clf.coef_[0], DECIMALS)
    weights = {n: float(w) for n, w in zip(vocab.names, coef, strict=True) if w != 0.0}
    bias = float(np.round(clf.intercept_[0], DECIMALS))
    return PolitenessModel(weights, bias, {"C": c})


def _accuracy(model: PolitenessModel, feats: FeatureDicts, idx: np.ndarray, y: np.ndarray) -> float:
    pred = np.array([model.decision(feats[i]) > 0 for i in idx], dtype=int)
    return float(np.mean(pred == y))


def choose_c(
    corpus: Corpus, feats: FeatureDicts, train: np.ndarray, folds: int = INNER_FOLDS
) -> float:
    """The C of ``C_GRID`` with the best mean accuracy in an inner CV over ``train``."""
    from sklearn.model_selection import StratifiedKFold

    skf = StratifiedKFold(folds, shuffle=True, random_state=SEED)
    y = corpus.label[train]
    best_c, best_acc = C_GRID[0], -1.0
    for c in C_GRID:
        accs = []
        for tr, te in skf.split(train, y):
            items, target = soft_targets(corpus, train[tr])
            model = fit(feats, items, target, c)
            accs.append(_accuracy(model, feats, train[te], y[te]))
        acc = float(np.mean(accs))
        if acc > best_acc:  # ties keep the smaller C (stronger regularisation)
            best_c, best_acc = c, acc
    return best_c


@dataclass(frozen=True)
class CVResult:
    fold_accuracy: list[float]
    fold_c: list[float]

    @property
    def accuracy(self) -> float:
        return float(np.mean(self.fold_accuracy))

    @property
    def std(self) -> float:
        return float(np.std(self.fold_accuracy))


def cross_validate(
    corpus: Corpus,
    feats: FeatureDicts,
    folds: int = FOLDS,
    c: float | None = None,
    log: Any = None,
) -> CVResult:
    """Stratified k-fold accuracy on the binary task; C by nested CV unless given."""
    from sklearn.model_selection import StratifiedKFold

    binary = corpus.binary
    y = corpus.label[binary]
    skf = StratifiedKFold(folds, shuffle=True, random_state=SEED)
    accs, cs = [], []
    for k, (tr, te) in enumerate(skf.split(binary, y)):
        fold_c = c if c is not None else choose_c(corpus, feats, binary[tr])
        items, target = soft_targets(corpus, binary[tr])
        model = fit(feats, items, target, fold_c)
        accs.append(_accuracy(model, feats, binary[te], y[te]))
        cs.append(fold_c)
        if log:
            log(f"fold {k + 1}/{folds}: C={fold_c} accuracy={accs[-1]:.4f}")
    return CVResult(accs, cs)


def train_model(corpus: Corpus, feats: FeatureDicts, data_sha256: str) -> PolitenessModel:
    """The shipped model: C by CV over the whole binary task, then fit on everything."""
    c = choose_c(corpus, feats, corpus.binary, folds=FOLDS)
    items, target = soft_targets(corpus, corpus.binary)
    model = fit(feats, items, target, c)
    meta = {
        "task": "Wikipedia politeness, top vs bottom quartile of Normalized Score",
        "data_sha256": data_sha256,
        "n_binary": len(corpus.binary),
        "n_soft": int(np.sum(corpus.label < 0)),
        "C": c,
        "min_df": MIN_DF,
        "soft_slope": SOFT_SLOPE,
        "seed": SEED,
        "citation": "Danescu-Niculescu-Mizil et al., A computational approach to "
        "politeness with application to social factors, ACL 2013",
    }
    return PolitenessModel(model.weights, model.bias, meta)


def write_model(model: PolitenessModel, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model.to_dict(), indent=0, sort_keys=False) + "\n", encoding="utf-8")


# --- command line ---------------------------------------------------------------


@click.group()
def main() -> None:
    """Train tonecheck's models (needs the ``train`` extra)."""


@main.command("politeness")
@click.option(
    "--data", "data", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None, help="wikipedia.annotated.csv (default: $TONECHECK_POLITENESS_DATA or "
    "../shared/politeness/ beside the repository).",
)  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="Where to write the weights (JSON).")  # fmt: skip
@click.option("--cv/--no-cv", default=False, help="Also report nested 10-fold CV accuracy.")
@click.option("--no-cache", is_flag=True, help="Parse the corpus again, ignoring the cache.")
def politeness_cmd(data: Path | None, out: Path, cv: bool, no_cache: bool) -> None:
    """Train the politeness classifier and write its weights."""
    path = data or default_data_path()
    if not path.exists():
        raise click.ClickException(f"{path} not found: pass --data")
    corpus = load_corpus(path)
    feats = corpus_features(corpus, path, cache=not no_cache)
    if cv:
        res = cross_validate(corpus, feats, log=lambda m: click.echo(m, err=True))
        click.echo(f"10-fold nested CV accuracy: {res.accuracy:.4f} (sd {res.std:.4f})")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    model = train_model(corpus, feats, sha)
    write_model(model, out)
    click.echo(f"wrote {out} ({len(model.weights)} weights, C={model.meta['C']})")


if __name__ == "__main__":
    sys.exit(main())
