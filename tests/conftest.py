"""Shared fixtures: one loaded checker for the whole session (loading spaCy is the slow part)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tonecheck import Checker

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "sentences.jsonl"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def checker() -> Checker:
    return Checker()


@pytest.fixture(scope="session")
def tonecheck_exe() -> str:
    """The installed console script (a real subprocess, not click's runner)."""
    exe = shutil.which("tonecheck") or str(Path(sys.executable).parent / "tonecheck")
    if not Path(exe).exists():
        pytest.fail("the tonecheck console script is not installed; run pip install -e .")
    return exe
