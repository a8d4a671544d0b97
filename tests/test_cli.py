"""The ``tonecheck`` command: output, exit codes and every bad-input case.

Each case runs through click's runner (fast, in-process) and the installed console
script as a real subprocess (what users run).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tonecheck import MAX_TEXT_CHARS, __version__
from tonecheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "examples" / "bad_request.txt"
GOOD = ROOT / "examples" / "good_request.txt"
ENV = {**os.environ, "TONECHECK_LANGUAGETOOL_URL": ""}


def run(args: list[str], input: bytes | None = None) -> tuple[int, str, str]:
    """Invoke the check in-process, without grammar (no LanguageTool in these tests)."""
    if args[:1] != ["rules"]:
        args = ["--no-grammar", *args]
    result = CliRunner().invoke(main, args, input=input)
    return result.exit_code, result.stdout, result.stderr


def sub(exe: str, args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [exe, *args],
        input=stdin.decode("utf-8", "replace"),
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )


def test_bad_example_exits_1_with_all_three_categories(tonecheck_exe: str) -> None:
    proc = sub(tonecheck_exe, ["--no-grammar", "--format", "json", str(BAD)])
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    result = data["results"][0]
    assert {f["category"] for f in result["findings"]} >= {"demanding", "entitled", "defensive"}
    text = BAD.read_text(encoding="utf-8")
    for f in result["findings"]:
        assert text[f["start"] : f["end"]] == f["text"]
        assert f["suggestions"], f


def test_good_example_exits_0(tonecheck_exe: str) -> None:
    proc = sub(tonecheck_exe, ["--no-grammar", str(GOOD)])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no findings" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_text_report_shows_location_phrase_message_and_suggestion() -> None:
    code, out, _ = run(["--no-color", str(BAD)])
    assert code == 1
    assert "examples/bad_request.txt:9:1: demanding [demanding.bare-imperative]" in out.replace(
        str(ROOT) + "/", ""
    )
    assert "why: " in out and "try: " in out
    assert "tone score" in out and "missing:" in out
    assert "\x1b[" not in out  # no color when not a TTY / --no-color


def test_color_forced_on() -> None:
    code, out, _ = run(["--color", str(BAD)])
    assert code == 1 and "\x1b[" in out


def test_stdin_and_several_files(tonecheck_exe: str) -> None:
    proc = sub(tonecheck_exe, ["--no-grammar", "-"], b"Forward me the scorecards.")
    assert proc.returncode == 1 and "<stdin>:1:1" in proc.stdout
    code, out, _ = run(["--format", "jsonl", str(GOOD), str(BAD)])
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 1 and [bool(x["findings"]) for x in lines] == [False, True]


def test_version_and_help(tonecheck_exe: str) -> None:
    assert sub(tonecheck_exe, ["--version"]).stdout.strip().endswith(__version__)
    help_text = sub(tonecheck_exe, ["--help"]).stdout
    assert "Exit codes" in help_text and "tonecheck draft.txt" in help_text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 50, "binary"),
        ("latin1.txt", "Caf\u00e9 r\u00e9sum\u00e9".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    tmp_path: Path, tonecheck_exe: str, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    in_process = run([str(path)])
    proc = sub(tonecheck_exe, ["--no-grammar", str(path)])
    for code, err in ((in_process[0], in_process[2]), (proc.returncode, proc.stderr)):
        assert code == 2
        lines = [x for x in err.splitlines() if x.strip() and "grammar" not in x]
        assert len(lines) == 1 and message in lines[0] and name in lines[0], err
        assert "Traceback" not in err


def test_directory_without_text_files_warns(tmp_path: Path) -> None:
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    code, _, err = run([str(tmp_path)])
    assert code == 0 and "no files to check" in err and "Traceback" not in err


def test_empty_file_is_a_clean_report(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    code, out, _ = run([str(path)])
    assert code == 0 and "no findings" in out


def test_bom_utf16_and_control_characters(tmp_path: Path) -> None:
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbfForward me the scorecards.")
    code, out, _ = run(["--format", "json", str(bom)])
    f = json.loads(out)["results"][0]["findings"][0]
    assert code == 1 and f["start"] == 0 and f["text"].startswith("Forward")
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes("I deserve an explanation.".encode("utf-16"))
    assert run([str(utf16)])[0] == 1
    ctrl = tmp_path / "ctrl.txt"
    ctrl.write_text("Hello\x07 there\x1b[31m.\x0bSend me the notes by Friday.\x00", "utf-8")
    code, out, err = run(["--format", "json", str(ctrl)])
    assert code in (0, 1, 2) and "Traceback" not in err


def test_text_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("a" * (MAX_TEXT_CHARS + 1), encoding="utf-8")
    code, _, err = run([str(path)])
    assert code == 2 and "limit" in err and "Traceback" not in err


def test_unknown_option_is_usage_error() -> None:
    code, _, err = run(["--frobnicate", str(GOOD)])
    assert code == 2 and "No such option" in err


def test_missing_model_is_a_clear_error(tonecheck_exe: str) -> None:
    proc = sub(tonecheck_exe, ["--no-grammar", "--model", "xx_no_such_model", str(GOOD)])
    assert proc.returncode == 2
    assert "pip install" in proc.stderr and "Traceback" not in proc.stderr


def test_rules_list() -> None:
    code, out, _ = run(["rules", "list"])
    assert code == 0
    assert "demanding.bare-imperative" in out and "entitled.deserve" in out
