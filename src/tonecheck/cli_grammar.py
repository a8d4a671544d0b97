"""``tonecheck grammar``: install, start, stop and inspect the local LanguageTool server.

Registered in the main CLI with ``main.add_command(grammar)``. Errors print one line on
stderr and exit with status 2; ``status`` exits 1 when no server is running.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click

from . import grammar_server as server
from .grammar_server import GrammarError

F = TypeVar("F", bound=Callable[..., Any])


def _cache_dir_option(f: F) -> F:
    return click.option(
        "--cache-dir",
        type=click.Path(file_okay=False),
        default=None,
        help=f"Where the jars, state file and log live [env {server.HOME_ENV}; "
        "default ~/.cache/tonecheck/languagetool].",
    )(f)


def _fail(e: GrammarError) -> NoReturn:
    click.echo(f"tonecheck grammar: error: {e}", err=True)
    raise click.exceptions.Exit(2)


def _describe(info: server.ServerInfo) -> str:
    return f"LanguageTool running at {info.url} (pid {info.pid}, heap {info.heap})"


@click.group("grammar")
def grammar() -> None:
    """Manage the local LanguageTool server used for grammar findings."""


@grammar.command("install")
@_cache_dir_option
@click.option("--verbose", is_flag=True, help="Show Maven's output.")
def install_cmd(cache_dir: str | None, verbose: bool) -> None:
    """Download LanguageTool's server jars from Maven Central (needs Java 17+ and Maven)."""
    target = server.cache_dir(cache_dir)
    click.echo(
        f"Installing LanguageTool with Maven into {target} (the first run downloads ~100 MB)...",
        err=True,
    )
    t0 = time.monotonic()
    try:
        lib = server.install(cache_dir, quiet=not verbose)
    except GrammarError as e:
        _fail(e)
    version = server.installed_version(cache_dir) or "?"
    click.echo(f"LanguageTool {version} installed in {lib} ({time.monotonic() - t0:.1f}s)")


@grammar.command("start")
@_cache_dir_option
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Default: a free one.")
@click.option("--heap", default="512m", show_default=True, help="Java heap (-Xmx).")
@click.option(
    "--timeout", type=float, default=90.0, show_default=True, help="Seconds to wait for it."
)
def start_cmd(cache_dir: str | None, port: int | None, heap: str, timeout: float) -> None:
    """Start a server in the background for later runs to reuse (no-op if one is running)."""
    try:
        before = server.status(cache_dir)
        info = server.start(port, heap, cache_dir=cache_dir, timeout=timeout)
    except GrammarError as e:
        _fail(e)
    if before is not None and before.pid == info.pid:
        click.echo(f"already running: {_describe(info)}")
    else:
        click.echo(f"{_describe(info)}, ready in {info.startup_seconds:.1f}s")


@grammar.command("stop")
@_cache_dir_option
def stop_cmd(cache_dir: str | None) -> None:
    """Stop the server started with `tonecheck grammar start`."""
    try:
        stopped = server.stop(cache_dir)
    except GrammarError as e:
        _fail(e)
    click.echo("LanguageTool server stopped" if stopped else "no LanguageTool server was running")


@grammar.command("status")
@_cache_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the server's state as JSON.")
def status_cmd(cache_dir: str | None, as_json: bool) -> None:
    """Say whether a server is running (exit 0) or not (exit 1), and what is installed."""
    try:
        info = server.status(cache_dir)
        version = server.installed_version(cache_dir)
    except GrammarError as e:
        _fail(e)
    healthy = info.healthy() if info is not None else False
    if as_json:
        out = {
            "installed": version,
            "cache_dir": str(server.cache_dir(cache_dir)),
            "running": info is not None,
            "healthy": healthy,
            "server": info.to_dict() if info is not None else None,
        }
        click.echo(json.dumps(out, indent=2))
    else:
        click.echo(
            f"installed: LanguageTool {version}"
            if version
            else "installed: no (run `tonecheck grammar install`)"
        )
        if info is None:
            click.echo("server: not running")
        else:
            state = "healthy" if healthy else "not answering"
            click.echo(f"server: {_describe(info)}, {state}")
    if info is None:
        raise click.exceptions.Exit(1)
