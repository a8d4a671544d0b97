"""Rebuild the package's parsed-ahead YAML (``python -m tonecheck.rules``) after editing a
rule file, ``signals.yml`` or ``lexicon.yml``; a test fails while it is out of date."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from . import YAML_CACHE, parse_ahead


def main() -> None:
    path = Path(str(resources.files("tonecheck").joinpath("data", YAML_CACHE)))
    ahead = parse_ahead()
    text = json.dumps(ahead, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)  # never a half-written cache
    print(f"wrote {path}: {len(ahead)} files")


if __name__ == "__main__":
    main()
