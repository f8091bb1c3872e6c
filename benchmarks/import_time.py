"""Wall time of ``import isingsc`` in fresh interpreters (issue 22: under 0.5 s).

Each sample starts a new Python process and times, inside it, ``import isingsc`` (lazy: the modules load
on first use), then the first use of the engine (``isingsc.IsingSuperconductor``) and of the
superconductor-and-magnets layer (``isingsc.find_t_star``), and, as the baseline of the same run,
``import numpy`` alone.  Prints the medians of ``--repeat`` samples (default 7).  Run it while holding the
heavy lock (see the brief); the numbers go into benchmarks/README.md.

    .venv/bin/python benchmarks/import_time.py [--repeat 7]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

PROBE = r"""
import json, time
t0 = time.perf_counter(); import numpy; t1 = time.perf_counter()
import isingsc; t2 = time.perf_counter()
isingsc.IsingSuperconductor; t3 = time.perf_counter()
isingsc.find_t_star; t4 = time.perf_counter()
print(json.dumps({"numpy": t1 - t0, "isingsc": t2 - t1, "engine": t3 - t2, "tstar": t4 - t3}))
"""
BARE = r"""
import json, time
t0 = time.perf_counter(); import isingsc; t1 = time.perf_counter()
print(json.dumps({"cold": t1 - t0}))
"""


def sample(code):
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    bare = [sample(BARE)["cold"] for _ in range(args.repeat)]
    runs = [sample(PROBE) for _ in range(args.repeat)]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print(f"import isingsc (fresh process, nothing imported before): median {statistics.median(bare):.3f} s "
          f"(min {min(bare):.3f}, max {max(bare):.3f}, {args.repeat} processes)")
    print(f"  baseline import numpy:                   {med['numpy']:.3f} s")
    print(f"  import isingsc after numpy:              {med['isingsc']:.3f} s")
    print(f"  first use of isingsc.IsingSuperconductor {med['engine']:.3f} s (model, quadrature, engine)")
    print(f"  first use of isingsc.find_t_star         {med['tstar']:.3f} s (magnets, response, tstar; SciPy)")
    return statistics.median(bare)


if __name__ == "__main__":
    main()
