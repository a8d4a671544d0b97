"""The JSON contract: a JSON Schema (draft 2020-12) of tonecheck's JSON output.

``data/report.schema.json`` describes the ``--format json`` document, a ``--format jsonl``
line (a *result*: a report plus ``path``) and :meth:`Report.to_dict` (a *report*).
``tonecheck schema`` (or ``tonecheck --print-schema``) prints it.

Stability: fields are added freely; a field is never renamed, removed or given another
type without a major bump of :data:`~tonecheck.report.SCHEMA_VERSION`.

>>> load_schema()["x-schema-version"] == SCHEMA_VERSION
True
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from .report import SCHEMA_VERSION

SCHEMA_FILE = "data/report.schema.json"
#: Named parts of the schema that :func:`validate` can check against.
DEFINITIONS: tuple[str, ...] = ("document", "result", "report", "finding")

__all__ = ["DEFINITIONS", "SCHEMA_VERSION", "load_schema", "schema_text", "validate"]


def schema_text() -> str:
    """The schema file's text, exactly as shipped."""
    return resources.files("tonecheck").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(schema_text())
    return data


def load_schema() -> dict[str, Any]:
    """The schema as a dict (a fresh copy)."""
    return json.loads(json.dumps(_schema()))


def validate(data: Any, definition: str | None = None) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``data`` fits the schema.

    Without ``definition`` a document or a report is accepted; with one of
    :data:`DEFINITIONS` only that part. Needs the ``jsonschema`` package.
    """
    import jsonschema

    schema = _schema()
    if definition is not None:
        if definition not in DEFINITIONS:
            raise ValueError(f"definition must be one of {', '.join(DEFINITIONS)}")
        schema = {
            "$schema": schema["$schema"],
            "$defs": schema["$defs"],
            "$ref": f"#/$defs/{definition}",
        }
    jsonschema.Draft202012Validator(schema).validate(data)
