"""The tonecheck language server: tone findings as editor diagnostics, with quick fixes.

Run it with ``tonecheck lsp`` (or ``python -m tonecheck lsp``); it speaks the Language
Server Protocol over standard input/output (pygls). Editor set-up: see the README.

- **Diagnostics** on open and change (debounced) of plain-text, Markdown and email
  documents (any languageId unless ``initializationOptions.languageIds`` restricts it):
  range, severity (error/warning/info), source ``tonecheck``, code = rule id, message.
- **Quick fixes** (``textDocument/codeAction``): one per suggestion, replacing the
  suggestion's own range (which may be the whole sentence).
- **Hover**: the rule's explanation and the alternatives.
- **Grammar**: when a LanguageTool server is configured or running (``tonecheck grammar
  start``; never started from here), its findings are published after the tone
  diagnostics, from a worker thread, so they never delay them.

Project configuration (``[tool.tonecheck]`` in ``pyproject.toml`` or ``.tonecheck.toml``,
found by walking up from the document's file, as for the command line) applies to the
documents under it: rules and categories switched off, severities, user rule files,
accepted phrases, hints. A broken configuration file is reported once (a message) and the
documents are checked with the defaults.

Positions are LSP positions: UTF-16 code units unless the client offers another encoding
(see :mod:`tonecheck.positions`). Re-checks after a keystroke re-parse only the changed
paragraphs (:class:`~tonecheck.incremental.IncrementalChecker`).

``initializationOptions`` (all optional)::

    {"languageIds": ["plaintext", "markdown", "email"],   # default: every document
     "debounceMs": 200, "grammar": "auto" | "off", "model": "en_core_web_sm"}
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from . import __version__
from .incremental import Checked, IncrementalChecker, Paragraph
from .positions import UTF8, UTF16, UTF32, LineIndex, apply_change
from .report import Finding

log = logging.getLogger(__name__)

SOURCE = "tonecheck"
GRAMMAR_SOURCE = "languagetool"
DEFAULT_DEBOUNCE = 0.2
SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}
#: languageId -> tonecheck input format (see tonecheck.markup); anything else is plain
INPUT_FORMATS = {
    "markdown": "markdown",
    "md": "markdown",
    "email": "email",
    "mail": "email",
    "eml": "email",
    "message": "email",
}
_ENCODINGS: dict[str, str] = {
    types.PositionEncodingKind.Utf8.value: UTF8,
    types.PositionEncodingKind.Utf16.value: UTF16,
    types.PositionEncodingKind.Utf32.value: UTF32,
}
_GRAMMAR_CACHE_SIZE = 2048


@dataclass
class Document:
    """An open document as the client last described it."""

    uri: str
    language_id: str
    version: int
    text: str
    generation: int = 0  # bumped on every change; a check publishes only if still current
    checked: Checked | None = None
    checked_text: str | None = None  # the text ``checked`` is of
    grammar: list[Finding] = field(default_factory=list)  # for checked_text

    @property
    def input_format(self) -> str:
        return INPUT_FORMATS.get(self.language_id.lower(), "plain")


class ToneServer(LanguageServer):
    """The pygls server; :func:`create_server` registers its features."""

    def __init__(
        self,
        *,
        debounce: float = DEFAULT_DEBOUNCE,
        grammar: str = "auto",
        model: str | None = None,
        checker: IncrementalChecker | None = None,
    ) -> None:
        super().__init__(
            "tonecheck",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.docs: dict[str, Document] = {}
        self.debounce = debounce
        self.grammar_mode = grammar
        self.model = model
        self.language_ids: set[str] | None = None  # None: every document
        self._inc = checker
        self._tone_pool = ThreadPoolExecutor(1, thread_name_prefix="tonecheck-tone")
        self._grammar_pool = ThreadPoolExecutor(1, thread_name_prefix="tonecheck-grammar")
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._grammar_link: Any = None  # tonecheck.grammar.GrammarLink, made on first use
        self._grammar_cache: OrderedDict[str, tuple[Finding, ...]] = OrderedDict()
        # project configuration file -> (its modification time, the checker it asks for)
        self._configured: dict[Path, tuple[int, IncrementalChecker]] = {}
        self._config_errors: set[str] = set()  # reported once each
        self._checked_with: dict[str, IncrementalChecker] = {}  # uri -> its last checker
        self.shutdown_requested = False

    # ------------------------------------------------------------------ helpers
    @property
    def inc(self) -> IncrementalChecker:
        if self._inc is None:
            from .checker import Checker

            self._inc = IncrementalChecker(Checker(self.model, grammar="off"))
        return self._inc

    def checker_for(self, uri: str) -> IncrementalChecker:
        """The checker for a document: the one its project configuration asks for (the
        nearest ``.tonecheck.toml`` or ``pyproject.toml`` with ``[tool.tonecheck]`` above
        the file, as for the command line), re-read when the file changes; the default
        checker for documents outside any project, unsaved ones and broken files."""
        from .config import ConfigError, checker_options, find_config_file, load_config

        path = _fs_path(uri)
        if path is None:
            return self.inc
        try:
            found = find_config_file(path.parent)
            if found is None:
                return self.inc
            mtime = found.stat().st_mtime_ns
            known = self._configured.get(found)
            if known is not None and known[0] == mtime:
                return known[1]
            options = checker_options(load_config(found))
        except (ConfigError, OSError) as exc:
            message = f"tonecheck: {exc}; checking with the default settings"
            if message not in self._config_errors:  # once, not on every keystroke
                self._config_errors.add(message)
                self.window_show_message(types.ShowMessageParams(types.MessageType.Error, message))
            return self.inc
        from .checker import Checker

        inc = IncrementalChecker(Checker(self.model, grammar="off", **options.kwargs()))
        self._configured[found] = (mtime, inc)
        return inc

    @property
    def encoding(self) -> str:
        try:
            enc = self.workspace.position_encoding
        except RuntimeError:  # before initialize
            return UTF16
        return _ENCODINGS.get(str(getattr(enc, "value", enc)), UTF16) if enc else UTF16

    def wanted(self, language_id: str) -> bool:
        return self.language_ids is None or language_id in self.language_ids

    def index(self, doc: Document) -> LineIndex:
        return LineIndex(doc.text, self.encoding)

    def lsp_range(self, idx: LineIndex, start: int, end: int) -> types.Range:
        (sl, sc), (el, ec) = idx.range(start, end)
        return types.Range(types.Position(sl, sc), types.Position(el, ec))

    def diagnostic(self, idx: LineIndex, f: Finding) -> types.Diagnostic:
        return types.Diagnostic(
            range=self.lsp_range(idx, f.start, f.end),
            message=f.message,
            severity=SEVERITY.get(f.severity, types.DiagnosticSeverity.Warning),
            code=f.rule,
            source=SOURCE if f.source == "tonecheck" else GRAMMAR_SOURCE,
            data={"category": f.category},
        )

    def findings(self, doc: Document) -> list[Finding]:
        """Tone and grammar findings of the last check (which is of ``doc.text`` or older)."""
        if doc.checked is None:
            return []
        return sorted([*doc.checked.report.findings, *doc.grammar], key=lambda f: f.start)

    def publish(self, doc: Document) -> None:
        idx = self.index(doc)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=doc.uri,
                version=doc.version,
                diagnostics=[self.diagnostic(idx, f) for f in self.findings(doc)],
            )
        )

    # ------------------------------------------------------------------ checking
    def schedule(self, doc: Document, delay: float) -> None:
        """Check ``doc`` after ``delay`` seconds unless it changes again before."""
        old = self._pending.pop(doc.uri, None)
        if old is not None:
            old.cancel()
        task = asyncio.get_running_loop().create_task(self._check(doc, doc.generation, delay))
        self._pending[doc.uri] = task

    async def _check(self, doc: Document, generation: int, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        if await self.ensure_checked(doc) is None or doc.generation != generation:
            return
        self.publish(doc)
        if self.grammar_mode != "off" and doc.checked is not None:
            await self._grammar(doc, generation, doc.checked)

    async def ensure_checked(self, doc: Document) -> Checked | None:
        """The check of ``doc``'s current text (run now if the last one is older)."""
        while doc.checked is None or doc.checked_text != doc.text:
            text, generation = doc.text, doc.generation
            loop = asyncio.get_running_loop()
            try:
                checked = await loop.run_in_executor(
                    self._tone_pool, self._run_check, doc.uri, text, doc.input_format
                )
            except Exception as exc:  # never let one document take the server down
                log.exception("check of %s failed", doc.uri)
                self.window_log_message(
                    types.LogMessageParams(types.MessageType.Error, f"tonecheck: {exc}")
                )
                return None
            if self.docs.get(doc.uri) is not doc:
                return None  # closed meanwhile
            if doc.generation == generation:
                doc.checked, doc.checked_text = checked, text
                doc.grammar = self._cached_grammar(checked)
        return doc.checked

    def _run_check(self, uri: str, text: str, input_format: str) -> Checked:
        inc = self.checker_for(uri)
        # hover reads the explanations from the same checker, without looking for (and
        # perhaps loading) one on the event loop
        self._checked_with[uri] = inc
        return inc.check_full(text, input_format=input_format)

    # ------------------------------------------------------------------ grammar
    def _cached_grammar(self, checked: Checked) -> list[Finding]:
        """Grammar findings of the paragraphs already checked by LanguageTool."""
        out: list[Finding] = []
        for p in checked.paragraphs:
            found = self._grammar_cache.get(p.text)
            if found:
                out.extend(_shift(f, p.offset) for f in found)
        return _unsuppressed(out, checked)

    async def _grammar(self, doc: Document, generation: int, checked: Checked) -> None:
        todo = [p for p in checked.paragraphs if p.text not in self._grammar_cache]
        if not todo:
            return
        loop = asyncio.get_running_loop()
        try:
            done, warnings = await loop.run_in_executor(self._grammar_pool, self._run_grammar, todo)
        except Exception as exc:
            log.exception("grammar check failed")
            warnings, done = [f"grammar checks skipped: {exc}"], False
        for w in warnings:
            self.window_log_message(types.LogMessageParams(types.MessageType.Warning, w))
        if not done or doc.generation != generation or self.docs.get(doc.uri) is not doc:
            return
        doc.grammar = self._cached_grammar(checked)
        self.publish(doc)

    def _run_grammar(self, paragraphs: Sequence[Paragraph]) -> tuple[bool, list[str]]:
        """Check paragraphs with LanguageTool into the cache; False if there is no server."""
        if self._grammar_link is None:
            from .grammar import GrammarLink

            self._grammar_link = GrammarLink("auto")  # never starts a JVM
        link = self._grammar_link
        if link.connect() is None:
            return False, []
        for p in paragraphs:
            if not p.text.strip():
                self._grammar_cache[p.text] = ()
                continue
            found, warnings = link.check([(0, p.text, p.names, p.sentences, 0)])
            if warnings:
                return False, warnings
            self._grammar_cache[p.text] = tuple(found)
        while len(self._grammar_cache) > _GRAMMAR_CACHE_SIZE:
            self._grammar_cache.popitem(last=False)
        return True, []

    # ------------------------------------------------------------------ lifecycle
    def close_pools(self) -> None:
        for task in self._pending.values():
            task.cancel()
        self._pending.clear()
        self._tone_pool.shutdown(wait=False, cancel_futures=True)
        self._grammar_pool.shutdown(wait=False, cancel_futures=True)


def _shift(f: Finding, offset: int) -> Finding:
    if not offset:
        return f
    return replace(
        f,
        start=f.start + offset,
        end=f.end + offset,
        suggestions=tuple(
            replace(s, start=s.start + offset, end=s.end + offset) for s in f.suggestions
        ),
    )


def _unsuppressed(findings: list[Finding], checked: Checked) -> list[Finding]:
    from .markup import suppressed

    sups = checked.prepared.suppressions
    text = checked.report.text
    return [
        replace(f, text=text[f.start : f.end])
        for f in findings
        if not (sups and suppressed(f.rule, f.category, f.start, sups))
    ]


def _shorten(s: str, n: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _title(f: Finding, text: str, start: int, end: int, doc_text: str) -> str:
    if not text:
        return f"Remove “{_shorten(doc_text[start:end])}”"
    if (start, end) != (f.start, f.end):
        return f"Rewrite as “{_shorten(text)}”"
    return f"Replace with “{_shorten(text)}”"


def hover_markdown(f: Finding, why: str) -> str:
    """The hover text for one finding (Markdown)."""
    lines = [f"**{f.category}** · `{f.rule}` ({f.severity})", "", f.message]
    if why:
        lines += ["", why]
    if f.suggestions:
        lines += ["", "**Try instead:**"]
        for s in f.suggestions:
            lines.append(f"- {s.text}" if s.text else "- remove it")
    return "\n".join(lines)


def _fs_path(uri: str) -> Path | None:
    """The file a ``file:`` URI names, or None for other schemes (unsaved buffers)."""
    if not uri.startswith("file:"):
        return None
    from pygls.uris import to_fs_path

    path = to_fs_path(uri)
    return Path(path) if path else None


def create_server(
    *,
    debounce: float = DEFAULT_DEBOUNCE,
    grammar: str = "auto",
    model: str | None = None,
    checker: IncrementalChecker | None = None,
) -> ToneServer:
    """A server with every feature registered (not started)."""
    server = ToneServer(debounce=debounce, grammar=grammar, model=model, checker=checker)

    @server.feature(types.INITIALIZE)
    def initialize(ls: ToneServer, params: types.InitializeParams) -> None:
        opts = params.initialization_options
        if not isinstance(opts, dict):
            return
        ids = opts.get("languageIds")
        if isinstance(ids, list) and ids and "*" not in ids:
            ls.language_ids = {str(i) for i in ids}
        if isinstance(opts.get("debounceMs"), int | float):
            ls.debounce = max(0.0, float(opts["debounceMs"]) / 1000)
        if opts.get("grammar") in ("auto", "off"):
            ls.grammar_mode = opts["grammar"]
        if isinstance(opts.get("model"), str) and ls._inc is None:
            ls.model = opts["model"]

    @server.feature(types.INITIALIZED)
    def initialized(ls: ToneServer, params: types.InitializedParams) -> None:
        # load the spaCy pipeline now, so the first document does not wait for it
        ls._tone_pool.submit(lambda: ls.inc.checker.nlp)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ToneServer, params: types.DidOpenTextDocumentParams) -> None:
        td = params.text_document
        if not ls.wanted(td.language_id):
            return
        doc = Document(td.uri, td.language_id, td.version, td.text)
        ls.docs[td.uri] = doc
        ls.schedule(doc, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ToneServer, params: types.DidChangeTextDocumentParams) -> None:
        doc = ls.docs.get(params.text_document.uri)
        if doc is None:
            return
        text = doc.text
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                r = change.range
                text = apply_change(
                    text,
                    (r.start.line, r.start.character),
                    (r.end.line, r.end.character),
                    change.text,
                    ls.encoding,
                )
            else:
                text = change.text
        doc.text = text
        doc.version = params.text_document.version
        doc.generation += 1
        ls.schedule(doc, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ToneServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if ls.docs.pop(uri, None) is None:
            return
        ls._checked_with.pop(uri, None)
        task = ls._pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    async def code_action(
        ls: ToneServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        doc = ls.docs.get(params.text_document.uri)
        if doc is None or await ls.ensure_checked(doc) is None:
            return None
        idx = ls.index(doc)
        r = params.range
        start = idx.offset(r.start.line, r.start.character)
        end = idx.offset(r.end.line, r.end.character)
        caps = ls.client_capabilities.workspace
        versioned = bool(caps and caps.workspace_edit and caps.workspace_edit.document_changes)
        actions: list[types.CodeAction] = []
        for f in ls.findings(doc):
            if not (f.start <= end and start <= f.end):
                continue
            diag = ls.diagnostic(idx, f)
            for i, s in enumerate(f.suggestions):
                edit = types.TextEdit(range=ls.lsp_range(idx, s.start, s.end), new_text=s.text)
                if versioned:
                    ws = types.WorkspaceEdit(
                        document_changes=[
                            types.TextDocumentEdit(
                                text_document=types.OptionalVersionedTextDocumentIdentifier(
                                    uri=doc.uri, version=doc.version
                                ),
                                edits=[edit],
                            )
                        ]
                    )
                else:
                    ws = types.WorkspaceEdit(changes={doc.uri: [edit]})
                actions.append(
                    types.CodeAction(
                        title=_title(f, s.text, s.start, s.end, doc.text),
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diag],
                        edit=ws,
                        is_preferred=i == 0,
                    )
                )
        return actions

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: ToneServer, params: types.HoverParams) -> types.Hover | None:
        doc = ls.docs.get(params.text_document.uri)
        if doc is None or await ls.ensure_checked(doc) is None:
            return None
        idx = ls.index(doc)
        pos = idx.offset(params.position.line, params.position.character)
        hits = [f for f in ls.findings(doc) if f.start <= pos < f.end]
        if not hits:
            return None
        inc = ls._checked_with.get(doc.uri, ls.inc)
        parts = [hover_markdown(f, inc.explanation(f.rule)) for f in hits]
        hover_caps = ls.client_capabilities.text_document
        formats = (
            hover_caps.hover.content_format
            if hover_caps and hover_caps.hover and hover_caps.hover.content_format
            else [types.MarkupKind.Markdown]
        )
        kind = (
            types.MarkupKind.Markdown
            if types.MarkupKind.Markdown in formats
            else types.MarkupKind.PlainText
        )
        value = "\n\n---\n\n".join(parts)
        if kind == types.MarkupKind.PlainText:
            value = value.replace("**", "").replace("`", "")
        return types.Hover(
            contents=types.MarkupContent(kind=kind, value=value),
            range=ls.lsp_range(idx, min(f.start for f in hits), max(f.end for f in hits)),
        )

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: ToneServer, params: None) -> None:
        ls.shutdown_requested = True
        ls.close_pools()

    return server


def serve(
    *, debounce: float = DEFAULT_DEBOUNCE, grammar: str = "auto", model: str | None = None
) -> None:
    """Run the server over stdin/stdout until the client sends ``exit`` or goes away."""
    logging.basicConfig(
        level=os.environ.get("TONECHECK_LSP_LOG", "WARNING").upper(),
        stream=sys.stderr,
        format="tonecheck-lsp %(levelname)s %(name)s: %(message)s",
    )
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must not corrupt the protocol stream
    server = create_server(debounce=debounce, grammar=grammar, model=model)
    try:
        server.start_io(stdin, stdout)
    finally:
        server.close_pools()
        sys.stderr.flush()
    # the protocol's exit code: 0 after shutdown, 1 otherwise; do not wait for a worker
    # thread still busy with a stale check
    os._exit(0 if server.shutdown_requested else 1)
