"""Install, start, find and stop a local LanguageTool HTTP server.

The server is the plain ``org.languagetool.server.HTTPServer`` from Maven Central: ``install``
runs Maven on the pom that ships in this package (``data/languagetool-pom.xml``) to copy the
jars into ``<cache>/lib``, and ``start`` runs ``java -cp '<cache>/lib/*' ...HTTPServer`` on a
free loopback port. A state file (``<cache>/server.json``) lets later processes, such as the
next CLI run, reuse a server started with :func:`start`. A server started by
:func:`ensure_server` belongs to the calling interpreter and is stopped when it exits.

Everything here is library code: errors are :class:`GrammarError` with a one-line message,
nothing is printed unless ``quiet=False`` is asked of :func:`install`.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

#: Environment variable that overrides the cache directory.
HOME_ENV = "TONECHECK_LANGUAGETOOL_HOME"
#: The main class of LanguageTool's HTTP server.
SERVER_CLASS = "org.languagetool.server.HTTPServer"
STATE_FILE = "server.json"
LOG_FILE = "server.log"
POM_RESOURCE = "languagetool-pom.xml"
HOST = "127.0.0.1"

# Popen objects of servers started by this process, by pid: kept so that the child can be
# reaped (no zombie) and so that Popen.__del__ does not warn about a running child.
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}
# Servers that belong to this interpreter (ensure_server), by cache dir: stopped at exit.
_EPHEMERAL: dict[Path, ServerInfo] = {}


# Warnings and errors only, to stdout (which goes to the log file).
_LOGBACK_XML = """<configuration>
  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{ISO8601} %-5level %logger{36} %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="OUT"/></root>
</configuration>
"""


class GrammarError(RuntimeError):
    """LanguageTool cannot be installed, started or reached; the message is one line."""


class GrammarUnavailable(GrammarError):
    """A check failed because the server went away, timed out or refused the request."""


@dataclass(frozen=True)
class ServerInfo:
    """A running LanguageTool server: what the state file records."""

    pid: int
    port: int
    url: str
    heap: str = "512m"
    classpath: str = ""
    started_at: float = 0.0
    #: Seconds from launching the JVM to the first successful healthcheck.
    startup_seconds: float = 0.0
    #: Seconds of the first check, which loads the English rules (0 when not warmed).
    warmup_seconds: float = 0.0
    #: True for a server of :func:`start` (kept for reuse), False for :func:`ensure_server`.
    persistent: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ServerInfo:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)

    def healthy(self, timeout: float = 2.0) -> bool:
        """Whether the server answers its healthcheck now."""
        return _healthcheck(self.url, timeout)


# --------------------------------------------------------------------------- cache dir


def cache_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The LanguageTool cache directory (jars, state file, server log).

    ``path`` if given, else ``$TONECHECK_LANGUAGETOOL_HOME``, else the user cache dir
    (``$XDG_CACHE_HOME`` or ``~/.cache``; ``%LOCALAPPDATA%`` on Windows) + ``tonecheck/
    languagetool``. Not created here.
    """
    if path is not None:
        return Path(path).expanduser()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "tonecheck" / "languagetool"


def lib_dir(cache: str | os.PathLike[str] | None = None) -> Path:
    return cache_dir(cache) / "lib"


def installed_version(cache: str | os.PathLike[str] | None = None) -> str | None:
    """The LanguageTool version installed in the cache (e.g. ``"6.8"``), or None."""
    lib = lib_dir(cache)
    if not lib.is_dir():
        return None
    for jar in sorted(lib.glob("languagetool-server-*.jar")):
        m = re.fullmatch(r"languagetool-server-(.+)\.jar", jar.name)
        if m:
            return m.group(1)
    return None


def pom_text() -> str:
    """The pom.xml that ships inside the package."""
    return resources.files("tonecheck").joinpath("data", POM_RESOURCE).read_text("utf-8")


# --------------------------------------------------------------------------- install


def install(cache_dir: str | os.PathLike[str] | None = None, quiet: bool = False) -> Path:
    """Download LanguageTool's server jars with Maven into ``<cache>/lib``; return that dir.

    Maven keeps its own cache in ``~/.m2``, so a second install (or one into another cache
    dir) copies jars without downloading. The jars land in a fresh folder that replaces
    ``lib`` only when Maven succeeded, so a failed install leaves a working one intact.
    """
    cache = _cache(cache_dir)
    _require_tool("java", "Java 17+ is needed to run LanguageTool")
    mvn = _require_tool("mvn", "Maven is needed to install LanguageTool")
    cache.mkdir(parents=True, exist_ok=True)
    pom = cache / "pom.xml"
    pom.write_text(pom_text(), encoding="utf-8")
    new = cache / "lib.new"
    shutil.rmtree(new, ignore_errors=True)
    cmd = [
        mvn,
        "-B",  # batch mode: no prompts, no progress bars in captured output
        "-Dstyle.color=never",
        "-f",
        str(pom),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={new}",
        "-DincludeScope=runtime",
    ]
    if quiet:
        cmd.insert(1, "-q")
    else:
        cmd.insert(1, "--no-transfer-progress")
    try:
        proc = subprocess.run(
            cmd,
            cwd=cache,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if quiet else None,
            stderr=subprocess.STDOUT if quiet else None,
            text=True,
            check=False,
        )
    except OSError as e:
        raise GrammarError(f"could not run Maven ({mvn}): {e}") from e
    if proc.returncode != 0:
        shutil.rmtree(new, ignore_errors=True)
        detail = _first_error_line(proc.stdout or "") if quiet else "see Maven's output above"
        raise GrammarError(
            f"installing LanguageTool with Maven failed (exit {proc.returncode}): {detail}"
        )
    if not any(new.glob("languagetool-server-*.jar")) or not any(new.glob("language-en-*.jar")):
        shutil.rmtree(new, ignore_errors=True)
        raise GrammarError(f"Maven ran but no LanguageTool jars were copied into {new}")
    lib = cache / "lib"
    if _same_jars(lib, new):
        # A re-install that changed nothing: keep the folder a running server reads from.
        shutil.rmtree(new, ignore_errors=True)
        return lib
    old = cache / "lib.old"
    shutil.rmtree(old, ignore_errors=True)
    if lib.exists():
        lib.rename(old)
    new.rename(lib)
    shutil.rmtree(old, ignore_errors=True)
    return lib


def _same_jars(a: Path, b: Path) -> bool:
    def listing(d: Path) -> set[tuple[str, int]]:
        return {(p.name, p.stat().st_size) for p in d.glob("*.jar")}

    return a.is_dir() and listing(a) == listing(b)


def _first_error_line(output: str) -> str:
    """The first ``[ERROR]`` line of Maven's output (the one that says what went wrong)."""
    output = re.sub(r"\x1b\[[0-9;]*m", "", output)  # Maven colours some lines even in -B
    for line in output.splitlines():
        line = line.strip()
        if line.startswith("[ERROR]") and len(line) > len("[ERROR]"):
            return line[len("[ERROR]") :].replace("-> [Help 1]", "").strip()[:300]
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    return lines[-1][:300] if lines else "no output"


def _require_tool(name: str, why: str) -> str:
    found = shutil.which(name)
    if not found:
        raise GrammarError(f"`{name}` was not found on PATH: {why}")
    return found


def _cache(path: str | os.PathLike[str] | None) -> Path:
    return cache_dir(path)


# --------------------------------------------------------------------------- lifecycle


def start(
    port: int | None = None,
    heap: str = "512m",
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    classpath: str | None = None,
    timeout: float = 90.0,
    warm: bool = True,
) -> ServerInfo:
    """Start a LanguageTool server for reuse by later processes and return its info.

    If the state file names a live server, that one is returned instead (so ``start`` is
    idempotent). ``port=None`` picks a free loopback port (and another one if that was taken
    meanwhile); an explicit port that is taken is an error. ``classpath`` defaults to
    ``<cache>/lib/*``. With ``warm`` a first short check loads the English rules, so the
    first real check is fast.
    """
    cache = _cache(cache_dir)
    if classpath is None and installed_version(cache) is None and not cache.is_dir():
        # Fail before the lock, which would create the cache dir.
        raise GrammarError(
            f"LanguageTool is not installed in {cache}: run `tonecheck grammar install`"
        )
    with _state_lock(cache):
        running = _read_live_state(cache)
        if running is not None:
            return running
        info = _launch(cache, port, heap, classpath, timeout, warm, persistent=True)
        _write_state(cache, info)
        return info


def ensure_server(
    heap: str = "512m",
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    classpath: str | None = None,
    timeout: float = 90.0,
    warm: bool = True,
) -> ServerInfo:
    """A server for this interpreter: a running one (state file) or a new one stopped at exit.

    The new server is not written to the state file, because it dies with this process and
    another process must not come to rely on it.
    """
    cache = _cache(cache_dir)
    key = cache.resolve()
    own = _EPHEMERAL.get(key)
    if own is not None and _pid_alive(own.pid):
        return own
    running = _read_live_state(cache)
    if running is not None:
        return running
    info = _launch(cache, None, heap, classpath, timeout, warm=warm, persistent=False)
    _EPHEMERAL[key] = info
    return info


def running(cache_dir: str | os.PathLike[str] | None = None) -> ServerInfo | None:
    """A live server this process can use without starting one: the state file's server,
    else one that this interpreter started for itself with :func:`ensure_server`."""
    info = status(cache_dir)
    if info is not None:
        return info
    own = _EPHEMERAL.get(_cache(cache_dir).resolve())
    return own if own is not None and _pid_alive(own.pid) else None


def status(cache_dir: str | os.PathLike[str] | None = None) -> ServerInfo | None:
    """The server recorded in the state file if its process is alive, else None.

    A stale state file (its process is gone) is removed.
    """
    cache = _cache(cache_dir)
    if not cache.is_dir():
        return None
    with _state_lock(cache):
        return _read_live_state(cache)


def stop(cache_dir: str | os.PathLike[str] | None = None, timeout: float = 15.0) -> bool:
    """Stop the server of the state file (and an own one of this interpreter).

    Returns True if a running server was stopped, False if none was running. The state file
    is removed either way.
    """
    cache = _cache(cache_dir)
    stopped = False
    if cache.is_dir():
        with _state_lock(cache):
            info = _read_live_state(cache)
            if info is not None:
                stopped = _terminate(info.pid, timeout)
            _remove_state(cache)
    own = _EPHEMERAL.pop(cache.resolve(), None)
    if own is not None and _pid_alive(own.pid):
        stopped = _terminate(own.pid, timeout) or stopped
    return stopped


def server_command(port: int, heap: str, classpath: str, logback: Path) -> list[str]:
    """The java command line of a server (localhost only: no ``--public``)."""
    java = _require_tool("java", "Java 17+ is needed to run LanguageTool")
    return [
        java,
        f"-Xmx{heap}",
        # The server binds "localhost"; make that 127.0.0.1 (what we poll), never ::1 only.
        "-Djava.net.preferIPv4Stack=true",
        # Per-request INFO lines would make the log grow without bound on a long-lived server.
        f"-Dlogback.configurationFile={logback}",
        "-cp",
        classpath,
        SERVER_CLASS,
        "--port",
        str(port),
        "--allow-origin",
        "*",
    ]


def _launch(
    cache: Path,
    port: int | None,
    heap: str,
    classpath: str | None,
    timeout: float,
    warm: bool,
    persistent: bool,
) -> ServerInfo:
    if not re.fullmatch(r"\d+[kKmMgG]?", heap):
        raise GrammarError(f"invalid heap size {heap!r} (use e.g. 512m or 1g)")
    if classpath is None:
        if installed_version(cache) is None:
            raise GrammarError(
                f"LanguageTool is not installed in {cache}: run `tonecheck grammar install`"
            )
        classpath = str(lib_dir(cache) / "*")
    cache.mkdir(parents=True, exist_ok=True)
    # Auto ports: a free port can be taken between our probe and the JVM's bind, so retry.
    attempts = 1 if port is not None else 3
    last_error = ""
    for _ in range(attempts):
        chosen = port if port is not None else _free_port()
        if port is not None and not _port_free(chosen):
            raise GrammarError(f"port {chosen} on {HOST} is already in use; pick another port")
        try:
            return _spawn(cache, chosen, heap, classpath, timeout, warm, persistent)
        except _PortTaken as e:
            last_error = str(e)
            if port is not None:
                raise GrammarError(str(e)) from None
    raise GrammarError(last_error or "could not find a free port for LanguageTool")


class _PortTaken(GrammarError):
    pass


def _spawn(
    cache: Path,
    port: int,
    heap: str,
    classpath: str,
    timeout: float,
    warm: bool,
    persistent: bool,
) -> ServerInfo:
    logback = cache / "logback.xml"
    logback.write_text(_LOGBACK_XML, encoding="utf-8")
    cmd = server_command(port, heap, classpath, logback)
    log_path = cache / LOG_FILE
    t0 = time.monotonic()
    with open(log_path, "wb") as log:
        try:
            proc = subprocess.Popen(
                cmd,
                cwd=cache,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Own session: a Ctrl-C in the terminal that ran `grammar start` must not
                # reach a server meant to outlive it.
                start_new_session=persistent and os.name == "posix",
            )
        except OSError as e:
            raise GrammarError(f"could not run java: {e}") from e
    _CHILDREN[proc.pid] = proc
    url = f"http://{HOST}:{port}"
    deadline = t0 + timeout
    while True:
        code = proc.poll()
        if code is not None:
            _CHILDREN.pop(proc.pid, None)
            reason = _log_reason(log_path)
            if "Address already in use" in reason or "PortBindingException" in reason:
                raise _PortTaken(f"port {port} on {HOST} is already in use")
            raise GrammarError(
                f"LanguageTool server exited at start (code {code}): {reason} (log: {log_path})"
            )
        if _healthcheck(url, timeout=1.0):
            break
        if time.monotonic() > deadline:
            _terminate(proc.pid, 5.0)
            raise GrammarError(
                f"LanguageTool server did not answer within {timeout:.0f}s (log: {log_path})"
            )
        time.sleep(0.1)
    startup = time.monotonic() - t0
    warmup = 0.0
    if warm:
        t1 = time.monotonic()
        _warm_up(url)
        warmup = time.monotonic() - t1
    return ServerInfo(
        pid=proc.pid,
        port=port,
        url=url,
        heap=heap,
        classpath=classpath,
        started_at=time.time(),
        startup_seconds=round(startup, 3),
        warmup_seconds=round(warmup, 3),
        persistent=persistent,
    )


def _warm_up(url: str) -> None:
    """One small English check: LanguageTool loads a language's rules on first use."""
    data = urllib.parse.urlencode({"language": "en-US", "text": "This is a test."}).encode()
    with contextlib.suppress(OSError):
        urllib.request.urlopen(f"{url}/v2/check", data=data, timeout=60).close()


def _log_reason(log_path: Path) -> str:
    """The most telling line of a server log that ended in an error."""
    try:
        lines = log_path.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return "no log"
    for key in ("Caused by:", "Exception", "Error"):
        hits = [ln.strip() for ln in lines if key in ln and not ln.strip().startswith("at ")]
        if hits:
            return hits[-1][:300]
    tail = [ln.strip() for ln in lines if ln.strip()]
    return tail[-1][:300] if tail else "no output"


def _healthcheck(url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/v2/healthcheck", timeout=timeout) as r:
            return bool(r.status == 200)
    except (OSError, ValueError):
        return False


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


# --------------------------------------------------------------------------- processes


def _pid_alive(pid: int) -> bool:
    """Whether ``pid`` is a running (not zombie) LanguageTool server process."""
    child = _CHILDREN.get(pid)
    if child is not None:
        if child.poll() is not None:
            _CHILDREN.pop(pid, None)
            return False
        return True
    if pid <= 0:
        return False
    proc = Path(f"/proc/{pid}")
    if proc.is_dir():
        # Linux: check it is still our server (pids get reused) and not a zombie.
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        return SERVER_CLASS.encode() in cmdline and state not in ("Z", "X")
    if Path("/proc/self").is_dir():
        return False  # Linux without that pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _terminate(pid: int, timeout: float) -> bool:
    """SIGTERM (the JVM shuts down cleanly), then SIGKILL after ``timeout``; reap if ours."""
    if not _pid_alive(pid):
        return False
    child = _CHILDREN.pop(pid, None)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child is not None:
            if child.poll() is not None:
                return True
        elif not _pid_alive(pid):
            return True
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
    if child is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=5)
    return True


@atexit.register
def _stop_ephemeral() -> None:
    """Stop the servers this interpreter started for itself (never those of ``start``)."""
    for key, info in list(_EPHEMERAL.items()):
        _terminate(info.pid, 10.0)
        _EPHEMERAL.pop(key, None)


# --------------------------------------------------------------------------- state file


def _read_live_state(cache: Path) -> ServerInfo | None:
    path = cache / STATE_FILE
    try:
        data = json.loads(path.read_text("utf-8"))
        info = ServerInfo.from_dict(data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError):
        _remove_state(cache)  # unreadable: treat as stale
        return None
    if not _pid_alive(info.pid):
        _remove_state(cache)
        return None
    return info


def _write_state(cache: Path, info: ServerInfo) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(info.to_dict(), indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, cache / STATE_FILE)  # atomic: readers never see half a file


def _remove_state(cache: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (cache / STATE_FILE).unlink()


@contextlib.contextmanager
def _state_lock(cache: Path) -> Iterator[None]:
    """Serialise start/stop/status between processes (POSIX ``flock``; a no-op elsewhere)."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / "server.lock", "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
