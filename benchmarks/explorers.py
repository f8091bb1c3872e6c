"""Latency of the live-notebook explorers: every slider move, compute and redraw.

Builds each explorer's ipywidgets view (:class:`isingsc.book.interactive.LiveView`, without precomputed
frames, so every move is computed) and moves its sliders through a fixed sequence of values, off the
static grid, including new ``lambda_soc`` values (a new superconductor is built and ``Tc0`` found).
Each move sets the widget's value, which runs the view's callback exactly as a reader's slider does
(compute + matplotlib redraw to the PNG the notebook shows).  Prints one line per explorer:

    NAME: median X s, max Y s over N moves

and the load of the machine before and after (the machine is shared: compare runs at similar load).

With ``--frames`` it measures instead what the static views add to the book build: the time to
precompute every frame of each explorer in one fresh process, serially or (``--pool``) over the process
pool that the chapters use in the HTML build (``interactive.book_view``), and the size of the HTML it adds
to its page:

    NAME: N frames in X s (serial | 2-process pool), Y MB of HTML

Run: ``.venv/bin/python benchmarks/explorers.py [--frames [--pool]] [NAME ...]``.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

import numpy as np

#: (slider, value) moves per explorer; values off the grid of the static view.
MOVES = {
    "bands": [("lambda_soc", v) for v in (12.5, 33.3, 61.0, 88.8, 104.4, 121.7, 5.0, 136.0)],
    "angle": [("J_over_HP", 0.35), ("J_over_HP", 0.8), ("T_over_Tc0", 0.15), ("T_over_Tc0", 0.45),
              ("J_over_HP", 1.2), ("T_over_Tc0", 0.75), ("lambda_over_delta0", 45.0), ("J_over_HP", 2.6),
              ("T_over_Tc0", 0.95), ("lambda_over_delta0", 8.0), ("J_over_HP", 0.6),
              ("lambda_over_delta0", 210.0)],
    "chi": [("lambda_over_delta0", v) for v in (2.0, 5.0, 15.0, 45.0, 70.0, 120.0, 200.0, 250.0)],
    "loops": [("T_over_Tc0", 0.1), ("T_over_Tc0", 0.3), ("k1", 0.65), ("field_angle_deg", 15.0),
              ("k1_over_k2", 1.06), ("T_over_Tc0", 0.5), ("k1", 1.1), ("field_angle_deg", 35.0),
              ("k1_over_k2", 1.2), ("T_over_Tc0", 0.7), ("k1", 1.4), ("field_angle_deg", 70.0),
              ("k1_over_k2", 1.4)],
    "alignment": [("T_over_Tc0", 0.13), ("T_over_Tc0", 0.37), ("k1", 0.88), ("T_over_Tc0", 0.61),
                  ("k1", 1.12), ("T_over_Tc0", 0.9), ("k1", 0.62), ("T_over_Tc0", 0.05)],
}


def _load():
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def run(name):
    """Drive one explorer's live view; returns the list of per-move wall times (s)."""
    from isingsc.book import explorers, interactive

    ex = explorers.get_explorer(name)
    view = interactive.LiveView(ex)  # initial draw at the defaults: not counted
    times = []
    for slider, value in MOVES[name]:
        w = view.sliders[slider]
        t0 = time.perf_counter()
        w.value = value  # fires the observer: compute + redraw
        dt = time.perf_counter() - t0
        if abs(float(w.value) - value) > 1e-9 * max(1.0, abs(value)):
            raise RuntimeError(f"{name}: slider {slider} did not take the value {value} (is {w.value})")
        times.append(dt)
    return times


def frames(names, pool=False):
    """Precompute the static views (cold superconductors): serially in this process, or with
    ``pool`` as the chapters do in the HTML build (``interactive.book_view``: a process pool of
    ``BUILD_WORKERS`` workers)."""
    from isingsc.book import explorers, interactive

    os.environ[interactive.BUILD_ENV] = "1"
    how = f"{interactive._build_workers()}-process pool" if pool else "serial"
    total = 0.0
    for name in names:
        ex = explorers.get_explorer(name)
        t0 = time.perf_counter()
        view = interactive.book_view(ex) if pool else interactive.StaticView(ex)
        dt = time.perf_counter() - t0
        total += dt
        print(f"{name}: {len(view.frames)} frames in {dt:.1f} s ({how}), {view.size_bytes / 1e6:.2f} MB of HTML",
              flush=True)
    print(f"# all static views: {total:.1f} s ({how})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", default=list(MOVES), help="explorers (default: all)")
    parser.add_argument("--frames", action="store_true", help="time the static views' frames instead")
    parser.add_argument("--pool", action="store_true", help="with --frames: over the HTML build's process pool")
    args = parser.parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")
    print(f"# {platform.processor() or platform.machine()}, nproc = {os.cpu_count()}, Python "
          f"{platform.python_version()}, numpy {np.__version__}; {_load()}")
    if args.frames:
        frames(args.names, args.pool)
    else:
        for name in args.names:
            times = run(name)
            print(f"{name}: median {statistics.median(times):.3f} s, max {max(times):.3f} s over {len(times)} moves",
                  flush=True)
    print(f"# {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
