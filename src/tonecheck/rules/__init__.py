"""Rule data: loading and validating the YAML rule files.

A rule file holds one ``category`` and a list of ``rules``. Each rule is a small record a
non-programmer can read: spaCy patterns that find the phrase, named context conditions
that clear it, why a hiring manager reacts badly, what to say instead, and examples that
must (``flag``) and must not (``pass``) be flagged. See ``rules/data/*.yml``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..report import SEVERITIES

BUILTIN_DIR = "data"


# libyaml's parser is ten times faster on the rule files (cold start); same output
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _RuleLoader(_BaseLoader):
    """YAML 1.1 reads bare yes/no/on/off as booleans; in rule data they are words. A key
    given twice in one mapping is an error (YAML would silently keep the last one, and a
    second ``unless:`` would drop the first one's patterns)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (line {key_node.start_mark.line + 1})",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_RuleLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_RuleLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


#: The package's own YAML files, parsed ahead (``python -m tonecheck.rules``): by the
#: SHA-1 of each file's text, its data as JSON. Building the rules' objects from YAML took
#: half a second of every cold start; JSON takes a few milliseconds.
YAML_CACHE = "yaml_cache.json"


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=1)
def _parsed_ahead() -> dict[str, str]:
    try:
        text = resources.files("tonecheck").joinpath("data", YAML_CACHE).read_text("utf-8")
    except OSError:
        return {}
    found: dict[str, str] = json.loads(text)
    return found


def load_yaml(text: str) -> Any:
    """Parse rule or signal YAML, keeping bare yes/no/on/off as strings.

    A text the package ships parsed ahead (the same bytes: an edited file is parsed again)
    comes from that cache, as fresh objects."""
    ahead = _parsed_ahead().get(_digest(text))
    if ahead is not None:
        return json.loads(ahead)
    return yaml.load(text, Loader=_RuleLoader)


def shipped_yaml_files() -> list[Path]:
    """Every YAML file the package reads: its rule files, signals and word lists."""
    data = Path(str(resources.files("tonecheck").joinpath("data")))
    return [*builtin_rule_files(), data / "signals.yml", data / "lexicon.yml"]


def parse_ahead() -> dict[str, str]:
    """The cache :data:`YAML_CACHE` should hold for the files the package ships now."""
    out = {}
    for path in shipped_yaml_files():
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_RuleLoader)
        encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if json.loads(encoded) != data:  # pragma: no cover - YAML that JSON cannot hold
            raise RuleError(f"{path}: does not survive JSON; it cannot be parsed ahead")
        out[_digest(text)] = encoded
    return out


_RULE_KEYS = {
    "id",
    "severity",
    "message",
    "why",
    "patterns",
    "dependency",
    "anchor",
    "highlight",
    "extend",
    "require",
    "forbid",
    "unless",
    "suggestions",
    "examples",
}
_EXTENDS = {"match", "verb_phrase", "subtree", "sentence"}


class RuleError(ValueError):
    """A rule file is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class SuggestionTemplate:
    """A rewrite template; ``scope`` says whether it replaces the span or the sentence."""

    template: str
    scope: str = "span"


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: str
    message: str
    why: str = ""
    patterns: tuple[Any, ...] = ()
    dependency: tuple[Any, ...] = ()
    anchor: str | int | None = None
    highlight: tuple[Any, ...] = ()
    extend: str = "match"
    require: tuple[str, ...] = ()
    forbid: tuple[str, ...] = ()
    unless: tuple[Any, ...] = ()
    suggestions: tuple[SuggestionTemplate, ...] = ()
    flag_examples: tuple[str, ...] = ()
    pass_examples: tuple[str, ...] = ()
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def qualified_id(self) -> str:
        """The id as shown to users: ``category.rule-id``."""
        return f"{self.category}.{self.id}"


def _fail(path: str, where: str, msg: str) -> RuleError:
    return RuleError(f"{path}: {where}: {msg}")


def _as_tuple(value: Any, path: str, where: str) -> tuple[Any, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail(path, where, "expected a list")
    return tuple(value)


def _parse_suggestions(raw: Any, path: str, where: str) -> tuple[SuggestionTemplate, ...]:
    out = []
    for i, item in enumerate(_as_tuple(raw, path, where)):
        if isinstance(item, str):
            out.append(SuggestionTemplate(item))
        elif isinstance(item, dict) and isinstance(item.get("template"), str):
            scope = item.get("scope", "span")
            if scope not in ("span", "sentence"):
                raise _fail(path, f"{where}[{i}].scope", "must be 'span' or 'sentence'")
            out.append(SuggestionTemplate(item["template"], scope))
        else:
            raise _fail(path, f"{where}[{i}]", "expected a string or {template, scope}")
    return tuple(out)


def parse_rules(data: Any, path: str, known_predicates: Iterable[str] = ()) -> list[Rule]:
    """Validate one rule file's parsed YAML and turn it into :class:`Rule` objects."""
    if not isinstance(data, dict):
        raise _fail(path, "top level", "expected a mapping with 'category' and 'rules'")
    category = data.get("category")
    if not isinstance(category, str) or not category:
        raise _fail(path, "category", "missing or not a string")
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise _fail(path, "rules", "missing or empty list")
    predicates = set(known_predicates)
    rules = []
    for i, raw in enumerate(raw_rules):
        where = f"rules[{i}]"
        if not isinstance(raw, dict):
            raise _fail(path, where, "expected a mapping")
        unknown = set(raw) - _RULE_KEYS
        if unknown:
            raise _fail(path, f"{where}.{sorted(unknown)[0]}", "unknown key")
        rid = raw.get("id")
        if not isinstance(rid, str) or not rid:
            raise _fail(path, f"{where}.id", "missing or not a string")
        where = f"rule {rid!r}"
        severity = raw.get("severity", "warning")
        if severity not in SEVERITIES:
            raise _fail(path, f"{where}.severity", f"must be one of {', '.join(SEVERITIES)}")
        message = raw.get("message")
        if not isinstance(message, str) or not message.strip():
            raise _fail(path, f"{where}.message", "missing")
        patterns = _as_tuple(raw.get("patterns"), path, f"{where}.patterns")
        dependency = _as_tuple(raw.get("dependency"), path, f"{where}.dependency")
        if not patterns and not dependency:
            raise _fail(path, where, "needs 'patterns' or 'dependency'")
        for j, pat in enumerate(patterns):
            if not isinstance(pat, list) or not all(isinstance(t, dict) for t in pat):
                raise _fail(path, f"{where}.patterns[{j}]", "expected a list of token specs")
        for j, pat in enumerate(dependency):
            if not isinstance(pat, list) or not all(isinstance(t, dict) for t in pat):
                raise _fail(path, f"{where}.dependency[{j}]", "expected a list of node specs")
        extend = raw.get("extend", "match")
        if extend not in _EXTENDS:
            raise _fail(path, f"{where}.extend", f"must be one of {', '.join(sorted(_EXTENDS))}")
        require = tuple(str(p) for p in _as_tuple(raw.get("require"), path, f"{where}.require"))
        forbid = tuple(str(p) for p in _as_tuple(raw.get("forbid"), path, f"{where}.forbid"))
        if predicates:
            for key, names in (("require", require), ("forbid", forbid)):
                for name in names:
                    if name not in predicates:
                        raise _fail(path, f"{where}.{key}", f"unknown condition {name!r}")
        examples = raw.get("examples") or {}
        if not isinstance(examples, dict):
            raise _fail(path, f"{where}.examples", "expected a mapping with flag/pass lists")
        rules.append(
            Rule(
                id=rid,
                category=category,
                severity=severity,
                message=" ".join(message.split()),
                why=" ".join(str(raw.get("why", "")).split()),
                patterns=patterns,
                dependency=dependency,
                anchor=raw.get("anchor"),
                highlight=_as_tuple(raw.get("highlight"), path, f"{where}.highlight"),
                extend=extend,
                require=require,
                forbid=forbid,
                unless=_as_tuple(raw.get("unless"), path, f"{where}.unless"),
                suggestions=_parse_suggestions(
                    raw.get("suggestions"), path, f"{where}.suggestions"
                ),
                flag_examples=tuple(
                    str(x) for x in _as_tuple(examples.get("flag"), path, f"{where}.examples.flag")
                ),
                pass_examples=tuple(
                    str(x) for x in _as_tuple(examples.get("pass"), path, f"{where}.examples.pass")
                ),
                source=path,
            )
        )
    return rules


def builtin_rule_files() -> list[Path]:
    """The rule files shipped inside the package, in a stable order."""
    root = resources.files(__package__).joinpath(BUILTIN_DIR)
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".yml"))


def load_rule_file(path: str | Path, known_predicates: Iterable[str] = ()) -> list[Rule]:
    """Read and validate one YAML rule file."""
    p = Path(path)
    try:
        data = load_yaml(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RuleError(f"{p}: cannot read rule file: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise RuleError(f"{p}: not valid YAML: {exc}".splitlines()[0]) from exc
    return parse_rules(data, str(p), known_predicates)


def load_rules(
    extra_files: Sequence[str | Path] = (),
    *,
    builtin: bool = True,
    known_predicates: Iterable[str] = (),
) -> list[Rule]:
    """Load the built-in rules plus any user rule files; ids must be unique."""
    files: list[str | Path] = [*(builtin_rule_files() if builtin else []), *extra_files]
    preds = tuple(known_predicates)
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for f in files:
        for rule in load_rule_file(f, preds):
            if rule.qualified_id in seen:
                raise RuleError(
                    f"{f}: rule {rule.id!r}: duplicate id (also in {seen[rule.qualified_id]})"
                )
            seen[rule.qualified_id] = str(f)
            rules.append(rule)
    return rules
