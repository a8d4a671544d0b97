"""Batch mode: folder discovery, JSON Lines input, streaming, per-file errors, --jobs."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tonecheck import Checker
from tonecheck.batch import Item, check_items, discover, load_item, read_jsonl
from tonecheck.cli import main
from tonecheck.config import ConfigFinder
from tonecheck.inputs import InputError

DEMAND = "Send me the notes by Friday.\n"
CLEAN = "Thank you for your time.\n"


def tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


# ---------------------------------------------------------------------- discovery


def test_discover_recursive_default_include_and_hidden(tmp_path: Path) -> None:
    tree(tmp_path, {
        "b.txt": "", "a.md": "", "c.markdown": "", "d.eml": "", "e.py": "", "f.TXT.bak": "",
        "sub/deep/g.txt": "", ".git/h.txt": "", "sub/.hidden/i.txt": "",
    })  # fmt: skip
    found = [Path(p).relative_to(tmp_path).as_posix() for p in discover([str(tmp_path)])]
    assert found == ["a.md", "b.txt", "c.markdown", "d.eml", "sub/deep/g.txt"]


def test_discover_include_exclude_and_explicit_files(tmp_path: Path) -> None:
    tree(tmp_path, {"keep/a.txt": "", "old/b.txt": "", "c.txt": "", "notes.log": "",
                    "keep/skip-me.txt": ""})  # fmt: skip
    rel = lambda ps: [Path(p).relative_to(tmp_path).as_posix() for p in ps]  # noqa: E731
    assert rel(discover([str(tmp_path)], exclude=["old", "skip-*"])) == ["c.txt", "keep/a.txt"]
    assert rel(discover([str(tmp_path)], include=["*.log"])) == ["notes.log"]
    assert rel(discover([str(tmp_path)], exclude=["keep/*"])) == ["c.txt", "old/b.txt"]
    # named files are always checked, once, in the order given
    explicit = [str(tmp_path / "notes.log"), str(tmp_path / "c.txt"), str(tmp_path / "c.txt")]
    assert rel(discover(explicit, exclude=["*.log"])) == ["notes.log", "c.txt"]
    assert discover(["-", "missing.txt"]) == ["-", "missing.txt"]


# ------------------------------------------------------------------- reading inputs


def test_read_jsonl_records_ids_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": "a", "text": "Hello."}\n\n{"text": "No id."}\nnot json\n{"id": 3}\n'
        '["text"]\n{"id": {"k": 1}, "text": "Odd id."}\n',
        encoding="utf-8",
    )
    out = list(read_jsonl(str(path)))
    items = [x for x in out if isinstance(x, Item)]
    errors = [str(x) for x in out if isinstance(x, InputError)]
    assert [(i.id, i.text) for i in items] == [("a", "Hello."), (3, "No id."),
                                               ({"k": 1}, "Odd id.")]  # fmt: skip
    assert items[0].name == f"{path}[a]" and items[0].jsonl == str(path)
    assert errors == [
        f"{path}:4: not valid JSON (Expecting value)",
        f"{path}:5: expected an object with a string 'text'",
        f"{path}:6: expected an object with a string 'text'",
    ]
    assert [str(x) for x in read_jsonl(str(tmp_path / "none.jsonl"))] == [
        f"{tmp_path / 'none.jsonl'}: no such file"
    ]


def test_load_item_formats(tmp_path: Path) -> None:
    tree(tmp_path, {
        "a.md": "> q\n", "b.txt": "x\n",
        "c.eml": b"Subject: Hi there\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBody.\r\n",
        "d.eml": b"Subject: x\r\n\r\n\x00\x01binary",
    })  # fmt: skip
    assert load_item(str(tmp_path / "a.md")).input_format == "markdown"
    assert load_item(str(tmp_path / "b.txt")).input_format == "plain"
    assert load_item(str(tmp_path / "b.txt"), "email").input_format == "email"
    eml = load_item(str(tmp_path / "c.eml"))
    assert (eml.input_format, eml.text) == ("email", "Subject: Hi there\n\nBody.\n")
    with pytest.raises(InputError, match="binary"):
        load_item(str(tmp_path / "d.eml"))


# ---------------------------------------------------------------------- streaming


def test_check_items_streams_lazily(checker: Checker, tmp_path: Path) -> None:
    pulled = 0

    def items() -> Iterator[Item]:
        nonlocal pulled
        for i in range(400):
            pulled += 1
            yield Item(f"t{i}", DEMAND if i % 2 else CLEAN)

    results = check_items(
        items(), ConfigFinder(), batch_size=8, make_checker=lambda *_a, **_k: checker
    )
    first = next(results)
    assert first[0].name == "t0" and not first[1].findings
    assert pulled <= 40, pulled  # far from all 400: the input is read as it is needed
    rest = list(results)
    assert len(rest) == 399 and pulled == 400
    assert [it.name for it, _, _ in rest[:3]] == ["t1", "t2", "t3"]
    assert all(bool(r.findings) == (it.text == DEMAND) for it, r, _ in rest)


def test_parsing_batches_are_bounded_by_characters() -> None:
    from tonecheck.checker import BATCH_CHARS, _pipe_bounded

    class FakeNlp:
        def __init__(self) -> None:
            self.calls: list[list[int]] = []

        def pipe(self, items: list[tuple[str, int]], **kwargs: object) -> Iterator[tuple[str, int]]:
            self.calls.append([len(t) for t, _ in items])
            return iter(items)

    nlp = FakeNlp()
    big = [("x" * 15_000, i) for i in range(7)]
    small = [("y" * 100, i) for i in range(100)]
    out = list(_pipe_bounded(nlp, iter(big + small), n_process=1, batch_size=64))  # type: ignore[arg-type]
    assert [c for _, c in out] == [*range(7), *range(100)]  # order kept
    assert all(sum(call) <= BATCH_CHARS or len(call) == 1 for call in nlp.calls)
    assert all(len(call) <= 64 for call in nlp.calls)
    assert sum(len(call) for call in nlp.calls) == 107
    assert max(len(call) for call in nlp.calls) == 64  # short texts still fill a batch


def test_multiprocess_batch_size_follows_text_length() -> None:
    from tonecheck.checker import _pipe_bounded

    class FakeNlp:
        def __init__(self) -> None:
            self.sizes: list[int] = []

        def pipe(self, items: Iterator[tuple[str, int]], **kwargs: int) -> Iterator[object]:
            assert kwargs["n_process"] == 2
            self.sizes.append(kwargs["batch_size"])
            return iter(list(items))

    nlp = FakeNlp()
    long_items = [("x" * 20_000, i) for i in range(10)]
    out = list(_pipe_bounded(nlp, iter(long_items), n_process=2, batch_size=64))  # type: ignore[arg-type]
    assert [c for _, c in out] == list(range(10))  # nothing lost by peeking
    short_items = [("y" * 500, i) for i in range(200)]
    assert len(list(_pipe_bounded(nlp, iter(short_items), n_process=2, batch_size=64))) == 200  # type: ignore[arg-type]
    assert nlp.sizes == [2, 64]  # long chunks: two per batch; short texts: the full batch


# ----------------------------------------------------------------------------- CLI


def test_cli_folder_jsonl_output_in_order(tmp_path: Path, runner: CliRunner) -> None:
    tree(tmp_path, {
        "drafts/a.txt": DEMAND, "drafts/b.md": f"> {DEMAND}\n{CLEAN}",
        "drafts/sub/c.txt": CLEAN, "drafts/ignored.py": DEMAND,
    })  # fmt: skip
    r = runner.invoke(main, ["--no-grammar", "--format", "jsonl", str(tmp_path / "drafts")])
    assert r.exit_code == 1, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [Path(row["path"]).name for row in rows] == ["a.txt", "b.md", "c.txt"]
    assert [bool(row["findings"]) for row in rows] == [True, False, False]  # b.md: quote


def test_cli_jsonl_input_and_bad_records(tmp_path: Path, runner: CliRunner) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "x1", "text": DEMAND})
        + "\n{broken\n"
        + json.dumps({"text": CLEAN})
        + "\n",
        encoding="utf-8",
    )
    r = runner.invoke(main, ["--no-grammar", "--format", "jsonl", "--jsonl-input", str(src)])
    assert r.exit_code == 2  # a bad record is an input error, reported after the rest
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(row["path"], row["id"]) for row in rows] == [(str(src), "x1"), (str(src), 3)]
    assert rows[0]["findings"] and not rows[1]["findings"]
    assert r.stderr.strip() == (
        f"tonecheck: error: {src}:2: not valid JSON "
        "(Expecting property name enclosed in double quotes)"
    )


def test_cli_unreadable_file_is_skipped_with_exit_2(tmp_path: Path, runner: CliRunner) -> None:
    tree(tmp_path, {"a.txt": DEMAND, "b.txt": b"\x00\x01\x02binary", "c.txt": CLEAN})
    r = runner.invoke(main, ["--no-grammar", str(tmp_path)])
    assert r.exit_code == 2
    assert "b.txt: looks like a binary file" in r.stderr
    assert re.search(r"a\.txt: \d+ findings? \(demanding", r.stdout)
    assert "c.txt: no findings" in r.stdout
    r = runner.invoke(main, ["--no-grammar", str(tmp_path / "missing.txt"), str(tmp_path)])
    assert r.exit_code == 2 and r.stdout == ""  # a mistyped path stops before any output
    assert "missing.txt: no such file" in r.stderr


def test_cli_json_output_streams_the_same_document(tmp_path: Path, runner: CliRunner) -> None:
    tree(tmp_path, {"a.txt": DEMAND, "b.txt": CLEAN})
    r = runner.invoke(main, ["--no-grammar", "--format", "json", str(tmp_path)])
    doc = json.loads(r.stdout)
    assert r.stdout == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    assert [Path(x["path"]).name for x in doc["results"]] == ["a.txt", "b.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    r = runner.invoke(main, ["--no-grammar", "--format", "json", str(empty)])
    assert r.exit_code == 0 and json.loads(r.stdout)["results"] == []


def test_cli_progress_and_folder_config(tmp_path: Path, runner: CliRunner) -> None:
    tree(tmp_path, {"d/a.txt": DEMAND, "d/old/b.txt": DEMAND,
                    "d/.tonecheck.toml": 'exclude = ["old"]\n'})  # fmt: skip
    r = runner.invoke(main, ["--no-grammar", "--progress", "--format", "jsonl",
                             str(tmp_path / "d")])  # fmt: skip
    assert "checking" in r.stderr  # the bar's label (the bar itself needs a TTY)
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [Path(row["path"]).name for row in rows] == ["a.txt"]  # old/ excluded by config


@pytest.mark.slow
def test_jobs_2_matches_jobs_1(tmp_path: Path, tonecheck_exe: str) -> None:
    texts = [DEMAND, CLEAN, "I deserve an explanation.\n", "Your process is broken.\n"] * 6
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1"}
    outs = []
    for jobs in ("1", "2"):
        p = subprocess.run(
            [tonecheck_exe, "--no-grammar", "--format", "jsonl", "--jobs", jobs,
             "--jsonl-input", str(src)],
            capture_output=True, text=True, timeout=300, env=env,
        )  # fmt: skip
        assert p.returncode == 1, p.stderr
        outs.append([json.loads(line) for line in p.stdout.splitlines()])
    assert len(outs[0]) == len(texts)
    strip = lambda rows: [(r["id"], r["findings"]) for r in rows]  # noqa: E731
    assert strip(outs[0]) == strip(outs[1])
