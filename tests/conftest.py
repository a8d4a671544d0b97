"""Shared fixtures: one loaded checker for the whole session (loading spaCy is the slow part)."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tonecheck import Checker, grammar, grammar_server

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


# --------------------------------------------------------------------------- LanguageTool

#: A server CI started (`.ci/run` exports it), read before any test changes the environment.
CI_LANGUAGETOOL_URL = os.environ.get(grammar.URL_ENV)
#: The default cache dir (`tonecheck grammar install` puts the jars there).
DEFAULT_LT_CACHE = grammar_server.cache_dir()
JAVA = shutil.which("java")
MVN = shutil.which("mvn")


@pytest.fixture(autouse=True)
def _no_ambient_languagetool(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Grammar is opt-in per test: a server CI (or a developer) started, in the default
    cache or by URL, must not add findings to tests that did not ask for them."""
    monkeypatch.delenv(grammar.URL_ENV, raising=False)
    monkeypatch.setenv(grammar_server.HOME_ENV, str(tmp_path_factory.mktemp("no-lt")))


@pytest.fixture(scope="session")
def started_pids() -> Iterator[list[int]]:
    """Every JVM pid the tests start; at the end none may be left running."""
    pids: list[int] = []
    yield pids
    alive = [p for p in pids if grammar_server._pid_alive(p)]
    for pid in alive:  # never leave an orphan, even when failing
        grammar_server._terminate(pid, 5.0)
    assert not alive, f"LanguageTool servers left running: {alive}"


@pytest.fixture(scope="session")
def lt_lib() -> Path:
    """The installed jars: the default cache's if installed (CI installs them), else a
    fresh install there (Maven, from Maven Central through ~/.m2)."""
    if JAVA is None or MVN is None:
        pytest.skip("LanguageTool tests need `java` and `mvn` on PATH")
    if grammar_server.installed_version(DEFAULT_LT_CACHE) is None:
        grammar_server.install(DEFAULT_LT_CACHE, quiet=True)
    return grammar_server.lib_dir(DEFAULT_LT_CACHE)


def home_with(lib: Path, home: Path) -> Path:
    """A private cache dir that uses the installed jars (no second copy, no download)."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "lib").symlink_to(lib, target_is_directory=True)
    return home


@pytest.fixture
def lt_home(lt_lib: Path, tmp_path: Path) -> Path:
    return home_with(lt_lib, tmp_path / "lt-home")


@pytest.fixture(scope="session")
def lt_session_home(lt_lib: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return home_with(lt_lib, tmp_path_factory.mktemp("lt-session"))


@pytest.fixture(scope="session")
def lt_server(lt_session_home: Path, started_pids: list[int]) -> Iterator[grammar.ServerInfo]:
    """The one server of the checking tests, started for the session and stopped after."""
    home = lt_session_home
    info = grammar.start(cache_dir=home)
    started_pids.append(info.pid)
    yield info
    grammar.stop(cache_dir=home)
    assert not grammar_server._pid_alive(info.pid)


@pytest.fixture(scope="session")
def lt_url(request: pytest.FixtureRequest) -> str:
    """URL of a warm LanguageTool server: CI's if it answers, else the session server."""
    if CI_LANGUAGETOOL_URL and grammar_server._healthcheck(
        grammar.normalize_url(CI_LANGUAGETOOL_URL), timeout=2.0
    ):
        return grammar.normalize_url(CI_LANGUAGETOOL_URL)
    info: grammar.ServerInfo = request.getfixturevalue("lt_server")
    return info.url
