"""The robustness chapter's verdicts: its summary numbers, resolution checks and "beyond the paper" claims.

The physics maps are the library's (:mod:`isingsc.robustness`: the susceptibility
decomposition, the filling, Rashba and finite-``J`` maps); this module runs them at
the chapter's grids (:data:`FILLINGS`, :data:`RASHBA_RATIOS`), gathers the
headline numbers (:func:`robustness_summary`), checks each map against a refined
resolution (:func:`resolution_checks`) and turns the numbers into the report's
verdicts (:func:`beyond_paper_claims`).

Units
-----
Energies and temperatures in meV (k_B = 1), susceptibilities per Nb site.
"""
from __future__ import annotations

import math
import os
import warnings
from dataclasses import dataclass

import numpy as np

from .._validation import check_instance, check_int, checked_fields
from ..errors import BandEdgeWarning
from ..robustness import (
    _FILLING_CACHE,
    _RASHBA_CACHE,
    _compute_filling_point,
    _compute_rashba_point,
    alignment_preference,
    filling_map,
    filling_point,
    rashba_crossover,
    rashba_map,
    rashba_point,
    reorientation_field,
    susceptibility_decomposition,
)
from ..superconductor import DELTA0_PAPER, Resolution
from .. import _results_cache
from .._results_cache import persistent

__all__ = [
    "FILLINGS",
    "RASHBA_RATIOS",
    "RobustnessSummary",
    "robustness_summary",
    "process_pool",
    "RESOLUTION_CHECKS",
    "resolution_checks",
    "beyond_paper_claims",
]


#: On-site energies (meV) of the filling map, across the whole band; dense near the band top (the
#: spin-split K-pocket tops and the spin-degenerate Gamma top), with points next to the van Hove
#: saddles (146.6, 164.6, 205.4 meV at lambda_soc = 150 Delta0) and near the band bottom (398.7 meV)
FILLINGS = (-594.0, -540.0, -525.0, -514.8, -505.0, -480.0, -456.0, -450.0, -400.0, -250.0,
            -44.5, 146.0, 200.0, 390.0)
#: alpha_R / lambda_soc of the Rashba map
RASHBA_RATIOS = (0.0, 0.5, 1.0, 1.5, 2.0)


@checked_fields(units={"filling_min_D_epsilon": "meV", "filling_max_chi_epsilon": "meV", "thermal_area_um2": "um^2"},
                nonneg=("rashba_crossover", "so_threshold", "finite_j_flip", "thermal_area_um2"))
@dataclass(frozen=True)
class RobustnessSummary:
    """The numbers that answer the six questions of the robustness chapter (see :func:`robustness_summary`).

    Attributes
    ----------
    paper_D : float
        The anisotropy change ``D`` at the paper's filling (dimensionless).
    filling_min_D : float
        The smallest ``D`` over :data:`FILLINGS`.
    filling_min_D_epsilon : float
        The filling (``epsilon``, meV) where it occurs.
    filling_max_chi_ratio : float
        The largest ``chi_n^soc / chi_P`` over :data:`FILLINGS`.
    filling_max_chi_epsilon : float
        The filling (meV) where it occurs.
    rashba_crossover : float
        ``alpha_R / lambda_soc`` where the ``T*`` direction changes.
    so_threshold : float
        ``hbar/(tau_so Delta0)`` where the clean in-plane bound reaches ``D = 0``.
    finite_j_flip : float
        ``J/H_P`` above which out-of-plane magnets are favoured at ``T = 0``.
    thermal_area_um2 : float
        The smallest flake (um^2) that keeps its moment for 100 s at ``Tc0/2``.

    Examples
    --------
    >>> s = RobustnessSummary(0.98, 0.5, -44.5, 1.1, -500.0, 1.2, 0.3, 17.0, 0.03)
    >>> s.finite_j_flip
    17.0
    """

    paper_D: float
    filling_min_D: float
    filling_min_D_epsilon: float
    filling_max_chi_ratio: float
    filling_max_chi_epsilon: float
    rashba_crossover: float
    so_threshold: float
    finite_j_flip: float
    thermal_area_um2: float


def _quietly(func, *args):
    """``func(*args)`` without :class:`~isingsc.errors.BandEdgeWarning`: the chapter's grids sit next to the band
    edges and saddles on purpose (the Lifshitz point, the van Hove filling) and say so in the text."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BandEdgeWarning)
        return func(*args)


def process_pool(workers=2):
    """A ``ProcessPoolExecutor`` with ``workers`` forked processes, or ``None`` where fork is unavailable.

    Forked workers inherit the parent's imports and caches, so they start in milliseconds.

    Parameters
    ----------
    workers : int, optional
        Worker processes, 1 ... 64.

    Returns
    -------
    concurrent.futures.ProcessPoolExecutor or None
        The pool (the caller shuts it down), or ``None`` on a platform without fork or with one core.

    Raises
    ------
    TypeError
        A non-integer ``workers``.
    ValueError
        ``workers`` outside 1 ... 64.

    Examples
    --------
    >>> pool = process_pool(2)
    >>> pool is None or pool.submit(sum, [1, 2]).result() == 3
    True
    >>> pool is None or pool.shutdown() is None
    True
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = check_int(workers, "workers", minimum=1, maximum=64)
    if "fork" not in multiprocessing.get_all_start_methods() or (os.cpu_count() or 1) < 2:
        return None
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))


def _rashba_chain(ratios):
    """The Rashba map and its crossover in one worker: (points, crossover)."""
    Dr = [p.indicator for p in rashba_map(ratios)]
    i = next(k for k in range(len(Dr) - 1) if (Dr[k] > 0) != (Dr[k + 1] > 0))
    cross = rashba_crossover(ratios[i], ratios[i + 1])
    return dict(_RASHBA_CACHE), cross


def _finite_j_flip():
    from ..paper import ising_superconductor

    sc = ising_superconductor(150.0)
    hp = sc.delta0 / math.sqrt(2)
    return reorientation_field(sc, 0.0, 16 * hp, 20 * hp) / hp


_SUMMARY: dict = {}


def robustness_summary(executor=None):
    """The headline numbers for the paper's superconductor (``lambda_soc = 150 Delta0``), cached.

    * ``paper_D``: the anisotropy change ``D`` at the paper's filling;
    * ``filling_min_D`` (at ``filling_min_D_epsilon``, meV) and ``filling_max_chi_ratio``
      (``chi_n^soc/chi_P``, at ``filling_max_chi_epsilon``) over :data:`FILLINGS`;
    * ``rashba_crossover``: ``alpha_R/lambda_soc`` where the T* direction changes (over :data:`RASHBA_RATIOS`);
    * ``so_threshold``: ``hbar/(tau_so Delta0)`` where the conservative (clean in-plane) bound of the
      spin-orbit-scattering model reaches ``D = 0`` (:mod:`isingsc.spin_orbit_scattering`);
    * ``finite_j_flip``: ``J/H_P`` above which the superconductor favours out-of-plane magnets at ``T = 0``;
    * ``thermal_area_um2``: smallest flake (um^2) whose Fig. 4 magnet (``k1 = 0.95``) keeps its
      moment for 100 s at ``Tc0/2`` (attempt frequency 1e9 Hz; :mod:`isingsc.thermal`).

    The filling points, the Rashba chain and the finite-J root run on
    ``executor`` (default: :func:`process_pool` with 2 forked workers, if
    available); their results fill the caches of :func:`~isingsc.robustness.filling_map` and
    :func:`~isingsc.robustness.rashba_map`, so the chapter's maps are free afterwards.

    The examples are skipped in the doctests (a minute of computation; the robustness chapter runs it).

    Parameters
    ----------
    executor : concurrent.futures.Executor, optional
        Where the independent parts run.

    Returns
    -------
    RobustnessSummary

    Raises
    ------
    TypeError
        An executor without ``submit``.
    ConvergenceError
        A solve that cannot be established.

    Examples
    --------
    Run by the book's chapter, not as a doctest (minutes of computation)::

        s = robustness_summary()
        s.paper_D > 0   # True
    """
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise TypeError(f"executor must be a concurrent.futures-style executor (with submit), got {executor!r}")
    if "summary" in _SUMMARY:
        return _SUMMARY["summary"]
    from scipy import optimize

    from .. import spin_orbit_scattering as so
    from .. import thermal
    from ..paper import Fig4Parameters, ising_superconductor

    sc = ising_superconductor(150.0)
    own = executor is None
    pool = process_pool() if own else executor
    try:
        if pool is None:
            flip = _finite_j_flip()
            pts = _quietly(filling_map, FILLINGS)
            _, cross = _rashba_chain(RASHBA_RATIOS)
        else:
            # the costly points first (the Rashba ones, the fillings past the van Hove saddles), then the rest
            lam, d0 = 150.0 * DELTA0_PAPER, DELTA0_PAPER
            r_keys = [(x * lam, lam, -44.5, d0, None) for x in RASHBA_RATIOS]
            f_keys = sorted(((e, lam, d0, None) for e in FILLINGS), key=lambda k: -k[0])
            r_futs = [pool.submit(_quietly, _compute_rashba_point, *k) for k in r_keys if k not in _RASHBA_CACHE]
            f_futs = [pool.submit(_quietly, _compute_filling_point, *k) for k in f_keys if k not in _FILLING_CACHE]
            fut_flip = pool.submit(_finite_j_flip)
            for k, fut in zip([k for k in r_keys if k not in _RASHBA_CACHE], r_futs):
                _RASHBA_CACHE[k] = fut.result()
            _, cross = _rashba_chain(RASHBA_RATIOS)  # in this process, while the workers do the fillings
            for k, fut in zip([k for k in f_keys if k not in _FILLING_CACHE], f_futs):
                _FILLING_CACHE[k] = fut.result()
            pts = filling_map(FILLINGS)
            flip = fut_flip.result()
    finally:
        if own and pool is not None:
            pool.shutdown()
    D = np.array([p.indicator for p in pts])
    ratio = np.array([p.chi_n_soc / p.chi_P for p in pts])
    d_so = lambda g: so.ising_susceptibilities(sc, 0.0, g * sc.delta0).indicator("clean")  # noqa: E731
    so_threshold = optimize.brentq(d_so, 1.0, 1e4, xtol=1e-6)
    P = Fig4Parameters(k1=0.95)
    T = 0.5 * sc.tc0
    J = P.J
    K1 = P.k1 * sc.spin_susceptibility(0.0) * J ** 2  # = P.K1 (without building the response table)
    K = K1 - 0.5 * (sc.spin_susceptibility(T) - sc.spin_susceptibility(T, 0.0)) * J ** 2
    area = thermal.critical_area(K, T)
    out = RobustnessSummary(float(D[FILLINGS.index(-44.5)]), float(D.min()), FILLINGS[int(D.argmin())],
                            float(ratio.max()), FILLINGS[int(ratio.argmax())], float(cross), float(so_threshold),
                            float(flip), float(area))
    _SUMMARY["summary"] = out
    return _results_cache.store("robustness_summary", (), out)  # for the report chapter's kernel


def _check_decomposition():
    from ..paper import ising_superconductor

    sc = ising_superconductor(150.0)
    fine = sc.with_resolution(Resolution().refined(2))
    a, b = (susceptibility_decomposition(x, 0.5 * sc.tc0) for x in (sc, fine))
    return max(abs(a.intra - b.intra), abs(a.inter - b.inter)) / a.chi_P


def _check_filling(epsilon):
    return abs(filling_point(epsilon, resolution=Resolution().refined(2)).indicator - filling_point(epsilon).indicator)


def _check_rashba(ratio):
    return abs(rashba_point(ratio, resolution=Resolution().refined(2)).indicator - rashba_point(ratio).indicator)


def _check_finite_j(t, j_over_hp):
    from ..paper import ising_superconductor

    sc = ising_superconductor(150.0)
    fine = sc.with_resolution(Resolution().refined(2))
    T, J = t * sc.tc0, j_over_hp * sc.delta0 / math.sqrt(2)
    unit = sc.density_of_states_fermi * sc.delta0 ** 2
    return abs(alignment_preference(fine, T, J) - alignment_preference(sc, T, J)) / unit


#: (what, arguments) of the resolution checks of the chapter's maps
RESOLUTION_CHECKS = (
    ("decomposition", ()),
    ("filling", (-514.8,)), ("filling", (146.0,)),
    ("rashba", (1.0,)),
    ("finite_j", (0.5, 4.0)), ("finite_j", (0.0, 18.0)),
)


def resolution_checks(executor=None):
    """Each map against :meth:`Resolution.refined(2) <isingsc.superconductor.Resolution.refined>`.

    Returns a dict: ``"decomposition"`` (largest change of the intra/inter parts at ``Tc0/2``, units of
    ``chi_P``), ``"filling"`` and ``"rashba"`` (largest change of ``D`` at the points of
    :data:`RESOLUTION_CHECKS`), ``"finite_j"`` (largest change of the alignment preference, units of
    ``N(0) Delta0^2``).  The checks run on ``executor`` if given (they are independent).

    The examples are skipped in the doctests (minutes of computation; the robustness chapter runs it).

    Parameters
    ----------
    executor : concurrent.futures.Executor, optional
        Where the independent checks run.

    Returns
    -------
    dict of str to float
        The largest change of each map at the refined resolution.

    Raises
    ------
    TypeError
        An executor without ``submit``.

    Examples
    --------
    Run by the book's chapter, not as a doctest (minutes of computation)::

        checks = resolution_checks()
        sorted(checks)   # ['decomposition', 'filling', 'finite_j', 'rashba']
    """
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise TypeError(f"executor must be a concurrent.futures-style executor (with submit), got {executor!r}")
    return _resolution_checks(executor)


@persistent
def _resolution_checks(executor=None):
    """:func:`resolution_checks` for a checked executor (kept between runs: isingsc._results_cache)."""
    funcs = {"decomposition": _check_decomposition, "filling": _check_filling, "rashba": _check_rashba,
             "finite_j": _check_finite_j}
    if executor is None:
        values = [_quietly(funcs[w], *a) for w, a in RESOLUTION_CHECKS]
    else:
        values = [f.result() for f in [executor.submit(_quietly, funcs[w], *a) for w, a in RESOLUTION_CHECKS]]
    out = {}
    for (w, _), v in zip(RESOLUTION_CHECKS, values):
        out[w] = max(out.get(w, 0.0), float(v))
    return out


# ---------------------------------------------------------------------------------------------- verdicts
def beyond_paper_claims(summary=None):
    """The "beyond the paper" verdicts, one per question of the robustness chapter.

    Each claim reads "the reversal of T* survives X" (or the finite-J and
    thermal statements) with ``agrees`` where the computation confirms it.

    Parameters
    ----------
    summary : RobustnessSummary, optional
        Default :func:`robustness_summary` (about 10 s on first call).

    Returns
    -------
    list of isingsc.book.report.Claim
        ``evidence`` are MyST targets in the robustness chapter.

    Raises
    ------
    TypeError
        ``summary`` not a :class:`RobustnessSummary`.

    Examples
    --------
    >>> s = RobustnessSummary(0.98, 0.5, -44.5, 1.1, -500.0, 1.2, 0.3, 17.0, 0.03)
    >>> beyond_paper_claims(s)[0].key
    'beyond_general'
    """
    from . import report

    if summary is None:  # this process's, or the one the robustness chapter's kernel stored in this build
        s = _SUMMARY.get("summary") or _results_cache.shared("robustness_summary", (), robustness_summary)
    else:
        s = check_instance(summary, "summary", RobustnessSummary)
    j = report._judge
    return [
        report.Claim("beyond_general", "pairing raises $\\chi_\\parallel-\\chi_\\perp$ from $\\chi_n^{soc}-\\chi_P$ "
                     "at $T_c$ to $\\chi_s(0)$, so $T^*$ is reversed", "beyond the paper (robustness, Sec. 1)",
                     "$T^*$: out of plane below", f"$D = {s.paper_D:.4f}$ (in plane below $T^*$)",
                     j(s.paper_D > 0), "sec-rob-general"),
        report.Claim("beyond_filling", "the reversal survives any filling, including the van Hove saddles",
                     "beyond the paper (robustness, Sec. 2)", "$\\chi_n^{soc}\\gg\\chi_P$",
                     f"min $D = {s.filling_min_D:.3f}$ ($\\epsilon = {s.filling_min_D_epsilon:g}$ meV); "
                     f"max $\\chi_n^{{soc}}/\\chi_P = {s.filling_max_chi_ratio:.2f}$ over the sampled fillings",
                     j(s.filling_min_D > 0), "sec-rob-filling"),
        report.Claim("beyond_rashba", "the reversal survives Rashba coupling", "beyond the paper (robustness, Sec. 3)",
                     "not discussed", f"up to $\\alpha_R = {s.rashba_crossover:.2f}\\,\\lambda_{{soc}}$, "
                     "the paper's direction beyond", report.PARTLY, "sec-rob-rashba"),
        report.Claim("beyond_so_scattering", "the reversal survives spin-orbit scattering",
                     "beyond the paper (robustness, Sec. 4)", "not discussed",
                     f"for $\\hbar/(\\tau_{{so}}\\Delta_0) < {s.so_threshold:.0f}$ (conservative bound)",
                     j(s.so_threshold > 10), "sec-rob-so"),
        report.Claim("beyond_finite_j", "beyond $H_P$ the condensation energy keeps the magnets in plane",
                     "beyond the paper (robustness, Sec. 5)", "$J < H_P$ only",
                     f"in plane up to $J = {s.finite_j_flip:.1f}\\,H_P$ at $T = 0$; first-order 90-degree jump "
                     "just below the in-plane $T_c(J)$", j(s.finite_j_flip > 1), "sec-rob-finite-j"),
        report.Claim("beyond_thermal", "the Fig. 4 macrospins are thermally stable", "beyond the paper (robustness, Sec. 6)",
                     "not discussed", f"for flakes above ${s.thermal_area_um2:.3f}\\,\\mu m^2$ (100 s, $T_{{c0}}/2$)",
                     report.PARTLY, "sec-rob-thermal"),
    ]
