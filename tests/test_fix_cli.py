"""`tonecheck --diff / --rewrite / --fix / -o`: real files, atomic writes, failures."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tonecheck.cli import main

DRAFT = "Hi Ana,\n\nSend me the scorecards by Friday.\n\nThanks,\nTom\n"
FIXED = "Hi Ana,\n\nWould you be open to sending me the scorecards?\n\nThanks,\nTom\n"


def run(exe: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [exe, *args], input=stdin, capture_output=True, text=True, timeout=180, env=env
    )


@pytest.mark.slow
def test_fix_real_file_with_backup_crlf_and_bom(tonecheck_exe: str, tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    original = codecs.BOM_UTF8 + DRAFT.replace("\n", "\r\n").encode()
    path.write_bytes(original)
    proc = run(tonecheck_exe, str(path), "--fix")
    assert proc.returncode == 0, proc.stderr
    assert path.read_bytes() == codecs.BOM_UTF8 + FIXED.replace("\n", "\r\n").encode()
    assert (tmp_path / "draft.txt.bak").read_bytes() == original
    assert "backup" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.txt", "draft.txt.bak"]
    # a second --fix has nothing to do
    again = run(tonecheck_exe, str(path), "--fix")
    assert again.returncode == 0 and "unchanged" in again.stderr


@pytest.mark.slow
def test_diff_rewrite_and_stdin(tonecheck_exe: str, tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT)
    diff = run(tonecheck_exe, str(path), "--diff")
    assert diff.returncode == 1  # the draft has findings
    assert f"--- a/{path}" in diff.stdout
    assert "-Send me the scorecards by Friday." in diff.stdout
    assert "+Would you be open to sending me the scorecards?" in diff.stdout
    assert path.read_text() == DRAFT  # --diff never writes
    piped = run(tonecheck_exe, "-", "--fix", stdin=DRAFT)
    assert piped.stdout == FIXED


def test_rewrite_json_and_output_file(tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT)
    runner = CliRunner()
    res = runner.invoke(main, [str(path), "--rewrite", "--format", "json"])
    assert res.exit_code == 1, res.output
    result = json.loads(res.stdout)["results"][0]
    assert result["rewrite"]["text"] == FIXED
    assert result["rewrite"]["edits"][0]["original"] == "Send me the scorecards by Friday."
    assert all(f["suggestions"] for f in result["findings"])
    out = tmp_path / "clean.txt"
    res = runner.invoke(main, [str(path), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text() == FIXED and path.read_text() == DRAFT
    res = runner.invoke(main, [str(path), "--rewrite"])
    assert res.stdout == FIXED
    res = runner.invoke(main, [str(path), "--fix", "--no-backup"])
    assert res.exit_code == 0 and path.read_text() == FIXED
    assert not (tmp_path / "draft.txt.bak").exists()


def test_failure_mid_write_leaves_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    res = CliRunner().invoke(main, [str(path), "--fix", "--no-backup"])
    assert res.exit_code == 2
    assert "No space left on device" in res.stderr and "Traceback" not in res.output
    assert path.read_text() == DRAFT
    assert [p.name for p in tmp_path.iterdir()] == ["draft.txt"]  # no temp file left


def test_read_only_file_and_folder(tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT)
    path.chmod(0o444)
    runner = CliRunner()
    res = runner.invoke(main, [str(path), "--fix"])
    assert res.exit_code == 2
    errors = [ln for ln in res.stderr.splitlines() if "error" in ln]
    assert errors == [f"tonecheck: error: {path}: file is read-only; not changed"]
    assert path.read_text() == DRAFT and not (tmp_path / "draft.txt.bak").exists()
    path.chmod(0o644)
    tmp_path.chmod(0o555)
    try:
        res = runner.invoke(main, [str(path), "--fix"])
        assert res.exit_code == 2
        assert "read-only" in res.stderr
        assert path.read_text() == DRAFT
    finally:
        tmp_path.chmod(0o755)
