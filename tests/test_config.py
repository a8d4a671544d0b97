"""Configuration files, rule selection, accepted phrases, fail-on, and the rules commands."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from tonecheck import Checker
from tonecheck.cli import main
from tonecheck.config import (
    Config,
    ConfigError,
    ConfigFinder,
    checker_options,
    fails,
    find_config_file,
    load_config,
)

DRAFT = "Send me the notes by Friday. I deserve an explanation. I will circle back.\n"

HOUSE_RULES = """\
category: jargon
rules:
  - id: circle-back
    severity: info
    message: Office jargon reads as impersonal.
    patterns:
      - [{LOWER: circle}, {LOWER: back}]
    suggestions: ["get back to you"]
    examples:
      flag: ["I will circle back next week."]
      pass: ["I will get back to you."]
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


# ---------------------------------------------------------------- files and search


def test_pyproject_table_and_relative_rule_files(tmp_path: Path) -> None:
    write(tmp_path / "tone" / "house.yml", HOUSE_RULES)
    cfg = load_config(
        write(
            tmp_path / "pyproject.toml",
            """
            [project]
            name = "demo"

            [tool.tonecheck]
            disable = ["deadline"]
            fail-on = "warning"
            rule-files = ["tone/house.yml"]
            accept = ["I deserve an explanation"]
            exclude = ["old/*"]

            [tool.tonecheck.severity]
            "demanding.bare-imperative" = "error"
            """,
        )
    )
    assert cfg.disable == ("deadline",) and cfg.fail_on == "warning"
    assert cfg.rule_files == ((tmp_path / "tone" / "house.yml").resolve(),)
    assert cfg.severity == (("demanding.bare-imperative", "error"),)
    assert cfg.accept == ("I deserve an explanation",) and cfg.exclude == ("old/*",)


def test_search_reads_each_pyproject_once_until_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the language server looks for configuration on every check
    import tonecheck.config as config_module

    reads: list[Path] = []
    real = config_module._read_toml

    def counting(path: Path) -> dict:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(config_module, "_read_toml", counting)
    project = tmp_path / "proj"
    project.mkdir()
    py = project / "pyproject.toml"
    write(py, '[project]\nname = "x"\n[tool.ruff]\n# not tool.tonecheck\n')
    for _ in range(3):
        found = find_config_file(project)
        assert found is None or project.resolve() not in found.parents
    assert reads.count(py.resolve()) == 1  # parsed once, not on every lookup
    write(py, '[project]\nname = "x"\n\n[tool.tonecheck]\nfail-on = "error"\n')
    assert find_config_file(project) == py.resolve()  # the edit is noticed


def test_search_walks_up_and_prefers_dot_file(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    before = find_config_file(deep)  # nothing inside tmp_path yet
    assert before is None or tmp_path.resolve() not in before.parents
    write(tmp_path / "pyproject.toml", '[tool.tonecheck]\nfail-on = "error"\n')
    write(tmp_path / "a" / "pyproject.toml", '[project]\nname = "no table here"\n')
    assert find_config_file(deep) == (tmp_path / "pyproject.toml").resolve()
    write(tmp_path / "a" / "b" / ".tonecheck.toml", 'fail-on = "never"\n')
    assert find_config_file(deep) == (tmp_path / "a" / "b" / ".tonecheck.toml").resolve()
    finder = ConfigFinder()
    assert finder.for_path(deep / "draft.txt").fail_on == "never"
    assert finder.for_path(tmp_path / "a" / "draft.txt").fail_on == "error"
    # --config overrides the search for every file
    override = ConfigFinder(tmp_path / "pyproject.toml")
    assert override.for_path(deep / "draft.txt").fail_on == "error"


@pytest.mark.parametrize(
    ("content", "pattern"),
    [
        ('[tool.tonecheck]\ndisabel = ["x"]\n',
         r"pyproject\.toml: tool\.tonecheck\.disabel: unknown key"),
        ('[tool.tonecheck]\nfail-on = "sometimes"\n', r"tool\.tonecheck\.fail-on: 'sometimes'"),
        ('[tool.tonecheck]\ndisable = "deadline"\nenable = [1]\n',
         r"tool\.tonecheck\.enable: expected a list"),
        ('[tool.tonecheck.severity]\ndeadline = "fatal"\n',
         r"tool\.tonecheck\.severity\.deadline: 'fatal'"),
        ('[tool.tonecheck]\nrule-files = ["nope.yml"]\n',
         r"tool\.tonecheck\.rule-files: nope\.yml: no such file"),
        ("[tool.tonecheck\n", r"pyproject\.toml: not valid TOML"),
        ("[tool]\ntonecheck = 3\n", r"tool\.tonecheck: expected a table"),
        ('[tool.tonecheck]\nhints = "yes"\n', r"tool\.tonecheck\.hints: expected true or false"),
    ],
)  # fmt: skip
def test_bad_config_names_file_and_key(tmp_path: Path, content: str, pattern: str) -> None:
    path = write(tmp_path / "pyproject.toml", content)
    with pytest.raises(ConfigError, match=pattern) as info:
        load_config(path)
    assert "\n" not in str(info.value)


def test_broken_rule_file_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path / "bad.yml", "category: x\nrules:\n  - id: r1\n    message: m\n")
    path = write(tmp_path / ".tonecheck.toml", 'rule-files = ["bad.yml"]\n')
    with pytest.raises(ConfigError, match=r"\.tonecheck\.toml: rule-files: .*bad\.yml: rule 'r1'"):
        load_config(path)


def test_unknown_rule_names_are_errors(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path / ".tonecheck.toml", 'disable = ["demanding.dedline"]\n'))
    with pytest.raises(ConfigError, match=r"\.tonecheck\.toml: disable: unknown rule or category"):
        checker_options(cfg)


# ------------------------------------------------------------------ rule selection


def test_checker_options_select_and_rank_severities() -> None:
    cfg = Config(
        enable=("demanding", "entitled.deserve"),
        disable=("deadline",),
        severity=(("demanding", "info"), ("bare-imperative", "warning"),
                  ("demanding.bare-imperative", "error")),
    )  # fmt: skip
    opts = checker_options(cfg)
    assert "demanding.deadline" in opts.disabled_rules
    assert "entitled.deserve" not in opts.disabled_rules
    assert all(not r.startswith("defensive.") or r in opts.disabled_rules
               for r in opts.disabled_rules)  # fmt: skip
    assert any(r.startswith("defensive.") for r in opts.disabled_rules)
    sev = dict(opts.severities)
    assert sev["demanding.bare-imperative"] == "error"  # the full id wins
    assert all(v == "info" for k, v in sev.items()
               if k.startswith("demanding.") and k != "demanding.bare-imperative")  # fmt: skip
    # --category narrows further
    only = checker_options(Config(disable=("deadline",)), ["entitled"])
    assert any(r.startswith("demanding.") for r in only.disabled_rules)


def test_config_applied_by_checker(tmp_path: Path) -> None:
    write(tmp_path / "house.yml", HOUSE_RULES)
    cfg = load_config(
        write(
            tmp_path / ".tonecheck.toml",
            """
            disable = ["deadline"]
            rule-files = ["house.yml"]
            accept = ["i DESERVE   an explanation"]
            [severity]
            bare-imperative = "error"
            """,
        )
    )
    checker = Checker(grammar="off", **checker_options(cfg).kwargs())
    report = checker.check(DRAFT)
    found = {f.rule: f for f in report.findings}
    assert "demanding.deadline" not in found
    assert "entitled.deserve" not in found  # accepted, case and spacing ignored
    assert found["demanding.bare-imperative"].severity == "error"
    assert found["jargon.circle-back"].text == "circle back"
    for f in report.findings:
        assert DRAFT[f.start : f.end] == f.text


def test_fails_threshold() -> None:
    assert fails(["info"], "info") and not fails(["info"], "warning")
    assert fails(["info", "error"], "error") and not fails(["warning"], "error")
    assert not fails(["error"], "never") and not fails([], "info")
    assert fails(["custom"], "error")  # unknown severities always count


# ----------------------------------------------------------------------- CLI


def test_cli_config_fail_on_and_errors(tmp_path: Path, runner: CliRunner) -> None:
    draft = write(tmp_path / "drafts" / "d.txt", "I will circle back.\n")
    write(tmp_path / "house.yml", HOUSE_RULES)
    write(tmp_path / "pyproject.toml", '[tool.tonecheck]\nrule-files = ["house.yml"]\n')
    r = runner.invoke(main, ["--no-grammar", "--format", "jsonl", str(draft)])
    assert r.exit_code == 1, r.output
    assert json.loads(r.stdout)["findings"][0]["rule"] == "jargon.circle-back"
    r = runner.invoke(main, ["--no-grammar", "--fail-on", "warning", str(draft)])
    assert r.exit_code == 0, r.output  # an info finding is below the threshold
    assert "jargon.circle-back" in r.stdout
    other = write(tmp_path / "other.toml", 'fail-on = "info"\n')
    r = runner.invoke(main, ["--no-grammar", "--config", str(other), str(draft)])
    assert r.exit_code == 0 and "no findings" in r.stdout  # no house rules with that config
    write(tmp_path / "drafts" / ".tonecheck.toml", "colour = 1\n")
    r = runner.invoke(main, ["--no-grammar", str(draft)])
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines() == [
        f"tonecheck: error: {(tmp_path / 'drafts' / '.tonecheck.toml').resolve()}: colour: "
        "unknown key (known: enable, disable, severity, fail-on, rule-files, accept, include, "
        "exclude, hints)"
    ]
    assert "Traceback" not in r.output


def test_rules_test_command(tmp_path: Path, runner: CliRunner) -> None:
    good = write(tmp_path / "good.yml", HOUSE_RULES)
    r = runner.invoke(main, ["rules", "test", str(good)])
    assert r.exit_code == 0, r.output
    assert "1 rules, 2 examples, 0 failed" in r.stdout
    bad = write(
        tmp_path / "bad.yml",
        HOUSE_RULES.replace('pass: ["I will get back to you."]',
                            'pass: ["We went in a circle back then."]'),
    )  # fmt: skip
    r = runner.invoke(main, ["rules", "test", str(bad)])
    assert r.exit_code == 1
    assert "rule 'circle-back': should pass, flagged \u201ccircle back\u201d" in r.stdout
    assert "1 failed" in r.stdout
    broken = write(tmp_path / "broken.yml", "category: x\nrules: [{id: r}]\n")
    r = runner.invoke(main, ["rules", "test", str(broken)])
    assert r.exit_code == 2 and "broken.yml: rule 'r'.message: missing" in r.stderr


def test_rules_list_json_with_config(tmp_path: Path, runner: CliRunner) -> None:
    write(tmp_path / "house.yml", HOUSE_RULES)
    cfg = write(
        tmp_path / "cfg.toml",
        'rule-files = ["house.yml"]\ndisable = ["deadline"]\n[severity]\ndeserve = "info"\n',
    )
    r = runner.invoke(main, ["rules", "list", "--format", "json", "--config", str(cfg)])
    assert r.exit_code == 0, r.output
    rows = {row["id"]: row for row in json.loads(r.stdout)}
    assert rows["jargon.circle-back"]["category"] == "jargon"
    assert rows["demanding.deadline"]["enabled"] is False
    assert rows["entitled.deserve"]["severity"] == "info"
    assert all(row["example"] and row["severity"] for row in rows.values())
    r = runner.invoke(main, ["rules", "list", "--config", str(cfg)])
    line = next(ln for ln in r.stdout.splitlines() if ln.startswith("demanding.deadline "))
    assert line.split()[1] == "off"
