"""The language server, driven as a real subprocess over stdio with JSON-RPC.

One server (``python -m tonecheck lsp``) serves the module; the tests run in file order
against it (open, diagnostics, code action, change, hover, bad input, shutdown/exit).
Positions are checked with the test's own UTF-16 arithmetic, not tonecheck's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from lsprotocol.converters import get_converter

from tonecheck import Checker, grammar, grammar_server
from tonecheck.incremental import IncrementalChecker

CONVERTER = get_converter()
URI = "file:///tmp/tonecheck-test/draft.txt"
MD_URI = "file:///tmp/tonecheck-test/notes.md"
# emoji (astral: two UTF-16 units each), accents and CRLF line endings before the findings
TEXT = (
    "Hi Zoë 👋🏽,\r\n"
    "\r\n"
    "Thanks for the interviews 🙏. I deserve an explanation. Send me the notes by Friday.\r\n"
    "\r\n"
    "Best,\r\n"
    "Lee\r\n"
)
TIMEOUT = 90.0


# ---------------------------------------------------------------------- a JSON-RPC client


class LspClient:
    """A minimal LSP client: Content-Length framing over the server's stdin/stdout."""

    def __init__(self, cmd: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        self._id = 0
        self._responses: dict[int, dict[str, Any]] = {}
        self._cond = threading.Condition()
        self.notifications: list[dict[str, Any]] = []
        self.stderr: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _drain_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line.decode("utf-8", "replace"))

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    with self._cond:
                        self._cond.notify_all()
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None
            msg = json.loads(out.read(length))
            if "id" in msg and "method" in msg:  # a request from the server: answer it
                self._write({"jsonrpc": "2.0", "id": msg["id"], "result": None})
                continue
            with self._cond:
                if "id" in msg:
                    self._responses[msg["id"]] = msg
                else:
                    self.notifications.append(msg)
                self._cond.notify_all()

    def _write(self, msg: dict[str, Any]) -> None:
        self.send_raw(json.dumps(msg).encode("utf-8"))

    def send_raw(self, body: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request_raw(self, method: str, params: Any, timeout: float = TIMEOUT) -> dict[str, Any]:
        self._id += 1
        msg_id = self._id
        self._write(
            {"jsonrpc": "2.0", "id": msg_id, "method": method,
             "params": CONVERTER.unstructure(params)}
        )  # fmt: skip
        with self._cond:
            ok = self._cond.wait_for(
                lambda: msg_id in self._responses or self.proc.poll() is not None, timeout
            )
        assert ok and msg_id in self._responses, f"no answer to {method}: {self.stderr[-5:]}"
        return self._responses.pop(msg_id)

    def request(self, method: str, params: Any, result_type: Any = None) -> Any:
        response = self.request_raw(method, params)
        assert "error" not in response, response["error"]
        result = response["result"]
        return CONVERTER.structure(result, result_type) if result_type else result

    def notify(self, method: str, params: Any) -> None:
        self._write({"jsonrpc": "2.0", "method": method, "params": CONVERTER.unstructure(params)})

    def wait_for(
        self, pred: Callable[[dict[str, Any]], bool], since: int = 0, timeout: float = TIMEOUT
    ) -> dict[str, Any]:
        found: list[dict[str, Any]] = []

        def check() -> bool:
            found[:] = [n for n in self.notifications[since:] if pred(n)]
            return bool(found) or self.proc.poll() is not None

        with self._cond:
            self._cond.wait_for(check, timeout)
        assert found, f"no matching notification; stderr: {''.join(self.stderr[-10:])}"
        return found[-1]

    def diagnostics(
        self, uri: str, version: int, since: int = 0, source: str | None = "tonecheck"
    ) -> list[types.Diagnostic]:
        msg = self.wait_for(
            lambda n: (
                n["method"] == "textDocument/publishDiagnostics"
                and n["params"]["uri"] == uri
                and n["params"].get("version") == version
            ),
            since,
        )
        params = CONVERTER.structure(msg["params"], types.PublishDiagnosticsParams)
        return [d for d in params.diagnostics if source is None or d.source == source]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)


def utf16_pos(text: str, offset: int) -> types.Position:
    """The test's own conversion: line by \\r\\n|\\r|\\n, character in UTF-16 units."""
    before = text[:offset].replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n")
    col = before.rsplit("\n", 1)[-1]
    return types.Position(line, len(col.encode("utf-16-le")) // 2)


def utf16_offset(text: str, pos: types.Position) -> int:
    offset = 0
    for _ in range(pos.line):
        breaks = [i for i in (text.find("\r", offset), text.find("\n", offset)) if i >= 0]
        if not breaks:
            return len(text)
        offset = min(breaks) + (2 if text.startswith("\r\n", min(breaks)) else 1)
    units = 0
    while units < pos.character and offset < len(text) and text[offset] not in "\r\n":
        units += len(text[offset].encode("utf-16-le")) // 2
        offset += 1
    return offset


def slice_of(text: str, r: types.Range) -> str:
    return text[utf16_offset(text, r.start) : utf16_offset(text, r.end)]


def apply_edit(text: str, edit: types.TextEdit) -> str:
    a, b = utf16_offset(text, edit.range.start), utf16_offset(text, edit.range.end)
    return text[:a] + edit.new_text + text[b:]


# ---------------------------------------------------------------------- fixtures


def _env(tmp: Path, url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop(grammar.URL_ENV, None)
    env[grammar_server.HOME_ENV] = str(tmp)  # no state file of a running LanguageTool
    if url:
        env[grammar.URL_ENV] = url
    return env


def _initialize(client: LspClient, options: dict[str, Any] | None = None) -> types.InitializeResult:
    params = types.InitializeParams(
        process_id=os.getpid(),
        root_uri=None,
        capabilities=types.ClientCapabilities(
            workspace=types.WorkspaceClientCapabilities(
                workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True)
            ),
            text_document=types.TextDocumentClientCapabilities(
                hover=types.HoverClientCapabilities(
                    content_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText]
                )
            ),
        ),
        initialization_options=options,
    )
    result = client.request("initialize", params, types.InitializeResult)
    client.notify("initialized", types.InitializedParams())
    return result


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LspClient]:
    env = _env(tmp_path_factory.mktemp("lsp-home"))
    client = LspClient([sys.executable, "-m", "tonecheck", "lsp", "--grammar", "off"], env)
    client.init_result = _initialize(client, {"debounceMs": 200})  # type: ignore[attr-defined]
    yield client
    client.close()


@pytest.fixture(scope="module")
def reference() -> IncrementalChecker:
    """The engine the server uses, in-process, for the expected findings."""
    return IncrementalChecker(Checker(grammar="off"))


def _open(client: LspClient, uri: str, text: str, language: str = "plaintext") -> None:
    client.notify(
        "textDocument/didOpen",
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        ),
    )


def _change(client: LspClient, uri: str, version: int, text: str, start: int, end: int,
            new: str) -> None:  # fmt: skip
    rng = types.Range(utf16_pos(text, start), utf16_pos(text, end))
    client.notify(
        "textDocument/didChange",
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangePartial(range=rng, text=new)],
        ),
    )


# ---------------------------------------------------------------------- tests (in order)


def test_initialize_capabilities(server: LspClient) -> None:
    result: types.InitializeResult = server.init_result  # type: ignore[attr-defined]
    caps = result.capabilities
    assert result.server_info is not None and result.server_info.name == "tonecheck"
    assert caps.position_encoding in (None, types.PositionEncodingKind.Utf16)
    sync = caps.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions)
    assert sync.change == types.TextDocumentSyncKind.Incremental and sync.open_close
    assert caps.hover_provider
    assert isinstance(caps.code_action_provider, types.CodeActionOptions)
    assert list(caps.code_action_provider.code_action_kinds or ()) == [
        types.CodeActionKind.QuickFix
    ]


def test_diagnostics_on_open_with_exact_utf16_ranges(
    server: LspClient, reference: IncrementalChecker
) -> None:
    _open(server, URI, TEXT)
    diags = server.diagnostics(URI, 1)
    expected = reference.check(TEXT)
    assert len(diags) == len(expected.findings) >= 2
    for d, f in zip(diags, expected.findings, strict=True):
        assert d.range == types.Range(utf16_pos(TEXT, f.start), utf16_pos(TEXT, f.end))
        assert slice_of(TEXT, d.range) == f.text
        assert d.code == f.rule and d.message == f.message and d.source == "tonecheck"
    by_rule = {d.code: d for d in diags}
    deserve = by_rule["entitled.deserve"]
    assert slice_of(TEXT, deserve.range) == "I deserve an explanation"
    # line 2; "Thanks for the interviews 🙏. " is 29 code points but 30 UTF-16 units
    assert deserve.range.start == types.Position(2, 30)
    assert deserve.severity == types.DiagnosticSeverity.Error
    deadline = by_rule["demanding.deadline"]
    assert slice_of(TEXT, deadline.range) == "by Friday"
    assert deadline.severity in (
        types.DiagnosticSeverity.Warning,
        types.DiagnosticSeverity.Information,
    )


def test_code_action_applies_a_suggestion(server: LspClient, reference: IncrementalChecker) -> None:
    deserve = next(f for f in reference.check(TEXT).findings if f.rule == "entitled.deserve")
    rng = types.Range(utf16_pos(TEXT, deserve.start), utf16_pos(TEXT, deserve.end))
    actions = server.request(
        "textDocument/codeAction",
        types.CodeActionParams(
            types.TextDocumentIdentifier(URI), rng, types.CodeActionContext(diagnostics=[])
        ),
        list[types.CodeAction],
    )
    mine = [a for a in actions if a.diagnostics and a.diagnostics[0].code == "entitled.deserve"]
    assert len(mine) == len(deserve.suggestions) >= 1
    assert mine[0].kind == types.CodeActionKind.QuickFix and mine[0].is_preferred
    edit = mine[0].edit
    assert edit is not None and edit.document_changes
    change = edit.document_changes[0]
    assert isinstance(change, types.TextDocumentEdit)
    assert change.text_document.uri == URI and change.text_document.version == 1
    (text_edit,) = change.edits
    assert isinstance(text_edit, types.TextEdit)
    new_text = apply_edit(TEXT, text_edit)
    best = deserve.suggestions[0]
    assert new_text == TEXT[: best.start] + best.text + TEXT[best.end :]
    assert "I deserve" not in new_text

    # the client applies it: the finding is gone in the next diagnostics
    since = len(server.notifications)
    _change(server, URI, 2, TEXT, best.start, best.end, best.text)
    diags = server.diagnostics(URI, 2, since)
    assert "entitled.deserve" not in {d.code for d in diags}
    for d, f in zip(diags, reference.check(new_text).findings, strict=True):
        assert slice_of(new_text, d.range) == f.text
    server.fixed_text = new_text  # type: ignore[attr-defined]


def test_change_debounced_and_ranges_shift(
    server: LspClient, reference: IncrementalChecker
) -> None:
    text: str = server.fixed_text  # type: ignore[attr-defined]
    since = len(server.notifications)
    # five keystrokes typing "Dear " before "Hi": one check after the last (debounce)
    for i, ch in enumerate("Dear "):
        _change(server, URI, 3 + i, text, i, i, ch)
        text = text[:i] + ch + text[i:]
    diags = server.diagnostics(URI, 7, since)
    published = [
        n["params"].get("version")
        for n in server.notifications[since:]
        if n["method"] == "textDocument/publishDiagnostics"
    ]
    assert published == [7]
    expected = reference.check(text)
    assert [slice_of(text, d.range) for d in diags] == [f.text for f in expected.findings]

    # a whole-document change (clients may send the full text instead of a range)
    text = text.replace("Dear Hi", "Dear")
    since = len(server.notifications)
    server.notify(
        "textDocument/didChange",
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=URI, version=8),
            [types.TextDocumentContentChangeWholeDocument(text=text)],
        ),
    )
    diags = server.diagnostics(URI, 8, since)
    expected = reference.check(text)
    assert [slice_of(text, d.range) for d in diags] == [f.text for f in expected.findings]
    assert diags[0].range.start.line == 2  # "Dear Zoë 👋🏽," is still line 0
    server.text = text  # type: ignore[attr-defined]


def test_hover_shows_explanation_and_alternatives(
    server: LspClient, reference: IncrementalChecker
) -> None:
    text: str = server.text  # type: ignore[attr-defined]
    finding = next(f for f in reference.check(text).findings if f.rule == "demanding.deadline")
    hover = server.request(
        "textDocument/hover",
        types.HoverParams(types.TextDocumentIdentifier(URI), utf16_pos(text, finding.start + 3)),
        types.Hover,
    )
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.Markdown
    value = hover.contents.value
    assert "demanding.deadline" in value and finding.message in value
    assert "Try instead" in value
    for s in finding.suggestions:
        assert (s.text or "remove it") in value
    assert hover.range == types.Range(utf16_pos(text, finding.start), utf16_pos(text, finding.end))
    # nothing to say on a clean word
    none = server.request_raw(
        "textDocument/hover", types.HoverParams(types.TextDocumentIdentifier(URI),
                                                types.Position(0, 1)),
    )  # fmt: skip
    assert none["result"] is None


def test_markdown_code_blocks_are_not_checked(server: LspClient) -> None:
    text = "Thanks for your time.\n\n```\nSend me the scorecards.\n```\n\nExplain the decision.\n"
    _open(server, MD_URI, text, "markdown")
    diags = server.diagnostics(MD_URI, 1)
    assert [slice_of(text, d.range) for d in diags] == ["Explain the decision"]
    close = types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(MD_URI))
    server.notify("textDocument/didClose", close)
    closed = server.wait_for(
        lambda n: n["method"] == "textDocument/publishDiagnostics"
        and n["params"]["uri"] == MD_URI and not n["params"]["diagnostics"]
    )  # fmt: skip
    assert closed["params"]["diagnostics"] == []


def test_project_configuration_applies_under_it(server: LspClient, tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "letters").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        "[tool.tonecheck]\n"
        'disable = ["demanding.deadline"]\n'
        "hints = true\n"
        "[tool.tonecheck.severity]\n"
        '"entitled.deserve" = "info"\n',
        "utf-8",
    )
    text = (
        "I deserve an explanation. Send me the notes by Friday.\n\n"
        "The panel spent most of my presentation talking among themselves.\n"
    )
    uri = (project / "letters" / "draft.txt").as_uri()
    _open(server, uri, text)
    by_rule = {d.code: d for d in server.diagnostics(uri, 1)}
    assert "demanding.deadline" not in by_rule  # switched off by the project
    assert "demanding.bare-imperative" in by_rule
    assert by_rule["entitled.deserve"].severity == types.DiagnosticSeverity.Information
    assert slice_of(text, by_rule["defensive.hint"].range).startswith("The panel")  # hints on
    # a broken configuration: one message, and the defaults
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / ".tonecheck.toml").write_text('disable = "not a list"\n', "utf-8")
    since = len(server.notifications)
    other = (broken / "draft.txt").as_uri()
    _open(server, other, text)
    codes = {d.code for d in server.diagnostics(other, 1, since)}
    assert {"demanding.deadline", "entitled.deserve"} <= codes and "defensive.hint" not in codes
    shown = server.wait_for(lambda n: n["method"] == "window/showMessage", since)
    assert ".tonecheck.toml" in shown["params"]["message"]
    assert shown["params"]["type"] == types.MessageType.Error


def test_malformed_messages_and_unknown_methods_do_not_kill_the_server(
    server: LspClient,
) -> None:
    server.send_raw(b"{this is not json")
    server.send_raw(b'{"jsonrpc": "2.0", "id": 9999, "method": "textDocument/hover", "params": 7}')
    unknown = server.request_raw("tonecheck/noSuchMethod", {"x": 1})
    assert unknown["error"]["code"] == types.ErrorCodes.MethodNotFound
    server.notify("tonecheck/noSuchNotification", {})
    # an edit range past the end of the document is clamped, not fatal
    server.notify(
        "textDocument/didChange",
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=URI, version=50),
            [types.TextDocumentContentChangePartial(
                range=types.Range(types.Position(999, 0), types.Position(999, 5)), text="")],
        ),
    )  # fmt: skip
    assert server.proc.poll() is None
    hover = server.request_raw(
        "textDocument/hover",
        types.HoverParams(types.TextDocumentIdentifier(URI), types.Position(0, 0)),
    )
    assert "result" in hover and server.proc.poll() is None


def test_shutdown_and_exit(server: LspClient) -> None:
    assert server.request("shutdown", None) is None
    server.notify("exit", None)
    assert server.proc.wait(15) == 0


@pytest.mark.slow
def test_console_script_exits_when_the_client_goes_away(tonecheck_exe: str, tmp_path: Path) -> None:
    client = LspClient([tonecheck_exe, "lsp", "--grammar", "off"], _env(tmp_path))
    try:
        result = _initialize(client)
        assert result.server_info is not None and result.server_info.name == "tonecheck"
        assert client.proc.stdin is not None
        client.proc.stdin.close()  # no shutdown, no exit: the protocol's exit code is 1
        assert client.proc.wait(30) == 1
    finally:
        client.close()


@pytest.mark.grammar
@pytest.mark.slow
def test_grammar_diagnostics_follow_tone_diagnostics(lt_url: str, tmp_path: Path) -> None:
    client = LspClient([sys.executable, "-m", "tonecheck", "lsp"], _env(tmp_path, lt_url))
    try:
        _initialize(client)
        text = "Thank you for you time 🙂. I deserve an explanation.\n\nHe go to work.\n"
        _open(client, URI, text)
        first = client.wait_for(lambda n: n["method"] == "textDocument/publishDiagnostics")
        start = time.monotonic()
        both = client.wait_for(
            lambda n: (
                n["method"] == "textDocument/publishDiagnostics"
                and any(d.get("source") == "languagetool" for d in n["params"]["diagnostics"])
            ),
            timeout=60,
        )
        assert time.monotonic() - start < 60
        tone_first = [d["source"] for d in first["params"]["diagnostics"]]
        assert "tonecheck" in tone_first
        diags = CONVERTER.structure(both["params"], types.PublishDiagnosticsParams).diagnostics
        grammar_found = {slice_of(text, d.range) for d in diags if d.source == "languagetool"}
        assert {"you", "go"} <= grammar_found  # "for you time", "He go"
        assert any(d.code == "entitled.deserve" for d in diags)
        # an edit in the first paragraph: the first publish already carries the second
        # paragraph's grammar finding (cached by paragraph), at its shifted position
        since = len(client.notifications)
        a = text.index("I deserve an explanation")
        _change(client, URI, 2, text, a, a + len("I deserve an explanation"), "I am grateful")
        text = text[:a] + "I am grateful" + text[a + len("I deserve an explanation") :]
        msg = client.wait_for(
            lambda n: (
                n["method"] == "textDocument/publishDiagnostics" and n["params"].get("version") == 2
            ),
            since,
        )
        first_v2 = next(
            n for n in client.notifications[since:]
            if n["method"] == "textDocument/publishDiagnostics" and n["params"].get("version") == 2
        )  # fmt: skip
        diags = CONVERTER.structure(first_v2["params"], types.PublishDiagnosticsParams).diagnostics
        assert "go" in {slice_of(text, d.range) for d in diags if d.source == "languagetool"}
        assert not any(d.code == "entitled.deserve" for d in diags)
        assert msg["params"]["version"] == 2
        assert client.request("shutdown", None) is None
        client.notify("exit", None)
        assert client.proc.wait(15) == 0
    finally:
        client.close()


def test_no_server_process_left(server: LspClient) -> None:
    assert server.proc.poll() is not None
