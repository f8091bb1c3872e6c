"""Engine versus brute force: the Fermi-surface quadrature against a uniform k-grid.

Compares :class:`isingsc.IsingSuperconductor` (the Fermi-surface adapted
Brillouin-zone quadrature of :mod:`isingsc.quadrature`) with the textbook brute
force: a uniform ``nk x nk`` grid of the reciprocal unit cell on which the 4x4
BdG matrix (C1) is diagonalised at every momentum with batched
``np.linalg.eigvalsh``.  Both are timed in the same run, at the same accuracy.

Setting (the paper's): monolayer NbSe2 bands with ``lambda_soc = 150 Delta0``,
``Delta0 = 1.8 Tc0 = 0.4653 meV``.  Quantities, all per lattice site:

1. ``chi_s(T=0)``: in-plane spin susceptibility at ``Delta = Delta0`` (1/meV).
   Brute force: ``chi = -d^2 f / dJ^2`` from the diagonalised free energy at
   ``J = 0, h, 2h`` (Richardson-extrapolated second difference).
2. ``f_sn(T, J, theta)`` at ``T = 0.5 Tc0``, ``J = 0.5 H_P``
   (``H_P = Delta0/sqrt2``), ``theta = pi/2``, at the fixed gap ``Delta*``
   that minimises the reference free energy there (meV).  The engine's fully
   self-consistent ``free_energy(T, J, theta)`` is timed as well.
3. ``chi_s(T = 0.5 Tc0)``: in-plane susceptibility; engine self-consistent,
   brute force at the reference gap ``Delta(T)``.

Accuracy is measured against the engine at a refined resolution
(``Resolution().refined(2)``).  The brute-force grid is refined along a fixed
``nk`` sequence until the error has stayed below the target on three
consecutive grids, or until one point takes longer than ``--budget`` seconds
(default 60; a point predicted to take more than twice that is not started).
The "same accuracy" ``nk`` is the smallest ``nk`` from which the error stays
below the target for every larger ``nk`` measured (uniform-grid errors
oscillate in sign with ``nk``, so a single lucky point does not count).  If no
measured ``nk`` qualifies the cost is extrapolated (cost per k-point times
``nk^2``, ``nk`` from a power-law fit of the error envelope) and marked ``*``.

Run ``.venv/bin/python benchmarks/engine_vs_bruteforce.py`` (several minutes)
or with ``--quick`` (a smoke run, well under a minute).
"""
from __future__ import annotations

import argparse
import datetime
import math
import os
import platform
import resource
import time
from dataclasses import dataclass, field

import numpy as np

import isingsc
import isingsc.quadrature
from isingsc import bdg
from isingsc.model import reciprocal_vectors

#: k-points per batch: the (n, 4, 4) float64 BdG stack is 128 bytes per k-point,
#: so one batch is 64 MiB; with the band energies, eigenvalues and temporaries
#: the peak stays well below 1 GiB whatever nk is.
CHUNK_POINTS = 1 << 19

TARGET_CHI_REL_PAULI = 1e-4  # chi to 1e-4 of chi_P
TARGET_F_REL = 1e-3  # f_sn to 1e-3 relative

FULL_NK = (256, 512, 1024, 1536, 2048, 2560, 3072, 3584, 4096, 5120, 6144)
QUICK_NK = (128, 256, 384, 512)
#: a crossing of the target counts once this many larger grids stayed below it too
CONFIRM = 2


# ---------------------------------------------------------------------------
# brute force: uniform grid + batched 4x4 diagonalisation
# ---------------------------------------------------------------------------
def uniform_grid_bands_meV(model, nk, chunk_points=CHUNK_POINTS):
    """Band energies on the uniform ``nk x nk`` grid, in batches of whole rows.

    The grid is ``k = (i b1 + j b2)/nk``, ``i, j = 0 .. nk-1``, the same as
    :func:`isingsc.quadrature.uniform_quadrature`, but generated lazily so that
    the memory stays bounded for any ``nk``.

    Parameters
    ----------
    model : isingsc.TriangularTMD
        Band structure.
    nk : int
        Points per reciprocal-lattice direction.
    chunk_points : int
        Approximate number of k-points per batch.

    Yields
    ------
    xi_up_meV, xi_down_meV : ndarray
        Spin-up and spin-down band energies (meV) of one batch of k-points.
    """
    nk = int(nk)
    if nk < 4:
        raise ValueError(f"nk must be >= 4, got {nk}")
    b1, b2 = reciprocal_vectors()
    rows = max(1, int(chunk_points) // nk)
    v = np.arange(nk) / nk
    for i0 in range(0, nk, rows):
        u = np.arange(i0, min(nk, i0 + rows)) / nk
        kx = (u[:, None] * b1[0] + v[None, :] * b2[0]).ravel()
        ky = (u[:, None] * b1[1] + v[None, :] * b2[1]).ravel()
        yield model.dispersion(kx, ky)


def diagonalised_free_energy_density_meV(xi_up_meV, xi_down_meV, delta_meV, J_meV, theta, T_meV):
    """Free energy per momentum ``F(k)`` (meV) from ``np.linalg.eigvalsh`` of the 4x4 BdG matrix.

    ``F = (a + b)/2 - sum_n [|E_n|/4 + (T/2) ln(1 + exp(-|E_n|/T))]`` over the
    four eigenvalues of :func:`isingsc.bdg.bdg_hamiltonian`; the brute-force
    counterpart of :func:`isingsc.bdg.free_energy_density`.

    Parameters
    ----------
    xi_up_meV, xi_down_meV : ndarray
        Band energies (meV) at the momenta.
    delta_meV, J_meV, T_meV : float
        Pair potential, exchange field and temperature (meV).
    theta : float
        Polar angle of the exchange field (rad).
    """
    E = np.abs(np.linalg.eigvalsh(bdg.bdg_hamiltonian(xi_up_meV, xi_down_meV, delta_meV, J_meV, theta)))
    phi = 0.25 * E
    if T_meV > 0:
        phi += 0.5 * T_meV * np.log1p(np.exp(-E / T_meV))
    return 0.5 * (xi_up_meV + xi_down_meV) - phi.sum(axis=-1)


def bruteforce_free_energy_meV(model, nk, delta_meV, T_meV, J_meV, theta, delta0_meV,
                               chunk_points=CHUNK_POINTS):
    """``f_sn = f_s(Delta, J, theta, T) - f_n(J = 0, T)`` per site (meV) on a uniform grid.

    ``f = < Delta^2 K(k) + F_s(k) - F_n(k) >`` with the pairing kernel ``K`` of
    :func:`isingsc.bdg.pair_kernel` at ``delta0`` (the grid's own ``1/g``),
    ``F_s`` from batched 4x4 diagonalisation and ``F_n`` the zero-field normal
    state (a diagonal BdG matrix, eigenvalues ``+-xi_up, +-xi_down``).

    Parameters
    ----------
    model : isingsc.TriangularTMD
        Band structure.
    nk : int
        Uniform grid size per direction.
    delta_meV, T_meV, J_meV : float
        Trial gap, temperature and exchange field (meV).
    theta : float
        Polar angle of the field (rad).
    delta0_meV : float
        Zero-temperature, zero-field gap (meV) that fixes the coupling.
    """
    total = 0.0
    for a, b in uniform_grid_bands_meV(model, nk, chunk_points):
        G = delta_meV ** 2 * bdg.pair_kernel(a, b, delta0_meV)
        G += diagonalised_free_energy_density_meV(a, b, delta_meV, J_meV, theta, T_meV)
        G -= bdg.free_energy_density(a, b, 0.0, 0.0, 0.0, T_meV)
        total += float(np.sum(G))
    return total / nk ** 2


def bruteforce_susceptibility_per_meV(model, nk, delta_meV, T_meV, step_meV, theta=np.pi / 2,
                                      chunk_points=CHUNK_POINTS, closed_form=False):
    """Spin susceptibility ``-d^2 f/dJ^2`` at ``J = 0`` per site (1/meV) by diagonalisation.

    ``g(h) = (f(h) - f(0))/h^2 = -chi/2 + c h^2 + O(h^4)``; the Richardson
    combination ``chi = -2 (4 g(h) - g(2h))/3`` removes the ``h^2`` term.  Each
    ``f`` is a grid average of :func:`diagonalised_free_energy_density_meV`
    (the pairing term cancels), so three diagonalisations per k-point.

    Parameters
    ----------
    model : isingsc.TriangularTMD
        Band structure.
    nk : int
        Uniform grid size per direction.
    delta_meV, T_meV : float
        Gap and temperature (meV).
    step_meV : float
        Field step ``h`` (meV); a few per cent of the gap keeps the
        ``O(h^4)`` bias and the rounding (``~1e-13 meV / h^2`` per k) far
        below 1e-4 of chi_P.
    theta : float
        Field direction (rad); ``pi/2`` is in-plane.
    closed_form : bool
        Also return the grid average of the closed-form
        :func:`isingsc.bdg.spin_susceptibility_density` (a cross-check; its
        cost is excluded from the returned time).

    Returns
    -------
    chi_per_meV : float
        Diagonalisation result.
    chi_closed_per_meV : float or None
        Closed-form result on the same grid, if asked for.
    seconds_excluded : float
        Wall time spent on the closed-form cross-check.
    """
    h = float(step_meV)
    s1 = s2 = sc = 0.0
    excluded = 0.0
    for a, b in uniform_grid_bands_meV(model, nk, chunk_points):
        F0 = diagonalised_free_energy_density_meV(a, b, delta_meV, 0.0, theta, T_meV)
        s1 += float(np.sum(diagonalised_free_energy_density_meV(a, b, delta_meV, h, theta, T_meV) - F0))
        s2 += float(np.sum(diagonalised_free_energy_density_meV(a, b, delta_meV, 2 * h, theta, T_meV) - F0))
        if closed_form:
            t0 = time.perf_counter()
            direction = "in-plane" if abs(math.sin(theta)) > 0.5 else "out-of-plane"
            sc += float(np.sum(bdg.spin_susceptibility_density(a, b, delta_meV, T_meV, direction)))
            excluded += time.perf_counter() - t0
    n = nk ** 2
    g1, g2 = s1 / n / h ** 2, s2 / n / (2 * h) ** 2
    chi = -2.0 * (4.0 * g1 - g2) / 3.0
    return chi, (sc / n if closed_form else None), excluded


# ---------------------------------------------------------------------------
# convergence analysis
# ---------------------------------------------------------------------------
@dataclass
class BrutePoint:
    """One brute-force evaluation: grid size, wall time (s), value and error."""

    nk: int
    seconds: float
    value: float
    error: float  # in the units of the target (relative to chi_P or to |f_ref|)
    check: float | None = None  # closed-form value on the same grid, if computed


@dataclass
class SameAccuracy:
    """Grid size and cost at which the brute force reaches the target accuracy."""

    nk: float
    seconds: float
    error: float
    extrapolated: bool
    note: str = ""


def same_accuracy_nk(points, target):
    """Smallest measured ``nk`` from which the error stays below ``target``, else an extrapolation.

    Parameters
    ----------
    points : list of BrutePoint
        Measurements in increasing ``nk``.
    target : float
        Target error (same units as ``BrutePoint.error``).

    Returns
    -------
    SameAccuracy
        Measured: the first ``nk`` whose error and all later errors are below
        ``target``.  Extrapolated: the error envelope ``e_i = max_{j >= i} err_j``
        is fitted with ``C nk^-p`` (least squares in log-log over all but the
        coarsest point), extrapolated from the last envelope value to
        ``target``, and the cost is the measured cost per k-point of the
        largest grid times ``nk^2``.
    """
    if not points:
        raise ValueError("no brute-force points")
    errs = np.array([abs(p.error) for p in points])
    nks = np.array([p.nk for p in points], dtype=float)
    for i in range(len(points)):
        if np.all(errs[i:] <= target):
            later = len(points) - 1 - i
            note = f"measured; stays below target on the {later} larger grid(s) measured"
            return SameAccuracy(points[i].nk, points[i].seconds, points[i].error, False, note)
    env = np.maximum.accumulate(errs[::-1])[::-1]
    use = slice(1, None) if len(points) >= 3 else slice(None)
    x, y = np.log(nks[use]), np.log(env[use])
    if x.size >= 2 and np.ptp(x) > 0:
        p = -np.polyfit(x, y, 1)[0]
    else:
        p = float("nan")
    last = points[-1]
    cost_per_k = last.seconds / last.nk ** 2
    if not (np.isfinite(p) and p > 0.05):
        return SameAccuracy(float("inf"), float("inf"), float("nan"), True,
                            f"error envelope not decreasing (fitted p = {p:.2f}); no extrapolation")
    nk_needed = last.nk * (env[-1] / target) ** (1.0 / p)
    return SameAccuracy(nk_needed, cost_per_k * nk_needed ** 2, target, True,
                        f"envelope ~ nk^-{p:.2f}, {cost_per_k * 1e6:.2f} us per k-point")


def run_sequence(label, evaluate, nks, budget_s, target, log, confirm=CONFIRM):
    """Evaluate the brute force along ``nks`` until it is converged or too slow.

    Stops (and says so) when the error has stayed below ``target`` on
    ``confirm + 1`` consecutive grids, when a point took longer than
    ``budget_s``, or before a point whose predicted time (cost per k-point
    of the last point times ``nk^2``) exceeds ``2 budget_s``.

    Parameters
    ----------
    label : str
        Name for the log.
    evaluate : callable
        ``evaluate(nk) -> BrutePoint``.
    nks : sequence of int
        Grid sizes, increasing.
    budget_s : float
        Wall-time budget per point (s).
    target : float
        Target error, in the units of ``BrutePoint.error``.
    log : callable
        ``print``-like.
    confirm : int
        Larger grids that must confirm a crossing of the target.

    Returns
    -------
    list of BrutePoint
    """
    out = []
    for nk in nks:
        if out:
            predicted = out[-1].seconds / out[-1].nk ** 2 * nk ** 2
            if len(out) > confirm and all(abs(p.error) <= target for p in out[-confirm - 1:]):
                log(f"  [{label}] stop: below target on the last {confirm + 1} grids")
                break
            if out[-1].seconds > budget_s:
                log(f"  [{label}] stop: nk={out[-1].nk} took {out[-1].seconds:.1f} s > budget {budget_s:g} s")
                break
            if predicted > 2 * budget_s:
                log(f"  [{label}] stop: nk={nk} would take ~{predicted:.0f} s > 2 x budget {budget_s:g} s")
                break
        pt = evaluate(nk)
        out.append(pt)
        chk = "" if pt.check is None else f"  closed-form on same grid: {pt.check:+.2e}"
        log(f"  [{label}] nk={nk:5d}  {nk * nk / 1e6:7.2f} M k-points  {pt.seconds:7.2f} s  "
            f"value={pt.value:.10e}  error={pt.error:+.2e}{chk}")
    return out


# ---------------------------------------------------------------------------
# engine timings
# ---------------------------------------------------------------------------
def time_engine_s(model, delta0_meV, call, repeats=3):
    """Best-of-``repeats`` cold wall time (s) of ``call(sc)`` on a fresh superconductor.

    Every repeat builds a new :class:`isingsc.IsingSuperconductor` and clears
    the module-level quadrature cache, so the time includes building the
    quadratures, the band evaluator and the wedge geometry (every engine cache
    is cleared with :func:`isingsc.quadrature.clear_caches`).

    Returns
    -------
    seconds : float
    value : float
        Result of the last call.
    """
    best, value = float("inf"), None
    for _ in range(repeats):
        isingsc.quadrature.clear_caches()
        t0 = time.perf_counter()
        sc = isingsc.IsingSuperconductor(model, delta0_meV)
        value = call(sc)
        best = min(best, time.perf_counter() - t0)
    return best, value


# ---------------------------------------------------------------------------
# the benchmark
# ---------------------------------------------------------------------------
@dataclass
class Row:
    """One line of the summary table."""

    quantity: str
    engine_s: float
    engine_error: float
    target: float
    same: SameAccuracy | None
    brute_note: str = ""
    extra: dict = field(default_factory=dict)


def _fmt_time(s):
    if not np.isfinite(s):
        return "inf"
    if s < 1:
        return f"{1e3 * s:.1f} ms"
    return f"{s:.2f} s" if s < 100 else f"{s:.0f} s"


def run_benchmark(quick=False, budget_s=60.0, nks=None, log=print):
    """Run the comparison and return the summary rows.

    Parameters
    ----------
    quick : bool
        Small grids only (a smoke run).
    budget_s : float
        Brute-force wall-time budget per grid point (s).
    nks : sequence of int, optional
        Override the ``nk`` sequence.
    log : callable
        ``print``-like progress output.

    Returns
    -------
    list of Row
    """
    nks = tuple(nks or (QUICK_NK if quick else FULL_NK))
    d0 = isingsc.DELTA0_PAPER
    model = isingsc.NbSe2().with_lambda_soc(150 * d0)
    t0 = time.perf_counter()
    ref = isingsc.IsingSuperconductor(model, d0, resolution=isingsc.Resolution().refined(2))
    chi_p = ref.pauli_susceptibility
    T = 0.5 * ref.tc0
    J = 0.5 * d0 / math.sqrt(2.0)
    theta = math.pi / 2
    chi0_ref = ref.spin_susceptibility(0.0)
    delta_T = ref.gap(T)
    chiT_ref = ref.spin_susceptibility(T)
    delta_star = ref.gap(T, J, theta)
    f_ref = ref.free_energy_landscape(delta_star, T, J, theta)
    fsc_ref = ref.free_energy(T, J, theta)
    log(f"Setting: NbSe2, lambda_soc = 150 Delta0 = {model.lambda_soc:.3f} meV, Delta0 = {d0:.4f} meV, "
        f"chi_P = {chi_p:.6e} /meV per site")
    log(f"Reference: engine at Resolution().refined(2) ({time.perf_counter() - t0:.1f} s): "
        f"Tc0 = {ref.tc0:.6f} meV (Delta0/Tc0 = {d0 / ref.tc0:.4f})")
    log(f"  T = 0.5 Tc0 = {T:.6f} meV, J = 0.5 H_P = {J:.6f} meV, theta = pi/2")
    log(f"  chi_s(T=0)        = {chi0_ref:.10e} /meV  (chi_s/chi_P = {chi0_ref / chi_p:.6f})")
    log(f"  Delta(T)          = {delta_T:.8f} meV, chi_s(T) = {chiT_ref:.10e} /meV")
    log(f"  Delta*(T, J, pi/2) = {delta_star:.8f} meV, f_sn(Delta*) = {f_ref:.10e} meV per site")
    log(f"Targets: chi to {TARGET_CHI_REL_PAULI:g} chi_P, f_sn to {TARGET_F_REL:g} relative; "
        f"brute-force budget {budget_s:g} s per point, nk sequence {nks}")

    rows = []
    h = 0.02 * d0  # field step of the brute-force second difference (meV)

    # -- 1. chi_s(T = 0) -------------------------------------------------------
    log("\n[1] chi_s(T=0), in-plane, Delta = Delta0")
    te, ve = time_engine_s(model, d0, lambda s: s.spin_susceptibility(0.0))
    log(f"  engine: {te:.3f} s, value={ve:.10e}, error={(ve - chi0_ref) / chi_p:+.2e} chi_P")

    def quadrature_only(s):
        return s.quadrature(0.0, 0.0, theta).size

    tq, _ = time_engine_s(model, d0, quadrature_only)
    log(f"  (of which building the quadrature: {tq:.4f} s)")

    def eval_chi0(nk):
        t = time.perf_counter()
        chi, closed, excl = bruteforce_susceptibility_per_meV(model, nk, d0, 0.0, h, closed_form=True)
        return BrutePoint(nk, time.perf_counter() - t - excl, chi, (chi - chi0_ref) / chi_p,
                          (closed - chi0_ref) / chi_p)

    pts = run_sequence("chi0", eval_chi0, nks, budget_s, TARGET_CHI_REL_PAULI, log)
    rows.append(Row("chi_s(T=0) [/chi_P]", te, (ve - chi0_ref) / chi_p, TARGET_CHI_REL_PAULI,
                    same_accuracy_nk(pts, TARGET_CHI_REL_PAULI), extra={"points": pts}))

    # -- 2. f_sn at (T, J, pi/2) --------------------------------------------------
    log("\n[2] f_sn(T=0.5Tc0, J=0.5H_P, theta=pi/2) at fixed Delta*")
    te, ve = time_engine_s(model, d0, lambda s: s.free_energy_landscape(delta_star, T, J, theta))
    log(f"  engine (fixed Delta*): {te:.3f} s, value={ve:.10e}, rel. error={(ve - f_ref) / abs(f_ref):+.2e}")
    ts, vs = time_engine_s(model, d0, lambda s: s.free_energy(T, J, theta))
    log(f"  engine (self-consistent free_energy): {ts:.3f} s, value={vs:.10e}, "
        f"rel. error={(vs - fsc_ref) / abs(fsc_ref):+.2e}")

    def eval_f(nk):
        t = time.perf_counter()
        f = bruteforce_free_energy_meV(model, nk, delta_star, T, J, theta, d0)
        return BrutePoint(nk, time.perf_counter() - t, f, (f - f_ref) / abs(f_ref))

    pts = run_sequence("f_sn", eval_f, nks, budget_s, TARGET_F_REL, log)
    same = same_accuracy_nk(pts, TARGET_F_REL)
    rows.append(Row("f_sn at Delta* [rel]", te, (ve - f_ref) / abs(f_ref),
                    TARGET_F_REL, same, extra={"points": pts}))
    rows.append(Row("f_sn self-consistent [rel]", ts, (vs - fsc_ref) / abs(fsc_ref),
                    TARGET_F_REL, same,
                    brute_note=("engine minimises over Delta, brute-force time is ONE fixed-Delta evaluation "
                                "(a minimisation needs >~10), so the speed-up is a lower bound")))

    # -- 3. chi_s(T = 0.5 Tc0) ------------------------------------------------------
    log("\n[3] chi_s(T=0.5Tc0), in-plane (engine: self-consistent Delta(T); brute force at reference Delta(T))")
    te, ve = time_engine_s(model, d0, lambda s: s.spin_susceptibility(T))
    log(f"  engine: {te:.3f} s, value={ve:.10e}, error={(ve - chiT_ref) / chi_p:+.2e} chi_P")

    def eval_chiT(nk):
        t = time.perf_counter()
        chi, closed, excl = bruteforce_susceptibility_per_meV(model, nk, delta_T, T, h, closed_form=True)
        return BrutePoint(nk, time.perf_counter() - t - excl, chi, (chi - chiT_ref) / chi_p,
                          (closed - chiT_ref) / chi_p)

    pts = run_sequence("chiT", eval_chiT, nks, budget_s, TARGET_CHI_REL_PAULI, log)
    rows.append(Row("chi_s(T=0.5Tc0) [/chi_P]", te, (ve - chiT_ref) / chi_p, TARGET_CHI_REL_PAULI,
                    same_accuracy_nk(pts, TARGET_CHI_REL_PAULI), extra={"points": pts}))
    return rows


def format_table(rows):
    """The summary table as GitHub-flavoured Markdown, followed by its footnotes.

    ``*`` marks an extrapolated brute-force cost, ``>=`` a lower bound.
    """
    lines = ["| quantity | target | engine time | engine error | brute nk | brute time | brute error | speed-up |",
             "|---|---|---|---|---|---|---|---|"]
    notes = []
    for r in rows:
        s = r.same
        if s is None or not np.isfinite(s.seconds):
            nk, bt, berr, speed = "n/a", "n/a", "n/a", "n/a"
        else:
            mark = "*" if s.extrapolated else ""
            nk = f"~{s.nk:.0f}{mark}" if s.extrapolated else f"{s.nk:.0f}"
            bt = _fmt_time(s.seconds) + mark
            berr = f"{s.error:.0e} (target){mark}" if s.extrapolated else f"{s.error:+.1e}"
            speed = f"{s.seconds / r.engine_s:.0f}x{mark}"
            if r.brute_note:
                speed = ">=" + speed
        lines.append(f"| {r.quantity} | {r.target:.0e} | {_fmt_time(r.engine_s)} | {r.engine_error:+.1e} | "
                     f"{nk} | {bt} | {berr} | {speed} |")
        note = [f"brute force {s.note}"] if s is not None and s.note else []
        if r.brute_note:
            note.append(r.brute_note)
        if note:
            notes.append(f"{r.quantity}: " + "; ".join(note))
    if any(r.same is not None and r.same.extrapolated for r in rows):
        notes.append("* = extrapolated from the measured convergence rate and cost per k-point, not measured")
    return "\n".join(lines) + "\n\n" + "\n".join("- " + n for n in notes)


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_summary():
    """One line: date, CPU, CPU count, Python and numpy versions, peak resident memory (MiB)."""
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB
    return (f"{datetime.date.today().isoformat()}, {_cpu_model()}, nproc={os.cpu_count()}, "
            f"Python {platform.python_version()}, numpy {np.__version__}, peak RSS {peak_mib:.0f} MiB")


def main(argv=None):
    """Command-line entry point."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small grids only (smoke run, < 1 min)")
    p.add_argument("--budget", type=float, default=60.0, help="brute-force seconds per grid point (default 60)")
    p.add_argument("--nk", type=int, nargs="+", default=None, help="override the nk sequence")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    if args.quick:
        print("--quick: a smoke run; the grids are far too coarse for the targets and the extrapolated "
              "brute-force costs below are NOT a result.\n")
    rows = run_benchmark(quick=args.quick, budget_s=args.budget, nks=args.nk)
    print("\nSummary (errors vs the refined engine; brute nk = smallest measured nk from which the error stays "
          "below target; times are single-run wall times, engine best of 3 cold runs)\n")
    print(format_table(rows))
    print(f"\nMachine: {machine_summary()}; total wall time {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
