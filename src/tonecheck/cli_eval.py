"""``tonecheck eval``: measure tonecheck's models on annotated data.

Register with ``main.add_command(eval_group)``. ``eval politeness FILE.csv`` scores the
shipped politeness model on the paper's binary task; ``--cv`` instead retrains it in
10-fold stratified cross-validation (needs the ``train`` extra).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import click
import numpy as np

from .politeness_data import load_corpus, load_spacy

#: Accuracy on the Wikipedia binary task, from the data's README (shared/politeness).
PEER_FIGURES: tuple[tuple[str, float], ...] = (
    ("ConvoKit strategies + logistic regression (10-fold)", 0.770),
    ("unigram bag of words + logistic regression (10-fold)", 0.807),
    ("paper, linguistically informed SVM (reported)", 0.838),
    ("human annotators (reported)", 0.867),
)


def roc_auc(y: Sequence[int] | np.ndarray, scores: Sequence[float] | np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney U with average ranks for ties)."""
    y = np.asarray(y)
    s = np.asarray(scores, dtype=float)
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s), dtype=float)
    sorted_s = s[order]
    i = 0
    while i < len(s):  # average rank over each run of tied scores
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    n_pos, n_neg = int(np.sum(y == 1)), int(np.sum(y == 0))
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def _print_table(rows: list[tuple[str, float]]) -> None:
    width = max(len(name) for name, _ in rows)
    for name, acc in rows:
        click.echo(f"  {name:<{width}}  {acc * 100:5.1f}%")


@click.group("eval")
def eval_group() -> None:
    """Evaluate tonecheck's models on annotated data."""


@eval_group.command("politeness")
@click.argument("csv_file", metavar="FILE.csv",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))  # fmt: skip
@click.option("--cv", "mode", flag_value="cv",
              help="10-fold stratified CV accuracy of the training recipe (retrains).")  # fmt: skip
@click.option("--train", "mode", flag_value="train", default=True,
              help="Accuracy and ROC AUC of the shipped model (default).")  # fmt: skip
def politeness_cmd(csv_file: Path, mode: str) -> None:
    """Accuracy on the binary task (top vs bottom quartile) of an annotated politeness CSV.

    Without --cv the shipped weights are scored as they are: on the Wikipedia corpus they
    were trained on, that figure is optimistic; use --cv for an honest in-domain figure.
    """
    corpus = load_corpus(csv_file)
    idx = corpus.binary
    y = corpus.label[idx]
    if mode == "cv":
        try:
            from .train import FOLDS, corpus_features, cross_validate
        except ImportError as exc:  # scikit-learn is only in the train extra
            raise click.ClickException(f"--cv needs the train extra ({exc})") from exc
        feats = corpus_features(corpus, csv_file)
        res = cross_validate(corpus, feats, log=lambda m: click.echo(m, err=True))
        label = f"tonecheck, {FOLDS}-fold stratified CV (nested C, seed 0)"
        click.echo(f"{len(idx)} requests in the binary task")
        click.echo(f"accuracy: {res.accuracy:.4f} (sd over folds {res.std:.4f})")
        ours = res.accuracy
    else:
        from .politeness_model import PolitenessModel

        nlp = load_spacy()
        model = PolitenessModel.load()
        texts = [corpus.texts[i] for i in idx]
        probs = np.array([model.predict_proba(d) for d in nlp.pipe(texts, batch_size=64)])
        ours = float(np.mean((probs > 0.5).astype(int) == y))
        label = "tonecheck, shipped model"
        click.echo(f"{len(idx)} requests in the binary task")
        click.echo(f"accuracy: {ours:.4f}  ROC AUC: {roc_auc(y, probs):.4f}")
        sha = model.meta.get("data_sha256")
        if sha and hashlib.sha256(csv_file.read_bytes()).hexdigest() == sha:
            label = "tonecheck, shipped model (its training data: not held out)"
            click.echo("note: this is the training data of the shipped model; use --cv")
    click.echo("accuracy, polite vs impolite (peer figures: Wikipedia, from the data README):")
    _print_table([(label, ours), *PEER_FIGURES])
