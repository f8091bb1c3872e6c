"""Self-consistent Ising superconductor in an exchange field (section III and appendices B-C of the paper).

:class:`IsingSuperconductor` couples the tight-binding bands of
:mod:`isingsc.model` to s-wave pairing and a uniform exchange field ``J`` at
polar angle ``theta``.  All energies are in meV with k_B = 1; free energies and
susceptibilities are *per lattice site* (Brillouin-zone averages).

The coupling ``g`` is fixed by the zero-temperature, zero-field gap ``delta0``.
The gap at any ``(T, J, theta)`` is the *global* minimiser of the free energy
over ``delta >= 0``, so first-order transitions are obtained correctly: the
stationary points are bracketed by the sign changes of the gap equation
``df/d(delta^2) = 0`` on a grid of trial gaps, each local minimum is refined by
Brent's method on that equation (analytic in delta, :mod:`isingsc.bdg`), and the
lowest of them and the normal state wins.

Every momentum integral uses the Fermi-surface adapted quadrature of
:mod:`isingsc.quadrature` over the whole Brillouin zone, with its energy
resolution chosen automatically from ``delta0``, ``T`` and ``J``; there is no
energy window or cut-off, so any temperature and field are covered.

Any filling of the band works, also next to the van Hove saddles (the angular
panels are graded towards the angles where the Fermi surface is tangent to
the quadrature's rays, leaves a patch or passes a saddle; at a saddle the
log-divergent N(0) is refused with :class:`~isingsc.errors.ConvergenceError`).
Models with Rashba coupling (``model.alpha_R != 0``) use the general path: at
each momentum the spin-orbit vector ``G = (g_x, g_y, D)`` is rotated to ``z``,
so the BdG problem is the Ising one on the helical bands with the field
resolved along and across ``G``, summed over the symmetry images of every
quadrature node; the field's azimuth ``phi`` then matters.

Objects are immutable: derive changed ones with :meth:`IsingSuperconductor.with_delta0`,
:meth:`~IsingSuperconductor.with_model`, :meth:`~IsingSuperconductor.with_resolution`
and :meth:`~IsingSuperconductor.with_lambda_soc`.  Equal objects (same model,
``delta0`` and resolution) are interchangeable, also after pickling.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

import numpy as np

from ._results_cache import persistent
from . import bdg
from ._bands import band_evaluator
from ._landscape import Landscape, RashbaLandscape
from ._roots import brent_root, expand_bracket
from ._validation import check_array, check_choice, check_instance, check_int, check_real, numerics
from ._parallel import finite_float, parallel_map
from ._serialize import Serializable
from .errors import BandEdgeWarning, ConvergenceError, TemperatureUnitWarning
from .model import TriangularTMD, high_symmetry_points
from .quadrature import (
    MAX_NODES,
    BZQuadrature,
    _contour_terms,
    _saddle_points,
    band_range,
    symmetry_images,
    fermi_surface_density,
    fermi_surface_quadrature,
)

__all__ = [
    "KELVIN",
    "DELTA0_PAPER",
    "Resolution",
    "IsingSuperconductor",
    "ConvergenceError",
    "BCS_RATIO",
]

#: Boltzmann's constant in meV per kelvin, ``k_B = 0.08617333262 meV/K`` (CODATA 2018, exact since the
#: 2019 SI): a temperature of ``T`` kelvin is ``T * KELVIN`` meV in the library's units (``k_B = 1``).
KELVIN = 0.08617333262
#: The paper's critical temperature, 3 K (App. B).
TC0_PAPER_K = 3.0
#: The paper's zero-temperature gap in meV, ``Delta0 = 1.8 Tc0`` with ``Tc0 = 3 K`` (appendix B of the
#: paper), that is ``1.8 * 3 * KELVIN = 0.46534 meV``.
DELTA0_PAPER = 1.8 * TC0_PAPER_K * KELVIN
#: The weak-coupling BCS ratio ``Delta0 / Tc0 = pi exp(-gamma_E) = 1.76388`` (dimensionless;
#: Bardeen, Cooper and Schrieffer 1957), with Euler's constant ``gamma_E``.
BCS_RATIO = math.pi * math.exp(-np.euler_gamma)

#: Temperatures below this fraction of delta0 are treated as T = 0 (their thermal
#: corrections are below 1e-18 relative).
_T_ZERO = 1e-9
#: Exchange fields are resolved down to this fraction of delta0 (the quadrature's energy scale).
_J_FLOOR = 1e-6
#: Exchange fields below this fraction of delta0 are zero field: their effect on the gap and the free
#: energy, of relative order ``(J/delta0)^2 < 1e-16``, is below double precision (and ``J^2`` may underflow).
_J_ZERO = 1e-8
#: Below this fraction of delta0 an oblique field is treated to second order, as ``cos^2 theta`` times the
#: out-of-plane plus ``sin^2 theta`` times the in-plane result (exact to ``(J/delta0)^4 < 1e-16``): the
#: closed-form roots of the oblique-field quartic lose digits as ``J -> 0`` (near-degenerate roots).
_J_MIX = 1e-4
#: delta0 must lie between these fractions of the band width: below, the condensation energy
#: (``~ delta0^2 / W`` per site) is lost in the rounding of band energies; above, the pairing is not weak
#: against the band (this engine has no retardation cut-off).
_DELTA0_RANGE = (1e-7, 1e-2)
#: A band edge, a band extremum at Gamma or K, or a van Hove saddle closer to the Fermi level than this many
#: (weak-coupling) Tc0 = delta0/BCS_RATIO raises a :class:`~isingsc.errors.BandEdgeWarning`.
BAND_EDGE_WINDOW = 5.0


@dataclass(frozen=True)
class Resolution(Serializable):
    """Numerical resolution of the Brillouin-zone quadrature.

    Attributes
    ----------
    n_phi : int
        Gauss-Legendre angles per wedge triangle (>= 4).
    n_gauss : int
        Gauss-Legendre nodes per radial panel (>= 2).
    grading : float
        Geometric growth of radial panels away from a Fermi-surface crossing (1.05 ... 20).
    scale_factor : float
        First-panel width relative to the automatic energy scale
        ``min(delta0, pi T, J)``; smaller is finer (1e-3 ... 10).

    Raises
    ------
    TypeError
        Non-integer ``n_phi``/``n_gauss`` or non-real ``grading``/``scale_factor``.
    ValueError
        Values out of range, or a resolution whose quadratures would exceed the
        node budget (:data:`isingsc.quadrature.MAX_NODES`).

    Examples
    --------
    >>> Resolution().refined(2)
    Resolution(n_phi=24, n_gauss=8, grading=2.5, scale_factor=0.5)
    >>> Resolution(n_phi=10**6)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Resolution(n_phi=1000000, ...) would need about ... quadrature nodes per Brillouin-zone integral, above the budget of 2e+06 ...
    """

    n_phi: int = 12
    n_gauss: int = 6
    grading: float = 2.5
    scale_factor: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "n_phi", check_int(self.n_phi, "n_phi", minimum=4))
        # beyond 64 nodes a Gauss-Legendre panel is exact to rounding for anything smoother than a kink
        object.__setattr__(self, "n_gauss", check_int(self.n_gauss, "n_gauss", minimum=2, maximum=64))
        object.__setattr__(self, "grading", check_real(self.grading, "grading", lower=1.05, upper=20.0))
        object.__setattr__(self, "scale_factor",
                           check_real(self.scale_factor, "scale_factor", lower=1e-3, upper=10.0))
        est = self.estimated_nodes
        if est > MAX_NODES:
            raise ValueError(
                f"{self!r} would need about {est:.2g} quadrature nodes per Brillouin-zone integral, above the "
                f"budget of {MAX_NODES:.0e} (about {8 * est / 2**20:.0f} MB per array of node values); "
                "lower n_phi or n_gauss, or raise grading or scale_factor"
            )

    @property
    def estimated_nodes(self):
        """Rough node count of an in-plane-field quadrature at this resolution (for the budget check).

        Examples
        --------
        >>> Resolution().estimated_nodes < Resolution().refined(2).estimated_nodes
        True
        """
        panels = 12 + 10 * math.log(2e4 / self.scale_factor) / math.log(self.grading)
        return int(2.5 * self.n_phi * self.n_gauss * panels)

    def refined(self, factor=2):
        """A finer resolution, for convergence checks.

        Parameters
        ----------
        factor : int, optional
            Refinement factor, 1 to 16: ``factor`` times the angles, ``2 (factor - 1)`` more Gauss
            nodes per panel and a first panel ``factor`` times narrower.

        Returns
        -------
        Resolution

        Raises
        ------
        TypeError
            ``factor`` not an integer.
        ValueError
            ``factor`` outside 1 ... 16, or a resolution above the node budget.

        Examples
        --------
        >>> Resolution().refined(3)
        Resolution(n_phi=36, n_gauss=10, grading=2.5, scale_factor=0.3333333333333333)
        """
        factor = check_int(factor, "factor", minimum=1, maximum=16)
        return Resolution(self.n_phi * factor, self.n_gauss + 2 * (factor - 1), self.grading,
                          self.scale_factor / factor)


def _check_T(T):
    return check_real(T, "T", unit="meV", nonneg=True)


def _check_J(J):
    return check_real(J, "J", unit="meV", nonneg=True)


def _below_band_width(value, name, width):
    """``value`` (meV), which must not exceed the band width ``width`` (meV) of the model."""
    if value > width:
        raise ValueError(f"{name} = {value:g} meV is above the band width of the model ({width:.4g} meV, at least "
                         "1000 delta0): the engine integrates a fixed band structure, meant for temperatures and "
                         "exchange fields far below it")
    return value


def _check_angle(theta, name="theta"):
    return check_real(theta, name, unit="rad")


def _canonical_theta(theta):
    """f depends on the field direction through cos^2(theta) only: map to [0, pi/2]."""
    return math.atan2(abs(math.sin(theta)), abs(math.cos(theta)))


def _canonical_direction(theta, phi):
    """(theta, phi) of +-J (f is even in J) with theta in [0, pi/2] and phi in [0, 2 pi)."""
    theta = math.remainder(theta, 2 * math.pi)
    if theta < 0:
        theta, phi = -theta, phi + math.pi
    if theta > math.pi / 2:
        theta, phi = math.pi - theta, phi + math.pi
    return theta, math.fmod(phi, 2 * math.pi) % (2 * math.pi)


@lru_cache(maxsize=32)
def _soc_directions(q, model):
    """Unit spin-orbit vectors G/|G| at the symmetry images of the nodes of ``q``, shape (6, 3, n)."""
    ev = band_evaluator(model)
    img = symmetry_images(q.k)
    _, D, gx, gy = ev.soc(img[..., 0].ravel(), img[..., 1].ravel())
    G = np.stack([gx, gy, D]).reshape(3, img.shape[0], img.shape[1]).transpose(1, 0, 2)
    norm = np.sqrt(np.sum(G * G, axis=1, keepdims=True))
    return np.where(norm > 0, G / np.where(norm > 0, norm, 1.0), 0.0)


@dataclass(frozen=True, repr=False)
class IsingSuperconductor(Serializable):
    """Monolayer Ising superconductor with s-wave pairing and an exchange field.

    Parameters
    ----------
    model : TriangularTMD
        Normal-state bands, e.g. ``isingsc.NbSe2()``; its bands must cross the
        Fermi level.
    delta0 : float
        Zero-temperature, zero-field gap (meV); fixes the coupling ``g``.
        Default: App. B of the paper, ``1.8 Tc0`` with ``Tc0 = 3 K``
        (0.4653 meV).
    resolution : Resolution, optional
        Quadrature resolution; the defaults are converged to the tolerances
        stated in the book (see the convergence section).

    Notes
    -----
    Free energies are per site (meV), susceptibilities per site (1/meV), in
    units where the electron's moment is one, so that the Zeeman energy of a
    field ``J`` is ``-chi J^2/2``.  All integrals run over the whole Brillouin
    zone with the Fermi-surface adapted quadrature of :mod:`isingsc.quadrature`
    (closed-form quasiparticle energies, no cut-off).

    The object is immutable and compares (and hashes) by ``(model, delta0,
    resolution)``; results are cached on the object, so derive changed
    objects with the ``with_...`` methods.

    Examples
    --------
    >>> import isingsc
    >>> sc = IsingSuperconductor(isingsc.NbSe2().with_lambda_soc(150 * DELTA0_PAPER))
    >>> round(sc.delta0 / sc.tc0, 3)
    1.764
    >>> sc.delta0 = 0.3
    Traceback (most recent call last):
    ...
    dataclasses.FrozenInstanceError: cannot assign to field 'delta0'
    >>> sc.with_delta0(0.3).delta0
    0.3
    """

    model: TriangularTMD
    delta0: float = DELTA0_PAPER
    resolution: Resolution | None = field(default=None, kw_only=True)

    def __post_init__(self):
        # the results cache is an attribute, not a field: dataclasses.asdict, replace and == see the parameters only
        object.__setattr__(self, "_cache", {})
        check_instance(self.model, "model", TriangularTMD, "e.g. isingsc.NbSe2()")
        delta0 = check_real(self.delta0, "delta0", unit="meV", positive=True)
        resolution = Resolution() if self.resolution is None else self.resolution
        check_instance(resolution, "resolution", Resolution, "e.g. isingsc.Resolution(16, 8)")
        lo, hi = band_range(self.model)
        if not (lo <= 0.0 <= hi):
            raise ValueError(f"no Fermi surface: the band runs from {lo:.6g} to {hi:.6g} meV and does not cross "
                             "the Fermi level (0 meV); shift epsilon")
        width = hi - lo
        # an exactly flat band (every state at the Fermi level) is the one model without a band width: the
        # engine is exact there (tested), and only the absolute floor of the condensation energy applies
        low, high = (f * width for f in _DELTA0_RANGE) if width > 0 else (1e-4, math.inf)
        if delta0 < low:
            raise ValueError(
                f"delta0 = {delta0:g} meV is below {low:.2g} meV ({_DELTA0_RANGE[0]:g} of the band width "
                f"{width:.4g} meV): the condensation energy (~ delta0^2 / W per site) would be lost in the "
                "double-precision rounding of the band energies")
        if delta0 > high:
            raise ValueError(
                f"delta0 = {delta0:g} meV is not small against the band width ({width:.4g} meV): this "
                f"weak-coupling engine (no retardation cut-off) is meant for delta0 <= {_DELTA0_RANGE[1]:g} W = "
                f"{high:.3g} meV (are the model's energies in meV?)")
        object.__setattr__(self, "delta0", delta0)
        object.__setattr__(self, "resolution", resolution)
        _warn_band_edges(self.model, delta0, lo, hi)

    @cached_property
    def _band_width(self):
        """The largest temperature or field (meV): the band width, at least ``1000 delta0`` (flat bands)."""
        lo, hi = band_range(self.model)
        return max(hi - lo, 1e3 * self.delta0)

    def _T(self, T, name="T"):
        """A checked temperature (meV): real, >= 0 and below the band width."""
        return _below_band_width(check_real(T, name, unit="meV", nonneg=True), name, self._band_width)

    def _J(self, J, name="J"):
        """A checked exchange field (meV): real, >= 0 and below the band width; 0 below ``_J_ZERO delta0``."""
        J = _below_band_width(check_real(J, name, unit="meV", nonneg=True), name, self._band_width)
        return 0.0 if J < _J_ZERO * self.delta0 else J

    def __repr__(self):
        """The model and the parameters that differ from the defaults (``eval`` rebuilds an equal object)."""
        parts = [repr(self.model)]
        if self.delta0 != DELTA0_PAPER:
            parts.append(f"delta0={self.delta0!r}")
        if self.resolution != Resolution():
            parts.append(f"resolution={self.resolution!r}")
        return f"IsingSuperconductor({', '.join(parts)})"

    @classmethod
    def from_tc(cls, model, tc_kelvin, *, resolution=None):
        """The superconductor on ``model`` whose zero-field ``Tc0`` is ``tc_kelvin`` (K).

        ``delta0`` is solved for (secant steps from the weak-coupling ratio
        ``Delta0 = 1.764 Tc0``) until the model's own ``Tc0`` is the given one to
        ``1e-10`` relative.

        Parameters
        ----------
        model : TriangularTMD
            Normal-state bands, e.g. ``isingsc.NbSe2()``.
        tc_kelvin : float
            Critical temperature in **kelvin** (the one place the library takes
            kelvin: ``Tc`` is how superconductors are quoted).
        resolution : Resolution, optional
            Quadrature resolution.

        Returns
        -------
        IsingSuperconductor
            With ``tc0 = tc_kelvin * KELVIN`` meV.

        Raises
        ------
        TypeError
            ``model`` is not a :class:`~isingsc.model.TriangularTMD` or ``tc_kelvin`` is not real.
        ValueError
            ``tc_kelvin`` is not positive, or gives a ``delta0`` outside the engine's range (1e-4 to 5 meV).
        ConvergenceError
            The secant steps do not settle.

        Examples
        --------
        >>> import isingsc
        >>> sc = IsingSuperconductor.from_tc(isingsc.NbSe2(), 7.0)      # bulk-like NbSe2, Tc = 7 K
        >>> round(sc.tc0 / KELVIN, 9), round(sc.delta0 / sc.tc0, 3)
        (7.0, 1.764)
        """
        tc_k = check_real(tc_kelvin, "tc_kelvin", unit="K", positive=True)
        target = tc_k * KELVIN
        d_a = BCS_RATIO * target
        try:
            sc = cls(model, d_a, resolution=resolution)
        except ValueError as exc:
            if "delta0" not in str(exc):
                raise
            raise ValueError(f"tc_kelvin = {tc_k:g} K needs delta0 ~ {d_a:.3g} meV, outside this engine's range: "
                             f"{exc}") from None
        f_a = sc.tc0 - target
        d_b = d_a * target / sc.tc0
        for _ in range(20):
            sc = cls(model, d_b, resolution=resolution)
            f_b = sc.tc0 - target
            if abs(f_b) <= 1e-10 * target:
                return sc
            if f_b == f_a:
                break
            d_a, d_b, f_a = d_b, d_b - f_b * (d_b - d_a) / (f_b - f_a), f_b
        raise ConvergenceError(f"from_tc: no delta0 gives Tc0 = {tc_k:g} K to 1e-10 (last {sc.tc0 / KELVIN:.12g} K)")

    def with_epsilon(self, epsilon):
        """The same superconductor on ``model.with_epsilon(epsilon)``: another filling (meV).

        Parameters
        ----------
        epsilon : float
            On-site energy of the band (meV), measured from the Fermi level.

        Returns
        -------
        IsingSuperconductor
            Same ``delta0`` and resolution (so a new ``Tc0``: the coupling is fixed by ``delta0``).

        Raises
        ------
        ValueError
            The band no longer crosses the Fermi level.

        Examples
        --------
        >>> import isingsc
        >>> sc = IsingSuperconductor(isingsc.NbSe2())
        >>> sc.with_epsilon(-40.0)
        IsingSuperconductor(NbSe2(epsilon=-40.0))
        >>> sc.with_epsilon(-40.0) == IsingSuperconductor(isingsc.NbSe2(epsilon=-40.0))
        True
        """
        return self.with_model(self.model.with_epsilon(check_real(epsilon, "epsilon", unit="meV")))

    def __reduce__(self):
        return (_rebuild, (self.model, self.delta0, self.resolution))

    # ------------------------------------------------------------ derived objects
    def with_delta0(self, delta0):
        """The same superconductor with another zero-temperature gap.

        Parameters
        ----------
        delta0 : float
            Zero-temperature, zero-field gap (meV), a small fraction of the band width.

        Returns
        -------
        IsingSuperconductor
            A new object (with its own, empty cache): same model and resolution.

        Raises
        ------
        TypeError
            ``delta0`` not a real number.
        ValueError
            ``delta0`` not finite, or outside the weak-coupling range of the model.

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.IsingSuperconductor(isingsc.NbSe2())
        >>> sc.with_delta0(0.3).delta0, sc.delta0 == isingsc.DELTA0_PAPER
        (0.3, True)
        """
        return replace(self, delta0=delta0)

    def with_model(self, model):
        """The same superconductor on other bands.

        Parameters
        ----------
        model : TriangularTMD
            The new normal-state bands; they must cross the Fermi level.

        Returns
        -------
        IsingSuperconductor
            Same ``delta0`` and resolution.

        Raises
        ------
        TypeError
            ``model`` not a :class:`~isingsc.model.TriangularTMD`.
        ValueError
            Bands that do not cross the Fermi level, or ``delta0`` not small against their width.

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.IsingSuperconductor(isingsc.NbSe2())
        >>> sc.with_model(isingsc.NbSe2(epsilon=-40.0)).model.epsilon
        -40.0
        """
        return replace(self, model=model)

    def with_resolution(self, resolution):
        """The same superconductor with another quadrature resolution.

        Parameters
        ----------
        resolution : Resolution
            E.g. ``sc.resolution.refined(2)`` for a convergence check.

        Returns
        -------
        IsingSuperconductor

        Raises
        ------
        TypeError
            ``resolution`` not a :class:`Resolution`.

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.IsingSuperconductor(isingsc.NbSe2())
        >>> sc.with_resolution(sc.resolution.refined(2)).resolution.n_phi
        24
        """
        return replace(self, resolution=resolution)

    def with_lambda_soc(self, lambda_soc):
        """The same superconductor on the model with another Ising spin-orbit strength.

        Parameters
        ----------
        lambda_soc : float
            Ising spin-orbit strength (meV), ``0 <= lambda_soc <= 3 sqrt(3) |t_0|``; see
            :meth:`~isingsc.model.TriangularTMD.with_lambda_soc`.

        Returns
        -------
        IsingSuperconductor
            On ``model.with_lambda_soc(lambda_soc)``, same ``delta0`` and resolution.

        Raises
        ------
        TypeError
            ``lambda_soc`` not a real number.
        ValueError
            ``lambda_soc`` negative, not finite or beyond what ``t_0`` allows.

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.IsingSuperconductor(isingsc.NbSe2())
        >>> round(sc.with_lambda_soc(60.0).model.lambda_soc, 10)
        60.0
        """
        return self.with_model(self.model.with_lambda_soc(lambda_soc))

    # ------------------------------------------------------------ quadrature
    def energy_scale(self, T=0.0, J=0.0, delta=None):
        """Energy resolution (meV) of the quadrature used at ``(T, J)``.

        ``min(delta0, pi T, J)`` (ignoring zeros; J no finer than ``1e-6 delta0``),
        rounded down to ``delta0 / 2^n`` (so that nearby temperatures and fields
        share one cached quadrature) and multiplied by ``resolution.scale_factor``.
        At ``T = 0`` a trial gap ``delta`` (no finer than ``1e-3 delta0``) is a
        candidate too: there ``|E|`` has branch points at ``xi = +-i delta``
        (for ``T > 0`` the nearest singularities are at least ``pi T`` away).

        Parameters
        ----------
        T : float, optional
            Temperature (meV), ``0 <= T <=`` the band width.
        J : float, optional
            Exchange field (meV), ``0 <= J <=`` the band width.
        delta : float or None, optional
            Trial gap (meV), ``>= 0``; matters at ``T = 0`` only.

        Returns
        -------
        float
            The width of the first radial panels (meV).

        Raises
        ------
        TypeError
            A non-real argument.
        ValueError
            A negative, non-finite or too large argument.

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.IsingSuperconductor(isingsc.NbSe2())
        >>> sc.energy_scale() == sc.delta0, sc.energy_scale(0.0, 0.1 * sc.delta0) == sc.delta0 / 16
        (True, True)
        """
        T, J = self._T(T), self._J(J)
        delta = None if delta is None else check_real(delta, "delta", unit="meV", nonneg=True)
        candidates = [self.delta0]
        if T > _T_ZERO * self.delta0:
            candidates.append(math.pi * T)
        elif delta is not None and delta > 0:
            candidates.append(max(float(delta), 1e-3 * self.delta0))
        if J > 0:
            candidates.append(max(J, _J_FLOOR * self.delta0))
        scale = min(candidates)
        # round down to delta0 / 2^n so that nearby (T, J) share one cached quadrature
        scale = self.delta0 * 2.0 ** math.floor(math.log2(scale / self.delta0) + 1e-9)
        return scale * self.resolution.scale_factor

    def quadrature(self, T=0.0, J=0.0, theta=0.0, delta=None) -> BZQuadrature:
        """The two-dimensional Brillouin-zone quadrature used at ``(T, J, theta)``.

        Panels are graded towards the Fermi surfaces and, in a field, towards
        the normal-state Fermi surfaces in that field (``("zeeman", Jz, Jx)`` of
        :func:`~isingsc.quadrature.fermi_surface_quadrature`; the levels
        ``xi = +-Jz`` for an out-of-plane field).  A trial gap ``delta`` matters
        only at (near) zero temperature: there the energy scale includes it
        (:meth:`energy_scale`) and, where ``delta`` is below the field, the
        curves where a quasiparticle branch crosses zero (kinks of the
        integrand at ``T = 0``) get graded panels too.

        Parameters
        ----------
        T, J : float, optional
            Temperature and exchange field (meV), ``>= 0`` and below the band width.
        theta : float, optional
            Polar angle of the field from ``z`` (rad).
        delta : float or None, optional
            Trial gap (meV), ``>= 0``.

        Returns
        -------
        BZQuadrature
            Nodes (band energies, weights summing to one) over the whole zone; cached.

        Raises
        ------
        TypeError
            A non-real argument.
        ValueError
            A negative, non-finite or too large argument.

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.IsingSuperconductor(isingsc.NbSe2())
        >>> q = sc.quadrature(0.1, 0.2, 0.7)
        >>> round(float(q.weights.sum()), 12), q.size > 1000
        (1.0, True)
        """
        T, J, theta = self._T(T), self._J(J), _check_angle(theta)
        delta = None if delta is None else check_real(delta, "delta", unit="meV", nonneg=True)
        T = self._temperature(T)
        low = delta is not None and delta > 0 and T < 0.05 * self.energy_scale(T, J)
        eta = self.energy_scale(T, J, delta if low else None)
        jz, jx = abs(J * math.cos(theta)), abs(J * math.sin(theta))
        surfaces = []
        if J > 0 and not self._rashba:  # (with Rashba the field's angle to G varies over the zone)
            # the normal-state Fermi surfaces in the field (for Jx = 0 the levels xi = +-Jz)
            surfaces.append(("zeeman", jz, jx))
            if low and delta < J and jz > 0:
                # where a quasiparticle branch at this gap crosses zero (in-plane: isolated points only)
                surfaces.append(("gapless", float(delta), jz, jx))
        edge = eta if jx == 0 else min(eta, jx)
        r = self.resolution
        return fermi_surface_quadrature(
            self.model, eta, (0.0,), n_phi=r.n_phi, n_gauss=r.n_gauss + self._saddle_order, grading=r.grading,
            edge_scale=edge, surfaces=tuple(surfaces),
        )

    #: a van Hove saddle closer than this to the Fermi level (meV) raises the radial Gauss order
    SADDLE_WINDOW = 30.0

    @cached_property
    def _saddle_order(self):
        """Extra Gauss nodes per radial panel near a van Hove filling (4 if a saddle is within
        :attr:`SADDLE_WINDOW` of the Fermi level, else 0): the logarithmic density of states makes the
        integrands vary within the panels away from the Fermi surface."""
        near = any(abs(xi) < self.SADDLE_WINDOW for _, xi in _saddle_points(self.model))
        return 4 if near else 0

    @property
    def _rashba(self):
        """True for a model with Rashba coupling (the general path: fields resolved per momentum)."""
        return self.model.alpha_R != 0.0

    def _direction(self, theta, phi):
        """Canonical field direction: (theta in [0, pi/2], 0) without Rashba, (theta, phi) with it."""
        if not self._rashba:
            return _canonical_theta(theta), 0.0
        return _canonical_direction(theta, phi)

    def _cosines(self, q, theta, phi):
        """G.J/(|G||J|) at the 6 symmetry images of every node, shape (6, n)."""
        Jhat = np.array([math.sin(theta) * math.cos(phi), math.sin(theta) * math.sin(phi), math.cos(theta)])
        return np.einsum("inj,n->ij", _soc_directions(q, self.model), Jhat)

    def _temperature(self, T):
        """T, with temperatures below 1e-9 delta0 taken as 0."""
        return 0.0 if T < _T_ZERO * self.delta0 else T

    # ------------------------------------------------------------ normal state
    @cached_property
    def density_of_states_fermi(self):
        """N(0): density of states per spin per site at the Fermi level (1/meV).

        From the Fermi-line integral of :func:`~isingsc.quadrature.fermi_surface_density`, checked against
        twice as many angles; :class:`~isingsc.errors.ConvergenceError` next to a van Hove saddle,
        where N(0) diverges logarithmically.

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.ising_superconductor(150.0)
        >>> round(sc.density_of_states_fermi, 6)
        0.000966
        """
        lo, hi = band_range(self.model)
        if lo == hi:
            raise ValueError("the band is flat at the Fermi level: N(0) is a delta function, not a number")
        n = 4 * self.resolution.n_phi
        n0, n1 = (fermi_surface_density(self.model, 0.0, n_phi=m) for m in (n, 2 * n))
        if not abs(n1 - n0) <= 1e-5 * abs(n1):
            saddle = min((abs(xi) for _, xi in _saddle_points(self.model)), default=np.inf)
            raise ConvergenceError(
                f"N(0) does not converge ({n0:.6g} vs {n1:.6g} /meV with {n} and {2 * n} angles): a van Hove "
                f"saddle of the band lies {saddle:.3g} meV from the Fermi level, where the density of states "
                "diverges logarithmically; move epsilon away from it")
        return n1

    @property
    def pauli_susceptibility(self):
        """chi_P = 2 N(0) (1/meV per site), the Pauli susceptibility.

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.ising_superconductor(150.0)
        >>> sc.pauli_susceptibility == 2 * sc.density_of_states_fermi
        True
        """
        return 2.0 * self.density_of_states_fermi

    @numerics
    def normal_susceptibility(self, theta=np.pi / 2, T=0.0, phi=0.0):
        """Normal-state spin susceptibility ``chi_n(theta)`` per site (1/meV).

        ``chi_n(theta) = chi_P cos^2(theta) + chi_n^soc sin^2(theta)`` (the text
        after Eq. (8) of the paper); at ``T = 0`` the out-of-plane part is exactly
        ``chi_P``.  Scalar arguments only: for arrays use :meth:`sweep`
        (``sc.sweep("normal_susceptibility", thetas)``).

        Parameters
        ----------
        theta : float, optional
            Polar angle of the field from ``z`` (rad); default ``pi/2``, in plane.
        T : float, optional
            Temperature (meV), ``0 <= T <=`` the band width.
        phi : float, optional
            Azimuth of the field (rad); matters only with Rashba coupling.

        Returns
        -------
        float
            ``chi_n`` per site (1/meV), in units where the electron's moment is one.

        Raises
        ------
        TypeError
            A non-real argument.
        ValueError
            A negative, non-finite or too large ``T``, or a non-finite angle.

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.ising_superconductor(150.0)
        >>> sc.normal_susceptibility(0.0) == sc.pauli_susceptibility        # out of plane, T = 0
        True
        >>> round(sc.normal_susceptibility(np.pi / 2) / sc.pauli_susceptibility, 4)   # chi_n^soc / chi_P
        0.9995
        """
        theta = _check_angle(theta)
        T = self._T(T)
        return self._susceptibility(0.0, self._temperature(T), theta, _check_angle(phi, "phi"))

    def _susceptibility(self, delta, T, theta, phi=0.0):
        if self._rashba:
            return self._rashba_susceptibility(delta, T, theta, phi)
        c2, s2 = math.cos(theta) ** 2, math.sin(theta) ** 2
        c2 = 0.0 if c2 < 1e-28 else c2  # theta = pi/2 in floating point
        s2 = 0.0 if s2 < 1e-28 else s2
        out = 0.0
        q = self.quadrature(T, 0.0, np.pi / 2)
        if c2 > 0:
            if T == 0.0:
                out += c2 * (0.0 if delta > 0 else self.pauli_susceptibility)
            else:
                out += c2 * q._integrate(bdg._spin_susceptibility_density, delta, T, "out-of-plane")
        if s2 > 0:
            out += s2 * q._integrate(bdg._spin_susceptibility_density, delta, T, "in-plane")
        return out

    def _rashba_susceptibility(self, delta, T, theta, phi):
        """chi(J-hat) = <chi_perp + c^2 (chi_par - chi_perp)>, c = G.J/(|G||J|) averaged over the images.

        A field along the spin-orbit vector G conserves the helicity (Zeeman
        shift of the helical bands: the Yosida-type ``chi_par``), a field across
        it mixes the helical bands (the Van Vleck-type ``chi_perp``); for Ising
        coupling G is along z and this is ``cos^2 theta chi_zz + sin^2 theta chi_xx``.
        """
        q = self.quadrature(T, 0.0, np.pi / 2)
        c2 = np.mean(self._cosines(q, theta, phi) ** 2, axis=0)
        total = 0.0
        for s_ in range(0, q.size, 2048):
            e = s_ + 2048
            a, b, w = q.xi_up[s_:e], q.xi_down[s_:e], q.weights[s_:e]
            perp = bdg._spin_susceptibility_density(a, b, delta, T, "in-plane")
            par = bdg._spin_susceptibility_density(a, b, delta, T, "out-of-plane")
            total += float(np.dot(perp + c2[s_:e] * (par - perp), w))
        if T == 0.0 and delta == 0.0:  # the Zeeman shift of the helical Fermi surfaces: a delta function there
            n_phi = 4 * self.resolution.n_phi
            for patch, phis, c, weight in _contour_terms(self.model, np.array([0.0]), n_phi):
                k = patch.center + c.r[:, None] * np.stack([np.cos(phis), np.sin(phis)], axis=-1)[c.ray]
                fake = BZQuadrature(c.r, c.r, weight, "", k)
                total += 2.0 * float(np.dot(np.mean(self._cosines(fake, theta, phi) ** 2, axis=0), weight))
        return total

    # ------------------------------------------------------------ integrals on one quadrature
    @cached_property
    def inverse_coupling(self):
        """1/g (1/meV per site) from the gap equation at ``T = 0, J = 0``, which fixes the pairing coupling ``g``.

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.ising_superconductor(150.0)
        >>> round(sc.inverse_coupling, 6)
        0.007631
        """
        return self.quadrature(0.0)._integrate(bdg._pair_kernel, self.delta0)

    def _small_oblique(self, J, theta):
        """True for an oblique field below ``_J_MIX delta0`` (no Rashba): treated as ``cos^2`` z plus ``sin^2`` x."""
        if self._rashba or not 0.0 < J < _J_MIX * self.delta0:
            return False
        return bdg._field_case(J, theta)[0] == "general"

    def _landscape(self, T, J, theta, delta=None, phi=0.0):
        """The prepared free-energy landscape on the quadrature for (T, J, theta, phi) (optionally Delta-adapted)."""
        if self._small_oblique(J, theta):
            c2 = math.cos(theta) ** 2
            return _MixedLandscape(self._landscape(T, J, 0.0, delta), self._landscape(T, J, math.pi / 2, delta),
                                   c2, 1.0 - c2)
        q = self.quadrature(T, J, theta, delta)
        if self._rashba and J > 0:
            return RashbaLandscape(q, self._cosines(q, theta, phi), self.delta0, T, J)
        return Landscape(q, self.delta0, T, J, theta)

    def _pair_curvature(self, q, T, J, theta, phi=0.0):
        d0 = self.delta0
        if self._small_oblique(J, theta):
            c2 = math.cos(theta) ** 2
            return (c2 * self._pair_curvature(self.quadrature(T, J, 0.0), T, J, 0.0)
                    + (1.0 - c2) * self._pair_curvature(self.quadrature(T, J, math.pi / 2), T, J, math.pi / 2))
        if self._rashba and J > 0:
            return RashbaLandscape(q, self._cosines(q, theta, phi), d0, T, J).alpha()
        return q._integrate(lambda a, b: bdg._pair_kernel(a, b, d0) - bdg._pair_susceptibility_density(a, b, J, theta, T))

    def _needs_adapted(self, delta, T, J):
        """True where the fixed quadrature at (T, J) does not resolve the integrand at the gap ``delta``.

        Only at (near) zero temperature: a field component above ``delta``
        makes gapless branches cross zero at ``xi = +-sqrt(J_c^2 - delta^2)``
        (kinks), and a gap below the quadrature's energy scale puts the branch
        points ``xi = +-i delta`` of ``|E|`` closer than its first panels.
        """
        if not delta > 0 or T >= 0.05 * self.energy_scale(T, J):
            return False
        if self._rashba:  # no gapless surfaces on the general path, only the finer scale
            return self.energy_scale(T, J, delta) < self.energy_scale(T, J)
        return delta < J or self.energy_scale(T, J, delta) < self.energy_scale(T, J)

    def _polish(self, delta, T, J, theta, phi=0.0):
        """(gap, f) re-solved on the quadrature adapted to ``delta`` (see :meth:`_needs_adapted`)."""
        land = self._landscape(T, J, theta, delta, phi)
        g = _gap_equation(land)
        w = 1e-3 * delta
        lo, hi = max(delta - w, 0.5 * delta), delta + w
        glo, ghi = g(lo), g(hi)
        for _ in range(6):
            if glo < 0 <= ghi:
                break
            w *= 4.0
            if glo >= 0:
                lo = max(delta - w, 0.5 * lo)
                glo = g(lo)
            if ghi < 0:
                hi = delta + w
                ghi = g(hi)
        else:
            raise ConvergenceError(f"gap equation near Delta = {delta:g} meV not bracketed on the adapted "
                                   f"quadrature (T={T:g} meV, J={J:g} meV, theta={theta:g} rad)")
        d, _ = brent_root(g, lo, hi, glo, ghi, xtol=1e-11 * self.delta0,
                          what=f"gap equation on the adapted quadrature at J={J:g} meV, theta={theta:g} rad")
        return d, land(d)[1]

    # ------------------------------------------------------------ public energetics
    @persistent
    @numerics
    def free_energy_landscape(self, delta, T, J=0.0, theta=0.0, phi=0.0):
        """The free energy ``f(delta) - f_n(J = 0)`` per site (meV) at trial gaps ``delta``, not minimised.

        Exact for any trial gap up to the band width (the quadrature covers the whole zone;
        tested against brute force up to 100 meV).  Vectorised over ``delta``; the other
        arguments are scalars.

        Parameters
        ----------
        delta : float or array_like
            Trial gaps (meV), ``>= 0``, at most the band width; at most 10^4 of them.
        T : float
            Temperature (meV), ``0 <= T <=`` the band width.
        J : float, optional
            Exchange field (meV), ``0 <= J <=`` the band width.
        theta : float, optional
            Polar angle of the field from ``z`` (rad).
        phi : float, optional
            Azimuth of the field (rad), see :meth:`free_energy`.

        Returns
        -------
        float or ndarray
            ``f(delta) - f_n(0)`` (meV per site), the shape of ``delta``.

        Raises
        ------
        TypeError
            A non-real argument.
        ValueError
            A negative, non-finite or too large ``T`` or ``J`` (above the band width), or a
            non-finite angle.
        ConvergenceError
            A solve that cannot be established (e.g. next to a van Hove saddle).

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.ising_superconductor(150.0)
        >>> f = sc.free_energy_landscape([0.0, 0.5 * sc.delta0, sc.delta0], 0.0)
        >>> bool(f[0] == 0.0), bool(f[2] < f[1] < 0.0)   # at T = 0 the minimum is at delta0
        (True, True)
        """
        T, J, theta = self._T(T), self._J(J), _check_angle(theta)
        theta, phi = self._direction(theta, _check_angle(phi, "phi"))
        d = check_array(delta, "delta", unit="meV", nonneg=True, upper=self._band_width)
        if d.size > 10**4:
            raise ValueError(f"delta has {d.size} entries; at most 10^4 trial gaps per call")
        T = self._temperature(T)
        land = self._landscape(T, J, theta, None, phi)
        out = np.array([(self._landscape(T, J, theta, x, phi) if self._needs_adapted(x, T, J) else land)(x)[1]
                        for x in d.ravel().tolist()])
        return out.reshape(d.shape) if d.ndim else float(out[0])

    @numerics
    def normal_free_energy(self, T, J=0.0, theta=0.0, phi=0.0):
        """f_n(J) - f_n(J = 0) per site (meV): the normal state (``Delta = 0``) in the exchange field.

        The same number as ``free_energy_landscape(0.0, T, J, theta, phi)``, on the same quadrature;
        cached, and shared with the self-consistent solve (:meth:`free_energy` compares the
        superconducting minima with it), so after a solve it costs nothing.  Scalar arguments
        only; for arrays use :meth:`sweep`.

        Parameters
        ----------
        T : float
            Temperature (meV), ``0 <= T <=`` the band width.
        J : float, optional
            Exchange field (meV), ``0 <= J <=`` the band width.
        theta, phi : float, optional
            Polar angle and azimuth of the field (rad).

        Returns
        -------
        float
            ``f_n(J) - f_n(0)`` (meV per site), ``<= 0``.

        Raises
        ------
        TypeError
            A non-real argument.
        ValueError
            A negative, non-finite or too large ``T`` or ``J`` (above the band width), or a
            non-finite angle.
        ConvergenceError
            A solve that cannot be established (e.g. next to a van Hove saddle).

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.IsingSuperconductor(isingsc.NbSe2())
        >>> fn = sc.normal_free_energy(0.5 * sc.tc0, 0.3 * sc.delta0, 0.7)
        >>> fn == sc.free_energy_landscape(0.0, 0.5 * sc.tc0, 0.3 * sc.delta0, 0.7)
        True
        >>> fn < 0   # the field polarises the normal state and lowers its free energy
        True
        """
        T, J, theta = self._T(T), self._J(J), _check_angle(theta)
        theta, phi = self._direction(theta, _check_angle(phi, "phi"))
        T = self._temperature(T)
        if J == 0.0:
            return 0.0
        key = ("normal", T, J, round(theta, 14), round(phi, 14))
        if key not in self._cache:
            self._cache[key] = float(self._landscape(T, J, theta, None, phi).normal())
        return self._cache[key]

    @numerics
    def pair_curvature(self, T, J=0.0, theta=0.0, phi=0.0):
        """The pair curvature ``alpha = lim (f(Delta) - f(0)) / Delta^2`` (1/meV per site).

        ``alpha < 0``: the normal state is unstable against pairing (below a second-order
        ``Tc``).  Scalar arguments only; for arrays use :meth:`sweep`.

        Parameters
        ----------
        T : float
            Temperature (meV), ``0 <= T <=`` the band width; ``T = 0`` needs ``J > 0``.
        J : float, optional
            Exchange field (meV), ``0 <= J <=`` the band width.
        theta, phi : float, optional
            Polar angle and azimuth of the field (rad).

        Returns
        -------
        float
            ``alpha`` (1/meV per site).

        Raises
        ------
        TypeError
            A non-real argument.
        ValueError
            A negative, non-finite or too large ``T`` or ``J`` (above the band width), or a
            non-finite angle; ``T = J = 0``, where ``alpha`` diverges.
        ConvergenceError
            A solve that cannot be established (e.g. next to a van Hove saddle).

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.ising_superconductor(150.0)
        >>> sc.pair_curvature(0.9 * sc.tc0) < 0 < sc.pair_curvature(1.1 * sc.tc0)   # it changes sign at Tc0
        True
        """
        T, J, theta = self._T(T), self._J(J), _check_angle(theta)
        theta, phi = self._direction(theta, _check_angle(phi, "phi"))
        T = self._temperature(T)
        if T == 0 and J == 0:
            raise ValueError("the pair curvature diverges (log) at T = 0, J = 0")
        return self._alpha(T, J, theta, phi)

    def _alpha(self, T, J, theta, phi=0.0):
        return self._pair_curvature(self.quadrature(T, J, theta), T, J, theta, phi)

    @persistent
    @numerics
    def gap(self, T, J=0.0, theta=0.0, phi=0.0):
        """Self-consistent gap Delta(T, J, theta) (meV): the global minimiser of the free energy over Delta >= 0.

        The stationary points of ``f(Delta)`` are bracketed by the signs of the gap equation on a grid
        of trial gaps and refined by Brent's method; the lowest minimum, the normal state included,
        wins (so first-order transitions come out right).  Scalar arguments only: for arrays use
        :meth:`sweep` (``sc.sweep("gap", T_array, J, theta)``, optionally on an executor).
        Fields below ``1e-8 delta0`` are zero field (their effect is below double precision).
        ``T`` is in meV: a temperature of at least ``2 Tc0`` that would be superconducting if read in
        kelvin raises a :class:`~isingsc.errors.TemperatureUnitWarning` (convert with :func:`~isingsc.units.kelvin`).

        Parameters
        ----------
        T : float
            Temperature (meV), ``0 <= T <=`` the band width; ``isingsc.kelvin(T_K)`` converts from kelvin.
        J : float, optional
            Exchange field (meV), ``0 <= J <=`` the band width.
        theta : float, optional
            Polar angle of the field from ``z`` (rad): 0 out of plane, ``pi/2`` in plane.
        phi : float, optional
            Azimuth of the field (rad); matters only with Rashba coupling, see :meth:`free_energy`.

        Returns
        -------
        float
            ``Delta`` (meV), 0 in the normal state.

        Raises
        ------
        TypeError
            A non-real argument.
        ValueError
            A negative, non-finite or too large ``T`` or ``J`` (above the band width), or a
            non-finite angle.
        ConvergenceError
            A solve that cannot be established (e.g. next to a van Hove saddle).

        Warns
        -----
        TemperatureUnitWarning
            ``T >= 2 Tc0`` (the normal state) while ``T`` kelvin would be below ``Tc0``.

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.ising_superconductor(150.0)
        >>> sc.gap(0.0) == sc.delta0, sc.gap(1.1 * sc.tc0)
        (True, 0.0)
        >>> round(sc.gap(0.5 * sc.tc0) / sc.delta0, 4)
        0.9569
        >>> hp = sc.delta0 / 2**0.5                                      # Pauli limit
        >>> sc.gap(0.0, 1.2 * hp, 0.0), round(sc.gap(0.0, 1.2 * hp, np.pi / 2) / sc.delta0, 4)   # Ising protection
        (0.0, 0.9917)
        """
        T = self._T(T)
        result = self._solve(T, self._J(J), _check_angle(theta), _check_angle(phi, "phi"))[0]
        if result == 0.0 and T >= 2.0 * self.delta0 / BCS_RATIO * 0.9:
            self._warn_kelvin(T)
        return result

    def _warn_kelvin(self, T):
        """TemperatureUnitWarning if ``T`` (meV) is >= 2 Tc0 but would be below Tc0 in kelvin."""
        tc = self.tc0
        if T >= 2.0 * tc and T * KELVIN < tc:
            warnings.warn(f"T = {T:g} meV is {T / tc:.3g} Tc0 (normal state), but {T:g} K would be "
                          f"{T * KELVIN / tc:.3g} Tc0 (superconducting): temperatures are in meV; "
                          f"for kelvin use isingsc.kelvin({T:g}) = {T * KELVIN:.6g} meV",
                          TemperatureUnitWarning, stacklevel=4)

    @persistent
    @numerics
    def free_energy(self, T, J=0.0, theta=0.0, phi=0.0):
        """The free energy ``f_s(J) - f_n(J = 0)`` per site (meV) at the self-consistent gap.

        Equation (6) of the paper, with every constant kept, minimised over the gap (see
        :meth:`gap`).  ``phi`` is the azimuth of the field (rad).  Without Rashba coupling the
        result does not depend on it (H_0 conserves S_z and singlet pairing is
        invariant under spin rotations about z); with Rashba coupling it does,
        weakly (C3 symmetric).  Where the gap vanishes the result is the
        paramagnetic energy ``f_n(J) - f_n(0)``.  Scalar arguments only: for arrays use
        :meth:`sweep` (``sc.sweep("free_energy", T, J_array, theta)``).

        Parameters
        ----------
        T : float
            Temperature (meV), ``0 <= T <=`` the band width.
        J : float, optional
            Exchange field (meV), ``0 <= J <=`` the band width.
        theta : float, optional
            Polar angle of the field from ``z`` (rad).
        phi : float, optional
            Azimuth of the field (rad).

        Returns
        -------
        float
            ``f_s(J) - f_n(0)`` (meV per site), ``<= 0``.

        Raises
        ------
        TypeError
            A non-real argument.
        ValueError
            A negative, non-finite or too large ``T`` or ``J`` (above the band width), or a
            non-finite angle.
        ConvergenceError
            A solve that cannot be established (e.g. next to a van Hove saddle).

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.ising_superconductor(150.0)
        >>> n0 = sc.density_of_states_fermi
        >>> round(sc.free_energy(0.0) / (n0 * sc.delta0**2), 3)   # condensation energy, -N(0) Delta0^2 (2 spins)
        -0.5
        >>> J = 0.5 * sc.delta0                                     # in plane it costs less than out of plane
        >>> sc.free_energy(0.0, J, np.pi / 2) < sc.free_energy(0.0, J, 0.0)
        True
        """
        return self._solve(self._T(T), self._J(J), _check_angle(theta), _check_angle(phi, "phi"))[1]

    #: trial gaps (units of delta0) whose gap-equation signs bracket the stationary points of f
    _GRID = (0.03, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.92, 1.05)

    def _solve(self, T, J, theta, phi=0.0):
        T = self._temperature(T)
        theta, phi = self._direction(theta, phi)
        key = ("solve", T, J, round(theta, 14), round(phi, 14))
        if key in self._cache:
            return self._cache[key]
        if J == 0.0:
            result = self._solve_bcs(T)
        else:
            minima, f0 = self._local_minima(self._landscape(T, J, theta, None, phi), T, J, theta)
            self._cache[("normal",) + key[1:]] = f0
            minima = [self._polish(d, T, J, theta, phi) if self._needs_adapted(d, T, J) else (d, f)
                      for d, f in minima]
            result = min(minima + [(0.0, f0)], key=lambda m: m[1])
        self._cache[key] = result
        return result

    def _solve_bcs(self, T):
        """J = 0: the gap equation has at most one non-trivial root, the global minimum.

        ``df/d(delta^2)`` increases monotonically with delta, is ``alpha`` at 0
        and ``>= 0`` at ``delta0`` for ``T >= 0`` (the kernel is the T = 0 gap
        equation on the same nodes), so ``[0, delta0]`` brackets the root.
        """
        d0 = self.delta0
        land = self._landscape(T, 0.0, 0.0)
        if T == 0.0:
            return d0, land(d0)[1]
        alpha = land.alpha()
        if alpha >= 0:
            return 0.0, 0.0
        g = _gap_equation(land)
        hi = d0
        ghi = g(hi)
        while ghi < 0:  # rounding only: the root is at most delta0
            hi *= 1.0 + 1e-6
            ghi = g(hi)
        d, _ = brent_root(g, 0.0, hi, alpha, ghi, xtol=1e-12 * d0, what=f"BCS gap equation at T = {T:g} meV")
        return d, land(d)[1]

    def _local_minima(self, land, T, J, theta, grid=None):
        """Local minima (delta, f) with delta > 0 of the free-energy landscape ``land``, and f(0).

        The signs of the gap equation ``g = df/d(delta^2)`` on a grid of trial
        gaps (and ``g(0) = alpha``) bracket every stationary point that the grid
        separates; each sign change from - to + is a local minimum, refined by
        Brent's method.  If ``g`` is still negative at the top of the grid the
        grid is extended (up to ``4 delta0``).
        """
        d0 = self.delta0
        f0 = land.normal()
        g = _gap_equation(land)  # the signs and values of g locate the minima; f is evaluated at them only
        ds, gs = [0.0], [None]   # g(0) = alpha, the pair curvature: computed below only where its sign matters
        for x in (self._GRID if grid is None else grid):
            ds.append(x * d0)
            gs.append(g(x * d0))
        while gs[-1] < 0:
            if ds[-1] > 4.0 * d0:
                raise ConvergenceError(
                    f"free energy still decreasing at Delta = {ds[-1]:.3g} meV (T={T:g} meV, J={J:g} meV, "
                    f"theta={theta:g} rad); the gap is not bracketed")
            ds.append(1.25 * ds[-1])
            gs.append(g(ds[-1]))
        minima = []
        for i in range(len(ds) - 1):
            if i == 0:
                if not gs[1] >= 0:   # a minimum below the first trial gap needs g(0) < 0 <= g(ds[1])
                    continue
                gs[0] = land.alpha() if T > 0 or J > 0 else -np.inf
            if gs[i] < 0 <= gs[i + 1]:
                d, _ = brent_root(g, ds[i], ds[i + 1], gs[i], gs[i + 1], xtol=1e-11 * d0,
                                  what=f"gap equation at T={T:g} meV, J={J:g} meV, theta={theta:g} rad")
                minima.append((d, f0 if d == 0.0 else land(d)[1]))
        return minima, f0

    # ------------------------------------------------------------ susceptibility
    @persistent
    @numerics
    def spin_susceptibility(self, T, theta=np.pi / 2, phi=0.0):
        """Spin susceptibility per site (1/meV) for a field at polar angle theta.

        ``chi(theta) = chi_par sin^2(theta) + chi_perp cos^2(theta)`` at the
        self-consistent zero-field gap ``Delta(T)``; ``theta = pi/2`` is the
        in-plane ``chi_s`` of the paper, ``theta = 0`` the out-of-plane one
        (the Yosida function for an Ising superconductor), equation (C6).  Scalar arguments only:
        for arrays use :meth:`sweep` (``sc.sweep("spin_susceptibility", T_array)``) or the
        tables of :func:`~isingsc.response.superconductor_response`.

        Parameters
        ----------
        T : float
            Temperature (meV), ``0 <= T <=`` the band width.
        theta : float, optional
            Polar angle of the field from ``z`` (rad); default ``pi/2``, in plane.
        phi : float, optional
            Azimuth of the field (rad); matters only with Rashba coupling.

        Returns
        -------
        float
            ``chi`` per site (1/meV), in units where the electron's moment is one (energy ``-chi J^2/2``).

        Raises
        ------
        TypeError
            A non-real argument.
        ValueError
            A negative, non-finite or too large ``T`` (above the band width), or a
            non-finite angle.
        ConvergenceError
            A solve that cannot be established (e.g. next to a van Hove saddle).

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.ising_superconductor(150.0)
        >>> sc.spin_susceptibility(0.0, theta=0.0)       # out of plane: Yosida, zero at T = 0
        0.0
        >>> round(sc.spin_susceptibility(0.0) / sc.pauli_susceptibility, 3)   # in plane: the Van Vleck part
        0.978
        """
        T = self._temperature(self._T(T))
        theta = _check_angle(theta)
        phi = _check_angle(phi, "phi")
        delta = self.delta0 if T == 0 else self._solve(T, 0.0, 0.0)[0]
        return self._susceptibility(delta, T, theta, phi)

    # ------------------------------------------------------------ critical temperature
    @cached_property
    @numerics
    def tc0(self):
        """Zero-field critical temperature Tc0 (meV) of the model, the root of the pair curvature alpha(T).

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.ising_superconductor(150.0)
        >>> round(sc.tc0 / isingsc.KELVIN, 4), round(sc.delta0 / sc.tc0, 3)   # kelvin; the BCS ratio
        (3.0614, 1.764)
        """
        d0 = self.delta0
        alpha = lambda T: self._alpha(T, 0.0, 0.0)  # noqa: E731
        # the BCS value 0.567 delta0 lies in the first bracket, whose quadrature (pi T > delta0) is the T = 0 one
        lo, hi, flo, fhi = expand_bracket(alpha, 0.45 * d0, 0.75 * d0, lo_min=1e-6 * d0, hi_max=1e3 * d0,
                                          what="zero-field pair curvature alpha(T)")
        return brent_root(alpha, lo, hi, flo, fhi, xtol=1e-13 * d0, what="Tc0 (alpha(T) = 0)")[0]

    @persistent
    @numerics
    def critical_temperature(self, J=0.0, theta=0.0, phi=0.0):
        """Critical temperature Tc(J, theta) (meV), of a first- or second-order transition.

        The highest temperature at which the global minimum of the free energy
        has a non-zero gap.  Second-order transitions come from the pair
        curvature ``alpha(T) = 0``; a first-order transition (out-of-plane
        fields beyond the tricritical point) from ``min_Delta f = f(0)``.
        Scalar arguments only: for arrays use :meth:`sweep`
        (``sc.sweep("critical_temperature", J_array, theta)``).

        Parameters
        ----------
        J : float, optional
            Exchange field (meV), ``0 <= J <=`` the band width.
        theta : float, optional
            Polar angle of the field from ``z`` (rad).
        phi : float, optional
            Azimuth of the field (rad); matters only with Rashba coupling.

        Returns
        -------
        float
            ``Tc`` (meV); 0.0 if superconductivity is destroyed down to ``T = 0``.

        Raises
        ------
        TypeError
            A non-real argument.
        ValueError
            A negative, non-finite or too large ``J`` (above the band width), or a non-finite angle.
        ConvergenceError
            A transition that cannot be bracketed.

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.ising_superconductor(150.0)
        >>> sc.critical_temperature() == sc.tc0
        True
        >>> hp = sc.delta0 / 2**0.5                                     # Pauli limit
        >>> sc.critical_temperature(1.1 * hp, 0.0)                       # out of plane: destroyed
        0.0
        """
        J, theta = self._J(J), _check_angle(theta)
        phi = _check_angle(phi, "phi")
        tc0 = self.tc0
        if J == 0:
            return tc0
        theta, phi = self._direction(theta, phi)
        key = ("tc", J, round(theta, 14), round(phi, 14))
        if key in self._cache:
            return self._cache[key]
        alpha = lambda T: self._alpha(T, J, theta, phi)  # noqa: E731
        Ts = tc0 * np.linspace(1.0, 0.02, 25)
        t2 = 0.0
        prev = None
        for T in Ts:
            a = alpha(T)
            if a < 0:
                if prev is None:
                    raise ConvergenceError(f"normal state unstable at T = Tc0 for J = {J:g} meV")
                t2 = brent_root(alpha, T, prev, xtol=1e-10 * tc0, what=f"alpha(T) = 0 at J = {J:g} meV")[0]
                break
            prev = T
        # first order: the highest temperature above t2 where a superconducting minimum lies below f(0).
        # Scan downwards (steps of Tc0/12) and stop at the first such temperature; the
        # root of the condensation energy is then bracketed and found by Brent, following the
        # superconducting minimum from one temperature to the next.
        grid = [T for T in tc0 * np.linspace(1.0, 0.0, 13) if T > t2 * (1 + 1e-6)]
        result = t2
        prev = None
        for T in grid:
            c, d_sc = self._condensation(T, J, theta, None, phi)
            if c < 0:
                if prev is None:
                    raise ConvergenceError(f"first-order transition not bracketed below Tc0 for J = {J:g} meV")
                guess = [d_sc]

                def cond(t):
                    value, d = self._condensation(t, J, theta, guess[0], phi)
                    if d > 0:
                        guess[0] = d
                    return value

                t1 = brent_root(cond, T, prev[0], c, prev[1], xtol=1e-9 * tc0,
                                what=f"first-order Tc at J = {J:g} meV")[0]
                result = max(t1, t2)
                break
            prev = (T, c)
        result = float(result)
        self._cache[key] = result
        return result

    def _condensation(self, T, J, theta, guess=None, phi=0.0):
        """(min over superconducting local minima of f(Delta) - f(0), their gap); (> 0, 0) if there are none.

        With ``guess`` (a gap from a nearby temperature) the minimum is first sought by a local bracket
        around it, else (or if that fails) by the full scan of :meth:`_local_minima`.
        """
        T = self._temperature(T)
        land = self._landscape(T, J, theta, None, phi)
        if guess:
            g = _gap_equation(land)
            lo, hi = 0.8 * guess, 1.2 * guess
            glo, ghi = g(lo), g(hi)
            if glo < 0 <= ghi:
                d, _ = brent_root(g, lo, hi, glo, ghi, xtol=1e-9 * self.delta0, what="gap equation")
                return land(d)[1] - land.normal(), d
        minima, f0 = self._local_minima(land, T, J, theta)
        sc = [(f, d) for d, f in minima if d > 0]
        if not sc:
            return max(abs(f0), 1e-300), 0.0
        f, d = min(sc)
        return f - f0, d

    # ------------------------------------------------------------ sweeps
    #: the scalar methods :meth:`sweep` can evaluate
    SWEEPABLE = ("gap", "free_energy", "spin_susceptibility", "critical_temperature", "normal_susceptibility",
                 "pair_curvature", "free_energy_landscape")

    @persistent
    def sweep(self, method, *args, executor=None, progress=None):
        """Evaluate ``getattr(self, method)`` over broadcast argument arrays.

        Parameters
        ----------
        method : str
            One of :attr:`SWEEPABLE`: ``"gap"``, ``"free_energy"``,
            ``"spin_susceptibility"``, ``"critical_temperature"``, ...
        *args : array_like
            Real arguments (meV or rad), broadcast against each other.
        executor : concurrent.futures.Executor, optional
            Spread the points over e.g. a ``ProcessPoolExecutor`` or a
            ``dask.distributed`` client's ``get_executor()``; the superconductor
            is pickled to the workers (a slim pickle: model, delta0 and
            resolution; equal objects give identical results).  A string or
            anything without ``map`` is a TypeError naming ``executor``; results
            of the wrong count, type or a non-finite number an
            :class:`~isingsc.errors.ExecutorError`.
        progress : bool or None, optional
            A tqdm progress bar over the points: ``None`` (default) shows one in a
            terminal only, ``True`` always (a widget in Jupyter), ``False`` never.

        Returns
        -------
        ndarray
            Results with the broadcast shape.

        Raises
        ------
        TypeError
            ``method`` not a string, or non-real arguments.
        ValueError
            An unknown ``method``, arguments that do not broadcast or the method's own ValueError
            for an entry (e.g. a negative temperature).
        ConvergenceError
            A solve that cannot be established at some point.

        Examples
        --------
        >>> import isingsc
        >>> sc = IsingSuperconductor(isingsc.NbSe2())
        >>> sc.sweep("gap", [0.0]).tolist() == [sc.delta0]
        True
        >>> sc.sweep("gap", [0.1 + 0.5j])
        Traceback (most recent call last):
        ...
        TypeError: argument 1 of sweep('gap') must be real numbers (meV or rad), got complex entries
        """
        method = check_choice(method, "method", self.SWEEPABLE)
        arrays = [check_array(a, f"argument {i + 1} of sweep({method!r})", unit="meV or rad")
                  for i, a in enumerate(args)]
        try:
            arrays = np.broadcast_arrays(*arrays)
        except ValueError as err:
            raise ValueError(f"sweep({method!r}): arguments do not broadcast together: {err}") from None
        shape = arrays[0].shape if arrays else ()
        points = list(zip(*[a.ravel().tolist() for a in arrays]))
        out = parallel_map(_call_method, [(self, method, p) for p in points], executor=executor, progress=progress,
                           desc=f"sweep {method}", check=finite_float)
        return np.array(out, dtype=float).reshape(shape)


class _MixedLandscape:
    """``c2 * (z landscape) + s2 * (x landscape)``: a weak oblique field to second order in ``J``."""

    def __init__(self, land_z, land_x, c2, s2):
        self.parts, self.c2, self.s2 = (land_z, land_x), c2, s2

    def __call__(self, delta):
        (gz, fz), (gx, fx) = self.parts[0](delta), self.parts[1](delta)
        return self.c2 * gz + self.s2 * gx, self.c2 * fz + self.s2 * fx

    def gap_equation(self, delta):
        return self.c2 * _gap_equation(self.parts[0])(delta) + self.s2 * _gap_equation(self.parts[1])(delta)

    def normal(self):
        return self.c2 * self.parts[0].normal() + self.s2 * self.parts[1].normal()

    def alpha(self):
        return self.c2 * self.parts[0].alpha() + self.s2 * self.parts[1].alpha()


def _gap_equation(land):
    """``delta -> g(delta)`` of a landscape, the same number as ``land(delta)[0]`` (without ``f`` where it can)."""
    g = getattr(land, "gap_equation", None)
    return g if g is not None else (lambda delta: land(delta)[0])


def _call_method(obj, method, args):
    return getattr(obj, method)(*args)


def _fermi_level_landmarks(model, lo, hi):
    """``[(what, xi)]``: band bottom and top, the bands at Gamma and K (critical points by symmetry), the saddles."""
    out = [("the band bottom", lo), ("the band top", hi)]
    hs = high_symmetry_points()
    for name in ("Gamma", "K"):
        for spin, xi in zip(("up", "down"), model.bands(hs[name][0], hs[name][1])):
            out.append((f"the {spin}-spin band extremum at {name}", float(xi)))
    out += [("a van Hove saddle", float(xi)) for _, xi in _saddle_points(model)]
    return out


def _warn_band_edges(model, delta0, lo, hi):
    """BandEdgeWarning if a band edge, extremum or saddle lies within BAND_EDGE_WINDOW Tc0 of the Fermi level."""
    tc = delta0 / BCS_RATIO
    what, xi = min(_fermi_level_landmarks(model, lo, hi), key=lambda p: abs(p[1]))
    if abs(xi) < BAND_EDGE_WINDOW * tc:
        warnings.warn(f"{what} lies {xi:+.3g} meV from the Fermi level, {abs(xi) / tc:.2g} Tc0 (Tc0 ~ delta0/1.764 = "
                      f"{tc:.3g} meV): the superconductor's response is dominated by it and changes quickly with "
                      "the filling (epsilon)", BandEdgeWarning, stacklevel=4)


def _rebuild(model, delta0, resolution):
    return IsingSuperconductor(model, delta0, resolution=resolution)
