"""The steps of ``.ci/run`` after the install -- book build, PDF, test suite -- for HEAD against a baseline commit.

``.ci/run`` on a fresh clone measures everything once, on whatever load the machine has at that moment (the
same commit's test suite has taken 112 s and 151 s on this project's machine on the same afternoon).  This
script measures the three steps that the book's code decides, for two fresh clones -- HEAD and
``--baseline`` -- one right after the other, the order alternating between repeats, so that a change is
compared with its baseline at the same load:

* ``build``: README's build command, ``jupyter-book build . -W -n --keep-going``, from an empty ``_build``;
* ``pdf``: README's optional third command, ``python _ext/book_pdf.py``;
* ``tests``: README's test command, ``python -m pytest`` (two xdist workers, as configured).

Both clones use this virtual environment's packages with their own ``lib`` first on ``PYTHONPATH`` (the
install, identical for both, is not timed).  Chromium and poppler-utils must be installed (``.ci/run``
installs them).  Prints ``build: X s``, ``pdf: X s`` and ``tests: X s`` lines (HEAD's median, then the
baseline's), then a Markdown table::

    .venv/bin/python benchmarks/ci_steps.py --baseline cb4e712 --repeat 2
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from chapters import host, reader_env  # noqa: E402  (the same host line and environment)


def _timed(cmd, root):
    t0 = time.perf_counter()
    result = subprocess.run(cmd, cwd=root, env=reader_env(root), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    wall = time.perf_counter() - t0
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed in {root} ({result.returncode}):\n{result.stdout[-3000:]}")
    return wall, result.stdout


def steps(root):
    """``{step: wall seconds}`` of the build, the PDF and the test suite in the clone ``root``."""
    bindir = Path(sys.executable).parent
    subprocess.run(["rm", "-rf", str(root / "_build")], check=True)
    out = {}
    out["build"], _ = _timed([str(bindir / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"], root)
    out["pdf"], _ = _timed([sys.executable, "_ext/book_pdf.py"], root)
    out["tests"], log = _timed([sys.executable, "-m", "pytest", "-q"], root)
    summary = [line for line in log.splitlines() if " passed" in line]
    print(f"    {root.name}: {summary[-1].strip('= ') if summary else '(no summary)'}", flush=True)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", metavar="COMMIT", required=True, help="the commit to compare HEAD with")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (default 1)")
    args = parser.parse_args(argv)
    print(f"host: {host()}")
    rev = lambda c: subprocess.run(["git", "rev-parse", "--short", c], cwd=ROOT, capture_output=True, text=True,
                                   check=True).stdout.strip()
    commits = {"head": rev("HEAD"), "baseline": rev(args.baseline)}
    print(f"HEAD {commits['head']} against baseline {commits['baseline']} (fresh clones)")
    walls = {k: {"build": [], "pdf": [], "tests": []} for k in commits}
    with tempfile.TemporaryDirectory(prefix="isingsc-ci-") as tmp:
        roots = {}
        for k, c in commits.items():
            roots[k] = Path(tmp) / k
            subprocess.run(["git", "clone", "-q", str(ROOT), str(roots[k])], check=True)
            subprocess.run(["git", "checkout", "-q", c], cwd=roots[k], check=True)
        for i in range(args.repeat):
            for k in (["head", "baseline"] if i % 2 == 0 else ["baseline", "head"]):
                for step, wall in steps(roots[k]).items():
                    walls[k][step].append(wall)
                    print(f"    {k} {commits[k]} {step}: {wall:.1f} s", flush=True)
    rows = []
    for step in ("build", "pdf", "tests"):
        h, b = (statistics.median(walls[k][step]) for k in ("head", "baseline"))
        runs = {k: ", ".join(f"{w:.1f}" for w in walls[k][step]) for k in commits}
        print(f"{step}: {h:.1f} s (runs {runs['head']}); baseline {commits['baseline']}: {b:.1f} s "
              f"(runs {runs['baseline']})")
        rows.append((step, h, runs["head"], b, runs["baseline"]))
    print(f"host at the end: {host()}")
    print(f"\n| step | {commits['head']} | runs (s) | baseline {commits['baseline']} | runs (s) | ratio |\n"
          "|---|---|---|---|---|---|")
    for step, h, hr, b, br in rows:
        print(f"| {step} | {h:.1f} s | {hr} | {b:.1f} s | {br} | {h / b:.2f} |")


if __name__ == "__main__":
    main()
