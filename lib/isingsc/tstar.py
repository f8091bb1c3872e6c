"""Where the stack's zero-field alignment changes: ``T*``, stability edges and maps.

``T*`` is the temperature at which the zero-field ground state of the stack
(the *global* minimum, :func:`~isingsc.magnetism.ground_state`) changes its
alignment (:func:`find_t_star`, scanning and bisecting).  Where the change
runs through canted states, the edges of local stability of the parallel
collinear states are the transitions (:func:`stability_temperature`, from
:func:`~isingsc.magnetism.collinear_determinant` or, for the full free energy,
:func:`microscopic_collinear_determinant`); they are cheap, so they also give
the map of where a ``T*`` exists (:func:`t_star_map`).

Units
-----
Anisotropies in meV per Nb site, exchange fields in meV.  Every temperature the
module returns or takes is in meV (``TStarResult.t_star``, ``TStarMap.t_star``,
:func:`stability_temperature` and its ``bracket``, ``temperatures``); the ratios
to ``Tc0`` carry it in their names (``t_star_tc0``, ``Transition.t``), as do the
scan knobs ``t_max`` and ``t_tol`` (fractions of ``Tc0``).
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from ._results_cache import persistent
from ._parallel import check_executor, executor_workers, parallel_map, progress_bar
from ._serialize import Record, Result
from ._validation import (check_array, check_choice, check_flag, check_instance, check_int, check_real,
                          check_sequence, check_tolerance, checked_fields, readonly)
from .errors import FirstOrderTransitionWarning
from .magnetism import COLLINEAR_STATES, FSFStack, _collinear_det, collinear_determinant, ground_state
from .microscopic import MicroscopicTable, free_energy_derivatives, microscopic_tables, stack_coupling
from .paper import ising_superconductor
from .response import QUADRATIC_FORMS, as_response, check_coupling_form, superconductor_response
from .superconductor import _below_band_width

#: the alignment labels of :func:`~isingsc.magnetism.ground_state`
_ALIGNMENTS = ("out-of-plane", "canted", "in-plane")

#: the largest ``|K1|/(chi_s(0) J^2)`` of :func:`t_star_map`: a T* needs ``k1`` inside the window of
#: ``chi_eff(T)/chi_s(0)``, which lies in [0, 1]; beyond 1e6 the determinant only loses precision
_K1_MAX = 1e6

__all__ = [
    "Transition",
    "TStarResult",
    "find_t_star",
    "microscopic_collinear_determinant",
    "stability_temperature",
    "TStarMap",
    "t_star_map",
]


@checked_fields(units={"T": "meV"}, nonneg=("T", "t"))
@dataclass(frozen=True)
class Transition(Record):
    """A change of the zero-field ground-state alignment on warming.

    Attributes
    ----------
    T : float
        Transition temperature ``T*`` (meV), resolved by bisection.
    t : float
        ``T*/Tc0``.
    below : str
        Alignment just below ``T*``.
    above : str
        Alignment just above ``T*``.

    Examples
    --------
    >>> from isingsc import ising_superconductor, superconductor_response
    >>> resp = superconductor_response(ising_superconductor(150.0))
    >>> K = 0.6 * resp.chi_s0 * 0.01**2
    >>> tr = find_t_star(resp, K, K, 0.01, n_scan=7, t_tol=1e-3).transitions[0]
    >>> tr.below, tr.above, bool(np.isclose(tr.T, tr.t * resp.tc0))
    ('in-plane', 'out-of-plane', True)
    """

    T: float
    t: float
    below: str
    above: str

    def __post_init__(self):
        check_choice(self.below, "below", _ALIGNMENTS)
        check_choice(self.above, "above", _ALIGNMENTS)


@checked_fields(units={"K1": "meV", "K2": "meV", "J": "meV", "temperatures": "meV"}, nonneg=("temperatures",))
@dataclass(frozen=True, eq=False, repr=False)
class TStarResult(Result):
    """Result of :func:`find_t_star`.

    Attributes
    ----------
    coupling_form : str
    K1 : float
        Anisotropy of magnet 1 (meV per Nb site).
    K2 : float
        Anisotropy of magnet 2 (meV per Nb site).
    J : float
        Exchange field of one magnet (meV).
    temperatures : ndarray
        Scanned temperatures (meV).
    alignments : tuple of str
        Ground-state alignment at each scanned temperature.
    transitions : tuple of Transition
        Alignment changes, in order of temperature.

    Examples
    --------
    >>> from isingsc import ising_superconductor, superconductor_response
    >>> resp = superconductor_response(ising_superconductor(150.0))
    >>> K = 0.6 * resp.chi_s0 * 0.01**2
    >>> res = find_t_star(resp, K, K, 0.01, n_scan=7, t_tol=1e-3)
    >>> res.coupling_form, res.alignments[0], res.alignments[-1], bool(res.t_star == res.t_star_last)
    ('complete', 'in-plane', 'out-of-plane', True)
    >>> bool(np.isclose(res.t_star, res.t_star_tc0 * resp.tc0))      # meV, and the ratio to Tc0
    True
    """

    coupling_form: str
    K1: float
    K2: float
    J: float
    temperatures: np.ndarray
    alignments: tuple
    transitions: tuple

    def __post_init__(self):
        check_choice(self.coupling_form, "coupling_form", ("complete", "paper", "microscopic"))
        if self.J <= 0:
            raise ValueError(f"J must be > 0 meV, got {self.J!r} meV")
        if self.temperatures.ndim != 1 or self.temperatures.size < 1:
            raise ValueError(f"temperatures must be a non-empty 1-d array (meV), got shape {self.temperatures.shape}")
        object.__setattr__(self, "alignments", check_sequence(
            self.alignments, "alignments", length=self.temperatures.size,
            item=lambda a, name: check_choice(a, name, _ALIGNMENTS)))
        check_sequence(self.transitions, "transitions", item=lambda tr, name: check_instance(tr, name, Transition))

    @property
    def t_star(self):
        """The first ``T*`` (meV), or ``nan`` if the alignment never changes.

        ``nan`` is the documented "no transition in the scan" value (as in
        ``TStarMap.t_star``), never a failed computation.

        Examples
        --------
        >>> from isingsc import ising_superconductor, superconductor_response
        >>> resp = superconductor_response(ising_superconductor(150.0))
        >>> K = 0.6 * resp.chi_s0 * 0.01**2
        >>> round(find_t_star(resp, K, K, 0.01, n_scan=7, t_tol=1e-3).t_star / resp.tc0, 2)    # meV / Tc0
        0.67
        >>> bool(np.isnan(find_t_star(resp, 3 * K, 3 * K, 0.01, n_scan=7).t_star))          # out of plane throughout
        True
        """
        return self.transitions[0].T if self.transitions else math.nan

    @property
    def t_star_last(self):
        """The last ``T*`` (meV), or ``nan``; above it the high-temperature alignment holds.

        Examples
        --------
        One transition only, so the first and the last coincide:

        >>> from isingsc import ising_superconductor, superconductor_response
        >>> resp = superconductor_response(ising_superconductor(150.0))
        >>> K = 0.6 * resp.chi_s0 * 0.01**2
        >>> res = find_t_star(resp, K, K, 0.01, n_scan=7, t_tol=1e-3)
        >>> len(res.transitions), res.t_star_last == res.t_star
        (1, True)
        """
        return self.transitions[-1].T if self.transitions else math.nan

    @property
    def t_star_tc0(self):
        """The first ``T*`` in units of ``Tc0`` (``t_star / Tc0``), or ``nan``.

        Examples
        --------
        >>> from isingsc import ising_superconductor, superconductor_response
        >>> resp = superconductor_response(ising_superconductor(150.0))
        >>> K = 0.6 * resp.chi_s0 * 0.01**2
        >>> res = find_t_star(resp, K, K, 0.01, n_scan=7, t_tol=1e-3)
        >>> bool(np.isclose(res.t_star_tc0 * resp.tc0, res.t_star)), round(res.t_star_tc0, 2)
        (True, 0.67)
        """
        return self.transitions[0].t if self.transitions else math.nan

    @property
    def t_star_last_tc0(self):
        """The last ``T*`` in units of ``Tc0`` (``t_star_last / Tc0``), or ``nan``.

        Examples
        --------
        >>> from isingsc import ising_superconductor, superconductor_response
        >>> resp = superconductor_response(ising_superconductor(150.0))
        >>> K = 0.6 * resp.chi_s0 * 0.01**2
        >>> res = find_t_star(resp, K, K, 0.01, n_scan=7, t_tol=1e-3)
        >>> bool(np.isclose(res.t_star_last_tc0 * resp.tc0, res.t_star_last))
        True
        """
        return self.transitions[-1].t if self.transitions else math.nan

    @property
    def direction(self):
        """The sequence of alignments on warming, e.g. ``"in-plane -> canted -> out-of-plane"``.

        Examples
        --------
        >>> from isingsc import ising_superconductor, superconductor_response
        >>> resp = superconductor_response(ising_superconductor(150.0))
        >>> K = 0.6 * resp.chi_s0 * 0.01**2
        >>> find_t_star(resp, K, K, 0.01, n_scan=7, t_tol=1e-3).direction
        'in-plane -> out-of-plane'
        >>> find_t_star(resp, 3 * K, 3 * K, 0.01, n_scan=7).direction
        'none (out-of-plane throughout)'
        """
        if not self.transitions:
            return f"none ({self.alignments[0]} throughout)"
        return " -> ".join([self.transitions[0].below] + [tr.above for tr in self.transitions])


@persistent
def find_t_star(sc, K1, K2, J, coupling_form="complete", *, t_max=1.2, n_scan=25, temperatures=None, t_tol=1e-4,
                ground_state_options=None, executor=None, progress=None, **table_options):
    """Temperatures where the zero-field ground-state alignment of the stack changes.

    The zero-field ground state (global minimum, :func:`~isingsc.magnetism.ground_state`) is
    classified at scanned temperatures; each change of the alignment label
    between neighbours is bisected down to ``t_tol Tc0`` (repeatedly, so that
    an intermediate phase between two scan points, typically a canted window,
    gives two transitions).  Phases narrower than the scan step that start
    and end with the same label are missed.

    Parameters
    ----------
    sc : IsingSuperconductor or SuperconductorResponse
    K1, K2 : float
        Anisotropies (meV per Nb site).
    J : float
        Exchange field of one magnet (meV), ``> 0``.
    coupling_form : {"complete", "paper", "microscopic"}, optional
        Default ``"complete"``.  ``"microscopic"`` builds a :class:`~isingsc.microscopic.MicroscopicTable`
        at every visited temperature (seconds each): give short ``temperatures`` bracketing the
        expected transitions (e.g. around the complete model's ``T*``) and a
        coarse ``t_tol``.
    t_max : float, optional
        Upper end of the default scan (units of ``Tc0``); at most the tabulated range.
    n_scan : int, optional
        Points of the default scan ``linspace(0, t_max Tc0, n_scan)``.
    temperatures : array_like, optional
        Explicit scan temperatures (meV), overriding the default scan.
    t_tol : float, optional
        Resolution of ``T*`` in units of ``Tc0``: at least a few float steps of
        the scanned range (else ValueError); the bisection also stops when the
        bracket is one float step wide.
    ground_state_options : dict, optional
        Passed to :func:`~isingsc.magnetism.ground_state`.
    executor : concurrent.futures.Executor, optional
        Classify the scanned temperatures on workers (e.g. a ``ProcessPoolExecutor``
        or ``dask.distributed.Client(...).get_executor()``); for ``"microscopic"`` the
        tables of the bisection steps are spread over it too.  Same result as serial.
    progress : bool or None, optional
        tqdm bar over the classified temperatures (``None``: in a terminal, after 2 s).
    **table_options
        Passed to :func:`~isingsc.microscopic.microscopic_table` (``"microscopic"`` only).

    Returns
    -------
    TStarResult

    Raises
    ------
    TypeError
        ``sc`` neither a superconductor nor a response; a non-real ``K1``, ``K2``, ``J``, ``t_max``,
        ``t_tol``; a non-integer ``n_scan``; a non-dict ``ground_state_options``; an executor without
        ``map``; table options with a quadratic form.
    ValueError
        ``J <= 0`` meV, non-finite values, an unknown ``coupling_form``, ``t_max`` above the tabulated
        range, ``n_scan`` outside 2 ... 10000, fewer than two ``temperatures``, a ``t_tol`` below a few
        float steps of the scan.
    ConvergenceError
        A ground state (or, for ``"microscopic"``, a table's engine solve) that cannot be established.
    ExecutorError
        An executor whose ``map`` returns the wrong number or kind of results.

    Warns
    -----
    FirstOrderTransitionWarning
        ``"microscopic"`` only: a ``T*`` lies where the superconductor of the parallel
        out-of-plane stack (total field ``2J``) is already normal, i.e. the full free energy
        has a first-order superconducting transition inside the stack's field range; its
        smooth table cannot represent that jump, so this ``T*`` is approximate.

    Examples
    --------
    Identical magnets with ``K = 0.6 chi_s(0) J^2``: in plane at low temperature,
    out of plane once ``(chi_par - chi_perp) J^2`` has dropped below ``K``:

    >>> from isingsc import ising_superconductor, superconductor_response
    >>> resp = superconductor_response(ising_superconductor(150.0))
    >>> J = 0.01
    >>> K = 0.6 * resp.chi_s0 * J**2
    >>> res = find_t_star(resp, K, K, J, "complete", n_scan=7, t_tol=1e-3)
    >>> res.direction
    'in-plane -> out-of-plane'
    >>> find_t_star(resp, K, K, J, "paper", n_scan=7).direction
    'none (in-plane throughout)'
    """
    check_coupling_form(coupling_form)
    resp = as_response(sc)
    K1, K2 = check_real(K1, "K1", unit="meV"), check_real(K2, "K2", unit="meV")
    J = _below_band_width(check_real(J, "J", unit="meV", positive=True), "J", resp.superconductor._band_width)
    if ground_state_options is not None:
        check_instance(ground_state_options, "ground_state_options", dict)
    gs_opts = dict(ground_state_options or {})
    tc = resp.tc0
    if temperatures is None:
        t_max = check_real(t_max, "t_max", positive=True, upper=resp.t_max / tc)
        n_scan = check_int(n_scan, "n_scan", minimum=2, maximum=10000)
        scan = np.linspace(0.0, t_max, n_scan)
    else:
        scan = np.sort(check_array(temperatures, "temperatures", unit="meV", nonneg=True).ravel()) / tc
    if scan.size < 2:
        raise ValueError("temperatures needs at least two temperatures (meV)")
    t_tol = check_tolerance(t_tol, "t_tol", max(float(scan[-1]), 1.0))
    if coupling_form != "microscopic" and table_options:
        raise TypeError(f"table options {sorted(table_options)} apply to coupling_form='microscopic' only")

    executor = check_executor(executor)
    steps = max(1, math.ceil(math.log2(max(float(np.max(np.diff(scan))), t_tol) / t_tol)))
    with progress_bar(scan.size + 2 * steps, "find_t_star", progress, unit="T") as bar:
        if coupling_form == "microscopic":
            search = _MicroscopicLabels(resp, K1, K2, J, table_options, gs_opts, executor, bar)
            labels = search.exact(scan.tolist())
            transitions = _bisect_labels(scan, labels, t_tol, tc, search.exact, search.predict)
        else:
            def exact(ts):
                out = [_alignment_label(resp, t * tc, K1, K2, J, coupling_form, {}, gs_opts) for t in ts]
                bar.update(len(ts))
                return out

            labels = parallel_map(_alignment_label, [(resp, t * tc, K1, K2, J, coupling_form, table_options, gs_opts)
                                                     for t in scan], executor=executor, progress=False, check=_is_label)
            bar.update(scan.size)
            transitions = _bisect_labels(scan, labels, t_tol, tc, exact)
    if coupling_form == "microscopic" and transitions:
        _warn_superconducting_jump(resp.superconductor, J, [tr.T for tr in transitions], "find_t_star")
    return TStarResult(coupling_form, K1, K2, J, scan * tc, tuple(labels), tuple(transitions))


class _MicroscopicLabels:
    """Ground-state labels of the stack from microscopic tables: exact, and predicted from the tables at hand.

    ``exact(ts)`` builds the tables at the temperatures ``ts`` (units of ``Tc0``; the missing ones in one
    pooled :func:`~isingsc.microscopic.microscopic_tables` call, so an executor keeps its workers busy) and
    classifies the ground state on each.  ``predict(t)`` classifies it on a table interpolated in
    temperature (quadratic Lagrange interpolation of the tabulated free energies through the exact tables
    nearest to ``t``, which must bracket it), or returns None where fewer than three exact tables are known.
    The prediction only chooses which temperatures to compute exactly; every label that decides a
    transition is exact (:func:`_bisect_labels`).
    """

    def __init__(self, resp, K1, K2, J, table_options, gs_opts, executor, bar):
        self.resp, self.K1, self.K2, self.J = resp, K1, K2, J
        self.table_options, self.gs_opts, self.executor, self.bar = table_options, gs_opts, executor, bar
        self.tables = {}

    def _label(self, table):
        return ground_state(FSFStack(self.K1, self.K2, 1.0, 1.0, self.J, table.coupling()), **self.gs_opts).alignment

    def exact(self, ts):
        tc = self.resp.tc0
        missing = [t for t in dict.fromkeys(ts) if t not in self.tables]
        if missing:
            tabs = microscopic_tables(self.resp.superconductor, [t * tc for t in missing], self.J,
                                      executor=self.executor, progress=False, **self.table_options)
            self.tables.update(zip(missing, tabs))
            self.bar.update(len(missing))
        return [self._label(self.tables[t]) for t in ts]

    def predict(self, t):
        ts = sorted(self.tables)
        if len(ts) < 3 or not ts[0] < t < ts[-1]:
            return None
        i = int(np.searchsorted(ts, t))
        near = [ts[i - 1], ts[i]]                  # the exact tables on either side of t, and the next nearest
        rest = [x for x in (ts[i - 2] if i >= 2 else None, ts[i + 1] if i + 1 < len(ts) else None) if x is not None]
        near = sorted(near + [min(rest, key=lambda x: abs(x - t))])
        weights = [math.prod((t - near[j]) / (near[k] - near[j]) for j in range(3) if j != k) for k in range(3)]
        ref = self.tables[near[0]]
        values = sum(w * self.tables[x].values for w, x in zip(weights, near))
        f_zero = sum(w * self.tables[x].f_zero for w, x in zip(weights, near))
        table = MicroscopicTable(t * self.resp.tc0, ref.J, ref.J_abs, ref.alpha, values, f_zero, ref.u_degree)
        return self._label(table)


def _alignment_label(resp, T, K1, K2, J, coupling_form, table_options, gs_opts):
    """Zero-field ground-state alignment of the stack at ``T`` (meV); module level, so it pickles."""
    cpl = stack_coupling(resp, T, J, coupling_form, **table_options)
    return ground_state(FSFStack(K1, K2, 1.0, 1.0, J, cpl), **gs_opts).alignment


def _is_label(lab):
    if lab not in ("out-of-plane", "in-plane", "canted"):
        raise TypeError(f"expected an alignment label, got {lab!r:.40}")


def _warn_superconducting_jump(sc, J, temperatures, who):
    """FirstOrderTransitionWarning if any temperature lies above Tc(2J, out of plane) (a jump in the table)."""
    tc_out = sc.critical_temperature(2.0 * J, 0.0)
    above = [T for T in temperatures if T >= tc_out * (1 - 1e-6)]
    if above:
        warnings.warn(f"{who}: at T = {above[0]:.4g} meV ({above[0] / sc.tc0:.3g} Tc0) the superconductor of the "
                      f"parallel out-of-plane stack (total field 2J = {2 * J:.4g} meV) is normal (its Tc is "
                      f"{tc_out / sc.tc0:.3g} Tc0): the full free energy jumps within the stack's field range, which "
                      "the smooth microscopic table cannot follow; this T* is approximate",
                      FirstOrderTransitionWarning, stacklevel=3)


#: rounds of predicted descents (each verified by exact labels) before :func:`_bisect_labels` bisects exactly
_PREDICTION_ROUNDS = 3


def _bisect_labels(scan, labels, t_tol, tc, exact, predict=None):
    """The transitions between differently labelled neighbours of the scan, each bisected to ``t_tol``.

    ``exact(ts)`` gives the labels at the temperatures ``ts`` (units of ``Tc0``).  Successive bisections:
    an intermediate phase (e.g. canted) between two scan points is found as two transitions.  With a
    ``predict(t)`` (a cheap label, or None where it has none) the bisection is first walked with the
    predicted labels (exact ones where known) down to a bracket of width ``t_tol``, whose two ends are then
    labelled exactly: if they bracket the change, that is the transition (the same bracket as the exact
    bisection wherever the label changes once in the interval, with fewer exact labels); otherwise the walk
    is repeated with the new exact labels, and after ``_PREDICTION_ROUNDS`` rounds the bisection is exact.
    """
    known = dict(zip(scan.tolist(), labels))

    def exact_at(t):
        if t not in known:
            known[t] = exact([t])[0]
        return known[t]

    def guessed_at(t):
        if t in known:
            return known[t]
        lab = predict(t)
        return exact_at(t) if lab is None else lab

    transitions = []
    for i in range(scan.size - 1):
        lo, lab_lo = float(scan[i]), labels[i]
        while lab_lo != labels[i + 1]:
            hi, lab_hi = float(scan[i + 1]), labels[i + 1]
            leaf = None
            for _ in range(_PREDICTION_ROUNDS if predict is not None else 0):
                a, b, _ = _bisect(lo, hi, lab_lo, lab_hi, t_tol, guessed_at)
                ends = [t for t in (a, b) if t not in known]
                if ends:
                    known.update(zip(ends, exact(ends)))
                if known[a] == lab_lo and known[b] != lab_lo:   # the exact labels bracket the change
                    leaf = a, b, known[b]
                    break
            a, b, lab_b = leaf or _bisect(lo, hi, lab_lo, lab_hi, t_tol, exact_at)   # else exact (cached) labels
            t_star = float(0.5 * (a + b))
            transitions.append(Transition(t_star * tc, t_star, lab_lo, lab_b))
            lo, lab_lo = b, lab_b
    return transitions


def _bisect(lo, hi, lab_lo, lab_hi, t_tol, label_at):
    """Bisect ``[lo, hi]`` (labels ``lab_lo != lab_hi``) down to ``t_tol``: ``(lo, hi, label at hi)``."""
    while hi - lo > t_tol:
        mid = 0.5 * (lo + hi)
        if mid == lo or mid == hi:  # one float step: T* is resolved as far as it can be
            break
        lab = label_at(mid)
        if lab == lab_lo:
            lo = mid
        else:
            hi, lab_hi = mid, lab
    return lo, hi, lab_hi


def microscopic_collinear_determinant(sc, T, K1, K2, J, state="out-of-plane", **options):
    """:func:`~isingsc.magnetism.collinear_determinant` with the full free energy.

    The derivatives of the superconductor's energy come from
    :func:`~isingsc.microscopic.free_energy_derivatives` instead of the
    susceptibilities.

    Parameters
    ----------
    sc : IsingSuperconductor
    T : float
        Temperature (meV).
    K1, K2, J : float
        Anisotropies (meV per Nb site) and single-magnet exchange field (meV).
    state : {"out-of-plane", "in-plane"}
    **options
        ``rel_step``, ``angle`` of :func:`~isingsc.microscopic.free_energy_derivatives`.

    Returns
    -------
    float
        The determinant of the stack's 2x2 Hessian at the collinear ``state`` ((meV per Nb site)^2):
        ``> 0`` where ``state`` is a local minimum (with a positive trace).

    Raises
    ------
    TypeError
        ``sc`` not an :class:`~isingsc.superconductor.IsingSuperconductor`; non-real numbers.
    ValueError
        ``T < 0`` or ``J <= 0`` (meV), non-finite values, an unknown ``state``, steps out of range.
    ConvergenceError
        An engine solve that cannot be established.

    Examples
    --------
    At a small field it has the sign of the quadratic form's determinant (here
    identical magnets just above and below ``(chi_par - chi_perp) J^2``):

    >>> from isingsc import ising_superconductor, superconductor_response
    >>> sc = ising_superconductor(150.0)
    >>> resp = superconductor_response(sc)
    >>> T, J = 0.5 * resp.tc0, 0.02
    >>> Kc = (resp.chi_par_at(T) - resp.chi_perp_at(T)) * J**2
    >>> [microscopic_collinear_determinant(sc, T, k * Kc, k * Kc, J) > 0 for k in (0.9, 1.1)]
    [False, True]
    """
    F_u, F_s = free_energy_derivatives(sc, T, J, state, **options)
    return _collinear_det(check_real(K1, "K1", unit="meV"), check_real(K2, "K2", unit="meV"),
                          check_real(J, "J", unit="meV", positive=True), F_u, F_s, state)


@persistent
def stability_temperature(sc, K1, K2, J, coupling_form="complete", state="out-of-plane", bracket=None, *,
                          t_tol=1e-3, executor=None, progress=None, check_ground_state=True, **options):
    """Temperature where a parallel collinear state gains or loses local stability (zero field).

    Two different questions:

    * :func:`find_t_star` answers *where does the ground state* (the global
      minimum over both angles) *change its alignment?* -- the thermodynamic ``T*``;
    * this function answers *where does the collinear state ``state`` stop (or
      start) being a local minimum?* -- the edge of its stability, from the sign of
      the Hessian's determinant at that state.

    Where the ground state changes continuously (through canted states, as for the
    paper's Fig. 4 stacks with the quadratic couplings) the two agree: the
    out-of-plane edge is the last ``T*`` (out of plane above it), the in-plane
    edge the onset of canting (tested).  Where the alignment changes by a
    first-order transition they do not: the edge is then a spinodal, the end of
    the metastability of ``state`` (the end of a hysteresis in temperature), and
    ``T*`` lies elsewhere.  That happens with the full free energy
    (``"microscopic"``) at ``J = 0.25 H_P`` already, and whenever the
    superconductor of the collinear stack (total field ``2J``) is normal at the
    edge.  The function checks this: on the stable side of the edge it asks
    :func:`~isingsc.magnetism.ground_state` whether ``state`` is also the global
    minimum, and warns (:class:`~isingsc.errors.FirstOrderTransitionWarning`) if
    it is not.

    Parameters
    ----------
    sc : IsingSuperconductor or SuperconductorResponse
    K1, K2, J : float
        Anisotropies (meV per Nb site) and exchange field (meV).
    coupling_form : {"complete", "paper", "microscopic"}, optional
        Default ``"complete"``.  ``"microscopic"`` costs ~0.5 s per evaluated temperature.
    state : {"out-of-plane", "in-plane"}
    bracket : (float, float), optional
        Two temperatures (meV) with opposite stability; default ``(0, 1.2 Tc0)``
        (within the tabulated range of the response).
    t_tol : float, optional
        Resolution in units of ``Tc0``.
    executor : concurrent.futures.Executor, optional
        Evaluate the stability at ``4 x workers + 1`` temperatures of the bracket at
        once and search the root in the first interval where it changes (the lowest
        edge on that grid; serially the root search works on the whole bracket).
    progress : bool or None, optional
        tqdm bar over the evaluated temperatures (``None``: in a terminal, after 2 s).
    check_ground_state : bool, optional
        Compare with the ground state on the stable side of the edge (default
        True; one more table for ``"microscopic"``) and warn if they differ.
    **options
        ``rel_step``, ``angle`` of :func:`~isingsc.microscopic.free_energy_derivatives`.

    Returns
    -------
    float
        The temperature (meV), or ``nan`` if the stability is the same at both
        ends of the bracket.  Divide by ``Tc0`` for the ratio.

    Raises
    ------
    TypeError
        ``sc`` neither a superconductor nor a response; non-real numbers; an executor without ``map``.
    ValueError
        ``J <= 0`` meV, non-finite values, an unknown ``coupling_form`` or ``state``, a bracket that is
        not two increasing temperatures >= 0 meV (within the tabulated range for the quadratic forms),
        ``t_tol`` out of range.
    ConvergenceError
        A root or an engine solve that cannot be established.
    ExecutorError
        An executor whose ``map`` returns the wrong number or kind of results.

    Warns
    -----
    FirstOrderTransitionWarning
        The edge is not the ground-state transition: on its stable side ``state`` is
        only metastable (the alignment changes by a first-order transition), or the
        superconductor of the collinear stack is normal there.

    Examples
    --------
    Identical magnets, complete form: the out-of-plane state becomes stable where
    ``(chi_par - chi_perp)(T) J^2`` drops below ``K``:

    >>> from isingsc import ising_superconductor, superconductor_response
    >>> resp = superconductor_response(ising_superconductor(150.0))
    >>> J = 0.01
    >>> K = 0.6 * resp.chi_s0 * J**2
    >>> T = stability_temperature(resp, K, K, J, "complete", t_tol=1e-6)
    >>> round(float((resp.chi_par_at(T) - resp.chi_perp_at(T)) * J**2 / K), 4)
    1.0
    """
    from scipy.optimize import brentq

    check_coupling_form(coupling_form)
    check_choice(state, "state", COLLINEAR_STATES)
    resp = as_response(sc)
    tc = resp.tc0
    K1, K2 = check_real(K1, "K1", unit="meV"), check_real(K2, "K2", unit="meV")
    J = _below_band_width(check_real(J, "J", unit="meV", positive=True), "J", resp.superconductor._band_width)
    check_ground_state = check_flag(check_ground_state, "check_ground_state")
    if bracket is None:
        bracket = (0.0, min(1.2 * tc, resp.t_max))
    br = check_array(bracket, "bracket", unit="meV", nonneg=True)
    if br.shape != (2,):
        raise ValueError(f"bracket must be two temperatures (meV), got {bracket!r}")
    lo, hi = float(br[0]) / tc, float(br[1]) / tc
    if not lo < hi:
        raise ValueError(f"bracket must be increasing, got {bracket!r} meV")
    if coupling_form != "microscopic" and hi * tc > resp.t_max * (1 + 1e-9):
        raise ValueError(f"bracket reaches {hi * tc:g} meV = {hi:g} Tc0, above the tabulated range "
                         f"({resp.t_max:g} meV = {resp.t_max / tc:g} Tc0)")
    t_tol = check_tolerance(t_tol, "t_tol", max(hi, 1.0))

    executor = check_executor(executor)
    args = (resp, K1, K2, J, coupling_form, state, options)
    with progress_bar(None, "stability_temperature", progress, unit="T") as bar:
        seen = {}  # brentq evaluates the bracket's ends again: with the microscopic form each costs six engine solves

        def smooth(t):
            if t not in seen:
                bar.update(1)
                seen[t] = _stability_det(t * tc, *args)
            return seen[t]

        if executor is not None:
            grid = np.linspace(lo, hi, 4 * executor_workers(executor) + 1)
            d = parallel_map(_stability_det, [(t * tc,) + args for t in grid], executor=executor, progress=False,
                             check=_is_det)
            bar.update(grid.size)
            flips = [i for i in range(grid.size - 1) if (d[i] > 0) != (d[i + 1] > 0)]
            if not flips:
                return math.nan
            lo, hi = float(grid[flips[0]]), float(grid[flips[0] + 1])
            d_lo = d[flips[0]]
        else:
            d_lo, d_hi = smooth(lo), smooth(hi)
            if (d_lo > 0) == (d_hi > 0):
                return math.nan
        t_edge = float(brentq(smooth, lo, hi, xtol=t_tol))
    T_edge = t_edge * tc
    if check_ground_state:
        _check_edge(resp, K1, K2, J, coupling_form, state, t_edge, d_lo > 0, lo, hi, t_tol)
    return T_edge


def _stability_det(T, resp, K1, K2, J, coupling_form, state, options):
    """The collinear-stability determinant at ``T`` (meV), finite (-1e300 for -inf); module level, so it pickles."""
    if coupling_form == "microscopic":
        d = microscopic_collinear_determinant(resp.superconductor, T, K1, K2, J, state, **options)
    else:
        chi_par, chi_perp = resp.susceptibilities(T, coupling_form)
        d = collinear_determinant(K1, K2, J, chi_par, chi_perp, state)
    # -inf (A1 <= 0) carries no magnitude: a large negative number keeps the root search bracketed
    return float(d) if np.isfinite(d) else -1e300


def _is_det(d):
    if not isinstance(d, float) or math.isnan(d):
        raise TypeError(f"expected a real determinant, got {d!r:.40}")


def _check_edge(resp, K1, K2, J, coupling_form, state, t_edge, stable_below, lo, hi, t_tol):
    """Warn if the stability edge at ``t_edge`` (Tc0) is not the ground-state transition."""
    tc = resp.tc0
    step = max(4.0 * t_tol, 1e-3)
    t_probe = max(lo, t_edge - step) if stable_below else min(hi, t_edge + step)
    ground = _alignment_label(resp, t_probe * tc, K1, K2, J, coupling_form, {}, {})
    reasons = []
    if ground != state:
        reasons.append(f"at {t_probe:.4g} Tc0, {'below' if stable_below else 'above'} the edge, the {state} state is "
                       f"locally stable but the ground state is {ground}: the alignment changes by a first-order "
                       "transition and this edge is a spinodal (the end of a metastability), not T*")
    if coupling_form == "microscopic":
        sc = resp.superconductor
        tc_state = sc.critical_temperature(2.0 * J, 0.0 if state == "out-of-plane" else 0.5 * math.pi)
        if t_edge * tc >= tc_state * (1 - 1e-6):
            reasons.append(f"the superconductor of the {state} stack (total field 2J = {2 * J:.4g} meV) is normal "
                           f"there (its Tc is {tc_state / tc:.3g} Tc0)")
    if reasons:
        warnings.warn(f"stability_temperature: the {state} edge at T = {t_edge * tc:.4g} meV ({t_edge:.4g} Tc0) is "
                      f"not the ground-state transition: {'; '.join(reasons)}. find_t_star gives T* (the global "
                      "minimum).", FirstOrderTransitionWarning, stacklevel=3)


@dataclass(frozen=True, eq=False, repr=False)
class TStarMap(Result):
    """Where ``T*`` exists over ``(K1/(chi_s(0) J^2), lambda_soc/Delta0)``.

    Attributes
    ----------
    coupling_form : str
    k1 : ndarray
        ``K1/(chi_s(0) J^2)`` (columns), with ``chi_s(0)`` of each row's superconductor.
    lambdas : ndarray
        ``lambda_soc/Delta0`` (rows).
    tc0 : ndarray
        ``Tc0`` of each row's superconductor (meV).
    k1_over_k2 : float
    t_star : ndarray
        First ``T*`` (meV) where the out-of-plane state's stability changes, ``nan`` if none;
        :attr:`t_star_tc0` in units of each row's ``Tc0``.
    out_below : ndarray of bool
        True where the out-of-plane state is the stable one *below* ``T*`` (the
        paper's Fig. 1(b) direction), False where it is stable above.
    k_window : ndarray
        Shape ``(lambdas.size, 2)``: smallest and largest ``chi_eff(T)/chi_s(0)`` over
        the scan (``chi_eff = chi_par - chi_perp`` or ``chi_par``).  For identical
        magnets ``T*`` exists exactly for ``k1`` inside this window.

    Examples
    --------
    Built by :func:`t_star_map`:

    >>> m = t_star_map([0.6], [150.0], n_t=31)
    >>> m.t_star.shape, m.k_window.shape
    ((1, 1), (1, 2))
    >>> bool(np.allclose(m.t_star_tc0, m.t_star / m.tc0[:, None]))
    True
    """

    coupling_form: str
    k1: np.ndarray
    lambdas: np.ndarray
    tc0: np.ndarray
    k1_over_k2: float
    t_star: np.ndarray
    out_below: np.ndarray
    k_window: np.ndarray

    def __post_init__(self):
        check_choice(self.coupling_form, "coupling_form", QUADRATIC_FORMS)
        k1 = readonly(check_array(self.k1, "k1", lower=-_K1_MAX, upper=_K1_MAX).ravel())
        lambdas = readonly(check_array(self.lambdas, "lambdas", positive=True).ravel())
        tc0 = readonly(check_array(self.tc0, "tc0", unit="meV", positive=True).ravel())
        shape = (lambdas.size, k1.size)
        if tc0.size != lambdas.size:
            raise ValueError(f"tc0 must have one entry per lambdas, {lambdas.size}, got {tc0.size}")
        object.__setattr__(self, "k1_over_k2", check_real(self.k1_over_k2, "k1_over_k2", positive=True))
        t_star, below = _rectangular(self.t_star, "t_star"), _rectangular(self.out_below, "out_below")
        if t_star.dtype.kind not in "iuf":
            raise TypeError(f"t_star must be a real array (meV, nan where there is no T*), got {t_star.dtype}")
        if t_star.shape != shape:
            raise ValueError(f"t_star must have the shape (lambdas.size, k1.size) = {shape}, got {t_star.shape}")
        finite = t_star[~np.isnan(t_star)]
        if not np.all(np.isfinite(finite)) or np.any(finite < 0):
            raise ValueError("t_star must be >= 0 meV or nan (no T*), got infinite or negative entries")
        if below.dtype != bool or below.shape != shape:
            raise TypeError(f"out_below must be a boolean array of shape {shape}, got {below.dtype} of shape "
                            f"{below.shape}")
        window = check_array(self.k_window, "k_window")
        if window.shape != (lambdas.size, 2):
            raise ValueError(f"k_window must have shape {(lambdas.size, 2)}, got {window.shape}")
        for name, value in (("k1", k1), ("lambdas", lambdas), ("tc0", tc0), ("t_star", readonly(t_star.astype(float))),
                            ("out_below", readonly(below)), ("k_window", readonly(window))):
            object.__setattr__(self, name, value)

    @property
    def t_star_tc0(self):
        """``T*`` in units of each row's ``Tc0`` (``t_star / tc0[:, None]``), ``nan`` where there is none.

        Examples
        --------
        >>> m = t_star_map([0.6, 2.0], [150.0], n_t=31)
        >>> m.t_star_tc0.shape, bool(np.isnan(m.t_star_tc0[0, 1]))        # no T* for k1 = 2
        ((1, 2), True)
        >>> round(float(m.t_star_tc0[0, 0]), 2)
        0.69
        """
        return self.t_star / self.tc0[:, None]


def _rectangular(values, name):
    try:
        return np.asarray(values)
    except ValueError:
        raise ValueError(f"{name} must be a rectangular array, got a ragged sequence") from None


@persistent
def t_star_map(k1, lambdas, coupling_form="complete", *, k1_over_k2=1.12, t_max=1.2, n_t=241, executor=None,
               progress=None):
    """Map of ``T*`` from the stability of the zero-field out-of-plane state.

    ``T*`` is taken where :func:`~isingsc.magnetism.collinear_determinant`
    (out-of-plane state) changes sign on the temperature grid (linear
    interpolation between grid points).  In units of ``chi_s(0) J^2`` the
    condition does not depend on ``J``.  That this stability edge is the
    ground-state transition is checked against :func:`find_t_star` in the tests
    and the book.

    Parameters
    ----------
    k1 : array_like
        ``K1/(chi_s(0) J^2)``.
    lambdas : array_like
        ``lambda_soc/Delta0`` values, > 0 (a superconductor and susceptibility
        table is built for each, ~1 s each).
    coupling_form : {"complete", "paper"}, optional
        Default ``"complete"``.
    k1_over_k2 : float, optional
        ``K1/K2`` (1.12 as in Fig. 4; 1 for identical magnets).
    t_max : float, optional
        Temperature range ``[0, t_max Tc0]`` scanned, ``0 < t_max <= 10``.
    n_t : int, optional
        Temperatures on the scan, 2 to 100000.
    executor : concurrent.futures.Executor, optional
        Spread the rows (one per ``lambda_soc``) over workers, e.g. a
        ``ProcessPoolExecutor`` or a ``dask.distributed.Client``; each worker
        builds (and caches) its own superconductors.  The result equals the
        serial one.  A string or anything without ``map`` is a TypeError; a map
        returning the wrong count or kind of rows an :class:`~isingsc.errors.ExecutorError`.
    progress : bool or None, optional
        tqdm bar over the rows (``None``: in a terminal, after 2 s; ``False``: never).

    Returns
    -------
    TStarMap

    Raises
    ------
    TypeError
        Non-real ``k1``, ``lambdas``, ``k1_over_k2``, ``t_max``; a non-integer ``n_t``; an executor
        without ``map``.
    ValueError
        Non-finite values, ``lambdas <= 0`` or beyond what the model's spin-orbit coupling allows,
        ``|k1| > 1e6``, ``k1_over_k2 <= 0``, ``t_max`` outside ``(0, 10]``, ``n_t`` outside 2 ... 100000,
        a ``coupling_form`` other than ``"complete"`` and ``"paper"``.
    ExecutorError
        An executor whose ``map`` returns the wrong number or kind of rows.

    Examples
    --------
    >>> m = t_star_map([0.6, 2.0], [150.0], "complete", n_t=61)
    >>> bool(np.isfinite(m.t_star[0, 0])), bool(np.isnan(m.t_star[0, 1]))   # T* (meV) for k1 = 0.6, none for 2.0
    (True, True)
    >>> bool(m.out_below[0, 0])                                              # in plane below T*
    False
    """
    check_coupling_form(coupling_form, QUADRATIC_FORMS)
    k1 = check_array(k1, "k1", lower=-_K1_MAX, upper=_K1_MAX).ravel()
    lambdas = check_array(lambdas, "lambdas", positive=True).ravel()
    for lam in lambdas:
        try:
            ising_superconductor(float(lam))
        except ValueError as exc:
            raise ValueError(f"lambdas: lambda_soc/Delta0 = {lam:g} is not possible in the model: {exc}") from None
    ratio = check_real(k1_over_k2, "k1_over_k2", positive=True)
    t_max = check_real(t_max, "t_max", positive=True, upper=10.0)
    n_t = check_int(n_t, "n_t", minimum=2, maximum=100000)
    t = np.linspace(0.0, t_max, n_t)
    args = [(float(lam), k1, ratio, coupling_form, t) for lam in lambdas]
    rows = parallel_map(_t_star_row, args, executor=executor, progress=progress, desc="t_star_map",
                        check=_row_checker(k1.size), chunks_per_worker=1)
    t_star = np.array([r[0] for r in rows]).reshape(lambdas.size, k1.size)
    out_below = np.array([r[1] for r in rows], bool).reshape(lambdas.size, k1.size)
    k_window = np.array([r[2] for r in rows]).reshape(lambdas.size, 2)
    tc0 = np.array([r[3] for r in rows], float).reshape(lambdas.size)
    return TStarMap(coupling_form, k1, lambdas, tc0, ratio, t_star, out_below, k_window)


def _row_checker(n):
    def check(row):
        if not isinstance(row, tuple) or len(row) != 4:
            raise TypeError(f"expected a (t_star, out_below, k_window, tc0) row, got {type(row).__name__}")
        t_star, below, window, tc0 = row
        if np.shape(t_star) != (n,) or np.shape(below) != (n,) or np.shape(window) != (2,):
            raise TypeError("a row of the wrong shape")
        if np.any(np.isinf(t_star)) or not np.all(np.isfinite(window)) or not (np.isfinite(tc0) and tc0 > 0):
            raise ValueError("non-finite numbers in a row")
    return check


def _t_star_row(lam, k1, ratio, coupling_form, t):
    """One row of :func:`t_star_map`: ``(t_star (meV), out_below, k_window, tc0)`` at ``lambda_soc = lam Delta0``."""
    resp = superconductor_response(ising_superconductor(lam), t_max=max(1.3, float(t[-1])))
    xp, xz = (np.asarray(x) / resp.chi_s0 for x in resp.susceptibilities(t * resp.tc0, coupling_form))
    window = (float(np.min(xp - xz)), float(np.max(xp - xz)))
    # rows: k1, columns: temperature (J = 1 in units where chi_s(0) = 1)
    D = collinear_determinant(k1[:, None], k1[:, None] / ratio, 1.0, xp[None, :], xz[None, :])
    stable = D > 0
    t_star = np.full(k1.size, np.nan)
    out_below = np.zeros(k1.size, bool)
    for j in range(k1.size):
        flips = np.nonzero(stable[j, 1:] != stable[j, :-1])[0]
        if flips.size == 0:
            continue
        m = flips[0]
        d0, d1 = D[j, m], D[j, m + 1]
        frac = d0 / (d0 - d1) if np.isfinite(d0) and np.isfinite(d1) and d0 != d1 else 0.5
        t_star[j] = t[m] + frac * (t[m + 1] - t[m])
        out_below[j] = bool(stable[j, m])
    return t_star * resp.tc0, out_below, window, resp.tc0


# ------------------------------------------------------------ Eq. (13): the window of a T*
@checked_fields(units={"harmonic_mean": "meV", "k_max": "meV", "x_low": "meV", "x_high": "meV"},
                nonneg=("x_low", "x_high"))
@dataclass(frozen=True)
class Eq13Window:
    """Stability boundaries of the paper's equation (13) at zero field and whether a ``T*`` can exist.

    With ``X = chi_s(T) J^2`` Eq. (13) at ``H = 0`` is the quadratic form
    ``(K1 - X/2) s1^2 + (K2 - X/2) s2^2 - X s1 s2`` (``s_i = sin theta_i``).  Its 2x2
    Hessian at ``theta_1 = theta_2 = 0`` is ``[[2K1 - X, -X], [-X, 2K2 - X]]``: the parallel
    out-of-plane state is stable iff ``X < 2 K1 K2/(K1 + K2)`` (the harmonic mean).
    At ``theta_i = pi/2`` the Hessian is ``diag(2(X - K1), 2(X - K2))``: the in-plane state
    is stable iff ``X > max(K1, K2)``.  Between the two boundaries the stack is canted.
    A ``T*`` needs a boundary inside ``[chi_s(0), chi_s(Tc)] J^2``.

    Attributes
    ----------
    harmonic_mean : float
        ``2 K1 K2/(K1 + K2)`` (meV per Nb site).
    k_max : float
        ``max(K1, K2)`` (meV per Nb site).
    x_low : float
        ``chi_s(0) J^2`` (meV per Nb site), where the range ``X`` sweeps begins.
    x_high : float
        ``chi_s(Tc0) J^2`` (meV per Nb site), where it ends.
    boundaries_inside : tuple of str
        Which boundaries lie inside ``[x_low, x_high]`` (``"out-of-plane"``, ``"in-plane"``).
    alignment_low : str
        Alignment at ``X = x_low``: ``out-of-plane``, ``canted`` or ``in-plane``.
    alignment_high : str
        Alignment at ``X = x_high``.

    Examples
    --------
    Built by :func:`eq13_window`; fields are checked:

    >>> w = Eq13Window(1.0, 1.2, 0.5, 1.5, ("out-of-plane", "in-plane"), "out-of-plane", "in-plane")
    >>> w.has_t_star
    True
    >>> Eq13Window(1.0, 1.2, 0.5, 1.5, (), "sideways", "in-plane")
    Traceback (most recent call last):
    ...
    ValueError: alignment_low must be one of ('out-of-plane', 'canted', 'in-plane'), got 'sideways'
    """

    harmonic_mean: float
    k_max: float
    x_low: float
    x_high: float
    boundaries_inside: tuple
    alignment_low: str
    alignment_high: str

    def __post_init__(self):
        object.__setattr__(self, "boundaries_inside", check_sequence(
            self.boundaries_inside, "boundaries_inside", max_length=2,
            item=lambda b, name: check_choice(b, name, ("out-of-plane", "in-plane"))))
        check_choice(self.alignment_low, "alignment_low", _ALIGNMENTS)
        check_choice(self.alignment_high, "alignment_high", _ALIGNMENTS)

    @property
    def has_t_star(self):
        """True if the alignment changes between ``T = 0`` and ``Tc0`` (a boundary lies inside the window).

        Examples
        --------
        >>> import isingsc
        >>> P = isingsc.Fig4Parameters(k1=1.02)          # canted at T = 0, in plane at Tc0
        >>> w = eq13_window(P.response, P.K1, P.K2, P.J)
        >>> w.has_t_star, w.alignment_low, w.alignment_high
        (True, 'canted', 'in-plane')
        >>> eq13_window(P.response, 1.2 * P.K1, 1.2 * P.K2, P.J).has_t_star
        False
        """
        return bool(self.boundaries_inside)


def eq13_alignment(K1, K2, X):
    """Zero-field alignment of the paper's equation (13) for ``X = chi_s J^2`` (meV per Nb site).

    Parameters
    ----------
    K1, K2 : float
        Anisotropies (meV per Nb site), ``> 0``.
    X : float
        ``chi_s J^2`` (meV per Nb site), ``>= 0``.

    Returns
    -------
    str
        ``"out-of-plane"`` if ``X < 2 K1 K2/(K1 + K2)``, ``"in-plane"`` if ``X > max(K1, K2)``,
        ``"canted"`` between.

    Raises
    ------
    TypeError
        Non-real arguments.
    ValueError
        Non-finite values, ``K1 <= 0``, ``K2 <= 0`` or ``X < 0``.

    Examples
    --------
    >>> eq13_alignment(1.05, 1.05 / 1.12, 1.0), eq13_alignment(0.95, 0.95 / 1.12, 1.0)
    ('canted', 'in-plane')
    """
    K1, K2 = check_real(K1, "K1", unit="meV", positive=True), check_real(K2, "K2", unit="meV", positive=True)
    X = check_real(X, "X", unit="meV", nonneg=True)
    if X < 2 * K1 * K2 / (K1 + K2):
        return "out-of-plane"
    if X > max(K1, K2):
        return "in-plane"
    return "canted"


def eq13_window(sc, K1, K2, J):
    """Where the paper's equation (13) has a ``T*`` for the stack ``(K1, K2)`` at exchange field ``J`` (meV).

    ``chi_s`` is the in-plane susceptibility at ``T = 0`` and at ``T = Tc0`` (the
    normal-state value).

    Parameters
    ----------
    sc : IsingSuperconductor or SuperconductorResponse
        The superconductor, or its response table.
    K1, K2 : float
        Anisotropies (meV per Nb site), ``> 0``.
    J : float
        Exchange field of one magnet (meV), ``> 0``.

    Returns
    -------
    Eq13Window

    Raises
    ------
    TypeError
        ``sc`` neither a superconductor nor a response; non-real numbers.
    ValueError
        Non-finite values, ``K1``, ``K2`` or ``J`` not positive, or ``chi_s J^2`` beyond double precision.

    Examples
    --------
    >>> import isingsc
    >>> P = isingsc.Fig4Parameters(k1=0.95)
    >>> w = eq13_window(P.response, P.K1, P.K2, P.J)
    >>> round(w.harmonic_mean / P.energy_unit, 3), w.has_t_star
    (0.896, False)
    """
    resp = as_response(sc)
    K1, K2 = check_real(K1, "K1", unit="meV", positive=True), check_real(K2, "K2", unit="meV", positive=True)
    J = check_real(J, "J", unit="meV", positive=True)
    if J > 1e100:
        raise ValueError(f"J = {J:g} meV is far beyond any exchange field: chi_s J^2 is beyond double precision")
    x_low, x_high = float(resp.chi_par_at(0.0)) * J ** 2, float(resp.chi_par_at(resp.tc0)) * J ** 2
    hm, km = 2 * K1 * K2 / (K1 + K2), max(K1, K2)
    inside = tuple(name for name, b in (("out-of-plane", hm), ("in-plane", km)) if x_low < b < x_high)
    return Eq13Window(hm, km, x_low, x_high, inside, eq13_alignment(K1, K2, x_low), eq13_alignment(K1, K2, x_high))


__all__ += ["Eq13Window", "eq13_alignment", "eq13_window"]
