"""The ``tonecheck`` command.

``tonecheck draft.txt`` checks files (``-`` for standard input). Subcommands (``tonecheck
rules``, ``tonecheck grammar``, ...) sit beside it; a first argument that is not a
subcommand is a file to check.

Exit codes: 0 no findings, 1 findings, 2 usage or input error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

import click

from . import __version__
from .checker import Checker, InputTooLarge
from .cli_eval import eval_group
from .cli_grammar import grammar
from .grammar_server import GrammarError
from .inputs import InputError, Source, line_col, read_source
from .nlp import ModelNotFoundError
from .report import SCHEMA_VERSION, TONE_CATEGORIES, Finding, Report
from .rules import RuleError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
CATEGORY_COLORS = {
    "demanding": "yellow",
    "entitled": "magenta",
    "defensive": "red",
    "grammar": "blue",
    "style": "cyan",
}
SIGNAL_LABELS = {
    "opening_thanks": "opening thanks",
    "acknowledges_decision": "acknowledging the decision",
    "goodwill": "goodwill",
    "light_ask": "a light, indirect ask",
    "easy_out": "an easy way out",
    "closing_thanks": "closing thanks",
}


class DefaultGroup(click.Group):
    """A group whose first argument, when not a subcommand, goes to the ``check`` command."""

    default_command = "check"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and not sys.stdin.isatty():
            args = [self.default_command]
        elif args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage("tonecheck", "[OPTIONS] FILE...  |  tonecheck COMMAND [ARGS]...")


def fail(message: str) -> None:
    """Print one line on stderr and exit 2."""
    click.echo(f"tonecheck: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@click.group(
    cls=DefaultGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    invoke_without_command=False,
)
@click.version_option(__version__, "--version", prog_name="tonecheck")
def main() -> None:
    """Find demanding, entitled and defensive phrasing in a message and suggest humble rewrites.

    \b
    Check a draft:            tonecheck draft.txt
    Several files, or stdin:  tonecheck a.txt b.txt   |   cat draft.txt | tonecheck -
    Machine-readable output:  tonecheck --format json draft.txt

    Exit codes: 0 no findings, 1 findings, 2 usage or input error.
    Run 'tonecheck check --help' for all options of the check.
    """


def _highlight(report: Report, f: Finding, color: bool) -> list[str]:
    text = report.text
    ls = text.rfind("\n", 0, f.start) + 1
    le = text.find("\n", f.end)
    le = len(text) if le == -1 else le
    line = text[ls:le].rstrip("\r")
    # long lines are cut around the phrase so the caret line stays readable
    a, b = f.start - ls, min(f.end, ls + len(line)) - ls
    left = max(0, a - 60)
    right = min(len(line), b + 60)
    prefix = "..." if left else ""
    suffix = "..." if right < len(line) else ""
    shown = line[left:right]
    a, b = a - left + len(prefix), b - left + len(prefix)
    body = prefix + shown + suffix
    style = CATEGORY_COLORS.get(f.category, "white")
    if color:
        body = body[:a] + click.style(body[a:b], fg=style, bold=True, underline=True) + body[b:]
    return ["    " + body, "    " + " " * a + click.style("^" * max(1, b - a), fg=style)]


def render_text(name: str, report: Report, color: bool) -> str:
    lines: list[str] = []
    for f in report.findings:
        line, col = line_col(report.text, f.start)
        cat = click.style(f.category, fg=CATEGORY_COLORS.get(f.category, "white"), bold=True)
        loc = click.style(f"{name}:{line}:{col}", bold=True)
        lines.append(f"{loc}: {cat} [{f.rule}] \u201c{f.text}\u201d")
        lines.extend(_highlight(report, f, color))
        lines.append(f"    why: {f.message}")
        if f.suggestions:
            first = f.suggestions[0]
            shown = first.text if first.text else "(remove it)"
            lines.append("    try: " + click.style(shown, fg="green"))
        lines.append("")
    counts = report.counts()
    if counts:
        summary = ", ".join(f"{k} {v}" for k, v in counts.items())
        n = len(report.findings)
        head = f"{name}: {n} finding{'s' if n != 1 else ''} ({summary})"
    else:
        head = f"{name}: no findings"
    lines.append(f"{click.style(head, bold=True)} \u00b7 tone score {report.tone_score}/100")
    missing = report.missing_signals
    if missing and report.text.strip():
        lines.append("  missing: " + ", ".join(SIGNAL_LABELS.get(s.name, s.name) for s in missing))
        for s in missing:
            lines.append(f"    - {s.advice}")
    for w in report.warnings:
        lines.append(f"  warning: {w}")
    return "\n".join(lines)


def result_dict(source: Source, report: Report) -> dict[str, Any]:
    return {"path": source.name, **report.to_dict()}


@main.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=True, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="Output format: human-readable text, one JSON document, or JSON Lines.",
)
@click.option("--model", metavar="NAME", help="spaCy model name or path (env TONECHECK_MODEL).")
@click.option(
    "--category",
    "categories",
    multiple=True,
    type=click.Choice(list(TONE_CATEGORIES)),
    help="Only check these categories (repeatable).",
)
@click.option("--color/--no-color", default=None, help="Color the output (default: on a TTY).")
@click.option(
    "--grammar/--no-grammar",
    "grammar_flag",
    default=None,
    help="Require LanguageTool grammar findings (starting a server from `tonecheck grammar "
    "install` if none runs; exit 2 if impossible), or skip them. Default: use a configured "
    "or running server only.",
)
@click.option(
    "--languagetool-url",
    metavar="URL",
    envvar="TONECHECK_LANGUAGETOOL_URL",
    help="LanguageTool server to use (env TONECHECK_LANGUAGETOOL_URL).",
)
def check_command(
    files: Sequence[str],
    fmt: str,
    model: str | None,
    categories: Sequence[str],
    color: bool | None,
    grammar_flag: bool | None,
    languagetool_url: str | None,
) -> None:
    """Check FILES (or - for standard input) and report what will put the reader off."""
    if not files:
        if sys.stdin.isatty():
            raise click.UsageError("no input: pass a FILE, or - to read standard input")
        files = ("-",)
    if color is None:
        color = sys.stdout.isatty()
    sources: list[Source] = []
    for name in files:
        try:
            sources.append(read_source(name))
        except InputError as exc:
            fail(str(exc))
    mode = {None: "auto", True: "on", False: "off"}[grammar_flag]
    try:
        checker = Checker(
            model, categories=categories or None, grammar=mode, languagetool_url=languagetool_url
        )
        if checker.grammar is not None and checker.grammar.connect() is None:
            why = f"{languagetool_url} not reachable" if languagetool_url else "no server"
            click.echo(
                f"tonecheck: grammar checks skipped ({why}): run `tonecheck grammar install "
                "&& tonecheck grammar start`, or pass --languagetool-url URL",
                err=True,
            )
        reports = list(checker.check_many(s.text for s in sources))
    except (ModelNotFoundError, RuleError, InputTooLarge, GrammarError) as exc:
        fail(str(exc))
        return
    # LanguageTool's style hints alone (category "style", severity info) do not fail a check.
    any_findings = any(f.category != "style" for r in reports for f in r.findings)
    if fmt == "json":
        doc = {
            "schema_version": SCHEMA_VERSION,
            "tonecheck_version": __version__,
            "results": [result_dict(s, r) for s, r in zip(sources, reports, strict=True)],
        }
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for s, r in zip(sources, reports, strict=True):
            click.echo(json.dumps(result_dict(s, r), ensure_ascii=False))
    else:
        out = [render_text(s.name, r, color) for s, r in zip(sources, reports, strict=True)]
        click.echo("\n\n".join(out), color=color)
    sys.exit(EXIT_FINDINGS if any_findings else EXIT_CLEAN)


@main.group("rules")
def rules_group() -> None:
    """List the built-in rules."""


@rules_group.command("list")
def rules_list() -> None:
    """Show every rule with its category, severity and an example."""
    from .rules import load_rules

    for rule in load_rules():
        example = rule.flag_examples[0] if rule.flag_examples else ""
        click.echo(f"{rule.qualified_id:38} {rule.severity:8} {example}")


main.add_command(grammar)
main.add_command(eval_group)


if __name__ == "__main__":  # pragma: no cover
    main()
