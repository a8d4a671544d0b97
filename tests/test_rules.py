"""Every rule's own examples: each ``flag`` sentence fires the rule, each ``pass`` stays clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from tonecheck import Checker
from tonecheck.context import CONDITIONS
from tonecheck.rules import Rule, RuleError, load_rule_file, load_rules, parse_rules
from tonecheck.rules.matching import RuleMatcher

RULES = load_rules()
FLAG = [(r, s) for r in RULES for s in r.flag_examples]
PASS = [(r, s) for r in RULES for s in r.pass_examples]


def _id(x: object) -> str:
    return x.qualified_id if isinstance(x, Rule) else str(x)[:40]


def test_every_rule_has_examples_and_suggestions() -> None:
    for rule in RULES:
        assert rule.flag_examples, rule.qualified_id
        assert rule.pass_examples, rule.qualified_id
        assert rule.suggestions, rule.qualified_id
        assert rule.message.strip()


def test_all_three_categories_are_covered() -> None:
    assert {r.category for r in RULES} >= {"demanding", "entitled", "defensive"}


@pytest.mark.parametrize(("rule", "sentence"), FLAG, ids=_id)
def test_flag_example(checker: Checker, rule: Rule, sentence: str) -> None:
    doc = checker.nlp(sentence)
    hits = RuleMatcher(checker.nlp.vocab, [rule])(doc)
    assert hits, f"{rule.qualified_id} should flag: {sentence!r}"
    report = checker.check(sentence)
    assert rule.category in {f.category for f in report.findings}


@pytest.mark.parametrize(("rule", "sentence"), PASS, ids=_id)
def test_pass_example(checker: Checker, rule: Rule, sentence: str) -> None:
    report = checker.check(sentence)
    flagged = [(f.rule, f.text) for f in report.findings if f.category == rule.category]
    assert not flagged, f"{rule.qualified_id} example should pass: {sentence!r}: {flagged}"


def test_rule_file_errors_name_file_and_key() -> None:
    with pytest.raises(RuleError, match=r"x\.yml: rule 'r1'\.severity"):
        parse_rules(
            {
                "category": "demanding",
                "rules": [
                    {
                        "id": "r1",
                        "severity": "fatal",
                        "message": "m",
                        "patterns": [[{"LOWER": "x"}]],
                    }
                ],
            },
            "x.yml",
        )
    with pytest.raises(RuleError, match="unknown condition"):
        parse_rules(
            {
                "category": "demanding",
                "rules": [
                    {"id": "r1", "message": "m", "forbid": ["nope"], "patterns": [[{"LOWER": "x"}]]}
                ],
            },
            "x.yml",
            CONDITIONS,
        )
    with pytest.raises(RuleError, match="unknown key"):
        parse_rules({"category": "c", "rules": [{"id": "r", "mesage": "m"}]}, "x.yml")


def test_a_key_given_twice_in_a_rule_file_is_an_error(tmp_path: Path) -> None:
    # YAML keeps the last of two keys; a second ``unless:`` silently dropped the first's
    # patterns in two built-in rules before the loader refused duplicates
    path = tmp_path / "twice.yml"
    path.write_text(
        "category: demanding\nrules:\n  - id: r1\n    message: m\n"
        "    patterns:\n      - [{LOWER: send}]\n"
        "    unless:\n      - [{LOWER: a}]\n    unless:\n      - [{LOWER: b}]\n",
        encoding="utf-8",
    )
    expected = r"twice\.yml: not valid YAML: duplicate key 'unless' \(line 9\)"
    with pytest.raises(RuleError, match=expected):
        load_rule_file(path)


def test_parsed_ahead_yaml_is_current(monkeypatch: pytest.MonkeyPatch) -> None:
    # the package ships its YAML parsed ahead; after editing a rule file, signals.yml or
    # lexicon.yml, rebuild it with `python -m tonecheck.rules`
    import tonecheck.rules as rules_module

    shipped = rules_module._parsed_ahead()
    assert shipped == rules_module.parse_ahead(), "run: python -m tonecheck.rules"
    from_cache = load_rules()
    monkeypatch.setattr(rules_module, "_parsed_ahead", dict)  # nothing parsed ahead
    assert load_rules() == from_cache
    # an edited text is parsed again, not served stale
    import yaml

    monkeypatch.setattr(rules_module, "_parsed_ahead", lambda: shipped)
    text = rules_module.shipped_yaml_files()[0].read_text(encoding="utf-8")
    edited = text.replace("severity: error", "severity: info", 1)
    assert edited != text and rules_module._digest(edited) not in shipped
    assert rules_module.load_yaml(edited) == yaml.load(edited, Loader=rules_module._RuleLoader)
    assert rules_module.load_yaml(edited) != rules_module.load_yaml(text)
