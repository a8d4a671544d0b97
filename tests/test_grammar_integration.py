"""Grammar findings in tonecheck's reports and CLI, against a real LanguageTool server.

The server is the shared one of ``conftest.py`` (``lt_url``: the one ``.ci/run`` started,
else a session server from the installed jars). Tests that need none run everywhere.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tonecheck import Checker, grammar, grammar_server
from tonecheck.checker import CHUNK_CHARS
from tonecheck.cli import main
from tonecheck.report import Report

needs_lt = pytest.mark.skipif(
    shutil.which("java") is None or shutil.which("mvn") is None,
    reason="LanguageTool tests need `java` (17+) and `mvn` on PATH",
)

TEXT = (
    "Hi Siobhan,\n\nSend me the scorecards by Friday. He go to work every day and I ate a apple.\n"
)


@pytest.fixture(autouse=True)
def _no_ltp_download(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "no-ltp-download"))


def _with(checker: Checker, **kw: object) -> Checker:
    """A checker that shares the session's loaded pipeline."""
    return Checker(nlp=checker.nlp, **kw)  # type: ignore[arg-type]


def _grammar(report: Report) -> list[tuple[str, int, int, str]]:
    return [(f.rule, f.start, f.end, f.text) for f in report.findings if f.source == "languagetool"]


def _assert_exact(report: Report) -> None:
    assert [f.start for f in report.findings] == sorted(f.start for f in report.findings)
    for f in report.findings:
        assert report.text[f.start : f.end] == f.text, f
        sent = report.sentences[f.sentence]
        assert sent.start <= f.start < max(sent.end, sent.start + 1), (f, sent)


# --------------------------------------------------------------------------- with a server


@needs_lt
@pytest.mark.grammar
class TestReport:
    def test_grammar_beside_tone_findings(self, checker: Checker, lt_url: str) -> None:
        r = _with(checker, grammar="on", languagetool_url=lt_url).check(TEXT)
        go, a = TEXT.index(" go ") + 1, TEXT.index(" a apple") + 1
        assert ("LT:HE_VERB_AGR", go, go + 2, "go") in _grammar(r)
        assert ("LT:EN_A_VS_AN", a, a + 1, "a") in _grammar(r)
        assert {f.category for f in r.tone_findings} == {"demanding"}
        assert r.counts()["grammar"] >= 2 and not r.warnings
        _assert_exact(r)
        he_go = next(f for f in r.findings if f.rule == "LT:HE_VERB_AGR")
        assert "goes" in [s.text for s in he_go.suggestions]
        # grammar does not change the tone score
        off = _with(checker, grammar="off").check(TEXT)
        assert r.tone_score == off.tone_score
        assert r.tone_findings == off.tone_findings

    def test_offsets_in_later_chunks(self, checker: Checker, lt_url: str) -> None:
        para = "Thank you for your time and for the interviews last week.\n\n"
        text = para * (CHUNK_CHARS // len(para) + 5) + "I ate a apple yesterday.\n"
        assert len(text) > CHUNK_CHARS
        r = _with(checker, grammar="on", languagetool_url=lt_url).check(text)
        a = text.rindex(" a apple") + 1
        assert ("LT:EN_A_VS_AN", a, a + 1, "a") in _grammar(r)
        _assert_exact(r)
        f = next(f for f in r.findings if f.rule == "LT:EN_A_VS_AN")
        assert f.sentence == len(r.sentences) - 1

    def test_names_are_not_typos(self, checker: Checker, lt_url: str) -> None:
        text = (
            "Dear Ms Oyelaran-Whitcombe,\n\nThank you for the interview at Zylotech. "
            "Meeting Siobhan and Aoife was a pleasure. I recieved your email today.\n"
        )
        r = _with(checker, grammar="on", languagetool_url=lt_url).check(text)
        typos = [t for rule, _, _, t in _grammar(r) if "MORFOLOGIK" in rule]
        assert typos == ["recieved"]

    def test_auto_uses_the_url_from_the_environment(
        self, checker: Checker, lt_url: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(grammar.URL_ENV, lt_url)
        assert _grammar(_with(checker).check(TEXT))
        assert not _grammar(_with(checker, grammar="off").check(TEXT))

    def test_adds_errors(self, lt_url: str) -> None:
        gc = grammar.GrammarChecker(lt_url)
        assert grammar.adds_errors(gc, "He goes to work.", "He go to work.")
        assert not grammar.adds_errors(gc, "He go to work.", "He goes to work.")
        assert not grammar.adds_errors(gc, "He go home. Bye.", "He go home. Thanks.")
        assert grammar.adds_errors(gc, "He go home.", "He go home and she go out.")
        gate = grammar.RewriteGate(gc)
        gate.prefetch(["He goes to work.", "He go to work.", "I ate an apple."])
        assert gate.adds_errors("He goes to work.", "He go to work.")
        assert not gate.adds_errors("He go to work.", "I ate an apple.")

    def test_suggestions_add_no_grammar_error(self, checker: Checker, lt_url: str) -> None:
        text = (Path(__file__).parents[1] / "examples" / "bad_request.txt").read_text("utf-8")
        r = _with(checker, grammar="on", languagetool_url=lt_url).check(text)
        gc = grammar.GrammarChecker(lt_url)
        for f in r.tone_findings:
            for s in f.suggestions:
                a = r.text.rfind("\n", 0, s.start) + 1
                b = r.text.find("\n", s.end)
                b = len(r.text) if b == -1 else b
                after = r.text[a : s.start] + s.text + r.text[s.end : b]
                assert not grammar.adds_errors(gc, r.text[a:b], after), (f.rule, s.text)

    def test_server_killed_mid_run(
        self, checker: Checker, lt_home: Path, started_pids: list[int]
    ) -> None:
        info = grammar.start(cache_dir=lt_home, warm=False)
        started_pids.append(info.pid)
        c = _with(checker, grammar="on", languagetool_url=info.url)
        assert c.grammar is not None and c.grammar.connect() is not None  # connected
        os.kill(info.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while grammar_server._pid_alive(info.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        first, second = list(c.check_many([TEXT, TEXT]))
        off = _with(checker, grammar="off").check(TEXT)
        for r in (first, second):
            assert r.findings == off.findings  # tone-only, nothing lost
            assert len(r.warnings) == 1 and "grammar checks skipped" in r.warnings[0]
        assert info.url in first.warnings[0]
        grammar.stop(cache_dir=lt_home)

    def test_cli_grammar_findings(self, lt_url: str, tmp_path: Path) -> None:
        draft = tmp_path / "draft.txt"
        draft.write_text(TEXT, encoding="utf-8")
        r = CliRunner().invoke(
            main, ["check", str(draft), "--format", "json", "--languagetool-url", lt_url]
        )
        assert r.exit_code == 1, r.output
        res = json.loads(r.stdout)["results"][0]
        rules = [f["rule"] for f in res["findings"]]
        assert "LT:HE_VERB_AGR" in rules and "demanding.deadline" in rules
        assert r.stderr == ""
        r = CliRunner().invoke(main, ["check", str(draft), "--no-color", "--grammar"],
                               env={grammar.URL_ENV: lt_url})  # fmt: skip
        assert r.exit_code == 1
        assert "grammar [LT:HE_VERB_AGR] \u201cgo\u201d" in r.stdout
        r = CliRunner().invoke(main, ["check", str(draft), "--format", "json", "--no-grammar"],
                               env={grammar.URL_ENV: lt_url})  # fmt: skip
        res = json.loads(r.stdout)["results"][0]
        assert [f for f in res["findings"] if f["source"] == "languagetool"] == []
        assert r.stderr == ""


# --------------------------------------------------------------------------- no server


def _draft(tmp_path: Path) -> Path:
    draft = tmp_path / "draft.txt"
    draft.write_text(TEXT, encoding="utf-8")
    return draft


def test_required_without_a_server_is_a_one_line_error(tmp_path: Path) -> None:
    draft = _draft(tmp_path)
    empty = tmp_path / "empty-cache"
    r = CliRunner().invoke(main, ["check", str(draft), "--grammar"],
                           env={grammar_server.HOME_ENV: str(empty)})  # fmt: skip
    assert r.exit_code == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tonecheck: error: ")
    assert "tonecheck grammar install" in lines[0]
    assert not empty.exists()


def test_required_with_a_bogus_url_is_a_one_line_error(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{grammar_server._free_port()}"
    r = CliRunner().invoke(main, ["check", str(_draft(tmp_path)), "--grammar",
                                  "--languagetool-url", url])  # fmt: skip
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and f"LanguageTool at {url} is not reachable" in lines[0]


def test_auto_without_a_server_says_so_once_and_checks_tone(tmp_path: Path) -> None:
    draft = _draft(tmp_path)
    t0 = time.monotonic()
    r = CliRunner().invoke(main, ["check", str(draft), str(draft), "--format", "jsonl"])
    assert time.monotonic() - t0 < 60
    assert r.exit_code == 1
    notes = r.stderr.strip().splitlines()
    assert len(notes) == 1 and "grammar checks skipped" in notes[0]
    assert "tonecheck grammar install && tonecheck grammar start" in notes[0]
    assert "--languagetool-url" in notes[0]
    for line in r.stdout.splitlines():
        res = json.loads(line)
        assert res["findings"] and all(f["source"] == "tonecheck" for f in res["findings"])
        assert res["warnings"] == []
    # --no-grammar: not even the notice
    r = CliRunner().invoke(main, ["check", str(draft), "--no-grammar"])
    assert r.exit_code == 1 and r.stderr == ""


def test_required_in_the_api_raises(checker: Checker, tmp_path: Path) -> None:
    c = _with(checker, grammar="on")
    with pytest.raises(grammar.GrammarError, match="tonecheck grammar install"):
        c.check(TEXT)
    with pytest.raises(ValueError, match="grammar must be one of"):
        _with(checker, grammar="sometimes")


def test_grammar_and_eval_groups_are_registered() -> None:
    # listed (and so in --help) although imported only when run
    import click

    assert {"grammar", "eval"} <= set(main.list_commands(click.Context(main)))
    r = CliRunner().invoke(main, ["grammar", "status", "--json"])
    assert r.exit_code == 1 and json.loads(r.stdout)["running"] is False
