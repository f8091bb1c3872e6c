"""The microscopic coupling: the superconductor's full free energy in the field of two magnets.

No expansion in the exchange field: the free energy of the engine,
``F(|J_tot|, alpha) = f_sn(T, |J_tot|, alpha) - f_sn(T, 0)``, is evaluated on a
small grid of field magnitudes and polar angles (:func:`microscopic_table`),
represented by a smooth polynomial (:class:`MicroscopicTable`) and used as a
stack coupling with analytic derivatives (:class:`MicroscopicCoupling`).
:func:`stack_coupling` hands out the coupling of any of the three forms
(``coupling_form``, see :mod:`isingsc.response`); :func:`free_energy_derivatives`
gives the derivatives of the full free energy that decide the stability of a
collinear state.

Units
-----
Energies in meV **per Nb site**, temperatures and exchange fields in meV,
angles in rad.
"""
from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, field

import numpy as np

from . import _results_cache
from ._results_cache import persistent
from ._parallel import check_executor, executor_workers, finite_float, parallel_map, progress_enabled
from ._serialize import ArrayEquality, Serializable
from ._validation import check_array, check_choice, check_instance, check_int, check_real, readonly
from .magnetism import COLLINEAR_STATES, TabulatedCoupling, _trig
from .response import COUPLING_FORMS, as_response, check_coupling_form, check_superconductor
from .superconductor import _below_band_width

#: the range of a table's ``J`` (meV) in which ``J^2`` and the polynomial fit stay within double precision
_TABLE_J_RANGE = (1e-100, 1e100)
#: the smallest ``J / delta0`` of a computed table: below it ``F ~ chi J^2`` is less than ~1e-8 of the free
#: energy it is the difference of, and the fit would be made of rounding errors
_TABLE_J_MIN_OVER_DELTA0 = 1e-4

__all__ = [
    "MicroscopicTable",
    "MicroscopicCoupling",
    "microscopic_table",
    "microscopic_tables",
    "microscopic_coupling",
    "stack_coupling",
    "free_energy_derivatives",
    "executor_workers",
]


def _horner(coefs, z):
    """``sum_i coefs[i] z^i`` by Horner's rule (0.0 for no coefficients); floats or arrays."""
    if not coefs:
        return 0.0
    v = coefs[-1]
    for c in coefs[-2::-1]:
        v = v * z + c
    return v


def _divided_powers(z_old, z_new, n):
    """``[h_0, ..., h_n]`` with ``h_m = (z_new^m - z_old^m)/(z_new - z_old)``, by ``h_m = z_new h_(m-1) + z_old^(m-1)``."""
    h, z_pow = [0.0 * z_old, 1.0 + 0.0 * z_old], 1.0
    for _ in range(2, n + 1):
        z_pow = z_pow * z_old
        h.append(z_new * h[-1] + z_pow)
    return h[: n + 1]


@dataclass(frozen=True, eq=False)
class MicroscopicTable(ArrayEquality, Serializable):
    """Interpolated free energy of the superconductor in a total exchange field.

    ``F(|J_tot|, alpha) = f_sn(T, |J_tot|, alpha) - f_sn(T, 0)`` (meV per Nb
    site), where ``alpha`` is the polar angle of ``J_tot`` from ``z``.  Build
    with :func:`microscopic_table`.

    Interpolation: with ``u = |J_tot|^2`` and ``s = sin^2 alpha`` the free
    energy is an analytic function of ``(J_x^2 + J_y^2, J_z^2) = (u s, u (1 - s))``
    (time reversal makes it even in ``J``, spin conservation along ``z`` makes it
    independent of the azimuth), so ``G = F/u`` is smooth and at order ``u^n``
    a polynomial of degree ``n + 1`` in ``s``.  ``G`` is therefore represented by
    a polynomial of degree ``n_angles - 1`` in ``s`` (through the angle nodes)
    and of degree ``u_degree`` in ``u`` (a least-squares fit through the
    magnitude nodes), i.e. ``F = u sum_kl C_kl (u/u_max)^k s^l`` with
    ``u_max = (2 J)^2``.  A single smooth polynomial (rather than a spline)
    keeps the derivatives that the hysteresis follower relies on free of
    artificial structure.  The fit is extrapolated to ``u = 0``, not pinned to
    the susceptibilities, so that the small-field limit is a genuine check of
    the table; ``F = u G`` vanishes at ``J_tot = 0`` exactly.

    Attributes
    ----------
    T : float
        Temperature (meV).
    J : float
        Single-magnet exchange field (meV); the table covers ``|J_tot| <= 2 J``.
    J_abs : ndarray
        Magnitude nodes (meV), ``2 J k / n`` for ``k = 1..n``.
    alpha : ndarray
        Polar-angle nodes (rad) in ``[0, pi/2]``, Chebyshev-Lobatto in ``s = sin^2 alpha``.
    values : ndarray
        ``F`` at the nodes, shape ``(J_abs.size, alpha.size)`` (meV per Nb site).
    f_zero : float
        ``f_sn(T, 0)`` (meV per Nb site), the subtracted zero-field value.
    u_degree : int
        Degree of the fit in ``u`` (default 3; at most ``J_abs.size - 1``).

    Examples
    --------
    A small table (4 magnitudes, 2 angles; the default 5 x 4 is more accurate) at
    ``T = 0.5 Tc0`` and ``J = 0.02`` meV reproduces the engine off its nodes:

    >>> from isingsc import ising_superconductor
    >>> sc = ising_superconductor(150.0)
    >>> tab = microscopic_table(sc, 0.5 * sc.tc0, 0.02, n_magnitudes=4, n_angles=2)
    >>> tab.values.shape, abs(float(tab.energy(0.0, 0.3)))     # F vanishes at zero field exactly
    ((4, 2), 0.0)
    >>> direct, interp = tab.interpolation_error(sc, [0.03], [np.pi / 2])
    >>> bool(abs(interp[0] - direct[0]) < 1e-3 * abs(direct[0]))
    True
    """

    T: float
    J: float
    J_abs: np.ndarray
    alpha: np.ndarray
    values: np.ndarray
    f_zero: float
    u_degree: int = 3
    _poly: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __hash__(self):
        return hash((self.T, self.J, self.f_zero, self.u_degree, self.J_abs.tobytes(), self.alpha.tobytes(),
                     self.values.tobytes()))

    def __post_init__(self):
        object.__setattr__(self, "T", check_real(self.T, "T", unit="meV", nonneg=True))
        object.__setattr__(self, "J", check_real(self.J, "J", unit="meV", lower=_TABLE_J_RANGE[0],
                                                 upper=_TABLE_J_RANGE[1]))
        object.__setattr__(self, "f_zero", check_real(self.f_zero, "f_zero", unit="meV"))
        J_abs = readonly(check_array(self.J_abs, "J_abs", unit="meV", lower=_TABLE_J_RANGE[0],
                                     upper=_TABLE_J_RANGE[1]).ravel())
        alpha = readonly(check_array(self.alpha, "alpha", unit="rad").ravel())
        values = readonly(check_array(self.values, "values", unit="meV"))
        if values.shape != (J_abs.size, alpha.size):
            raise ValueError(f"values must have shape (J_abs.size, alpha.size) = {(J_abs.size, alpha.size)}, "
                             f"got {values.shape}")
        for name, value in (("J_abs", J_abs), ("alpha", alpha), ("values", values)):
            object.__setattr__(self, name, value)
        n, m = values.shape
        deg = check_int(self.u_degree, "u_degree", minimum=1)
        if deg > n - 1:
            raise ValueError(f"u_degree must be between 1 and {n - 1} for {n} magnitude nodes, got {self.u_degree!r}")
        object.__setattr__(self, "u_degree", deg)
        u_max = (2.0 * self.J) ** 2
        x = self.J_abs**2 / u_max
        G = self.values / (x * u_max)[:, None]
        P = np.polynomial.polynomial
        coef_x = P.polyfit(x, G, deg)                      # (deg + 1, m): G_j(x) = sum_k coef_x[k, j] x^k
        s_nodes = np.sin(self.alpha) ** 2
        A = np.array([P.polyfit(s_nodes, np.eye(m)[j], m - 1) for j in range(m)])  # L_j(s) = sum_l A[j, l] s^l
        C = coef_x @ A                                      # g(x, s) = sum_kl C[k, l] x^k s^l
        object.__setattr__(self, "_poly", {"C_rows": C.tolist(), "u_max": u_max})

    # -------------------------------------------------------------- evaluation
    def _g_terms(self, x, s, order):
        """``g = F/u`` and its derivatives in ``x = u/u_max`` and ``s``, by Horner's rule.

        One pass over the rows ``c_k(s) = sum_l C[k, l] s^l`` (highest ``k`` first): each row and its
        ``s``-derivatives by Horner's rule in ``s``, then folded into the polynomials in ``x`` and their
        ``x``-derivatives (``p'' = 2 e`` with ``e <- e z + p'``, ``p' <- p' z + p``, ``p <- p z + c``).
        Python floats for scalar arguments (the relaxation's hot path, where NumPy's per-call
        overhead would dominate); the same operations for arrays.
        """
        C = self._poly["C_rows"]
        if order == 0:
            g = 0.0
            for row in reversed(C):
                r = 0.0
                for c in reversed(row):
                    r = r * s + c
                g = g * x + r
            return (g,)
        g = g_x = g_xx = g_s = g_xs = g_ss = 0.0
        for row in reversed(C):
            r = r_s = r_ss = 0.0
            for c in reversed(row):
                r_ss = r_ss * s + 2.0 * r_s
                r_s = r_s * s + r
                r = r * s + c
            g_xx = g_xx * x + 2.0 * g_x
            g_x = g_x * x + g
            g = g * x + r
            g_xs = g_xs * x + g_s
            g_s = g_s * x + r_s
            g_ss = g_ss * x + r_ss
        zero = 0.0 * g
        if order == 1:
            return g, g_x + zero, g_s + zero
        return g, g_x + zero, g_s + zero, g_xx + zero, g_xs + zero, g_ss + zero

    def __call__(self, J_abs, alpha):
        """``(F, dF/d|J_tot|, dF/dalpha)`` at magnitudes ``J_abs`` (meV) and polar angles ``alpha`` (rad).

        ``F`` in meV per Nb site; broadcast over the inputs.  ``alpha`` may be
        any angle (``F`` depends on ``sin^2 alpha`` only).  Magnitudes above
        ``2 J`` (never reached by two magnets) are a polynomial extrapolation.
        """
        r, a = _broadcast(check_array(J_abs, "J_abs", unit="meV", nonneg=True, allow_empty=True),
                          check_array(alpha, "alpha", unit="rad", allow_empty=True))
        u_max = self._poly["u_max"]
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):   # overflow refused below
            x = r * r / u_max
            s = np.sin(a) ** 2
            g, g_x, g_s = self._g_terms(x, s, 1)
            f = u_max * x * g
            df_dr = 2.0 * r * (g + x * g_x)
            df_da = u_max * x * g_s * np.sin(2.0 * a)
        if not (np.all(np.isfinite(f)) and np.all(np.isfinite(df_dr)) and np.all(np.isfinite(df_da))):
            raise ValueError(f"J_abs reaches {float(np.max(r)):g} meV, so far beyond the tabulated 2 J = "
                             f"{2 * self.J:g} meV that the table's polynomial overflows")
        return f, df_dr, df_da

    def energy(self, J_abs, alpha):
        """The interpolated free energy ``F`` only.

        Parameters
        ----------
        J_abs : array_like
            Magnitudes of the total field (meV), >= 0.
        alpha : array_like
            Its polar angles (rad).

        Returns
        -------
        ndarray
            ``F`` (meV per Nb site), broadcast shape.

        Raises
        ------
        TypeError
            Non-real input.
        ValueError
            Negative or non-finite magnitudes, non-finite angles, shapes that do not broadcast, or
            magnitudes so far beyond the tabulated ``2 J`` that the polynomial overflows.

        Examples
        --------
        Vectorised over both arguments; ``F`` depends on ``sin^2 alpha`` only:

        >>> from isingsc import ising_superconductor
        >>> sc = ising_superconductor(150.0)
        >>> tab = microscopic_table(sc, 0.5 * sc.tc0, 0.02, n_magnitudes=4, n_angles=2)
        >>> F = tab.energy([0.01, 0.02, 0.04], np.pi / 2)
        >>> F.shape, bool(np.all(F < 0))                       # in plane the superconductor gains
        ((3,), True)
        >>> bool(np.isclose(tab.energy(0.03, 0.4), tab.energy(0.03, np.pi - 0.4), rtol=1e-12))
        True
        """
        return self(J_abs, alpha)[0]

    def coupling(self):
        """The table as a stack coupling.

        Returns
        -------
        MicroscopicCoupling
            A :class:`~isingsc.magnetism.TabulatedCoupling` with analytic derivatives.

        Examples
        --------
        >>> from isingsc import ising_superconductor
        >>> sc = ising_superconductor(150.0)
        >>> tab = microscopic_table(sc, 0.5 * sc.tc0, 0.02, n_magnitudes=4, n_angles=2)
        >>> cpl = tab.coupling()
        >>> cpl.table is tab, cpl == microscopic_coupling(sc, 0.5 * sc.tc0, 0.02, n_magnitudes=4, n_angles=2)
        (True, True)
        """
        return MicroscopicCoupling(TabulatedCoupling.from_polar(self).func, table=self)

    def _w_terms(self, p, q, J, order):
        """``W(p, q) = F`` with ``u = 4 J^2 p``, ``s = q``, and its derivatives in ``p`` and ``q``."""
        u_max = self._poly["u_max"]
        c = 4.0 * J * J / u_max               # x = c p
        x = c * p
        res = self._g_terms(x, q, order)
        g = res[0]
        W = u_max * x * g
        if order == 0:
            return (W,)
        g_x, g_s = res[1], res[2]
        W_p = c * u_max * (g + x * g_x)
        W_q = u_max * x * g_s
        if order == 1:
            return W, W_p, W_q
        g_xx, g_xs, g_ss = res[3:]
        W_pp = c * c * u_max * (2.0 * g_x + x * g_xx)
        W_pq = c * u_max * (g_s + x * g_xs)
        W_qq = u_max * x * g_ss
        return W, W_p, W_q, W_pp, W_pq, W_qq

    def _w_difference(self, p_old, dp, q_old, dq, J):
        """``W(p_old + dp, q_old + dq) - W(p_old, q_old)`` from exact increments, without cancellation.

        ``W = u_max sum_kl C[k, l] x^(k+1) q^l`` changes by
        ``u_max [dx sum_k h_(k+1)(x) c_k(q_new) + dq sum_k x_old^(k+1) sum_l C[k, l] h_l(q)]``, where
        ``h_n(z) = (z_new^n - z_old^n)/(z_new - z_old) = sum_i z_new^i z_old^(n-1-i)`` (the recurrence
        ``h_n = z_new h_(n-1) + z_old^(n-1)``, no subtraction) and ``c_k`` are the rows in ``q``.
        """
        C = self._poly["C_rows"]
        u_max = self._poly["u_max"]
        c = 4.0 * J * J / u_max
        x_old, dx = c * p_old, c * dp
        x_new, q_new = x_old + dx, q_old + dq
        K, M = len(C), len(C[0])
        hq = _divided_powers(q_old, q_new, M - 1)          # h_0 ... h_(M-1) of q
        hx = _divided_powers(x_old, x_new, K)              # h_0 ... h_K of x
        x_pow = x_old
        out = 0.0
        for k in range(K):
            row = C[k]
            out = out + dx * hx[k + 1] * _horner(row, q_new)
            out = out + dq * x_pow * sum(row[l] * hq[l] for l in range(1, M))
            x_pow = x_pow * x_old
        if not (isinstance(x_old, float) and isinstance(q_old, float)):
            out = out + np.zeros(np.broadcast(x_old, q_old).shape)
        return u_max * out

    def interpolation_error(self, sc, J_abs, alpha):
        """Compare the table with direct engine calls at arbitrary (e.g. off-grid) points.

        Parameters
        ----------
        sc : IsingSuperconductor
            The superconductor the table was built from.
        J_abs, alpha : array_like
            Points (meV, rad), broadcast against each other.

        Returns
        -------
        (ndarray, ndarray)
            ``(direct, interpolated)`` values of ``F`` (meV per Nb site).

        Raises
        ------
        TypeError
            ``sc`` not an :class:`~isingsc.superconductor.IsingSuperconductor`, or non-real points.
        ValueError
            Negative or non-finite magnitudes, non-finite angles, magnitudes above the model's band
            width, or points that do not broadcast.
        ConvergenceError
            An engine solve that cannot be established.

        Examples
        --------
        Off the nodes the 4 x 2 table agrees with the engine to a few 1e-4 relative (the default
        5 x 4 table does better):

        >>> from isingsc import ising_superconductor
        >>> sc = ising_superconductor(150.0)
        >>> tab = microscopic_table(sc, 0.5 * sc.tc0, 0.02, n_magnitudes=4, n_angles=2)
        >>> direct, interp = tab.interpolation_error(sc, [0.015, 0.03], np.pi / 2)
        >>> direct.shape, bool(np.all(np.abs(interp - direct) < 1e-3 * np.abs(direct)))
        ((2,), True)
        """
        sc = check_superconductor(sc)
        r, a = _broadcast(check_array(J_abs, "J_abs", unit="meV", nonneg=True), check_array(alpha, "alpha", unit="rad"))
        for x in np.unique(r):
            sc._J(x, "J_abs")                  # below the model's band width (ValueError naming J_abs)
        direct = np.array([sc.free_energy(self.T, x, y) for x, y in zip(r.ravel(), a.ravel())]) - self.f_zero
        return direct.reshape(r.shape), self.energy(r, a)


@dataclass(frozen=True)
class MicroscopicCoupling(TabulatedCoupling, Serializable):
    """The tabulated full free energy as a stack coupling, with exact derivatives and differences.

    A :class:`~isingsc.magnetism.TabulatedCoupling` (``func(Jx, Jz)`` is the
    table) whose :meth:`terms` are analytic and whose :meth:`energy_change`
    is free of cancellation, so that the relaxation of
    :mod:`isingsc.magnetism` can resolve energy changes far below the
    rounding error of the energy (as for the analytic couplings).  It uses
    ``|J_tot|^2 = 4 J^2 cos^2((theta1 - theta2)/2)`` and that the polar angle of
    ``J_tot`` is ``(theta1 + theta2)/2``: the energy is ``W(p, q)`` with
    ``p = cos^2((theta1 - theta2)/2)`` and ``q = sin^2((theta1 + theta2)/2)``.
    Build it with :func:`microscopic_coupling` or :meth:`MicroscopicTable.coupling`.

    Attributes
    ----------
    func : callable
        As in :class:`~isingsc.magnetism.TabulatedCoupling` (the table in Cartesian components).
    table : MicroscopicTable
        The interpolated free energy.  The stack's ``J`` should be the table's
        ``J``; a larger one extrapolates beyond the tabulated ``2 J``.

    Examples
    --------
    >>> from isingsc import FSFStack, ising_superconductor
    >>> sc = ising_superconductor(150.0)
    >>> cpl = microscopic_coupling(sc, 0.5 * sc.tc0, 0.02, n_magnitudes=4, n_angles=2)
    >>> stack = FSFStack(1e-7, 1e-7, 1.0, 1.0, J=0.02, coupling=cpl)
    >>> abs(float(cpl.energy(0.3, 0.3 + np.pi, 0.02))) < 1e-18        # antiparallel magnets: no total field
    True
    >>> float(cpl.energy(0.5 * np.pi, 0.5 * np.pi, 0.02)) < 0            # parallel in plane: the superconductor gains
    True
    """

    table: "MicroscopicTable" = None
    exact_energy_change = True

    def __post_init__(self):
        super().__post_init__()
        check_instance(self.table, "table", MicroscopicTable)

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self.table == other.table and self.fd_step == other.fd_step

    def __hash__(self):
        return hash((type(self).__name__, self.table, self.fd_step))

    def __reduce__(self):
        # the function is a closure over the table: pickle the table (for process pools) and rebuild
        return (_coupling_of_table, (self.table,))

    def _results_key(self):
        # what the results kept between runs (isingsc._results_cache) key it by: the function is the table's
        return (self.table, self.fd_step)

    def to_dict(self):
        """The coupling as a JSON-safe dict, holding its table (``MicroscopicTable.to_dict()``).

        Returns
        -------
        dict
            ``{"type": "MicroscopicCoupling", "table": {...}}``; ``from_dict`` rebuilds an equal coupling.

        Examples
        --------
        >>> import json
        >>> from isingsc import ising_superconductor
        >>> sc = ising_superconductor(150.0)
        >>> cpl = microscopic_coupling(sc, 0.5 * sc.tc0, 0.02, n_magnitudes=4, n_angles=2)
        >>> MicroscopicCoupling.from_dict(json.loads(json.dumps(cpl.to_dict()))) == cpl
        True
        """
        return {"type": type(self).__name__, "table": self.table.to_dict()}

    @classmethod
    def _from_fields(cls, kwargs):
        return check_instance(kwargs.get("table"), "table", MicroscopicTable).coupling()

    def resolution(self):
        return (1e-14, 1e-10)

    def terms(self, theta1, theta2, J, order=2):
        sin, cos = _trig(theta1, theta2)
        if sin is math.sin:   # the relaxation's scalar path
            t1, t2 = float(theta1), float(theta2)
        else:
            t1, t2 = np.broadcast_arrays(np.asarray(theta1, float), np.asarray(theta2, float))
        d = t1 - t2
        sig = 0.5 * (t1 + t2)
        p = 0.5 * (1.0 + cos(d))
        q = sin(sig) ** 2
        res = self.table._w_terms(p, q, J, order)
        if order == 0:
            return (res[0],)
        W, W_p, W_q = res[:3]
        p_d, q_s = -0.5 * sin(d), sin(2.0 * sig)
        F_d, F_s = W_p * p_d, W_q * q_s
        g1, g2 = F_d + 0.5 * F_s, -F_d + 0.5 * F_s
        if order == 1:
            return W, g1, g2
        W_pp, W_pq, W_qq = res[3:]
        F_dd = W_pp * p_d * p_d + W_p * (-0.5 * cos(d))
        F_ss = W_qq * q_s * q_s + W_q * 2.0 * cos(2.0 * sig)
        F_ds = W_pq * p_d * q_s
        return W, g1, g2, F_dd + F_ds + 0.25 * F_ss, -F_dd + 0.25 * F_ss, F_dd - F_ds + 0.25 * F_ss

    def energy_change(self, theta1, theta2, new1, new2, J=0.0):
        args = (theta1, theta2, new1, new2)
        sin, cos = _trig(*args)
        if sin is math.sin:   # the relaxation's scalar path
            t1, t2, n1, n2 = (float(x) for x in args)
        else:
            t1, t2, n1, n2 = np.broadcast_arrays(*(np.asarray(x, float) for x in args))
        d_old, d_new = t1 - t2, n1 - n2
        dd = (n1 - t1) - (n2 - t2)  # d_new - d_old without rounding the large angles
        s_old, s_new = 0.5 * (t1 + t2), 0.5 * (n1 + n2)
        ds = 0.5 * ((n1 - t1) + (n2 - t2))
        p_old = 0.5 * (1.0 + cos(d_old))
        dp = -sin(0.5 * (d_new + d_old)) * sin(0.5 * dd)
        q_old = sin(s_old) ** 2
        dq = sin(ds) * sin(s_new + s_old)
        return self.table._w_difference(p_old, dp, q_old, dq, J)



def _broadcast(a, b):
    try:
        return np.broadcast_arrays(a, b)
    except ValueError:
        raise ValueError(f"J_abs and alpha must broadcast against each other, got shapes {a.shape} and "
                         f"{b.shape}") from None


def _coupling_of_table(table):
    return table.coupling()


_TABLES = weakref.WeakKeyDictionary()


def _table_key(T, J, n_magnitudes, n_angles):
    return (round(T, 15), round(J, 15), int(n_magnitudes), int(n_angles))


def _table_nodes(J, n_magnitudes, n_angles):
    n_magnitudes = check_int(n_magnitudes, "n_magnitudes", minimum=4, maximum=64)  # cubic fit in |J_tot|^2
    n_angles = check_int(n_angles, "n_angles", minimum=2, maximum=32)
    J_abs = 2.0 * J * np.arange(1, n_magnitudes + 1) / n_magnitudes
    s = 0.5 * (1.0 - np.cos(np.pi * np.arange(int(n_angles)) / (n_angles - 1)))
    alpha = np.arcsin(np.sqrt(np.clip(s, 0.0, 1.0)))
    alpha[-1] = 0.5 * np.pi
    return J_abs, alpha


def microscopic_tables(sc, temperatures, J, *, n_magnitudes=5, n_angles=4, executor=None, progress=None):
    """Build (or fetch from the cache) :class:`~isingsc.microscopic.MicroscopicTable` s at several temperatures.

    All missing engine evaluations are pooled, so that an ``executor`` (e.g. a
    ``concurrent.futures.ProcessPoolExecutor``) keeps every worker busy.

    Parameters
    ----------
    sc : IsingSuperconductor
    temperatures : sequence of float
        Temperatures (meV), ``>= 0``.
    J : float
        Exchange field of one magnet (meV), ``> 0``; the table covers ``|J_tot| <= 2 J``.
    n_magnitudes : int, optional
        Magnitude nodes ``2 J k / n``, ``k = 1..n`` (>= 4).  The default 5 x 4
        grid (20 engine calls, 10 of them at oblique angles) reproduces the free
        energy to < 1e-5 ``chi_s(0) J^2`` at off-grid points for ``J = 0.25 H_P``
        and ``lambda_soc = 150 Delta0`` (tests and book); 3 angles would give ~2e-4.
    n_angles : int, optional
        Polar-angle nodes in ``[0, pi/2]`` (2 to 32); the nodes ``0`` and ``pi/2`` are
        cheap (collinear fields: the engine's separable Ising path), the others
        cost ~0.1 s each.
    executor : concurrent.futures.Executor, optional
        Spread the engine calls over workers, e.g. a ``ProcessPoolExecutor`` or
        a ``dask.distributed`` client's ``get_executor()``: the points go in two
        chunks per worker, each chunk with its own unpickled copy of the
        superconductor.  The values equal the serial ones.
    progress : bool or None, optional
        tqdm bar over the engine evaluations (``None``: in a terminal, after 2 s; ``False``: never).

    Returns
    -------
    list of MicroscopicTable
        One per temperature, in the order given.

    Raises
    ------
    TypeError
        ``sc`` not an :class:`~isingsc.superconductor.IsingSuperconductor`; non-real temperatures or
        ``J``; non-integer grid sizes; an executor without ``map``.
    ValueError
        Negative or non-finite temperatures (meV); ``J`` outside ``[1e-4 delta0, band width]`` (below,
        ``F ~ chi J^2`` sinks into the rounding of the free energy); ``n_magnitudes`` outside 4 ... 64,
        ``n_angles`` outside 2 ... 32.
    ConvergenceError
        An engine solve that cannot be established.
    ExecutorError
        An executor whose ``map`` returns the wrong number of results or non-finite values.

    Examples
    --------
    >>> from isingsc import ising_superconductor
    >>> sc = ising_superconductor(150.0)
    >>> tabs = microscopic_tables(sc, [0.5 * sc.tc0], 0.02, n_magnitudes=4, n_angles=2)
    >>> tabs[0] is microscopic_table(sc, 0.5 * sc.tc0, 0.02, n_magnitudes=4, n_angles=2)   # cached
    True
    """
    sc = check_superconductor(sc)
    J = _below_band_width(check_real(J, "J", unit="meV", positive=True), "J", sc._band_width)
    if J < _TABLE_J_MIN_OVER_DELTA0 * sc.delta0:
        raise ValueError(f"J must be >= {_TABLE_J_MIN_OVER_DELTA0:g} delta0 = {_TABLE_J_MIN_OVER_DELTA0 * sc.delta0:.3g} "
                         f"meV for a microscopic table, got {J!r} meV: below, F ~ chi J^2 is lost in the rounding of "
                         "the free energy")
    Ts = [float(sc._T(T, "temperatures")) for T in
          check_array(temperatures, "temperatures", unit="meV", nonneg=True).ravel()]
    executor = check_executor(executor)        # checked even when every table is cached
    progress_enabled(progress)
    J_abs, alpha = _table_nodes(J, n_magnitudes, n_angles)
    cache = _TABLES.setdefault(sc, {})
    missing = [T for T in dict.fromkeys(Ts) if _table_key(T, J, n_magnitudes, n_angles) not in cache]
    # tables kept between runs (isingsc._results_cache; off unless ISINGSC_SHARED_CACHE names a directory)
    for T in list(missing):
        kept = _results_cache.lookup("microscopic_table", (sc, T, J, n_magnitudes, n_angles))
        if isinstance(kept, MicroscopicTable):
            cache[_table_key(T, J, n_magnitudes, n_angles)] = kept
            missing.remove(T)
    if missing:
        pts = [(T, j, a) for T in missing for j in J_abs for a in alpha]
        vals = parallel_map(_free_energy, [(sc, T, j, a) for T, j, a in pts], executor=executor, progress=progress,
                            desc="microscopic tables", check=finite_float, chunks_per_worker=2)
        vals = np.array(vals, float).reshape(len(missing), J_abs.size, alpha.size)
        for T, v in zip(missing, vals):
            f0 = sc.free_energy(T, 0.0)
            cache[_table_key(T, J, n_magnitudes, n_angles)] = _results_cache.store(
                "microscopic_table", (sc, T, J, n_magnitudes, n_angles), MicroscopicTable(T, J, J_abs, alpha, v - f0, f0))
    return [cache[_table_key(T, J, n_magnitudes, n_angles)] for T in Ts]


def _free_energy(sc, T, j, a):
    return sc.free_energy(T, j, a)


def microscopic_table(sc, T, J, *, n_magnitudes=5, n_angles=4, executor=None):
    """One :class:`~isingsc.microscopic.MicroscopicTable` (cached per superconductor, ``T``, ``J`` and grid).

    Parameters
    ----------
    sc, J, n_magnitudes, n_angles, executor
        As in :func:`microscopic_tables`.
    T : float
        Temperature (meV).

    Returns
    -------
    MicroscopicTable

    Raises
    ------
    TypeError
        As in :func:`microscopic_tables`, or a non-real ``T``.
    ValueError
        As in :func:`microscopic_tables`, or a negative or non-finite ``T`` (meV).
    ConvergenceError
        An engine solve that cannot be established.
    ExecutorError
        An executor that returns the wrong number of results or non-finite values.

    Examples
    --------
    >>> from isingsc import ising_superconductor
    >>> sc = ising_superconductor(150.0)
    >>> tab = microscopic_table(sc, 0.5 * sc.tc0, 0.02, n_magnitudes=4, n_angles=2)
    >>> (tab.J_abs / 0.02).tolist(), (tab.alpha / np.pi).tolist()
    ([0.5, 1.0, 1.5, 2.0], [0.0, 0.5])
    """
    T = check_superconductor(sc)._T(T, "T")          # real, >= 0 meV and below the band width
    return microscopic_tables(sc, [T], J, n_magnitudes=n_magnitudes, n_angles=n_angles, executor=executor)[0]


@persistent
def microscopic_coupling(sc, T, J, **table_options):
    """Coupling whose energy is the full superconducting free energy in the field ``J (n1 + n2)``.

    ``df_sc(theta1, theta2) = f_sn(T, |J_tot|, alpha) - f_sn(T, 0)`` with
    ``J_tot = J (n1 + n2)``, interpolated from a :class:`MicroscopicTable`
    (not the quadratic expansion).  Use it in an
    :class:`~isingsc.magnetism.FSFStack` with the same ``J``.

    Parameters
    ----------
    sc : IsingSuperconductor
    T, J : float
        Temperature and single-magnet exchange field (meV).
    **table_options
        ``n_magnitudes``, ``n_angles``, ``executor`` of :func:`microscopic_table`.

    Returns
    -------
    MicroscopicCoupling
        A :class:`~isingsc.magnetism.TabulatedCoupling` with analytic
        derivatives and cancellation-free energy changes.

    Raises
    ------
    TypeError
        As in :func:`microscopic_table`, or an unknown table option.
    ValueError
        As in :func:`microscopic_table`.
    ConvergenceError
        An engine solve that cannot be established.

    Examples
    --------
    >>> from isingsc import ising_superconductor
    >>> sc = ising_superconductor(150.0)
    >>> cpl = microscopic_coupling(sc, 0.5 * sc.tc0, 0.02, n_magnitudes=4, n_angles=2)
    >>> type(cpl).__name__, cpl.table.J
    ('MicroscopicCoupling', 0.02)
    """
    return microscopic_table(sc, T, J, **table_options).coupling()


def stack_coupling(sc, T, J, coupling_form, **table_options):
    """The superconductor-mediated coupling of the stack at temperature ``T`` (meV).

    Parameters
    ----------
    sc : IsingSuperconductor or SuperconductorResponse
    T, J : float
        Temperature and single-magnet exchange field (meV).
    coupling_form : {"paper", "complete", "microscopic", "bare"}
        One of :data:`~isingsc.response.COUPLING_FORMS`, or ``"bare"`` for no
        superconductor (``None``).
    **table_options
        Passed to :func:`microscopic_coupling` for ``"microscopic"``.

    Returns
    -------
    Coupling or None
        :class:`~isingsc.magnetism.IsingQuadraticCoupling` for the quadratic
        forms, :class:`MicroscopicCoupling` for ``"microscopic"``.

    Raises
    ------
    TypeError
        ``sc`` neither a superconductor nor a response; a non-real ``T`` or ``J``; a non-string
        ``coupling_form``; table options with a form other than ``"microscopic"``.
    ValueError
        ``T < 0`` or ``J < 0`` (meV; ``"microscopic"``: ``J > 0``), non-finite values, ``T`` above the
        response's tabulated range (quadratic forms), an unknown ``coupling_form``.
    ConvergenceError
        An engine solve that cannot be established (``"microscopic"``).

    Examples
    --------
    >>> from isingsc import ising_superconductor
    >>> sc = ising_superconductor(150.0)
    >>> stack_coupling(sc, 0.0, 0.1, "paper").chi_perp
    0.0
    >>> stack_coupling(sc, 0.0, 0.1, "bare") is None
    True
    """
    check_coupling_form(coupling_form, COUPLING_FORMS + ("bare",))
    T = check_real(T, "T", unit="meV", nonneg=True)
    J = check_real(J, "J", unit="meV", nonneg=True)      # checked for every form (the quadratic ones do not use it)
    if coupling_form == "bare":
        return None
    resp = as_response(sc)
    if coupling_form == "microscopic":
        return microscopic_coupling(resp.superconductor, T, J, **table_options)
    if table_options:
        raise TypeError(f"table options {sorted(table_options)} apply to coupling_form='microscopic' only")
    return resp.coupling(T, coupling_form)


def free_energy_derivatives(sc, T, J, state="out-of-plane", *, rel_step=0.05, angle=0.1):
    """``(dF/du, dF/ds)`` of the full free energy at ``u = 4 J^2`` and ``s = 0`` or ``1``.

    ``F(u, s) = f_sn(T, sqrt(u), alpha) - f_sn(T, 0)`` with ``s = sin^2 alpha``.
    ``dF/du`` comes from a five-point difference in ``|J_tot|`` along the
    collinear direction (step ``rel_step * 2 J``), ``dF/ds`` from one tilted
    field at ``alpha = angle`` (or ``pi/2 - angle``), a one-sided difference whose
    relative error is ``O(sin^2 angle) ~ 1e-3`` for the default.  For the
    out-of-plane state this difference compares the engine at a tilted field with
    the collinear one; their consistency (~1e-11 meV per site) is ~1e-4 of
    ``dF/ds`` at ``J = 0.25 H_P`` but ~1% at ``J = 0.05 H_P``.

    Parameters
    ----------
    sc : IsingSuperconductor
    T, J : float
        Temperature and single-magnet exchange field (meV).
    state : {"out-of-plane", "in-plane"}
        The collinear direction of the total field (polar angle 0 or ``pi/2``).
    rel_step : float, optional
        Step of the difference in ``|J_tot|``, relative to ``2 J``: ``1e-6 <= rel_step < 0.5``.
    angle : float, optional
        Tilt of the field for ``dF/ds`` (rad): ``1e-4 <= angle < 0.5``.

    Returns
    -------
    (float, float)
        ``dF/du`` (1/meV per Nb site) and ``dF/ds`` (meV per Nb site).

    Raises
    ------
    TypeError
        ``sc`` not an :class:`~isingsc.superconductor.IsingSuperconductor`; non-real numbers; a
        non-string ``state``.
    ValueError
        ``T < 0`` or ``J <= 0`` (meV), non-finite values, an unknown ``state``, ``rel_step`` or
        ``angle`` out of range, ``J`` above the model's band width.
    ConvergenceError
        An engine solve that cannot be established.

    Examples
    --------
    At a small field they tend to the susceptibilities: ``dF/du -> -chi_par/2`` (in plane):

    >>> from isingsc import ising_superconductor
    >>> sc = ising_superconductor(150.0)
    >>> T = 0.5 * sc.tc0
    >>> F_u, F_s = free_energy_derivatives(sc, T, 0.01, "in-plane")
    >>> round(F_u / (-0.5 * sc.spin_susceptibility(T, np.pi / 2)), 3)
    1.0
    """
    sc = check_superconductor(sc)
    check_choice(state, "state", COLLINEAR_STATES)
    T = check_real(T, "T", unit="meV", nonneg=True)
    J = check_real(J, "J", unit="meV", positive=True)
    rel_step = check_real(rel_step, "rel_step", lower=1e-6)
    ang = check_real(angle, "angle", unit="rad", lower=1e-4)
    if rel_step >= 0.5:
        raise ValueError(f"rel_step must be < 0.5, got {rel_step!r}")
    if ang >= 0.5:
        raise ValueError(f"angle must be < 0.5 rad, got {ang!r} rad")
    J = _below_band_width(J, "J", sc._band_width)
    h = rel_step * 2.0 * J
    r = 2.0 * J
    a0 = 0.0 if state == "out-of-plane" else 0.5 * np.pi
    f = [sc.free_energy(T, r + k * h, a0) for k in (-2, -1, 1, 2)]
    dF_dr = (f[0] - 8.0 * f[1] + 8.0 * f[2] - f[3]) / (12.0 * h)
    F_u = dF_dr / (2.0 * r)
    f0 = sc.free_energy(T, r, a0)
    tilt = ang if state == "out-of-plane" else 0.5 * np.pi - ang
    ds = math.sin(tilt) ** 2 - math.sin(a0) ** 2
    F_s = (sc.free_energy(T, r, tilt) - f0) / ds
    return F_u, F_s

