"""Project configuration: ``[tool.tonecheck]`` in ``pyproject.toml`` or ``.tonecheck.toml``.

The nearest configuration file is found by walking up from the checked file's folder
(``.tonecheck.toml`` first, then a ``pyproject.toml`` that has a ``[tool.tonecheck]``
table); ``--config FILE`` overrides the search. In ``.tonecheck.toml`` the keys sit at the
top level (a ``[tool.tonecheck]`` table works too)::

    [tool.tonecheck]
    disable = ["defensive.unclear-brief"]       # rules, bare rule ids or categories
    enable = ["demanding", "entitled"]          # only these (default: everything)
    fail-on = "warning"                         # info | warning | error | never
    rule-files = ["tone/house-rules.yml"]       # relative to this file
    accept = ["by Friday"]                      # findings with exactly this text are dropped
    exclude = ["drafts/old/*"]                  # for folder checks (globs)

    [tool.tonecheck.severity]
    "demanding.deadline" = "info"

Every problem is a :class:`ConfigError` whose message is one line naming the file and key.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .markup import rule_aliases
from .report import SEVERITIES, TONE_CATEGORIES, hint_rule

CONFIG_NAMES: tuple[str, ...] = (".tonecheck.toml", "pyproject.toml")
FAIL_ON: tuple[str, ...] = (*SEVERITIES, "never")
KEYS: tuple[str, ...] = (
    "enable", "disable", "severity", "fail-on", "rule-files", "accept", "include", "exclude",
    "hints",
)  # fmt: skip


class ConfigError(ValueError):
    """A bad configuration file; ``str(err)`` is one line naming the file and key."""


@dataclass(frozen=True)
class Config:
    """The settings of one configuration file (all empty: the defaults)."""

    path: Path | None = None
    table: str = ""  # "tool.tonecheck." in pyproject.toml, "" in .tonecheck.toml
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    fail_on: str = "info"
    rule_files: tuple[Path, ...] = ()
    accept: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    hints: bool = False
    _rules_cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def where(self, key: str) -> str:
        return f"{self.path or '<config>'}: {self.table}{key}"

    @property
    def pipeline_key(self) -> tuple[Any, ...]:
        """What decides the pipeline: configs with equal keys can share a checker."""
        return (self.enable, self.disable, self.severity, self.rule_files, self.accept, self.hints)


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return tuple(v.strip() for v in value)


def parse_config(data: dict[str, Any], path: Path, table: str = "") -> Config:
    """Validate a parsed ``[tool.tonecheck]`` table (or a whole ``.tonecheck.toml``)."""
    where = Config(path=path, table=table).where
    for key in data:
        if key.replace("_", "-") not in KEYS:
            raise ConfigError(f"{where(key)}: unknown key (known: {', '.join(KEYS)})")
    values = {key.replace("_", "-"): value for key, value in data.items()}
    severity: list[tuple[str, str]] = []
    raw_sev = values.get("severity", {})
    if not isinstance(raw_sev, dict):
        raise ConfigError(f"{where('severity')}: expected a table of rule = severity")
    for name, sev in raw_sev.items():
        if sev not in SEVERITIES:
            raise ConfigError(
                f"{where('severity')}.{name}: {sev!r} is not one of {', '.join(SEVERITIES)}"
            )
        severity.append((str(name), str(sev)))
    fail_on = values.get("fail-on", "info")
    if fail_on not in FAIL_ON:
        raise ConfigError(f"{where('fail-on')}: {fail_on!r} is not one of {', '.join(FAIL_ON)}")
    hints = values.get("hints", False)
    if not isinstance(hints, bool):
        raise ConfigError(f"{where('hints')}: expected true or false")
    base = path.parent
    rule_files = []
    for f in _str_list(values.get("rule-files", []), where("rule-files")):
        p = (base / f).resolve()
        if not p.is_file():
            raise ConfigError(f"{where('rule-files')}: {f}: no such file")
        _check_rule_file(p, where("rule-files"))
        rule_files.append(p)
    return Config(
        path=path,
        table=table,
        enable=_str_list(values.get("enable", []), where("enable")),
        disable=_str_list(values.get("disable", []), where("disable")),
        severity=tuple(severity),
        fail_on=str(fail_on),
        rule_files=tuple(rule_files),
        accept=_str_list(values.get("accept", []), where("accept")),
        include=_str_list(values.get("include", []), where("include")),
        exclude=_str_list(values.get("exclude", []), where("exclude")),
        hints=hints,
    )


def _check_rule_file(path: Path, where: str) -> None:
    from .context import CONDITIONS
    from .rules import RuleError, load_rule_file

    try:
        load_rule_file(path, CONDITIONS)
    except RuleError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None


def load_config(path: str | Path) -> Config:
    """Read one configuration file (``pyproject.toml`` or any other TOML file)."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"{p}: no such file")
    data = _read_toml(p)
    tool = data.get("tool")
    if isinstance(tool, dict) and "tonecheck" in tool:
        table = tool["tonecheck"]
        if not isinstance(table, dict):
            raise ConfigError(f"{p}: tool.tonecheck: expected a table")
        return parse_config(table, p, "tool.tonecheck.")
    if p.name == "pyproject.toml":
        return Config(path=p, table="tool.tonecheck.")
    data = {k: v for k, v in data.items() if k != "tool"}
    return parse_config(data, p)


def _has_table(pyproject: Path) -> bool:
    """Whether a ``pyproject.toml`` has a ``[tool.tonecheck]`` table. Cached on the file's
    modification time and size: the language server asks on every check, and a project's
    own ``pyproject.toml`` without the table would otherwise be read and parsed each time."""
    try:
        st = pyproject.stat()
    except OSError:
        return False
    return _has_table_at(pyproject, st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=256)
def _has_table_at(pyproject: Path, mtime_ns: int, size: int) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "tool.tonecheck" in text and isinstance(
        _read_toml(pyproject).get("tool", {}).get("tonecheck"), dict
    )


def find_config_file(start: str | Path) -> Path | None:
    """The nearest ``.tonecheck.toml`` or ``pyproject.toml`` with ``[tool.tonecheck]``."""
    folder = Path(start).resolve()
    if not folder.is_dir():
        folder = folder.parent
    for d in (folder, *folder.parents):
        dot = d / ".tonecheck.toml"
        if dot.is_file():
            return dot
        py = d / "pyproject.toml"
        if py.is_file() and _has_table(py):
            return py
    return None


class ConfigFinder:
    """Finds (and caches, per folder) the configuration for each checked file."""

    def __init__(self, override: str | Path | None = None) -> None:
        self.override = load_config(override) if override is not None else None
        self._by_folder: dict[Path, Config] = {}
        self._by_file: dict[Path, Config] = {}

    def for_path(self, path: str | Path | None) -> Config:
        """The configuration for a checked file (``None``: the current folder)."""
        if self.override is not None:
            return self.override
        folder = Path(path).resolve().parent if path is not None else Path.cwd().resolve()
        if folder not in self._by_folder:
            found = find_config_file(folder)
            if found is None:
                self._by_folder[folder] = Config()
            else:
                if found not in self._by_file:
                    self._by_file[found] = load_config(found)
                self._by_folder[folder] = self._by_file[found]
        return self._by_folder[folder]


@dataclass(frozen=True)
class CheckerOptions:
    """Keyword arguments for :class:`~tonecheck.Checker` that apply a configuration."""

    categories: tuple[str, ...] | None = None
    disabled_rules: tuple[str, ...] = ()
    severities: tuple[tuple[str, str], ...] = ()
    rule_files: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    hints: bool = False

    def kwargs(self) -> dict[str, Any]:
        return {
            "hints": self.hints,
            "categories": list(self.categories) if self.categories else None,
            "disabled_rules": list(self.disabled_rules),
            "severities": dict(self.severities),
            "rule_files": list(self.rule_files),
            "accept": list(self.accept),
        }


@dataclass(frozen=True)
class _HintRule:
    """The sentence hints of a category, selectable like a rule (``defensive.hint``, or
    ``hint`` for all three, or the category's name)."""

    qualified_id: str
    category: str


#: The hint findings' rule ids (see :mod:`tonecheck.hints`), as names configuration takes.
HINT_RULES = tuple(_HintRule(hint_rule(c), c) for c in TONE_CATEGORIES)


def _selects(name: str, rule: Any) -> bool:
    return name.lower() in rule_aliases(rule.qualified_id, rule.category)


def _specificity(name: str, rule: Any) -> int:
    low = name.lower()
    if low == rule.qualified_id.lower():
        return 2
    return 0 if low == rule.category.lower() else 1


def checker_options(config: Config, categories: Sequence[str] = ()) -> CheckerOptions:
    """Turn a configuration (plus ``--category`` choices) into checker options.

    Rule names are checked against the built-in and user rules: an unknown name is a
    :class:`ConfigError`, a broken rule file too (its message names the rule file).
    """
    rule_files = tuple(str(p) for p in config.rule_files)
    if not (config.enable or config.disable or config.severity):
        return CheckerOptions(
            categories=tuple(categories) or None,
            rule_files=rule_files,
            accept=config.accept,
            hints=config.hints,
        )
    rules = [*_load_rules(config), *HINT_RULES]
    for key, names in (
        ("enable", config.enable),
        ("disable", config.disable),
        ("severity", tuple(n for n, _ in config.severity)),
    ):
        for name in names:
            if not any(_selects(name, r) for r in rules):
                raise ConfigError(f"{config.where(key)}: unknown rule or category {name!r}")
    disabled = []
    severities: dict[str, str] = {}
    for r in rules:
        on = not config.enable or any(_selects(n, r) for n in config.enable)
        if categories and r.category not in categories:
            on = False
        if any(_selects(n, r) for n in config.disable):
            on = False
        if not on:
            disabled.append(r.qualified_id)
        # the most specific name wins: category, then bare id, then full id
        ranked = sorted((_specificity(n, r), sev) for n, sev in config.severity if _selects(n, r))
        if ranked:
            severities[r.qualified_id] = ranked[-1][1]
    return CheckerOptions(
        disabled_rules=tuple(disabled),
        severities=tuple(sorted(severities.items())),
        rule_files=rule_files,
        accept=config.accept,
        hints=config.hints,
    )


def _load_rules(config: Config) -> list[Any]:
    from .context import CONDITIONS
    from .rules import RuleError, load_rules

    if "rules" not in config._rules_cache:
        try:
            rules = load_rules(config.rule_files, known_predicates=CONDITIONS)
            config._rules_cache["rules"] = rules
        except RuleError as exc:
            raise ConfigError(f"{config.where('rule-files')}: {exc}") from None
    cached: list[Any] = config._rules_cache["rules"]
    return cached


def fails(severities: Iterable[str], fail_on: str) -> bool:
    """Whether findings of these severities reach the ``fail-on`` threshold."""
    if fail_on == "never":
        return False
    floor = SEVERITIES.index(fail_on)
    # a severity tonecheck does not know (from another tool) always counts
    return any(s not in SEVERITIES or SEVERITIES.index(s) >= floor for s in severities)
