"""Engine speed against a baseline, measured in the same run (issue 11, "The engine").

Two timings, each from a cold object:

1. **build + Tc0**: ``IsingSuperconductor(NbSe2().with_lambda_soc(lam), Delta0)`` for a new
   ``lambda_soc`` (about 60 Delta0) and its ``tc0``;
2. **oblique solve**: then ``free_energy(0.5 Tc0, 0.3 Delta0, pi/4)``, the self-consistent free
   energy at an oblique field (a quadrature that is not cached yet).

The baseline is the library as of commit ``48131e0`` (main before the engine work), extracted
with ``git archive`` into a temporary directory; each engine runs in its own fresh Python
process (``--worker``), with every cache of the engine cleared before each repeat, and
``lambda_soc`` changed slightly from repeat to repeat.  Baseline and current processes alternate
(``--rounds``), so that both see the same load on a shared machine; the table gives the median
over all repeats (and the first repeat of each process, which includes one-time costs such as
NumPy's first linear-algebra call), and the ratio baseline/current of the medians.

Run::

    .venv/bin/python benchmarks/engine_speed.py            # 3 rounds x 5 repeats
    .venv/bin/python benchmarks/engine_speed.py --rounds 5 --repeats 7 --baseline 48131e0
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "48131e0"


def worker(lib, repeats):
    """Time the two calls ``repeats`` times in this process, importing isingsc from ``lib``; print JSON."""
    sys.path.insert(0, str(lib))
    import isingsc
    import isingsc.quadrature as quad

    assert Path(isingsc.__file__).resolve().is_relative_to(Path(lib).resolve()), isingsc.__file__
    d0 = isingsc.DELTA0_PAPER

    def clear():
        if hasattr(quad, "clear_caches"):
            quad.clear_caches()
        else:  # the baseline has one cache
            quad._cached_quadrature.cache_clear()

    out = []
    for i in range(repeats):
        clear()
        lam = (60.0 + 0.37 * i) * d0  # a new lambda_soc each time
        t0 = time.perf_counter()
        sc = isingsc.IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(lam), d0)
        tc = sc.tc0
        t1 = time.perf_counter()
        f = sc.free_energy(0.5 * tc, 0.3 * d0, math.pi / 4)
        t2 = time.perf_counter()
        out.append({"build_tc0": t1 - t0, "oblique": t2 - t1, "tc0": tc, "f": f, "lam": lam})
    print(json.dumps(out))


def run_worker(lib, repeats):
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    res = subprocess.run([sys.executable, __file__, "--worker", str(lib), "--repeats", str(repeats)],
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def baseline_lib(commit, tmp):
    """Extract lib/isingsc of ``commit`` into ``tmp``; return the directory to put on sys.path."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "lib/isingsc"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
    return Path(tmp) / "lib"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--repeats", type=int, default=5, help="repeats per process (default 5)")
    p.add_argument("--rounds", type=int, default=3, help="alternating baseline/current processes (default 3)")
    p.add_argument("--baseline", default=BASELINE, help=f"baseline commit (default {BASELINE})")
    args = p.parse_args(argv)
    if args.worker:
        worker(args.worker, args.repeats)
        return
    with tempfile.TemporaryDirectory() as tmp:
        libs = {"baseline": baseline_lib(args.baseline, tmp), "current": ROOT / "lib"}
        runs = {"baseline": [], "current": []}
        load = [os.getloadavg()[0]]
        for _ in range(args.rounds):
            for name in ("baseline", "current"):
                runs[name].append(run_worker(libs[name], args.repeats))
                load.append(os.getloadavg()[0])
    rows = {}
    for name, procs in runs.items():
        allrep = [r for proc in procs for r in proc]
        rows[name] = {key: (statistics.median(r[key] for r in allrep), statistics.median(proc[0][key] for proc in procs))
                      for key in ("build_tc0", "oblique")}
        rows[name]["values"] = allrep[0]
    print(f"Engine speed, baseline {args.baseline} vs current ({args.rounds} alternating rounds x "
          f"{args.repeats} repeats per process; load average {min(load):.1f}-{max(load):.1f} on "
          f"{os.cpu_count()} cores)\n")
    print("| timing (cold object) | baseline median | current median | speed-up | baseline 1st | current 1st |")
    print("|---|---|---|---|---|---|")
    labels = {"build_tc0": "build + Tc0 (new lambda_soc)", "oblique": "free_energy(0.5 Tc0, 0.3 Delta0, pi/4)"}
    for key, label in labels.items():
        b, c = rows["baseline"][key], rows["current"][key]
        print(f"| {label} | {1e3 * b[0]:.0f} ms | {1e3 * c[0]:.1f} ms | {b[0] / c[0]:.1f}x | "
              f"{1e3 * b[1]:.0f} ms | {1e3 * c[1]:.1f} ms |")
    vb, vc = rows["baseline"]["values"], rows["current"]["values"]
    print(f"\nSame numbers (first repeat, lambda_soc = {vb['lam']:.4f} meV): Tc0 {vb['tc0']:.10f} vs {vc['tc0']:.10f} meV "
          f"(rel. {vc['tc0'] / vb['tc0'] - 1:+.1e}); f_sn {vb['f']:.10e} vs {vc['f']:.10e} meV "
          f"(rel. {vc['f'] / vb['f'] - 1:+.1e})")


if __name__ == "__main__":
    main()
