"""How long a reader waits: each chapter run top to bottom in a fresh kernel, and the book built from a clean clone.

Every chapter's executed notebook (``chapters/NAME.ipynb``) is run as a reader runs it, with
``jupyter nbconvert --to notebook --execute`` in a fresh process (kernel start included), into a temporary
directory, one chapter at a time, with none of the build's settings (no ``ISINGSC_HTML_BUILD``, no
``ISINGSC_BUILD_WORKERS``), twice:

* ``NAME [computes all]``: with ``ISINGSC_SHARED_CACHE=off``, so that every result is computed in the run
  (nothing stored by an earlier run or by the build is read);
* ``NAME``: after README's build command (``jupyter-book build . -W -n --keep-going``, timed as
  ``build``, without the ``pip install``), as a reader meets the chapter in the book's repository: its
  set-up cell calls ``isingsc.book.build_cache.reuse_build_results()``, so the results the build
  computed with this very library and the same arguments are read, and everything else is computed.

The cells' own times come from the executed notebook (nbclient records when each cell started and
finished); the rest is the kernel's start, nbconvert and reading/writing the notebook.

By default everything runs in a fresh ``git clone`` of this repository's HEAD (committed code only, no
``_build``, no ``__pycache__``); the clone's ``lib`` comes first on ``PYTHONPATH`` so that the kernels and
the build import the clone's library, with this virtual environment's packages.  Run it alone, under the
project's lock, and repeat it: the machine's speed varies between runs::

    flock /tmp/isingsc-heavy.lock .venv/bin/python benchmarks/chapters.py --repeat 3
    .venv/bin/python benchmarks/chapters.py --chapters model --cells 5 --no-computes-all --tree

Prints ``NAME [computes all]: X s``, ``build: X s`` and ``NAME: X s`` lines (the median of the repeats,
then every run, the cells' share and the slowest cells with ``--cells``), then the same as a Markdown
table (the one in benchmarks/README.md).

With ``--baseline COMMIT`` that commit is cloned too and every measurement is made for both, one right
after the other (the order alternating between repeats), so that the comparison is made on the same
machine at the same load; the baseline's figure follows each line and has its own column::

    .venv/bin/python benchmarks/chapters.py --baseline cb4e712 --repeat 2
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Environment variables of the book build and the test suite that a reader's kernel does not have.
BUILD_ONLY_ENV = ("ISINGSC_SHARED_CACHE", "ISINGSC_HTML_BUILD", "ISINGSC_BUILD_WORKERS")


def host():
    """``model name`` of the CPU, the number of cores, Python and the load average."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{model}, nproc = {os.cpu_count()}, Python {platform.python_version()}, load average {load}"


def chapter_names(root):
    """The chapters of ``_toc.yml`` that are notebooks, in the book's order."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    return [Path(f).name for f in files if f.startswith("chapters/") and (root / f"{f}.ipynb").is_file()]


def reader_env(root, computes_all=False):
    """A reader's environment: no build settings (``ISINGSC_SHARED_CACHE=off`` with ``computes_all``);
    the library of ``root`` imported first."""
    env = {k: v for k, v in os.environ.items() if k not in BUILD_ONLY_ENV}
    if computes_all:
        env["ISINGSC_SHARED_CACHE"] = "off"
    env["PYTHONPATH"] = os.pathsep.join([str(root / "lib")] + [p for p in [env.get("PYTHONPATH")] if p])
    return env


def _seconds(start, end):
    return (datetime.fromisoformat(end.replace("Z", "+00:00"))
            - datetime.fromisoformat(start.replace("Z", "+00:00"))).total_seconds()


def cell_times(path):
    """``[(seconds, first line of the source)]`` of the code cells of an executed notebook."""
    nb = json.loads(Path(path).read_text())
    out = []
    for cell in nb["cells"]:
        ex = cell.get("metadata", {}).get("execution", {})
        if cell["cell_type"] != "code" or "iopub.execute_input" not in ex:
            continue
        src = "".join(cell["source"]).strip().splitlines()
        first = next((s for s in src if s.strip() and not s.startswith("#")), src[0] if src else "")
        out.append((_seconds(ex["iopub.execute_input"], ex["shell.execute_reply"]), first[:70]))
    return out


def run_chapter(root, name, jupyter, computes_all=False):
    """One run of chapter ``name`` in a fresh kernel: ``(wall seconds, cell times)``."""
    with tempfile.TemporaryDirectory(prefix=f"isingsc-{name}-") as out:
        cmd = [jupyter, "nbconvert", "--to", "notebook", "--execute", f"chapters/{name}.ipynb",
               "--output-dir", out, "--ExecutePreprocessor.timeout=600", "--log-level=WARN"]
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=root, env=reader_env(root, computes_all), check=True)
        wall = time.perf_counter() - t0
        return wall, cell_times(Path(out) / f"{name}.ipynb")


def build(root, jupyter_book):
    """README's build command in ``root`` (a clean clone): wall seconds."""
    shutil.rmtree(root / "_build", ignore_errors=True)
    t0 = time.perf_counter()
    subprocess.run([jupyter_book, "build", ".", "-W", "-n", "--keep-going"], cwd=root, env=reader_env(root),
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def _median_and_runs(walls):
    return statistics.median(walls), ", ".join(f"{w:.1f}" for w in walls)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="cold runs of each chapter and builds (default 1)")
    parser.add_argument("--chapters", nargs="*", help="chapter names (default: every notebook chapter)")
    parser.add_argument("--cells", type=int, default=0, help="also print the K slowest cells of each chapter")
    parser.add_argument("--no-build", action="store_true",
                        help="do not build the book (the chapters then reuse whatever _build holds)")
    parser.add_argument("--no-chapters", action="store_true", help="time the book build only")
    parser.add_argument("--no-computes-all", action="store_true",
                        help="skip the runs with ISINGSC_SHARED_CACHE=off")
    parser.add_argument("--tree", action="store_true",
                        help="run the chapters in this working tree (uncommitted edits included) instead of a clone")
    parser.add_argument("--baseline", metavar="COMMIT",
                        help="also measure this commit (a second clone), each run right after HEAD's")
    args = parser.parse_args(argv)

    bindir = Path(sys.executable).parent
    jupyter, jupyter_book = str(bindir / "jupyter"), str(bindir / "jupyter-book")
    print(f"host: {host()}")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="isingsc-clone-") as tmp:
        clone = Path(tmp) / "book"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        where = ROOT if args.tree else clone
        print(f"commit: {commit}{' + working tree' if args.tree else ' (fresh clone)'}")
        roots = {"head": where}
        base = None
        if args.baseline:
            base = subprocess.run(["git", "rev-parse", "--short", args.baseline], cwd=ROOT, capture_output=True,
                                  text=True, check=True).stdout.strip()
            roots["baseline"] = Path(tmp) / "baseline"
            subprocess.run(["git", "clone", "-q", str(ROOT), str(roots["baseline"])], check=True)
            subprocess.run(["git", "checkout", "-q", base], cwd=roots["baseline"], check=True)
            print(f"baseline: {base} (fresh clone), measured right after HEAD each time, the order alternating")
        names = args.chapters or chapter_names(where)
        rows = []

        def measure(run):
            """``{root: [wall seconds]}``: ``run(root)`` for every root, repeated, the order alternating."""
            walls = {k: [] for k in roots}
            extra = {}
            for i in range(args.repeat):
                for k in (list(roots) if i % 2 == 0 else list(roots)[::-1]):
                    wall, more = run(roots[k])
                    walls[k].append(wall)
                    extra[k] = more
            return walls, extra

        def report(what, walls, note=""):
            median, runs = _median_and_runs(walls["head"])
            line = f"{what}: {median:.1f} s (runs {runs}{'; ' + note if note else ''})"
            row = [what, median, runs, note]
            if "baseline" in walls:
                b_median, b_runs = _median_and_runs(walls["baseline"])
                line += f"; baseline {base}: {b_median:.1f} s (runs {b_runs})"
                row += [b_median, b_runs]
            print(line, flush=True)
            rows.append(row)

        def chapters(computes_all):
            label = " [computes all]" if computes_all else ""
            for name in names:
                walls, cells = measure(lambda root: run_chapter(root, name, jupyter, computes_all))
                cells = cells["head"]
                in_cells = sum(s for s, _ in cells)
                report(f"{name}{label}", walls, f"last run: {in_cells:.1f} s in {len(cells)} cells, "
                       f"{walls['head'][-1] - in_cells:.1f} s kernel start and nbconvert")
                for s, src in sorted(cells, reverse=True)[: args.cells]:
                    print(f"    {s:6.2f} s  {src}")

        if not args.no_chapters and not args.no_computes_all:
            chapters(computes_all=True)
        if not args.no_build:
            walls, _ = measure(lambda root: (build(root, jupyter_book), None))
            report("build", walls, f"{'working tree' if args.tree else 'clean clone'}, after the install")
        if not args.no_chapters:
            chapters(computes_all=False)
    print(f"host at the end: {host()}")
    if base:
        print(f"\n| what | {commit} | runs (s) | baseline {base} | runs (s) | ratio |\n|---|---|---|---|---|---|")
        for what, median, runs, note, b_median, b_runs in rows:
            print(f"| `{what}` | {median:.1f} s | {runs} | {b_median:.1f} s | {b_runs} | {median / b_median:.2f} |")
    else:
        print("\n| what | median | runs (s) | |\n|---|---|---|---|")
        for what, median, runs, note in rows:
            print(f"| `{what}` | {median:.1f} s | {runs} | {note} |")


if __name__ == "__main__":
    main()
