"""The ``tonecheck`` command.

``tonecheck draft.txt`` checks files (``-`` for standard input). Subcommands (``tonecheck
rules``, ``tonecheck grammar``, ...) sit beside it; a first argument that is not a
subcommand is a file to check.

Exit codes: 0 no findings, 1 findings, 2 usage or input error.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import click

from . import __version__
from .batch import DEFAULT_INCLUDE, Item, check_items, count_jsonl, discover, load_item, read_jsonl
from .checker import Checker, InputTooLarge
from .config import FAIL_ON, ConfigError, ConfigFinder, fails
from .inputs import InputError, Source, atomic_write, line_col
from .markup import INPUT_FORMATS
from .nlp import ModelNotFoundError
from .report import SCHEMA_VERSION, TONE_CATEGORIES, Finding, Report
from .rewrite import Rewrite
from .rewrite import rewrite as rewrite_draft
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
    #: Subcommands imported only when run or listed (a check does not pay for importing
    #: them): name -> (module, attribute).
    lazy_commands: ClassVar[dict[str, tuple[str, str]]] = {
        "grammar": (".cli_grammar", "grammar"),
        "eval": (".cli_eval", "eval_group"),
    }

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        named = (*self.commands, *self.lazy_commands, "--help", "-h", "--version")
        if not args and not sys.stdin.isatty():
            args = [self.default_command]
        elif args and args[0] not in named:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands and cmd_name not in self.commands:
            module, attr = self.lazy_commands[cmd_name]
            self.add_command(getattr(importlib.import_module(module, __package__), attr))
        return super().get_command(ctx, cmd_name)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage("tonecheck", "[OPTIONS] FILE...  |  tonecheck COMMAND [ARGS]...")


def _is_grammar_error(exc: BaseException) -> bool:
    """Whether ``exc`` is a :class:`~tonecheck.grammar_server.GrammarError` (only raised
    once that module is imported, which a check without grammar never does)."""
    server = sys.modules.get(f"{__package__}.grammar_server")
    return server is not None and isinstance(exc, server.GrammarError)


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


def _clip(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
            replaced = report.text[first.start : first.end].strip()
            if not first.text:  # a deletion is shown as what goes: remove "by Friday"
                shown = f"remove \u201c{_clip(replaced)}\u201d"
            elif len(replaced) <= 40 and not first.text.endswith((".", "?", "!")):
                # a short in-place edit ("Frankly, the" -> "The") reads best as a swap
                shown = f"\u201c{replaced}\u201d \u2192 \u201c{first.text}\u201d"
            else:
                shown = first.text
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


def result_dict(source: Source | Item, report: Report) -> dict[str, Any]:
    if isinstance(source, Item) and source.jsonl is not None:  # a JSON Lines record
        return {"path": source.jsonl, "id": source.id, **report.to_dict()}
    return {"path": source.name, **report.to_dict()}


def _writable(path: Path) -> str | None:
    """Why ``path`` (an existing file, or a new one) cannot be replaced, or None."""
    folder = path.parent if str(path.parent) else Path(".")
    # mode bits as well as access(): root may write anywhere, but a read-only file or
    # folder is the user's way of saying "do not change this"
    if path.exists() and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222):
        return f"{path}: file is read-only; not changed"
    if not os.access(folder, os.W_OK) or not folder.stat().st_mode & 0o222:
        return f"{path}: folder {folder} is read-only; not changed"
    return None


def write_rewrite(item: Item, rewritten: Rewrite, output: str | None, backup: bool) -> str:
    """Write a rewritten draft atomically (to ``output``, else over the item's file, with
    a ``.bak`` copy of the original unless ``backup`` is off); returns what was done.

    Raises :class:`InputError` (one line) and leaves every file as it was on failure.
    """
    target = Path(output) if output else item.path
    if target is None:
        raise InputError(f"{item.name}: nothing to write to")
    if target.is_dir():
        raise InputError(f"{target}: is a directory")
    why = _writable(target)
    if why:
        raise InputError(why)
    done = f"wrote {target}"
    if output is None and backup and rewritten.changed:
        bak = target.with_name(target.name + ".bak")
        why = _writable(bak)
        if why:
            raise InputError(why)
        atomic_write(bak, rewritten.original, item.encoding)
        done += f" (backup {bak})"
    if rewritten.changed or output is not None:
        atomic_write(target, rewritten.text, item.encoding)
    else:
        done = f"{target}: unchanged"
    return done


def _print_schema(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from .schema import schema_text

        click.echo(schema_text(), nl=False)
        ctx.exit(EXIT_CLEAN)


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
@click.option(
    "--input-format",
    type=click.Choice(list(INPUT_FORMATS)),
    help="Read every input as this format (default: by extension: .md/.markdown Markdown, "
    ".eml email, else plain; stdin plain).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Configuration file to use instead of the nearest .tonecheck.toml / pyproject.toml.",
)
@click.option(
    "--include",
    multiple=True,
    metavar="GLOB",
    help=f"Files to check in folders (repeatable; default: {' '.join(DEFAULT_INCLUDE)}).",
)
@click.option(
    "--exclude", multiple=True, metavar="GLOB", help="Files or folders to skip (repeatable)."
)
@click.option(
    "--jsonl-input",
    metavar="FILE",
    help="Also check the records of a JSON Lines file ('text' field, optional 'id'; - stdin).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Parse with this many processes (spaCy n_process).",
)
@click.option(
    "--fail-on",
    type=click.Choice(list(FAIL_ON)),
    help="Lowest finding severity that makes the exit code 1 (default: config, else info).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr (default: for 20+ inputs when stderr, not stdout, is a TTY).",
)
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of the rewrite.")
@click.option(
    "--rewrite", "show_rewrite", is_flag=True, help="Print the rewritten draft to stdout."
)
@click.option(
    "--fix",
    is_flag=True,
    help="Rewrite each file in place (atomically; keeps FILE.bak). With stdin: print it.",
)
@click.option("--backup/--no-backup", default=True, help="With --fix, keep FILE.bak (default).")
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Write the rewritten draft to FILE (one input).",
)
@click.option(
    "--hints",
    is_flag=True,
    help="Also use the sentence model: hints (info findings, RULE = CATEGORY.hint) where no "
    "rule fired, and no rule finding in a sentence the model reads as clearly clean: more "
    "found, a few more false alarms.",
)
@click.option(
    "--add-missing",
    is_flag=True,
    help="When rewriting, also add an opening thank-you, an easy way out and a closing "
    "thank-you where the draft lacks them.",
)
@click.option(
    "--print-schema",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_schema,
    help="Print the JSON Schema of the JSON output and exit.",
)
def check_command(
    files: Sequence[str],
    fmt: str,
    model: str | None,
    categories: Sequence[str],
    color: bool | None,
    grammar_flag: bool | None,
    languagetool_url: str | None,
    input_format: str | None,
    config_file: str | None,
    include: Sequence[str],
    exclude: Sequence[str],
    jsonl_input: str | None,
    jobs: int,
    fail_on: str | None,
    progress: bool | None,
    show_diff: bool,
    show_rewrite: bool,
    fix: bool,
    backup: bool,
    output: str | None,
    add_missing: bool,
    hints: bool,
) -> None:
    """Check FILES and folders (or - for standard input) for what will put the reader off.

    \b
    Rewrite what was found:  --diff (unified diff), --rewrite (new text on stdout),
    --fix (in place, atomically, keeping FILE.bak), -o FILE (write elsewhere).
    """
    rewriting = show_diff or show_rewrite or fix or output is not None
    if not files and not jsonl_input:
        if sys.stdin.isatty():
            raise click.UsageError("no input: pass a FILE, or - to read standard input")
        files = ("-",)
    if color is None:
        color = sys.stdout.isatty()
    for arg in files:  # a mistyped path is a usage error: stop before any output
        if arg != "-" and not os.path.lexists(arg):
            fail(f"{arg}: no such file")
    try:
        finder = ConfigFinder(config_file)
        names: list[str] = []
        for arg in files:  # a folder's own configuration can add include/exclude globs
            conf = finder.for_path(Path(arg) / "_") if Path(arg).is_dir() else None
            pats = tuple(include) or (conf.include if conf and conf.include else DEFAULT_INCLUDE)
            found = discover([arg], pats, (*exclude, *(conf.exclude if conf else ())))
            if not found and Path(arg).is_dir():
                # checking nothing is often a wrong path or glob: say so (stdout stays valid)
                click.echo(
                    f"tonecheck: warning: {arg}: no files to check (include: {', '.join(pats)})",
                    err=True,
                )
            names.extend(found)
    except ConfigError as exc:
        fail(str(exc))
        return
    errors = 0

    def items() -> Iterator[Item]:
        nonlocal errors
        for name in names:
            try:
                yield load_item(name, input_format)
            except InputError as exc:
                errors += 1
                click.echo(f"tonecheck: error: {exc}", err=True)
        for rec in read_jsonl(jsonl_input, input_format) if jsonl_input else ():
            if isinstance(rec, InputError):
                errors += 1
                click.echo(f"tonecheck: error: {rec}", err=True)
            else:
                yield rec

    mode = {None: "auto", True: "on", False: "off"}[grammar_flag]

    made: list[Checker] = []

    def make_checker(name: str | None, **options: Any) -> Checker:
        if hints:
            options["hints"] = True  # --hints turns them on whatever the configuration says
        checker = Checker(name, grammar=mode, languagetool_url=languagetool_url, **options)
        made.append(checker)
        # Say once (for the first checker) that auto mode found no server.
        if len(made) == 1 and checker.grammar is not None and checker.grammar.connect() is None:
            why = f"{languagetool_url} not reachable" if languagetool_url else "no server"
            click.echo(
                f"tonecheck: grammar checks skipped ({why}): run `tonecheck grammar install "
                "&& tonecheck grammar start`, or pass --languagetool-url URL",
                err=True,
            )
        return checker

    total = len(names) + ((count_jsonl(jsonl_input) or 0) if jsonl_input else 0)
    if progress is None:
        progress = total >= 20 and sys.stderr.isatty() and not sys.stdout.isatty()
    bar = click.progressbar(length=max(total, 1), label="checking", file=sys.stderr)
    any_failing = False
    count = 0
    try:
        results = check_items(
            items(), finder, model=model, categories=categories, n_process=jobs,
            make_checker=make_checker,
        )  # fmt: skip
        if fmt == "json":
            head = {"schema_version": SCHEMA_VERSION, "tonecheck_version": __version__}
            click.echo(json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ',\n  "results": [',
                       nl=False)  # fmt: skip
        if output is not None and len(names) + (1 if jsonl_input else 0) != 1:
            fail("-o/--output takes exactly one input")
        for item, report, conf in results:
            rewritten = None
            if rewriting:
                rewritten = rewrite_draft(item.text, checker=made[-1], add_missing=add_missing)
                try:
                    if (fix and item.path is not None) or output is not None:
                        if item.path is None or item.path.suffix.lower() == ".eml":
                            raise InputError(f"{item.name}: only plain files can be rewritten")
                        click.echo(f"tonecheck: {write_rewrite(item, rewritten, output, backup)}",
                                   err=True)  # fmt: skip
                except InputError as exc:
                    errors += 1
                    click.echo(f"tonecheck: error: {exc}", err=True)
                for f in rewritten.unfixed:
                    line, col = line_col(rewritten.text, f.start)
                    click.echo(f"tonecheck: {item.name}:{line}:{col}: not fixed: [{f.rule}] "
                               f"\u201c{f.text}\u201d", err=True)  # fmt: skip
            threshold = fail_on or conf.fail_on
            # LanguageTool's style hints alone (category "style") do not fail a check.
            judged = report.findings
            if rewritten is not None and (fix or output is not None):
                judged = rewritten.unfixed  # after --fix, what is left decides
            if fails([f.severity for f in judged if f.category != "style"], threshold):
                any_failing = True
            result = result_dict(item, report)
            if rewritten is not None:
                result["rewrite"] = rewritten.to_dict()
            if fmt == "json":
                body = json.dumps(result, ensure_ascii=False, indent=2)
                sep = "," if count else ""
                click.echo(sep + "\n" + "\n".join("    " + ln for ln in body.splitlines()),
                           nl=False)  # fmt: skip
            elif fmt == "jsonl":
                click.echo(json.dumps(result, ensure_ascii=False))
            elif rewritten is not None and (show_diff or show_rewrite or item.path is None):
                if show_diff:
                    click.echo(rewritten.diff(item.name), nl=False)
                if show_rewrite or (fix and item.path is None and not show_diff):
                    click.echo(rewritten.text, nl=False)
            elif rewritten is not None:
                pass  # --fix / -o wrote the file; what was done is on stderr
            else:
                rendered = render_text(item.name, report, color)
                click.echo(("\n" if count else "") + rendered, color=color)
            count += 1
            if progress:
                bar.update(1)
        if fmt == "json":
            click.echo("\n  ]\n}" if count else "]\n}")
    except (ModelNotFoundError, RuleError, InputTooLarge, ConfigError) as exc:
        fail(str(exc))
        return
    except Exception as exc:
        if not _is_grammar_error(exc):
            raise
        fail(str(exc))
        return
    finally:
        if progress:
            bar.render_finish()
    if errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if any_failing else EXIT_CLEAN)


@main.group("rules")
def rules_group() -> None:
    """List the rules, or test a rule file's examples."""


@rules_group.command("list")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Configuration file (default: the nearest one from the current folder).",
)
def rules_list(fmt: str, config_file: str | None) -> None:
    """Show every rule with its category, severity and an example.

    User rule files and severities from the configuration are included; a rule the
    configuration turns off shows severity "off" (``"enabled": false`` in JSON).
    """
    from .config import checker_options
    from .context import CONDITIONS
    from .rules import load_rules

    try:
        conf = ConfigFinder(config_file).for_path(None)
        options = checker_options(conf)
        rules = load_rules(conf.rule_files, known_predicates=CONDITIONS)
    except (ConfigError, RuleError) as exc:
        fail(str(exc))
        return
    severities = dict(options.severities)
    rows = []
    for rule in rules:
        rows.append(
            {
                "id": rule.qualified_id,
                "category": rule.category,
                "severity": severities.get(rule.qualified_id, rule.severity),
                "enabled": rule.qualified_id not in options.disabled_rules,
                "message": rule.message,
                "example": rule.flag_examples[0] if rule.flag_examples else "",
                "examples": {"flag": list(rule.flag_examples), "pass": list(rule.pass_examples)},
                "source": rule.source,
            }
        )
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        sev = row["severity"] if row["enabled"] else "off"
        click.echo(f"{row['id']:38} {sev:8} {row['example']}")


@rules_group.command("test")
@click.argument("rule_file", type=click.Path(dir_okay=False))
@click.option("--model", metavar="NAME", help="spaCy model name or path (env TONECHECK_MODEL).")
def rules_test(rule_file: str, model: str | None) -> None:
    """Run a rule file's own examples: each 'flag' sentence must fire its rule, no 'pass'
    sentence may. Exit 0 when all hold, 1 on a failure, 2 for a broken file."""
    from .context import CONDITIONS
    from .nlp import load_pipeline
    from .rules import load_rule_file

    try:
        rules = load_rule_file(rule_file, CONDITIONS)
        nlp = load_pipeline(model)
        nlp.add_pipe(
            "tonecheck",
            config={"rule_files": [str(Path(rule_file).resolve())], "builtin_rules": False},
        )
        checker = Checker(model, nlp=nlp, grammar="off")
        failures, examples = 0, 0
        for rule in rules:
            for kind, sentences in (("flag", rule.flag_examples), ("pass", rule.pass_examples)):
                for sentence in sentences:
                    examples += 1
                    report = checker.check(sentence, verify_suggestions=False)
                    hits = [f.text for f in report.findings if f.rule == rule.qualified_id]
                    if kind == "flag" and not hits:
                        failures += 1
                        click.echo(f"{rule_file}: rule {rule.id!r}: not flagged: {sentence!r}")
                    elif kind == "pass" and hits:
                        failures += 1
                        click.echo(
                            f"{rule_file}: rule {rule.id!r}: should pass, flagged "
                            f"\u201c{hits[0]}\u201d: {sentence!r}"
                        )
    except (RuleError, ModelNotFoundError) as exc:
        fail(str(exc))
        return
    if not examples:
        click.echo(f"{rule_file}: no examples to run (add examples: flag/pass to the rules)")
    summary = f"{rule_file}: {len(rules)} rules, {examples} examples, {failures} failed"
    click.echo(summary)
    sys.exit(EXIT_FINDINGS if failures else EXIT_CLEAN)


@main.command("lsp")
@click.option(
    "--grammar",
    type=click.Choice(["auto", "off"]),
    default="auto",
    show_default=True,
    help="LanguageTool findings from a configured or running server (never starts one).",
)
def lsp_command(grammar: str) -> None:
    """Run the language server over stdin/stdout (editor set-up: see the README)."""
    try:
        from .lsp import serve
    except ImportError as exc:
        fail(f"the language server needs {exc.name or 'pygls'}: pip install 'tonecheck[lsp]'")
        return
    serve(grammar=grammar)


@main.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the --format json/jsonl output (same as --print-schema)."""
    from .schema import schema_text

    click.echo(schema_text(), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
