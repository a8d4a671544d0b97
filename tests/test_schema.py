"""The JSON contract: the shipped JSON Schema validates the CLI's json/jsonl output and
Report.to_dict(), and rejects output that breaks the contract."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest

from tonecheck import SCHEMA_VERSION, Checker
from tonecheck.schema import load_schema, schema_text, validate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def test_schema_is_valid_draft_2020_12_and_versioned() -> None:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["x-schema-version"] == SCHEMA_VERSION
    pattern = schema["$defs"]["schema_version"]["pattern"]
    assert jsonschema.Draft202012Validator({"pattern": pattern}).is_valid(SCHEMA_VERSION)
    assert "never renamed" in schema["description"] or "renamed" in schema["description"]


def test_report_to_dict_validates(checker: Checker) -> None:
    texts = [
        "Send me the scorecards by Friday. I deserve an explanation. Your process is broken.",
        "Hi Ana,\n\nThank you for your time. Would you be open to sharing any feedback?\n",
        "",
    ]
    for report in checker.check_many(texts):
        data = json.loads(json.dumps(report.to_dict()))
        validate(data)  # the root accepts a report
        validate(data, "report")
        for f in data["findings"]:
            validate(f, "finding")
    assert data["schema_version"] == SCHEMA_VERSION


def test_contract_breaks_are_rejected(checker: Checker) -> None:
    data = checker.check("Send me the scorecards by Friday.").to_dict()
    validate(data, "report")
    broken = [
        {k: v for k, v in data.items() if k != "findings"},  # a removed field
        {**data, "tone_score": "high"},  # a changed type
        {**data, "findings": [{**data["findings"][0], "severity": "fatal"}]},
        {**data, "findings": [{**data["findings"][0], "start": -1}]},
        {**data, "schema_version": "2.0"},  # another major version
    ]
    for bad in broken:
        with pytest.raises(jsonschema.ValidationError):
            validate(bad, "report")
    # fields may be added freely
    validate({**data, "new_field": [1, 2]}, "report")
    validate({**data, "findings": [{**data["findings"][0], "confidence": 0.9}]}, "report")


@pytest.mark.slow
def test_cli_json_and_print_schema(tonecheck_exe: str) -> None:
    files = [str(EXAMPLES / "bad_request.txt"), str(EXAMPLES / "good_request.txt")]
    out = subprocess.run(
        [tonecheck_exe, "--format", "json", "--no-grammar", *files],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 1, out.stderr  # the bad example has findings
    doc = json.loads(out.stdout)
    validate(doc)
    validate(doc, "document")
    assert [r["path"] for r in doc["results"]] == files
    assert doc["results"][0]["findings"]
    with pytest.raises(jsonschema.ValidationError):
        validate({**doc, "results": [{"path": "x"}]}, "document")

    for args in (["schema"], ["--print-schema"]):
        printed = subprocess.run(
            [tonecheck_exe, *args], capture_output=True, text=True, timeout=120
        )
        assert printed.returncode == 0, printed.stderr
        assert printed.stdout == schema_text()
        assert json.loads(printed.stdout)["x-schema-version"] == SCHEMA_VERSION


@pytest.mark.slow
def test_cli_jsonl_with_records_and_rewrite(tonecheck_exe: str, tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text(
        '{"id": "a1", "text": "Send me the notes by Friday."}\n'
        '{"text": "Thanks so much for your time."}\n',
        encoding="utf-8",
    )
    out = subprocess.run(
        [tonecheck_exe, "--format", "jsonl", "--rewrite", "--no-grammar",
         "--jsonl-input", str(records), str(EXAMPLES / "good_request.txt")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode in (0, 1), out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 3
    for result in lines:
        validate(result)
        validate(result, "result")
        assert "rewrite" in result
    assert [r.get("id") for r in lines] == [None, "a1", 2]
    assert lines[1]["findings"] and lines[1]["rewrite"]["changed"]
