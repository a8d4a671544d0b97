"""The notebooks in notebooks/ run top to bottom on the installed package.

Each one is executed with nbclient in a ``python3`` kernel of this very interpreter (the
working directory is notebooks/), and must finish without an error and show the kind of
output it exists for: its figures, its tables, its highlighted drafts. The committed files
must carry no outputs (no corpus sentences in the repository, small diffs).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tonecheck.politeness_data import DATA_ENV, default_data_path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NAMES = ("01-rule-corpus", "02-politeness-model", "03-before-after")
CELL_TIMEOUT = 300  # seconds per cell (the politeness corpus parse is the slowest)
# Names jupyter_client replaces with sys.executable when it launches a kernel.
_PYTHON_NAMES = {
    "python",
    f"python{sys.version_info[0]}",
    "python{}.{}".format(*sys.version_info[:2]),
}
_PROBE = "import sys\nprint('KERNEL-PREFIX=' + sys.prefix)"


def _read(name: str) -> Any:
    nbformat = pytest.importorskip("nbformat", reason="needs the notebooks extra")
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def test_committed_notebooks_have_no_outputs() -> None:
    """Outputs are cleared before committing: no data in the repository, readable diffs."""
    for name in NAMES:
        path = NOTEBOOKS / f"{name}.ipynb"
        assert path.stat().st_size < 40_000, f"{path.name} is unexpectedly large"
        nb = _read(name)
        assert nb.metadata.kernelspec.name == "python3"
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                assert cell.outputs == [], f"{path.name}: cell {i} has outputs"
                assert cell.execution_count is None, f"{path.name}: cell {i} was executed"


@pytest.fixture(scope="module")
def kernel_name(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python3``, made to launch this interpreter: the installed kernelspec when it does
    (argv ``python`` is replaced by sys.executable at launch), else a temporary one put
    first on JUPYTER_PATH."""
    pytest.importorskip("nbclient", reason="needs the notebooks extra")
    pytest.importorskip("ipykernel", reason="needs the notebooks extra")
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        argv0 = KernelSpecManager().get_kernel_spec("python3").argv[0]
    except NoSuchKernel:
        argv0 = ""
    if argv0 in _PYTHON_NAMES or argv0 == sys.executable:
        yield "python3"
        return
    base = tmp_path_factory.mktemp("jupyter")
    kdir = base / "kernels" / "python3"
    kdir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (tonecheck tests)",
        "language": "python",
    }
    (kdir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(
            "JUPYTER_PATH",
            os.pathsep.join(filter(None, [str(base), os.environ.get("JUPYTER_PATH")])),
        )
        assert KernelSpecManager().get_kernel_spec("python3").argv[0] == sys.executable
        yield "python3"


def _execute(name: str, kernel: str) -> tuple[list[dict[str, Any]], str]:
    """Run a notebook (plus a probe cell for the kernel's interpreter); return its outputs
    and all its text (streams and text/plain)."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell

    nb = _read(name)
    nb.cells.append(new_code_cell(_PROBE))
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(
        o.get("text", "") if o.output_type == "stream" else o.get("data", {}).get("text/plain", "")
        for o in outputs
    )
    assert f"KERNEL-PREFIX={sys.prefix}" in text, "the kernel ran another Python environment"
    return outputs, text


def _count(outputs: list[dict[str, Any]], mime: str) -> int:
    return sum(mime in o.get("data", {}) for o in outputs)


@pytest.mark.slow
def test_rule_corpus_notebook(kernel_name: str) -> None:
    outputs, text = _execute("01-rule-corpus", kernel_name)
    assert _count(outputs, "image/png") >= 3  # precision/recall, 2x2 matrices, label sets
    assert "== dev (" in text and "== test (" in text and "recall" in text
    assert "dev false positives:" in text and "dev misses:" in text


@pytest.mark.slow
@pytest.mark.skipif(not default_data_path().is_file(), reason="politeness corpus not found")
def test_politeness_notebook_with_data(kernel_name: str) -> None:
    outputs, text = _execute("02-politeness-model", kernel_name)
    assert _count(outputs, "image/png") >= 3  # accuracy bars, ROC curve, strategy weights
    assert "NOT held out" in text and "ROC AUC" in text
    assert "SKIPPED" not in text


@pytest.mark.slow
def test_politeness_notebook_without_data(
    kernel_name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without the corpus the notebook still runs, and says what it skipped."""
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "absent.csv"))  # the kernel inherits it
    outputs, text = _execute("02-politeness-model", kernel_name)
    assert "SKIPPED: the politeness corpus is not at" in text
    assert "SKIPPED (no corpus): the ROC curve." in text
    assert _count(outputs, "image/png") >= 2  # peer figures and weights need no corpus


@pytest.mark.slow
def test_before_after_notebook(kernel_name: str) -> None:
    outputs, text = _execute("03-before-after", kernel_name)
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert len(html) == len(list((ROOT / "corpora" / "drafts").glob("bad-*.txt")))
    assert any("<mark" in h for h in html)
    assert "tone score" in "".join(html) and "mean" in text
    assert _count(outputs, "image/png") >= 1
