"""Wall time of a 10 x 10 (K1, J) map of T* for your own stack: serial and on 2 worker processes.

The map is :func:`isingsc.stack_map` over 10 anisotropies ``K1`` (``K2`` fixed) and 10 exchange fields
``J`` of the paper's NbSe2 superconductor (``lambda_soc = 150 Delta0``), for the complete quadratic form and
for the full free energy (``"microscopic"``: a table of the engine's free energy at every visited
temperature).  Every measurement runs in a fresh Python process (so no run profits from the caches of
another), which first builds the superconductor's chi(T) table (outside the clock, as a user would once);
the serial map and the map on a ``ProcessPoolExecutor(2)`` (forked from that process) must be equal.  The
tqdm progress bar is shown on standard error (``--quiet`` hides it).  Run it while holding the heavy lock.

    .venv/bin/python benchmarks/t_star_map_timing.py [--forms complete microscopic] [--quiet]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

import isingsc

#: find_t_star's scan per form (the microscopic one coarser: every visited temperature is a table)
SCAN = {"complete": dict(n_scan=13, t_tol=1e-3), "paper": dict(n_scan=13, t_tol=1e-3),
        "microscopic": dict(n_scan=7, t_tol=1e-2)}


def grid(n=10):
    sc = isingsc.ising_superconductor(150.0)
    resp = isingsc.superconductor_response(sc)
    hp = sc.delta0 / np.sqrt(2.0)
    J = np.linspace(0.1, 0.3, n) * hp
    K1 = np.linspace(0.6, 1.2, n) * resp.chi_s0 * (0.2 * hp) ** 2
    return sc, K1, J


def one(form, n, workers, progress, out):
    """One measurement in this (fresh) process; the map is saved to ``out``."""
    sc, K1, J = grid(n)
    pool = None
    if workers > 1:
        ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
    try:
        t0 = time.perf_counter()
        m = isingsc.stack_map(sc, {"K1": K1, "J": J}, "t_star", K2=K1[n // 2] / 1.12, coupling_form=form,
                              executor=pool, progress=progress, **SCAN[form])
        wall = time.perf_counter() - t0
    finally:
        if pool is not None:
            pool.shutdown()
    m.save(out)
    print(json.dumps({"wall": wall, "found": int(np.isfinite(m["t_star"]).sum()), "size": int(m["t_star"].size)}))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", nargs="+", default=["complete", "microscopic"])
    parser.add_argument("--n", type=int, default=10)
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--one", nargs=3, metavar=("FORM", "WORKERS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        form, workers, out = args.one
        return one(form, args.n, int(workers), not args.quiet, out)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for form in args.forms:
            runs = {}
            for workers in (1, 2):
                out = str(Path(tmp) / f"{form}-{workers}.npz")
                cmd = [sys.executable, __file__, "--n", str(args.n), "--one", form, str(workers), out]
                res = subprocess.run(cmd + (["--quiet"] if args.quiet else []), stdout=subprocess.PIPE, text=True,
                                     check=True)
                runs[workers] = json.loads(res.stdout.strip().splitlines()[-1])
            equal = isingsc.load(Path(tmp) / f"{form}-1.npz") == isingsc.load(Path(tmp) / f"{form}-2.npz")
            s, p = runs[1]["wall"], runs[2]["wall"]
            print(f"{form:12s} {args.n}x{args.n} T* map: serial {s:7.1f} s, 2 workers {p:7.1f} s "
                  f"(speed-up {s / p:.2f}x); T* found at {runs[1]['found']} of {runs[1]['size']} points; "
                  f"maps {'equal' if equal else 'DIFFERENT'}", flush=True)
            results[form] = (s, p, equal)
    return results


if __name__ == "__main__":
    main()
