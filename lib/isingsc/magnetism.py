"""Macrospin energetics of a ferromagnet/superconductor/ferromagnet stack.

Sec. III-IV of the paper: two monolayer ferromagnets (macrospins 1 and 2)
sandwich an Ising superconductor.  Their magnetizations lie in the x-z plane
at signed polar angles ``theta_1, theta_2`` in ``(-pi, pi]``, measured from
the out-of-plane easy axis ``z`` towards ``+x``; the applied field ``H`` lies
in the same plane at the angle ``field_angle`` (the paper's ``vartheta``) from
``z``.  The energy density is Eq. (12),

``f = K1 sin^2 t1 + K2 sin^2 t2 + df_sc(t1, t2) - H Ms1 cos(t1 - v) - H Ms2 cos(t2 - v)``,

with a pluggable superconductor-mediated term ``df_sc``:

* :class:`IsingQuadraticCoupling` -- the second-order free energy of the
  superconductor in the total exchange field ``J (n1 + n2)``,
  ``-1/2 J^2 [chi_par (sin t1 + sin t2)^2 + chi_perp (cos t1 + cos t2)^2]``;
  ``chi_perp = 0`` is the paper's Eq. (13);
* :class:`ConventionalCoupling` -- a thin conventional superconductor,
  ``N0 Jbar^2 cos^2((t1 - t2)/2)`` (favours antiparallel alignment);
* :class:`TabulatedCoupling` -- any ``f(Jx, Jz)`` of the total exchange field
  components, e.g. a spline of a microscopic free-energy table.

Local and global minima: :func:`relax` is a damped Newton method that never
raises the energy (the follower of the Stoner-Wohlfarth loops of
:mod:`isingsc.hysteresis`, Eqs. (14)-(15)); :func:`ground_state` is the global
zero-field minimum.  The local stability of collinear states:
:func:`collinear_stability_limits` (switching fields in a field along ``z``)
and :func:`collinear_determinant` (zero field, any quadratic coupling).

Units
-----
All energies are energy densities *per area* in one unit chosen by the user
(e.g. meV per NbSe2 site): ``K1, K2``, the coupling energies and the Zeeman
energy ``H * Ms`` share it.  ``H`` and ``Ms`` may be in any units whose product
is that energy unit (e.g. ``H`` in meV and ``Ms`` dimensionless, in Bohr
magnetons per site).  The susceptibilities ``chi`` are in energy-density
units divided by ``J^2`` (``J`` and ``Jbar`` are exchange energies, e.g. meV).
Angles are in radians.

Notes
-----
*Coercive fields and the paper's formula.*  For a field along ``z`` every
collinear state (``theta_i`` in ``{0, pi}``) is stationary, and it switches
when its 2x2 Hessian loses positive definiteness
(:func:`collinear_stability_limits`).  Write ``c = chi_par J^2`` and
``a_i = 2 K_i - (chi_par - 2 chi_perp) J^2``.  Magnets parallel along ``+z`` in a
field ``H = -h`` (``h > 0``) have the Hessian
``[[a_1 - h Ms1, -c], [-c, a_2 - h Ms2]]`` and lose stability at the smallest
``h*`` with ``(a_1 - h Ms1)(a_2 - h Ms2) = c^2``.  With ``h_i = (a_i - c)/Ms_i``,
i.e. ``h_i Ms_i = 2 (K_i - (chi_par - chi_perp) J^2)`` -- the paper's
``H_ci Ms = 2 (K_i - chi_s J^2)`` for ``chi_perp = 0`` -- one finds
``min(h_1, h_2) <= h* <= max(h_1, h_2)`` (if the state is stable at ``h = 0``
and ``c > 0``), with equality only if ``h_1 = h_2``.  Hence:

* the paper's formula is exact when ``(K_1 - chi_s J^2)/Ms_1 = (K_2 - chi_s J^2)/Ms_2``,
  in particular for identical magnets: the soft mode is the coherent rotation
  and *both magnets switch together* at that single field;
* for different magnets the two fields of the paper do not occur: the
  parallel state breaks down at ``h*`` strictly between them, either in one
  joint jump (e.g. ``K = (1.5, 1.3) chi_s J^2``) or by flipping one magnet,
  after which the other switches out of the antiparallel state when
  ``(a_1 + h Ms1)(a_2 - h Ms2) = c^2`` (or with 1 and 2 exchanged; for
  ``chi_perp = 0``, since ``chi_perp`` does not enter the antiparallel
  Hessian) -- between
  ``2(K_i - chi_s J^2)/Ms_i`` and the single-magnet value ``2(K_i - chi_s J^2 / 2)/Ms_i``
  in the examples of the tests;
* ``chi_s J^2 -> 0`` gives back the uncoupled ``H_ci Ms_i = 2 K_i``.

A related consequence: the parallel out-of-plane state is a remanent minimum
(``h = 0``) only if ``a_1 > 0`` and ``a_1 a_2 > c^2``, not if merely
``K_i > chi_s J^2`` for each magnet.  With Fig. 4(a)'s ``K_1 = 1.05 chi_s J^2``,
``K_1 = 1.12 K_2``, ``Ms1 = 1.12 Ms2`` (read literally, ``chi_perp = 0``) the
condition fails and the remanent state is canted.  Eq. (13) couples only the
in-plane components: parallel and antiparallel states along ``z`` have the same
energy; ``chi_perp > 0`` favours the parallel one.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._serialize import Serializable
from .errors import ConvergenceError
from ._validation import (
    check_array,
    check_callable,
    check_choice,
    check_flag,
    check_instance,
    check_int,
    check_real,
    check_sequence,
    checked_fields,
    numerics,
)

__all__ = [
    "Coupling",
    "IsingQuadraticCoupling",
    "ConventionalCoupling",
    "TabulatedCoupling",
    "FSFStack",
    "Relaxation",
    "effective_anisotropy",
    "easy_direction",
    "relax",
    "GroundState",
    "ground_state",
    "COLLINEAR_STATES",
    "collinear_stability_limits",
    "collinear_determinant",
    "wrap_angle",
]

TWO_PI = 2.0 * math.pi
SADDLE_STEP = 1e-6  # rad: first length of the symmetry-breaking step off an exact saddle


#: The two parallel collinear states whose zero-field stability :func:`collinear_determinant` decides.
COLLINEAR_STATES = ("out-of-plane", "in-plane")

# --------------------------------------------------------------------- helpers


def wrap_angle(theta):
    """Map angles (rad) to the interval ``(-pi, pi]``.

    Parameters
    ----------
    theta : array_like
        Angles in radians.

    Returns
    -------
    ndarray or float
        ``theta`` modulo ``2 pi`` in ``(-pi, pi]``.

    Raises
    ------
    TypeError
        Non-real angles.
    ValueError
        Non-finite angles.

    Examples
    --------
    >>> wrap_angle([0.0, 3 * np.pi, -np.pi]).round(6).tolist()
    [0.0, 3.141593, 3.141593]
    """
    return np.pi - np.mod(np.pi - check_array(theta, "theta", unit="rad", allow_empty=True), TWO_PI)


def effective_anisotropy(K, chi_par, J, chi_perp=0.0):
    """Effective uniaxial anisotropy of one magnet on an Ising superconductor, equation (10) of the paper.

    ``K_eff = K - 1/2 (chi_par - chi_perp) J^2``: the superconductor's free
    energy ``-1/2 J^2 (chi_par sin^2 t + chi_perp cos^2 t)`` adds
    ``-1/2 (chi_par - chi_perp) J^2 sin^2 t`` (plus a constant) to
    ``K sin^2 t``.  The paper's Eq. (10) is the case ``chi_perp = 0``.

    Parameters
    ----------
    K : array_like
        Bare anisotropy energy density (energy per area); ``K > 0`` is easy axis.
    chi_par, chi_perp : array_like
        In-plane and out-of-plane spin susceptibilities (energy per area per
        ``J^2``), both ``>= 0``.
    J : array_like
        Proximity-induced exchange field (energy), ``>= 0``.

    Returns
    -------
    ndarray or float
        ``K_eff`` (energy per area).  Positive: out-of-plane easy axis;
        negative: easy plane.

    Raises
    ------
    TypeError
        Non-real arguments.
    ValueError
        Non-finite values, or negative susceptibilities or fields.

    Examples
    --------
    >>> effective_anisotropy(1.0, chi_par=0.8, J=1.0)              # Eq. (10): K - chi_s J^2 / 2
    0.6
    >>> round(effective_anisotropy(1.0, 0.8, 1.0, chi_perp=0.3), 12)  # the complete form
    0.75
    """
    K = check_array(K, "K")
    chi_par = check_array(chi_par, "chi_par", nonneg=True)
    chi_perp = check_array(chi_perp, "chi_perp", nonneg=True)
    J = check_array(J, "J", nonneg=True)
    with np.errstate(over="ignore", invalid="ignore"):
        out = K - 0.5 * (chi_par - chi_perp) * J**2
    if not np.all(np.isfinite(out)):
        raise ValueError("K - (chi_par - chi_perp) J^2 / 2 is beyond double precision: K, J or the "
                         "susceptibilities are far too large for their units")
    return float(out) if out.ndim == 0 else out


def easy_direction(K, chi_par, J, chi_perp=0.0):
    """Polar angle (rad) of the easy direction of one magnet, equations (9)-(10) of the paper.

    Parameters
    ----------
    K, chi_par, J, chi_perp : array_like
        As in :func:`effective_anisotropy`.

    Returns
    -------
    ndarray or float
        ``0`` (out of plane) where ``K_eff >= 0``, ``pi/2`` (in plane) where ``K_eff < 0``.  At
        ``K_eff == 0`` exactly the magnet is isotropic in the x-z plane: every direction is a
        minimum, and ``0`` is reported.

    Raises
    ------
    TypeError
        Non-real arguments.
    ValueError
        Non-finite values, negative susceptibilities or fields.

    Examples
    --------
    >>> easy_direction([1.0, 0.1], 0.8, 1.0).tolist()              # out of plane, in plane
    [0.0, 1.5707963267948966]
    """
    keff = np.asarray(effective_anisotropy(K, chi_par, J, chi_perp))
    out = np.where(keff >= 0.0, 0.0, 0.5 * np.pi)
    return float(out) if out.ndim == 0 else out


def _trig(*angles):
    """``(sin, cos)``: :mod:`math`'s for scalar angles (the relaxation's hot path, where NumPy's
    per-call overhead dominates), NumPy's for arrays.  Same values to the last bit or two."""
    for a in angles:
        if not isinstance(a, float):
            return np.sin, np.cos
    return math.sin, math.cos


# ------------------------------------------------------------------- couplings
class Coupling:
    """Superconductor-mediated energy ``df_sc(theta1, theta2)`` (energy per area).

    Subclasses implement the unchecked hook ``_terms(theta1, theta2, J, order)`` (and, for
    changes free of cancellation, ``_energy_change``); the public :meth:`terms`,
    :meth:`energy`, :meth:`energy_change`, :meth:`gradient` and :meth:`hessian` check their
    arguments and call it.  ``J`` is the exchange field of the owning :class:`FSFStack`
    (couplings with their own field ignore it).

    Attributes
    ----------
    exact_energy_change : bool
        True if :meth:`~isingsc.magnetism.Coupling.energy_change` is free of cancellation error (analytic product
        formulas).

    Examples
    --------
    Subclasses in this module: :class:`IsingQuadraticCoupling`,
    :class:`ConventionalCoupling`, :class:`TabulatedCoupling`.

    >>> c = IsingQuadraticCoupling(0.5)
    >>> float(c.energy(0.5 * np.pi, 0.5 * np.pi, J=1.0))            # -1/2 chi J^2 |n1 + n2|_x^2
    -1.0
    >>> c.gradient(0.3, 0.2, J=1.0).shape, c.hessian(0.3, 0.2, J=1.0).shape
    ((2,), (2, 2))
    """

    #: True if :meth:`~isingsc.magnetism.Coupling.energy_change` is free of cancellation error (analytic product formulas)
    exact_energy_change = False

    def resolution(self):
        """Relative resolution of :meth:`terms`, which sets the relaxation tolerances.

        Returns
        -------
        (float, float)
            Relative resolution of the gradient and of the curvature.

        Examples
        --------
        >>> IsingQuadraticCoupling(0.5).resolution()                # analytic: exact energy changes
        (1e-14, 1e-10)
        """
        return (1e-14, 1e-10) if self.exact_energy_change else (1e-12, 1e-8)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # subclasses implement the unchecked hooks ``_terms`` (and optionally ``_energy_change``), which the
        # relaxation calls; one written against the older protocol (``terms``, ``energy_change``) is adapted
        for public, hook in (("terms", "_terms"), ("energy_change", "_energy_change")):
            if public in cls.__dict__ and hook not in cls.__dict__:
                setattr(cls, hook, cls.__dict__[public])
                setattr(cls, public, getattr(Coupling, public))

    def _terms(self, theta1, theta2, J, order=2):  # pragma: no cover - abstract
        """The unchecked hook behind :meth:`terms` (what a subclass implements)."""
        raise NotImplementedError

    def _energy_change(self, theta1, theta2, new1, new2, J=0.0):
        """The unchecked hook behind :meth:`energy_change` (differences of ``_terms`` unless overridden)."""
        return self._terms(new1, new2, J, 0)[0] - self._terms(theta1, theta2, J, 0)[0]

    def terms(self, theta1, theta2, J, order=2):
        """Energy and its angle derivatives.

        Parameters
        ----------
        theta1, theta2 : array_like
            Polar angles of the two magnets (rad), broadcast against each other.
        J : float
            Exchange field of one magnet (energy), from the owning stack, >= 0.
        order : int
            Highest derivative wanted: 0, 1 or 2.

        Returns
        -------
        tuple of ndarray
            ``(f,)``, ``(f, g1, g2)`` or ``(f, g1, g2, h11, h12, h22)`` with ``g_i = df/dtheta_i``
            and ``h_ij = d^2 f/dtheta_i dtheta_j`` (energy per area, per rad, per rad^2).

        Raises
        ------
        TypeError
            Non-real angles or ``J``, or a non-integer ``order``.
        ValueError
            Non-finite angles, a negative or non-finite ``J``, ``order`` not 0, 1 or 2, or
            energies beyond double precision.

        Examples
        --------
        >>> f, g1, g2 = IsingQuadraticCoupling(0.5).terms(0.3, 0.2, 1.0, order=1)
        >>> bool(np.isclose(g1, IsingQuadraticCoupling(0.5).gradient(0.3, 0.2, 1.0)[0]))
        True
        """
        t1, t2 = _angles(theta1, theta2)
        J = check_real(J, "J", nonneg=True)
        order = check_int(order, "order", minimum=0, maximum=2)
        return _finite_terms(self._terms(t1, t2, J, order), "J", J)

    def energy(self, theta1, theta2, J=0.0):
        """Coupling energy density ``df_sc(theta1, theta2)``.

        Parameters
        ----------
        theta1, theta2 : array_like
            Polar angles of the two magnets (rad), broadcast against each other.
        J : float, optional
            Exchange field of one magnet (energy), >= 0.

        Returns
        -------
        ndarray
            Energy per area, broadcast shape of the angles.

        Raises
        ------
        TypeError
            Non-real angles or ``J``.
        ValueError
            Non-finite angles, a negative or non-finite ``J``, or energies beyond double precision.

        Examples
        --------
        >>> float(ConventionalCoupling(1.0, 0.5).energy(0.0, 0.0))      # parallel: N0 Jbar^2
        0.25
        """
        return self.terms(theta1, theta2, J, 0)[0]

    def energy_change(self, theta1, theta2, new1, new2, J=0.0):
        """``f(new1, new2) - f(theta1, theta2)``, without cancellation error for the analytic couplings.

        Parameters
        ----------
        theta1, theta2 : array_like
            Old angles (rad).
        new1, new2 : array_like
            New angles (rad); all four broadcast against each other.
        J : float, optional
            Exchange field of one magnet (energy), >= 0.

        Returns
        -------
        ndarray
            Energy change per area.

        Raises
        ------
        TypeError
            Non-real angles or ``J``.
        ValueError
            Non-finite angles, a negative or non-finite ``J``, or energies beyond double precision.

        Examples
        --------
        >>> c = IsingQuadraticCoupling(0.5)
        >>> dE = c.energy_change(0.3, 0.2, 0.3 + 1e-9, 0.2, J=1.0)           # resolved far below rounding of f
        >>> bool(np.isclose(dE, 1e-9 * c.gradient(0.3, 0.2, J=1.0)[0], rtol=1e-6))
        True
        """
        t1, t2 = _angles(theta1, theta2)
        n1 = check_array(new1, "new1", unit="rad", allow_empty=True)
        n2 = check_array(new2, "new2", unit="rad", allow_empty=True)
        J = check_real(J, "J", nonneg=True)
        return _finite_terms((self._energy_change(t1, t2, n1, n2, J),), "J", J)[0]

    def gradient(self, theta1, theta2, J=0.0):
        """Angle gradient ``(df/dtheta1, df/dtheta2)``.

        Parameters
        ----------
        theta1, theta2 : array_like
            Polar angles of the two magnets (rad), broadcast against each other.
        J : float, optional
            Exchange field of one magnet (energy), >= 0.

        Returns
        -------
        ndarray
            Shape ``broadcast + (2,)`` (energy per area per rad).

        Raises
        ------
        TypeError
            Non-real angles or ``J``.
        ValueError
            Non-finite angles, a negative or non-finite ``J``, or energies beyond double precision.

        Examples
        --------
        >>> IsingQuadraticCoupling(0.5).gradient(0.0, 0.0, J=1.0).tolist()    # stationary along z
        [-0.0, -0.0]
        """
        _, g1, g2 = self.terms(theta1, theta2, J, 1)
        return np.stack(np.broadcast_arrays(g1, g2), axis=-1)

    def hessian(self, theta1, theta2, J=0.0):
        """Hessian ``d^2 f / dtheta_i dtheta_j`` in the angles.

        Parameters
        ----------
        theta1, theta2 : array_like
            Polar angles of the two magnets (rad), broadcast against each other.
        J : float, optional
            Exchange field of one magnet (energy), >= 0.

        Returns
        -------
        ndarray
            Shape ``broadcast + (2, 2)`` (energy per area per rad^2).

        Raises
        ------
        TypeError
            Non-real angles or ``J``.
        ValueError
            Non-finite angles, a negative or non-finite ``J``, or energies beyond double precision.

        Examples
        --------
        >>> IsingQuadraticCoupling(0.5).hessian(0.0, 0.0, J=1.0).tolist()    # -chi J^2 (1, 1; 1, 1)
        [[-0.5, -0.5], [-0.5, -0.5]]
        """
        _, _, _, h11, h12, h22 = self.terms(theta1, theta2, J, 2)
        h11, h12, h22 = np.broadcast_arrays(h11, h12, h22)
        return np.stack([np.stack([h11, h12], -1), np.stack([h12, h22], -1)], -2)


@dataclass(frozen=True)
class IsingQuadraticCoupling(Coupling, Serializable):
    """Second-order free energy of an Ising superconductor in the total exchange field.

    ``df = -1/2 J^2 [chi_par (sin t1 + sin t2)^2 + chi_perp (cos t1 + cos t2)^2]``:
    the two magnets induce ``J (n1 + n2)`` on the superconductor, whose free
    energy to second order is ``-1/2 sum_i chi_i J_i^2``.  With
    ``chi_perp = 0`` this is the paper's Eq. (13) (exact at ``T = 0``, where
    ``chi_perp = 0``, App. C); at finite temperature ``chi_perp > 0``.

    Parameters
    ----------
    chi_par : float
        In-plane spin susceptibility ``chi_s`` (energy per area per ``J^2``), ``>= 0``.
    chi_perp : float, optional
        Out-of-plane spin susceptibility, ``>= 0`` (default 0).

    Examples
    --------
    Parallel magnets gain ``-2 chi J^2`` along the susceptibility's direction, antiparallel ones nothing:

    >>> c = IsingQuadraticCoupling(chi_par=1.0, chi_perp=0.25)
    >>> float(c.energy(0.5 * np.pi, 0.5 * np.pi, J=1.0)), float(c.energy(0.0, 0.0, J=1.0))
    (-2.0, -0.5)
    >>> abs(float(c.energy(0.3, 0.3 + np.pi, J=1.0))) < 1e-15
    True
    """

    chi_par: float
    chi_perp: float = 0.0
    exact_energy_change = True

    def __post_init__(self):
        object.__setattr__(self, "chi_par", check_real(self.chi_par, "chi_par", nonneg=True))
        object.__setattr__(self, "chi_perp", check_real(self.chi_perp, "chi_perp", nonneg=True))

    def _terms(self, theta1, theta2, J, order=2):
        sin, cos = _trig(theta1, theta2)
        a = 0.5 * J * J * self.chi_par
        b = 0.5 * J * J * self.chi_perp
        s1, c1, s2, c2 = sin(theta1), cos(theta1), sin(theta2), cos(theta2)
        X = s1 + s2
        Z = c1 + c2
        f = -(a * X * X + b * Z * Z)
        if order == 0:
            return (f,)
        g1 = -2.0 * (a * X * c1 - b * Z * s1)
        g2 = -2.0 * (a * X * c2 - b * Z * s2)
        if order == 1:
            return f, g1, g2
        h11 = -2.0 * (a * (c1 * c1 - X * s1) + b * (s1 * s1 - Z * c1))
        h22 = -2.0 * (a * (c2 * c2 - X * s2) + b * (s2 * s2 - Z * c2))
        h12 = -2.0 * (a * c1 * c2 + b * s1 * s2)
        return f, g1, g2, h11, h12, h22

    def _energy_change(self, theta1, theta2, new1, new2, J=0.0):
        sin, cos = _trig(theta1, theta2, new1, new2)
        a = 0.5 * J * J * self.chi_par
        b = 0.5 * J * J * self.chi_perp
        h1, h2 = sin(0.5 * (new1 - theta1)), sin(0.5 * (new2 - theta2))
        m1, m2 = 0.5 * (new1 + theta1), 0.5 * (new2 + theta2)
        dX = 2.0 * (cos(m1) * h1 + cos(m2) * h2)
        dZ = -2.0 * (sin(m1) * h1 + sin(m2) * h2)
        sX = sin(new1) + sin(new2) + sin(theta1) + sin(theta2)
        sZ = cos(new1) + cos(new2) + cos(theta1) + cos(theta2)
        return -(a * dX * sX + b * dZ * sZ)


@dataclass(frozen=True)
class ConventionalCoupling(Coupling, Serializable):
    """Coupling through a thin conventional superconductor (section IV of the paper).

    ``df = N0 Jbar^2 cos^2((t1 - t2)/2) = 1/4 N0 Jbar^2 |n1 + n2|^2``, which is
    lowest for antiparallel magnets.  The stack's ``J`` is not used.

    Parameters
    ----------
    n0 : float
        Density of states at the Fermi level (per energy per area), ``>= 0``.
    j_bar : float
        Induced exchange field in the metallic film (energy), ``>= 0``.

    Examples
    --------
    >>> c = ConventionalCoupling(n0=1.0, j_bar=0.5)
    >>> float(c.energy(0.0, 0.0)), float(c.energy(0.0, np.pi))     # parallel costs N0 Jbar^2, antiparallel nothing
    (0.25, 0.0)
    """

    n0: float
    j_bar: float
    exact_energy_change = True

    def __post_init__(self):
        object.__setattr__(self, "n0", check_real(self.n0, "n0", nonneg=True))
        object.__setattr__(self, "j_bar", check_real(self.j_bar, "j_bar", nonneg=True))

    def _terms(self, theta1, theta2, J, order=2):
        sin, cos = _trig(theta1, theta2)
        a = 0.5 * self.n0 * self.j_bar**2
        d = theta1 - theta2
        cd = cos(d)
        f = a * (1.0 + cd)
        if order == 0:
            return (f,)
        sd = sin(d)
        g1 = -a * sd
        if order == 1:
            return f, g1, -g1
        h = -a * cd
        return f, g1, -g1, h, -h, h

    def _energy_change(self, theta1, theta2, new1, new2, J=0.0):
        sin, cos = _trig(theta1, theta2, new1, new2)
        a = 0.5 * self.n0 * self.j_bar**2
        d_old, d_new = theta1 - theta2, new1 - new2
        step = (new1 - theta1) - (new2 - theta2)  # = d_new - d_old without rounding the large d's
        return -2.0 * a * sin(0.5 * (d_new + d_old)) * sin(0.5 * step)


def _tabulated_output(value, what, Jx, Jz):
    """A user function's output as a finite float array; TypeError or ValueError (never a NaN energy) otherwise."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"a tabulated coupling's func must return real numbers for {what}, "
                        f"got {type(value).__name__} of dtype {arr.dtype}")
    arr = arr.astype(float, copy=False)
    bad = ~np.isfinite(arr)
    if np.any(bad):
        idx = np.unravel_index(int(np.argmax(bad)), arr.shape) if arr.ndim else ()
        jx = np.broadcast_to(Jx, arr.shape)[idx] if arr.ndim else Jx
        jz = np.broadcast_to(Jz, arr.shape)[idx] if arr.ndim else Jz
        raise ValueError(f"a tabulated coupling's func returned a non-finite {what} ({arr[idx]!r}) "
                         f"at Jx = {float(np.ravel(jx)[0]):g}, Jz = {float(np.ravel(jz)[0]):g}")
    return arr


def _unpack_tabulated(out):
    """Split a user callable's return value into ``(f, fx, fz)`` (``fx = fz = None`` if absent)."""
    if isinstance(out, tuple):
        if len(out) == 3:
            return out
        if len(out) == 2 and isinstance(out[1], (tuple, list)) and len(out[1]) == 2:
            return out[0], out[1][0], out[1][1]
        raise ValueError(
            "a tabulated coupling must return f, (f, df_dJx, df_dJz) or (f, (df_dJx, df_dJz)); "
            f"got a tuple of length {len(out)}"
        )
    return out, None, None


@dataclass(frozen=True)
class TabulatedCoupling(Coupling):
    """Coupling given as a function of the total exchange field on the superconductor.

    ``df = func(Jx, Jz)`` with ``Jx = J (sin t1 + sin t2)`` and
    ``Jz = J (cos t1 + cos t2)`` (``J`` from the stack), e.g. an interpolating
    spline of a microscopic free-energy table ``f_sn(J_tot) - f_sn(0)``.

    Parameters
    ----------
    func : callable
        Vectorised ``func(Jx, Jz)`` returning the energy density (energy per
        area), or a tuple ``(f, df_dJx, df_dJz)`` (or ``(f, (df_dJx, df_dJz))``)
        to supply the gradient.  With a gradient the angle gradient follows by
        the chain rule and the Hessian by central differences of it (step
        ``fd_step``); without, both come from central differences of ``f``.
    fd_step : float, optional
        Angle step (rad) of the finite differences of the gradient (default
        ``1e-6``); energy-only differences use ``1e-5`` (gradient) and ``1e-4``
        (Hessian).

    Examples
    --------
    Any free energy of the total field, here the quadratic one written by hand:

    >>> c = TabulatedCoupling(lambda Jx, Jz: -0.5 * (1.0 * Jx**2 + 0.25 * Jz**2))
    >>> q = IsingQuadraticCoupling(1.0, 0.25)
    >>> bool(np.isclose(c.energy(0.4, 1.1, J=1.0), q.energy(0.4, 1.1, J=1.0)))
    True
    """

    func: Callable
    fd_step: float = 1e-6

    def to_dict(self):
        """Not available: an arbitrary function cannot be written as JSON.

        Raises
        ------
        TypeError
            Always (a :class:`~isingsc.microscopic.MicroscopicCoupling` can be saved: it is a table).

        Examples
        --------
        >>> TabulatedCoupling(lambda Jx, Jz: -0.5 * (Jx**2 + Jz**2)).to_dict()
        Traceback (most recent call last):
        ...
        TypeError: a TabulatedCoupling holds an arbitrary function and cannot be saved; the analytic couplings and isingsc.MicroscopicCoupling (a table) can
        """
        raise TypeError(f"a {type(self).__name__} holds an arbitrary function and cannot be saved; the analytic "
                        "couplings and isingsc.MicroscopicCoupling (a table) can")

    def __post_init__(self):
        check_callable(self.func, "func", "f(Jx, Jz)")
        step = check_real(self.fd_step, "fd_step")
        if not 0.0 < step < 0.1:
            raise ValueError(f"fd_step must be in (0, 0.1) rad, got {step!r}")
        object.__setattr__(self, "fd_step", step)

    @classmethod
    def from_polar(cls, func, fd_step=1e-6):
        """Build from ``func(J_abs, alpha)`` of the magnitude and polar angle of ``J_tot``.

        Parameters
        ----------
        func : callable
            Vectorised ``func(J_abs, alpha)`` with ``alpha = atan2(Jx, Jz)`` in
            ``(-pi, pi]`` (from ``z`` towards ``+x``), returning ``f`` or
            ``(f, df_dJabs, df_dalpha)``.  At ``J_abs = 0`` the angular
            derivative is taken to vanish.
        fd_step : float, optional
            As in the class.

        Returns
        -------
        TabulatedCoupling

        Raises
        ------
        TypeError
            ``func`` not callable, or a non-real ``fd_step``.
        ValueError
            ``fd_step`` outside ``(0, 0.1)`` rad.

        Examples
        --------
        >>> c = TabulatedCoupling.from_polar(lambda r, a: -0.5 * r**2 * np.sin(a)**2)   # chi_par = 1, chi_perp = 0
        >>> bool(np.isclose(c.energy(0.4, 1.1, J=1.0), IsingQuadraticCoupling(1.0).energy(0.4, 1.1, J=1.0)))
        True
        """
        check_callable(func, "func", "f(J_abs, alpha)")

        def cartesian(Jx, Jz):
            r = np.hypot(Jx, Jz)
            alpha = np.arctan2(Jx, Jz)
            f, fr, fa = _unpack_tabulated(func(r, alpha))
            if fr is None:
                return f
            fa_r = np.divide(fa, r, out=np.zeros(np.broadcast(fa, r).shape), where=r > 0)
            s, c = np.sin(alpha), np.cos(alpha)
            return f, fr * s + fa_r * c, fr * c - fa_r * s

        return cls(cartesian, fd_step)

    def _call(self, t1, t2, J):
        s1, c1, s2, c2 = np.sin(t1), np.cos(t1), np.sin(t2), np.cos(t2)
        Jx, Jz = J * (s1 + s2), J * (c1 + c2)
        f, fx, fz = _unpack_tabulated(self.func(Jx, Jz))
        f = _tabulated_output(f, "f", Jx, Jz)
        if fx is None:
            return f, None, None
        fx = _tabulated_output(fx, "df_dJx", Jx, Jz)
        fz = _tabulated_output(fz, "df_dJz", Jx, Jz)
        return f, J * (fx * c1 - fz * s1), J * (fx * c2 - fz * s2)

    def _terms(self, theta1, theta2, J, order=2):
        t1, t2 = np.broadcast_arrays(np.asarray(theta1, float), np.asarray(theta2, float))
        shape = t1.shape
        sl = (slice(None),) + (None,) * t1.ndim
        if order == 2 and self._has_gradient():
            # centre and four shifted points in one call; Hessian from the gradient's differences
            h = self.fd_step
            o1 = np.array([0.0, h, -h, 0.0, 0.0])[sl]
            o2 = np.array([0.0, 0.0, 0.0, h, -h])[sl]
            F, G1, G2 = self._call(t1 + o1, t2 + o2, J)
            h11 = (G1[1] - G1[2]) / (2 * h)
            h22 = (G2[3] - G2[4]) / (2 * h)
            h12 = 0.25 * ((G2[1] - G2[2]) + (G1[3] - G1[4])) / h
            return F[0], G1[0], G2[0], h11, h12, h22
        f, g1, g2 = self._call(t1, t2, J)
        f = f.reshape(shape)
        if order == 0:
            return (f,)
        if g1 is not None:
            return f, g1.reshape(shape), g2.reshape(shape)
        # energy only: central differences, one vectorised call per stencil
        hg, hh = 1e-5, 1e-4
        offs = np.array([(1, 0), (-1, 0), (0, 1), (0, -1)], float)
        F = self._call(t1 + hg * offs[:, 0][sl], t2 + hg * offs[:, 1][sl], J)[0]
        g1 = (F[0] - F[1]) / (2 * hg)
        g2 = (F[2] - F[3]) / (2 * hg)
        if order == 1:
            return f, g1, g2
        grid = np.array([(i, j) for i in (-1, 0, 1) for j in (-1, 0, 1)], float)
        F = self._call(t1 + hh * grid[:, 0][sl], t2 + hh * grid[:, 1][sl], J)[0].reshape((3, 3) + shape)
        h11 = (F[2, 1] - 2 * F[1, 1] + F[0, 1]) / hh**2
        h22 = (F[1, 2] - 2 * F[1, 1] + F[1, 0]) / hh**2
        h12 = (F[2, 2] - F[2, 0] - F[0, 2] + F[0, 0]) / (4 * hh**2)
        return f, g1, g2, h11, h12, h22

    def resolution(self):
        """Relative resolution of the gradient and curvature: ``(1e-12, 1e-8)`` with an analytic gradient, else ``(1e-9, 1e-6)``.

        With an analytic gradient the Hessian comes from differences of it; energy only: both
        from differences of ``f``.

        Returns
        -------
        (float, float)
            Relative resolution of the gradient and of the curvature.

        Examples
        --------
        >>> TabulatedCoupling(lambda Jx, Jz: -0.5 * Jx**2).resolution()
        (1e-09, 1e-06)
        """
        return (1e-12, 1e-8) if self._has_gradient() else (1e-9, 1e-6)

    def _has_gradient(self):
        if "_grad" not in self.__dict__:
            out = self.func(np.zeros(1), np.ones(1))
            object.__setattr__(self, "_grad", _unpack_tabulated(out)[1] is not None)
        return self.__dict__["_grad"]

    def _energy_change(self, theta1, theta2, new1, new2, J=0.0):
        t1, t2, n1, n2 = np.broadcast_arrays(*(np.asarray(x, float) for x in (theta1, theta2, new1, new2)))
        f = self._call(np.stack([n1, t1]), np.stack([n2, t2]), J)[0]
        return f[0] - f[1]


# ----------------------------------------------------------------------- stack
@dataclass(frozen=True)
class FSFStack(Serializable):
    """Two macrospins coupled through a superconductor, equation (12) of the paper.

    Parameters
    ----------
    K1, K2 : float
        Uniaxial anisotropy energy densities (energy per area); positive is an
        out-of-plane easy axis, negative an easy plane.
    Ms1, Ms2 : float
        Saturation magnetizations per area, ``>= 0`` (``H * Ms`` is an energy
        per area).  ``K2 = Ms2 = 0`` without coupling describes one macrospin
        (see :meth:`single`).
    J : float, optional
        Exchange field each magnet induces in the superconductor (energy),
        ``>= 0``; used by the Ising and tabulated couplings.
    coupling : Coupling or None, optional
        Superconductor-mediated term ``df_sc``; ``None`` means no coupling.

    Notes
    -----
    ``energy``, ``gradient`` and ``hessian`` broadcast over ``theta1, theta2,
    H, field_angle`` (angles in rad from ``z`` towards ``+x``).

    Examples
    --------
    >>> stack = FSFStack(K1=1.0, K2=0.8, Ms1=1.12, Ms2=1.0, J=1.0, coupling=IsingQuadraticCoupling(0.5))
    >>> float(stack.energy(0.0, 0.0)), float(stack.energy(0.5 * np.pi, 0.5 * np.pi))   # Eq. (12), H = 0
    (0.0, 0.8)
    >>> [round(float(m), 12) for m in stack.magnetization(0.0, np.pi)]                  # (M_z, M_x), Eqs. (14)-(15)
    [0.12, 0.0]
    """

    K1: float
    K2: float
    Ms1: float
    Ms2: float
    J: float = 0.0
    coupling: Coupling | None = None

    def __post_init__(self):
        for name in ("K1", "K2"):
            object.__setattr__(self, name, check_real(getattr(self, name), name))
        for name in ("Ms1", "Ms2", "J"):
            object.__setattr__(self, name, check_real(getattr(self, name), name, nonneg=True))
        if self.coupling is not None and not isinstance(self.coupling, Coupling):
            raise TypeError(
                "coupling must be None or a Coupling (IsingQuadraticCoupling, ConventionalCoupling, "
                f"TabulatedCoupling), got {self.coupling!r}"
            )

    @classmethod
    def single(cls, K, Ms):
        """One Stoner-Wohlfarth macrospin: magnet 2 absent (``K2 = Ms2 = 0``), no coupling.

        Parameters
        ----------
        K : float
            Anisotropy (energy per area).
        Ms : float
            Saturation magnetization per area, >= 0.

        Returns
        -------
        FSFStack
            ``FSFStack(K, 0, Ms, 0)``.

        Raises
        ------
        TypeError
            Non-real ``K`` or ``Ms``.
        ValueError
            Non-finite values or a negative ``Ms``.

        Examples
        --------
        >>> FSFStack.single(1.0, 2.0)
        FSFStack(K1=1.0, K2=0.0, Ms1=2.0, Ms2=0.0, J=0.0, coupling=None)
        """
        return cls(K, 0.0, Ms, 0.0)

    # -------------------------------------------------------------- energetics
    def terms(self, theta1, theta2, H=0.0, field_angle=0.0, order=2):
        """Energy of equation (12) of the paper and its angle derivatives.

        Parameters
        ----------
        theta1, theta2 : array_like
            Polar angles of the magnets (rad).
        H : array_like, optional
            Applied field (``H * Ms`` is an energy per area).
        field_angle : array_like, optional
            Angle of the field from ``z`` (rad).
        order : int
            Highest derivative wanted: 0, 1 or 2.

        Returns
        -------
        tuple of ndarray
            ``(f,)``, ``(f, g1, g2)`` or ``(f, g1, g2, h11, h12, h22)`` (energy per area, per rad, per rad^2).

        Raises
        ------
        TypeError
            Non-real arguments or a non-integer ``order``.
        ValueError
            Non-finite arguments, ``order`` not 0, 1 or 2, or energies beyond double precision.

        Examples
        --------
        >>> stack = FSFStack(1.0, 0.8, 1.12, 1.0, J=1.0, coupling=IsingQuadraticCoupling(0.5))
        >>> f, g1, g2 = stack.terms(0.0, 0.0, order=1)
        >>> float(f), float(g1), float(g2)                  # the parallel out-of-plane state is stationary
        (0.0, 0.0, 0.0)
        """
        order = check_int(order, "order", minimum=0, maximum=2)
        return _finite_terms(self._terms(*_as_arrays(theta1, theta2, H, field_angle), order=order), "H", H)

    def _terms(self, theta1, theta2, H=0.0, field_angle=0.0, order=2):
        """Unchecked :meth:`terms`: the relaxation's fast path (floats or arrays)."""
        sin, cos = _trig(theta1, theta2, H, field_angle)
        s1, c1, s2, c2 = sin(theta1), cos(theta1), sin(theta2), cos(theta2)
        d1 = theta1 - field_angle
        d2 = theta2 - field_angle
        z1 = H * self.Ms1
        z2 = H * self.Ms2
        cd1, cd2 = cos(d1), cos(d2)
        f = self.K1 * s1 * s1 + self.K2 * s2 * s2 - z1 * cd1 - z2 * cd2
        cpl = None if self.coupling is None else self.coupling._terms(theta1, theta2, self.J, order)
        if order == 0:
            return (f if cpl is None else f + cpl[0],)
        g1 = 2.0 * self.K1 * s1 * c1 + z1 * sin(d1)
        g2 = 2.0 * self.K2 * s2 * c2 + z2 * sin(d2)
        if order == 1:
            out = (f, g1, g2)
        else:
            h11 = 2.0 * self.K1 * (c1 * c1 - s1 * s1) + z1 * cd1
            h22 = 2.0 * self.K2 * (c2 * c2 - s2 * s2) + z2 * cd2
            out = (f, g1, g2, h11, 0.0 * h11, h22)
        if cpl is None:
            return out
        return tuple(a + b for a, b in zip(out, cpl))

    def energy(self, theta1, theta2, H=0.0, field_angle=0.0):
        """Energy density ``f`` of equation (12) of the paper, vectorised.

        Parameters
        ----------
        theta1, theta2 : array_like
            Polar angles of the magnets (rad).
        H : array_like, optional
            Applied field (``H * Ms`` is an energy per area).
        field_angle : array_like, optional
            Angle of the field from ``z`` (rad).

        Returns
        -------
        ndarray
            Energy per area, broadcast shape of the inputs.

        Raises
        ------
        TypeError
            Non-real arguments.
        ValueError
            Non-finite arguments or energies beyond double precision.

        Examples
        --------
        >>> stack = FSFStack(1.0, 0.8, 1.12, 1.0, J=1.0, coupling=IsingQuadraticCoupling(0.5))
        >>> stack.energy([0.0, 0.5 * np.pi], [0.0, 0.5 * np.pi]).tolist()     # K1 + K2 - 2 chi J^2 in plane
        [0.0, 0.8]
        """
        return self.terms(theta1, theta2, H, field_angle, order=0)[0]

    def energy_change(self, theta1, theta2, new1, new2, H=0.0, field_angle=0.0):
        """``f(new1, new2) - f(theta1, theta2)`` at fixed field, without cancellation error.

        Written with product formulas (``sin^2 b - sin^2 a = sin(b - a) sin(b + a)``
        etc.), so that the change is accurate relative to itself even when it
        is far below the rounding error of ``f``; the line search of
        :func:`relax` relies on it near flat (bifurcating) minima.

        Parameters
        ----------
        theta1, theta2 : array_like
            Old angles (rad).
        new1, new2 : array_like
            New angles (rad).
        H, field_angle : array_like, optional
            Applied field and its angle from ``z`` (rad).

        Returns
        -------
        ndarray
            Energy change per area.

        Raises
        ------
        TypeError
            Non-real arguments.
        ValueError
            Non-finite arguments or energies beyond double precision.

        Examples
        --------
        >>> stack = FSFStack.single(1.0, 1.0)
        >>> f"{float(stack.energy_change(0.0, 0.0, 1e-8, 0.0)):.6g}"        # K sin^2: resolved, not rounded to 0
        '1e-16'
        """
        theta1, theta2, H, field_angle = _as_arrays(theta1, theta2, H, field_angle)
        new1 = check_array(new1, "new1", unit="rad", allow_empty=True)
        new2 = check_array(new2, "new2", unit="rad", allow_empty=True)
        return _finite_terms((self._energy_change(theta1, theta2, new1, new2, H, field_angle),), "H", H)[0]

    def _energy_change(self, theta1, theta2, new1, new2, H=0.0, field_angle=0.0):
        """Unchecked :meth:`energy_change`: the relaxation's line search (floats or arrays)."""
        sin, cos = _trig(theta1, theta2, new1, new2, H, field_angle)
        h1, h2 = 0.5 * (new1 - theta1), 0.5 * (new2 - theta2)
        m1, m2 = 0.5 * (new1 + theta1), 0.5 * (new2 + theta2)
        out = (self.K1 * sin(2.0 * h1) * sin(2.0 * m1) + self.K2 * sin(2.0 * h2) * sin(2.0 * m2)
               + 2.0 * H * (self.Ms1 * sin(m1 - field_angle) * sin(h1)
                            + self.Ms2 * sin(m2 - field_angle) * sin(h2)))
        if self.coupling is not None:
            out = out + self.coupling._energy_change(theta1, theta2, new1, new2, self.J)
        return out

    def gradient(self, theta1, theta2, H=0.0, field_angle=0.0):
        """The gradient ``(df/dtheta1, df/dtheta2)`` of equation (12) of the paper.

        Parameters
        ----------
        theta1, theta2 : array_like
            Polar angles of the magnets (rad).
        H : array_like, optional
            Applied field (``H * Ms`` is an energy per area).
        field_angle : array_like, optional
            Angle of the field from ``z`` (rad).

        Returns
        -------
        ndarray
            Shape ``broadcast + (2,)`` (energy per area per rad).

        Raises
        ------
        TypeError
            Non-real arguments.
        ValueError
            Non-finite arguments or energies beyond double precision.

        Examples
        --------
        >>> FSFStack.single(1.0, 1.0).gradient(0.25 * np.pi, 0.0).round(12).tolist()   # K sin(2 theta1)
        [1.0, 0.0]
        """
        _, g1, g2 = self.terms(theta1, theta2, H, field_angle, order=1)
        return np.stack(np.broadcast_arrays(g1, g2), axis=-1)

    def hessian(self, theta1, theta2, H=0.0, field_angle=0.0):
        """The Hessian ``d^2 f / dtheta_i dtheta_j`` of equation (12) of the paper.

        Parameters
        ----------
        theta1, theta2 : array_like
            Polar angles of the magnets (rad).
        H : array_like, optional
            Applied field (``H * Ms`` is an energy per area).
        field_angle : array_like, optional
            Angle of the field from ``z`` (rad).

        Returns
        -------
        ndarray
            Shape ``broadcast + (2, 2)`` (energy per area per rad^2).

        Raises
        ------
        TypeError
            Non-real arguments.
        ValueError
            Non-finite arguments or energies beyond double precision.

        Examples
        --------
        >>> FSFStack.single(1.0, 1.0).hessian(0.0, 0.0).tolist()      # 2K on magnet 1; magnet 2 absent
        [[2.0, 0.0], [0.0, 0.0]]
        """
        _, _, _, h11, h12, h22 = self.terms(theta1, theta2, H, field_angle, order=2)
        h11, h12, h22 = np.broadcast_arrays(h11, h12, h22)
        return np.stack([np.stack([h11, h12], -1), np.stack([h12, h22], -1)], -2)

    def magnetization(self, theta1, theta2):
        """Total magnetization per area, equations (14)-(15) of the paper.

        Parameters
        ----------
        theta1, theta2 : array_like
            Polar angles of the magnets (rad).

        Returns
        -------
        (ndarray, ndarray)
            ``M_z = Ms1 cos theta1 + Ms2 cos theta2`` and ``M_x = Ms1 sin theta1 + Ms2 sin theta2``
            (the unit of ``Ms``), the broadcast shape.

        Raises
        ------
        TypeError
            Non-real angles.
        ValueError
            Non-finite angles.

        Examples
        --------
        >>> stack = FSFStack(1.0, 0.8, 1.12, 1.0)
        >>> [round(float(m), 12) for m in stack.magnetization(0.0, np.pi)]     # antiparallel along z
        [0.12, 0.0]
        """
        t1 = check_array(theta1, "theta1", unit="rad", allow_empty=True)
        t2 = check_array(theta2, "theta2", unit="rad", allow_empty=True)
        return (self.Ms1 * np.cos(t1) + self.Ms2 * np.cos(t2),
                self.Ms1 * np.sin(t1) + self.Ms2 * np.sin(t2))

    def energy_scale(self, H=0.0):
        """A typical energy density of the stack at field ``H``, which sets tolerances.

        Parameters
        ----------
        H : float, optional
            Applied field.

        Returns
        -------
        float
            ``|K1| + |K2| + |H| (Ms1 + Ms2)`` plus the largest coupling curvature (energy per area), > 0.

        Raises
        ------
        TypeError
            A non-real ``H``.
        ValueError
            A non-finite ``H``.

        Examples
        --------
        >>> FSFStack.single(1.0, 1.0).energy_scale(0.5)           # |K| + 2K (curvature) + |H| Ms
        3.5
        """
        H = check_real(H, "H")
        hs = np.abs(self.hessian([0.0, 0.5 * np.pi, 0.3], [0.0, 0.5 * np.pi, -1.1], 0.0))
        scale = abs(self.K1) + abs(self.K2) + abs(H) * (self.Ms1 + self.Ms2) + float(hs.max())
        return scale if scale > 0.0 else 1.0


def _finite_terms(out, name, value):
    """``out`` (a tuple of arrays) if every entry is finite; ValueError (never an inf or NaN energy) otherwise."""
    for x in out:
        if not np.all(np.isfinite(x)):
            raise ValueError(f"the energy is beyond double precision at {name} = {np.max(np.abs(value))!r}: "
                             "the anisotropies, fields or couplings are far too large for their units")
    return out


def _angles(theta1, theta2):
    return (check_array(theta1, "theta1", unit="rad", allow_empty=True),
            check_array(theta2, "theta2", unit="rad", allow_empty=True))


def _as_arrays(theta1, theta2, H, field_angle):
    return (check_array(theta1, "theta1", unit="rad", allow_empty=True),
            check_array(theta2, "theta2", unit="rad", allow_empty=True),
            check_array(H, "H", allow_empty=True), check_array(field_angle, "field_angle", unit="rad", allow_empty=True))


# ------------------------------------------------------------------ relaxation
def _eig2(a, b, c):
    """Eigen-decomposition of the symmetric 2x2 matrix ``[[a, b], [b, c]]``.

    Returns ``(lam_min, lam_max, (v1, v2))`` with ``v`` the unit eigenvector of
    ``lam_min``; for a multiple of the identity ``v = (1, 1)/sqrt(2)``.
    """
    if b == 0.0:  # diagonal: exact axes (keeps an absent magnet exactly still)
        if a == c:
            return a, a, (math.sqrt(0.5), math.sqrt(0.5))
        return (a, c, (1.0, 0.0)) if a < c else (c, a, (0.0, 1.0))
    m = 0.5 * (a + c)
    d = math.hypot(0.5 * (a - c), b)
    phi = 0.5 * math.atan2(2.0 * b, a - c)  # angle of the lam_max eigenvector
    return m - d, m + d, (-math.sin(phi), math.cos(phi))


@checked_fields(units={"theta1": "rad", "theta2": "rad", "path": "rad"})
@dataclass(frozen=True)
class Relaxation:
    """Result of :func:`relax`.

    Attributes
    ----------
    theta1 : float
        Final angle of magnet 1 (rad), not wrapped (continuous along the relaxation).
    theta2 : float
        Final angle of magnet 2 (rad), likewise.
    energy : float
        Final energy density (energy per area): the initial energy plus the
        accurately computed changes of the accepted steps.
    converged : bool
        True when the final state is a local minimum to tolerance.
    n_iter : int
        Number of accepted steps.
    left_minimum : bool
        True if any visited state had an indefinite Hessian, i.e. the
        relaxation did not stay in the convex well of one minimum.  Starting
        from a minimum at a nearby field, this flags that the minimum is gone
        (a switching event).
    energies : ndarray or None
        Energy after every accepted step, starting with the initial energy
        (only with ``return_trace=True``); never increasing.
    path : ndarray or None
        ``(n_iter + 1, 2)`` visited angles (only with ``return_trace=True``).

    Examples
    --------
    >>> r = relax(FSFStack.single(1.0, 1.0), 0.4, 0.0)
    >>> r.converged, abs(r.theta1) < 1e-8, abs(r.energy) < 1e-12
    (True, True, True)
    >>> r = relax(FSFStack.single(1.0, 1.0), 0.4, 0.0, return_trace=True)
    >>> r.energies.flags.writeable                      # the record is read-only
    False
    """

    theta1: float
    theta2: float
    energy: float
    converged: bool
    n_iter: int
    left_minimum: bool
    energies: np.ndarray | None = None
    path: np.ndarray | None = None

    def __post_init__(self):
        if not 0 <= self.n_iter <= 10**7:
            raise ValueError(f"n_iter must be between 0 and 10^7 iterations, got {self.n_iter}")
        if self.energies is not None and self.energies.ndim != 1:
            raise ValueError(f"energies must be a 1-d array (meV per Nb site), got shape {self.energies.shape}")
        if self.path is not None and (self.path.ndim != 2 or self.path.shape[1] != 2):
            raise ValueError(f"path must have shape (n, 2) (rad), got {self.path.shape}")


def _relax_core(stack, t1, t2, H, ang, tols, *, max_iter=500, step_max=0.3,
                stop_on_exit=False, trace=None):
    """Damped modified-Newton descent; returns ``(t1, t2, E, converged, n_iter, left)``.

    Every accepted step lowers the energy: the Armijo condition is tested on
    :meth:`FSFStack.energy_change`, which resolves changes far below the
    rounding error of ``E`` itself (flat minima near bifurcations), and the
    reported energies are ``E0`` plus the accepted changes.  A step that
    cannot be made to lower the energy resolvably ends the relaxation.  The
    Hessian's eigenvalues are replaced by ``max(|lam|, delta)`` so that the
    step is a descent direction also where it is indefinite; steps are capped
    at ``step_max`` rad so that the descent cannot hop over a barrier.

    Symmetry-breaking rule: at a stationary point with a negative Hessian
    eigenvalue (an exact saddle, e.g. a magnet exactly antiparallel to a field
    along its easy axis, or exactly along a hard-axis field below saturation)
    the state is moved along the softest eigenvector, with the sign that
    *increases* ``theta1 + theta2`` (rotation from ``z`` towards ``+x``; if the
    eigenvector is orthogonal to ``(1, 1)``, the sign that increases
    ``theta1``).  The step starts at ``SADDLE_STEP`` (1e-6 rad), is lengthened
    by 4 until the energy decrease is resolved and then doubled while the
    energy keeps falling: a coarse line minimisation along the unstable
    direction, so a supercritical pitchfork lands on the nearby new minimum.
    ``left`` is set when a Hessian eigenvalue below ``-ctol`` is met.
    """
    gtol, ctol, floor_rel = tols
    terms = stack._terms
    dchange = stack._energy_change
    E, g1, g2, h11, h12, h22 = (float(x) for x in terms(t1, t2, H, ang, 2))
    delta = 10.0 * ctol  # eigenvalue floor of the modified Newton step
    left = False
    converged = False
    n = 0
    if trace is not None:
        trace.append((t1, t2, E))
    for _ in range(max_iter):
        lmin, lmax, (v1, v2) = _eig2(h11, h12, h22)
        if lmin < -ctol:
            left = True
            if stop_on_exit:
                break
        gnorm = math.hypot(g1, g2)
        floor = -floor_rel * (abs(E) + abs(h11) + abs(h22))  # unresolvable energy changes
        if gnorm <= gtol:
            if lmin >= 0.0:
                converged = True
                break
            # exact saddle: deterministic small step along the softest direction, lengthened
            # (x4) only until the decrease is resolved and close to the quadratic model
            sgn = v1 + v2
            if abs(sgn) < 1e-12:
                sgn = v1
            if sgn < 0.0:
                v1, v2 = -v1, -v2
            ell = SADDLE_STEP
            accepted = False
            while ell <= step_max:
                n1, n2 = t1 + ell * v1, t2 + ell * v2
                dE = float(dchange(t1, t2, n1, n2, H, ang))
                if dE < floor and dE <= 0.25 * lmin * ell * ell:
                    accepted = True
                    break
                ell *= 4.0
            # then double the step while the energy keeps falling (a coarse line minimum
            # along the unstable direction, so that no barrier along it is crossed)
            while accepted and 2.0 * ell <= step_max:
                m1, m2 = t1 + 2.0 * ell * v1, t2 + 2.0 * ell * v2
                dE2 = float(dchange(t1, t2, m1, m2, H, ang))
                if not dE2 < dE:
                    break
                ell, n1, n2, dE = 2.0 * ell, m1, m2, dE2
        else:
            # modified Newton step in the eigenbasis
            w1, w2 = v2, -v1  # eigenvector of lmax
            a = (v1 * g1 + v2 * g2) / max(abs(lmin), delta)
            b = (w1 * g1 + w2 * g2) / max(abs(lmax), delta)
            p1 = -(a * v1 + b * w1)
            p2 = -(a * v2 + b * w2)
            norm = math.hypot(p1, p2)
            if norm > step_max:
                p1 *= step_max / norm
                p2 *= step_max / norm
            slope = g1 * p1 + g2 * p2
            alpha = 1.0
            accepted = False
            while alpha > 1e-12 and -alpha * slope > -floor:  # stop once the decrease is unresolvable
                n1, n2 = t1 + alpha * p1, t2 + alpha * p2
                dE = float(dchange(t1, t2, n1, n2, H, ang))
                if dE < floor and dE < 0.0 and dE <= 1e-4 * alpha * slope:
                    accepted = True
                    break
                alpha *= 0.5
        if not accepted:
            # no resolvable decrease left
            converged = lmin >= -ctol
            break
        new = terms(n1, n2, H, ang, 2)
        t1, t2 = n1, n2
        E = E + dE  # accumulated exactly-resolved changes: monotone by construction
        _, g1, g2, h11, h12, h22 = (float(x) for x in new)
        n += 1
        if trace is not None:
            trace.append((t1, t2, E))
    return t1, t2, E, converged, n, left


def _tolerances(stack, H_scale):
    """``(gtol, ctol, floor)``: gradient and curvature tolerances and the relative noise floor of energy changes."""
    scale = stack.energy_scale(H_scale)
    if stack.coupling is None:
        return 1e-14 * scale, 1e-10 * scale, 0.0
    g, c = stack.coupling.resolution()
    return g * scale, c * scale, (0.0 if stack.coupling.exact_energy_change else 1e-15)


def relax(stack, theta1, theta2, H=0.0, field_angle=0.0, *, return_trace=False, max_iter=500):
    """Relax ``(theta1, theta2)`` to the local energy minimum reached by descent.

    A damped (modified) Newton method with a backtracking line search: every
    accepted step strictly lowers the energy, and steps are capped (0.3 rad)
    so that the state follows the downhill landscape instead of hopping into
    another valley.  This is *not* a global minimisation.  A state sitting
    exactly on a saddle (zero gradient, negative curvature) is moved along
    the softest eigenvector in the direction that increases
    ``theta1 + theta2`` -- a deterministic symmetry-breaking rule -- starting
    with a 1e-6 rad step that grows while the energy keeps falling.
    Tolerances scale with :meth:`FSFStack.energy_scale` and the coupling's
    :meth:`Coupling.resolution` (gradient ``1e-14``, curvature ``1e-10`` of it
    for analytic couplings).

    Parameters
    ----------
    stack : FSFStack
        The system.
    theta1, theta2 : float
        Starting angles (rad).
    H, field_angle : float
        Applied field (units such that ``H * Ms`` is an energy per area) and
        its angle from ``z`` (rad).
    return_trace : bool, optional
        Also return the energies and angles of every accepted step.
    max_iter : int, optional
        Maximum number of Newton steps (1 ... 10^6).

    Returns
    -------
    Relaxation

    Raises
    ------
    TypeError
        ``stack`` not an :class:`FSFStack`, non-real numbers, a non-boolean ``return_trace``.
    ValueError
        Non-finite values or ``max_iter`` out of range.

    Examples
    --------
    One macrospin with ``K = Ms = 1`` in a field ``H = -1.9`` antiparallel to it stays
    (metastable); beyond ``2K/Ms`` it reverses through ``+x``:

    >>> st = FSFStack.single(1.0, 1.0)
    >>> r = relax(st, 0.0, 0.0, H=-1.9)
    >>> r.theta1, r.left_minimum
    (0.0, False)
    >>> r = relax(st, 0.0, 0.0, H=-2.5)
    >>> round(r.theta1 / np.pi, 6), r.left_minimum
    (1.0, True)
    """
    check_instance(stack, "stack", FSFStack)
    t1 = check_real(theta1, "theta1", unit="rad")
    t2 = check_real(theta2, "theta2", unit="rad")
    H = check_real(H, "H")
    ang = check_real(field_angle, "field_angle", unit="rad")
    max_iter = check_int(max_iter, "max_iter", minimum=1, maximum=10**6)
    return_trace = check_flag(return_trace, "return_trace")
    tols = _tolerances(stack, H)
    trace = [] if return_trace else None
    t1, t2, E, conv, n, left = _relax_core(stack, t1, t2, H, ang, tols, max_iter=max_iter, trace=trace)
    if trace is None:
        return Relaxation(t1, t2, E, conv, n, left)
    arr = np.array(trace)
    return Relaxation(t1, t2, E, conv, n, left, energies=arr[:, 2], path=arr[:, :2])


# ------------------------------------------------------------- ground state
@checked_fields(units={"theta1": "rad", "theta2": "rad"})
@dataclass(frozen=True)
class GroundState:
    """Zero-field global energy minimum of a stack.

    Attributes
    ----------
    theta1 : float
        Polar angle of magnet 1 (rad) in a canonical representative, in
        ``[0, pi/2]`` (the energy is invariant under ``theta_i -> theta_i + pi``
        for both magnets and under the mirror ``theta_i -> -theta_i``).
    theta2 : float
        Polar angle of magnet 2 (rad) in the same representative.
    energy : float
        Energy (meV per Nb site).
    magnets : tuple of str
        ``"out-of-plane"``, ``"in-plane"`` or ``"canted"`` for each magnet.
    alignment : str
        ``"out-of-plane"`` or ``"in-plane"`` if both magnets are, else ``"canted"``.
    parallel : bool
        ``cos(theta1 - theta2) > 0``.

    Examples
    --------
    >>> gs = ground_state(FSFStack(1.0, 0.5, 1.0, 1.0))
    >>> gs.alignment, gs.magnets, gs.parallel
    ('out-of-plane', ('out-of-plane', 'out-of-plane'), True)
    """

    theta1: float
    theta2: float
    energy: float
    magnets: tuple
    alignment: str
    parallel: bool

    def __post_init__(self):
        kinds = ("out-of-plane", "in-plane", "canted")
        object.__setattr__(self, "magnets", check_sequence(self.magnets, "magnets", length=2,
                                                           item=lambda m, name: check_choice(m, name, kinds)))
        check_choice(self.alignment, "alignment", kinds)


def _classify(theta, tol):
    if abs(math.sin(theta)) < tol:
        return "out-of-plane"
    if abs(math.cos(theta)) < tol:
        return "in-plane"
    return "canted"


def ground_state(stack, *, n_grid=36, n_starts=6, angle_tol=1e-3):
    """Global minimum of the stack's zero-field energy over ``(theta1, theta2)``.

    A periodic ``n_grid x n_grid`` scan finds the basins (grid points lower
    than their eight neighbours); the ``n_starts`` lowest are relaxed with
    :func:`isingsc.magnetism.relax` and the lowest result is returned.

    Parameters
    ----------
    stack : FSFStack
        The stack.
    n_grid : int, optional
        Grid points per angle on ``[-pi, pi)`` (8 ... 2000).
    n_starts : int, optional
        Basins to relax (1 ... 1000).
    angle_tol : float, optional
        Tolerance (rad) for classifying a magnet as out-of-plane or in-plane, in ``(0, 0.5]``.

    Returns
    -------
    GroundState

    Raises
    ------
    TypeError
        ``stack`` not an :class:`FSFStack` or non-numeric options.
    ValueError
        Options out of range.
    ConvergenceError
        No relaxation from the lowest basins reaches a local minimum.

    Examples
    --------
    Easy-plane magnets coupled by the Ising superconductor lie in the plane, parallel;
    a thin conventional superconductor aligns out-of-plane magnets antiparallel:

    >>> ground_state(FSFStack(-1.0, -0.5, 1.0, 1.0, 1.0, IsingQuadraticCoupling(0.3))).alignment
    'in-plane'
    >>> ground_state(FSFStack(1.0, 1.0, 1.0, 1.0, 0.0, ConventionalCoupling(1.0, 0.5))).parallel
    False
    """
    check_instance(stack, "stack", FSFStack)
    n_grid = check_int(n_grid, "n_grid", minimum=8, maximum=2000)
    n_starts = check_int(n_starts, "n_starts", minimum=1, maximum=1000)
    tol = check_real(angle_tol, "angle_tol", unit="rad", positive=True, upper=0.5)
    th = np.linspace(-np.pi, np.pi, n_grid, endpoint=False)
    T1, T2 = np.meshgrid(th, th, indexing="ij")
    E = np.asarray(stack.energy(T1, T2, 0.0, 0.0))
    is_min = np.ones(E.shape, bool)
    for d1 in (-1, 0, 1):
        for d2 in (-1, 0, 1):
            if d1 or d2:
                is_min &= E <= np.roll(np.roll(E, d1, 0), d2, 1)
    cand = np.argwhere(is_min)
    order = np.argsort(E[is_min])[:n_starts]
    best = None
    for i, j in cand[order]:
        r = relax(stack, float(T1[i, j]), float(T2[i, j]), 0.0, 0.0)
        if r.converged and (best is None or r.energy < best.energy):
            best = r
    if best is None:
        raise ConvergenceError(f"no relaxation from the {len(order)} lowest grid basins reached a local minimum "
                               "(increase n_grid or n_starts)")
    t1, t2 = float(wrap_angle(best.theta1)), float(wrap_angle(best.theta2))
    if math.cos(t1) < 0 or (abs(math.cos(t1)) < 1e-15 and math.sin(t1) < 0):
        t1, t2 = float(wrap_angle(t1 + math.pi)), float(wrap_angle(t2 + math.pi))
    if math.sin(t1) < 0:
        t1, t2 = -t1, -t2
    mags = (_classify(t1, tol), _classify(t2, tol))
    alignment = mags[0] if mags[0] == mags[1] and mags[0] != "canted" else "canted"
    return GroundState(t1, t2, float(stack.energy(t1, t2)), mags, alignment, math.cos(t1 - t2) > 0)


# ------------------------------------------------------- collinear stability
def collinear_stability_limits(stack, orientation=(1, 1)):
    """Field range (field along ``z``) in which a collinear state is a local minimum.

    For ``field_angle = 0`` the states with ``theta_i`` in ``{0, pi}`` are
    stationary for all ``H`` (for the couplings of this module; a tabulated
    coupling must be even in ``Jx``).  Their Hessian is
    ``A + H diag(Ms1 cos t1, Ms2 cos t2)`` and the state is stable where it is
    positive semidefinite -- an interval, since the smallest eigenvalue is
    concave in ``H``.  Its ends are the switching fields of the state.

    Parameters
    ----------
    stack : FSFStack
        The stack.
    orientation : (int, int)
        ``+1`` (along ``+z``, ``theta = 0``) or ``-1`` (``theta = pi``) for each magnet.

    Returns
    -------
    (float or None, float or None) or None
        ``(H_low, H_high)``, with ``None`` for an end that is unbounded; ``None`` if the state is
        never stable.  E.g. for one macrospin along ``+z``: ``(-2K/Ms, None)``; for two identical
        magnets with the paper's coupling: ``H_low Ms = -2 (K - chi_s J^2)``.

    Raises
    ------
    TypeError
        ``stack`` not an :class:`FSFStack`, or an ``orientation`` that is not two integers.
    ValueError
        Entries of ``orientation`` other than +1 and -1, or a coupling for which the collinear
        state is not stationary.

    Examples
    --------
    One macrospin along ``+z`` survives fields down to ``H = -2K/Ms``:

    >>> lo, hi = collinear_stability_limits(FSFStack.single(1.5, 1.0), (1, 1))
    >>> round(float(lo), 12), hi
    (-3.0, None)
    """
    check_instance(stack, "stack", FSFStack)
    orientation = check_sequence(orientation, "orientation", length=2,
                                 item=lambda o, name: check_int(o, name, minimum=-1, maximum=1))
    if 0 in orientation:
        raise ValueError(f"orientation must be two entries of +1/-1, got {orientation!r}")
    t = [0.0 if o == 1 else math.pi for o in orientation]
    g = stack.gradient(t[0], t[1], 1.0, 0.0)
    scale = stack.energy_scale(1.0)
    if np.max(np.abs(g)) > 1e-7 * scale:
        raise ValueError(f"the collinear state {orientation} is not stationary for this coupling (gradient {g})")
    A = stack.hessian(t[0], t[1], 0.0, 0.0)
    B = np.diag([stack.Ms1 * orientation[0], stack.Ms2 * orientation[1]])
    tol = 1e-10 * scale
    active = [i for i in range(2) if abs(B[i, i]) > 0 or np.any(np.abs(A[i]) > tol)]
    if not active:
        return (None, None)
    A = A[np.ix_(active, active)]
    B = B[np.ix_(active, active)]
    if len(active) == 1:
        roots = [] if B[0, 0] == 0 else [-A[0, 0] / B[0, 0]]
    else:
        poly = [B[0, 0] * B[1, 1], A[0, 0] * B[1, 1] + A[1, 1] * B[0, 0], A[0, 0] * A[1, 1] - A[0, 1] ** 2]
        while poly and abs(poly[0]) <= 1e-14 * max(abs(p) for p in poly):
            poly = poly[1:]
        roots = [] if len(poly) < 2 else [float(r.real) for r in np.roots(poly) if abs(r.imag) <= 1e-12 * (1 + abs(r))]
    roots = sorted(roots)
    edges = [-math.inf] + roots + [math.inf]

    def stable(H):
        return np.linalg.eigvalsh(A + H * B)[0] > tol

    for lo, hi in zip(edges[:-1], edges[1:]):
        if math.isinf(lo) and math.isinf(hi):
            probe = 0.0
        elif math.isinf(lo):
            probe = hi - 1.0 - abs(hi)
        elif math.isinf(hi):
            probe = lo + 1.0 + abs(lo)
        else:
            probe = 0.5 * (lo + hi)
        if stable(probe):
            return (None if math.isinf(lo) else lo, None if math.isinf(hi) else hi)
    return None


def _collinear_det(K1, K2, J, F_u, F_s, state):
    """``A1 A2 - B^2`` where ``A1 > 0``, else ``-(|A1 A2 - B^2| + A1^2)`` (negative, continuous at ``A1 = 0``),
    from the derivatives of ``F(u, s)`` at ``u = 4 J^2``."""
    J2 = J * J
    if state == "out-of-plane":
        A1 = K1 - F_u * J2 + 0.25 * F_s
        A2 = K2 - F_u * J2 + 0.25 * F_s
        B = F_u * J2 + 0.25 * F_s
    else:
        A1 = -K1 - F_u * J2 - 0.25 * F_s
        A2 = -K2 - F_u * J2 - 0.25 * F_s
        B = F_u * J2 - 0.25 * F_s
    with np.errstate(over="ignore", invalid="ignore"):
        det = A1 * A2 - B * B
        out = np.where(A1 > 0, det, -(np.abs(det) + A1 * A1))
    if not np.all(np.isfinite(out)):
        raise ValueError("the collinear determinant is beyond double precision: K1, K2, J or the "
                         "susceptibilities chi_par, chi_perp (F_u, F_s) are far too large for their units")
    return float(out) if np.ndim(out) == 0 else out


def collinear_determinant(K1, K2, J, chi_par, chi_perp=0.0, state="out-of-plane"):
    """Local stability of a parallel collinear state at zero field, quadratic coupling.

    Write the superconductor's energy as ``F(u, s)`` with ``u = |J_tot|^2`` and
    ``s = sin^2 alpha``.  Around the parallel out-of-plane state (``theta_i =
    delta_i``) one has ``u = 4 J^2 - J^2 (delta1 - delta2)^2`` and ``s = (delta1 +
    delta2)^2 / 4``, so the energy is ``sum_i A_i delta_i^2 + 2 B delta1 delta2``
    with ``A_i = K_i - F_u J^2 + F_s/4`` and ``B = F_u J^2 + F_s/4``; around the
    in-plane state (``theta_i = pi/2 + delta_i``, ``s = 1 - (delta1 + delta2)^2/4``)
    ``A_i = -K_i - F_u J^2 - F_s/4`` and ``B = F_u J^2 - F_s/4``.  The state is a
    local minimum where ``A1 > 0`` and ``A1 A2 - B^2 > 0``.  For the quadratic
    form ``F = -u (chi_par s + chi_perp (1 - s)) / 2``: ``F_s = -2 J^2 (chi_par -
    chi_perp)`` and ``F_u = -chi_perp/2`` (out of plane) or ``-chi_par/2`` (in plane).
    For identical magnets the out-of-plane state is stable for ``K > (chi_par -
    chi_perp) J^2`` (``K > chi_s J^2`` with the paper's coupling, ``chi_perp = 0``).

    Parameters
    ----------
    K1, K2 : array_like
        Anisotropies (meV per Nb site).
    J : array_like
        Exchange field of one magnet (meV).
    chi_par, chi_perp : array_like
        Susceptibilities (1/meV per Nb site); ``chi_perp = 0`` is Eq. (13).
    state : {"out-of-plane", "in-plane"}
        The parallel collinear state whose stability is decided.

    Returns
    -------
    ndarray or float
        ``A1 A2 - B^2`` (meV^2 per Nb site^2) where ``A1 > 0``; where ``A1 <= 0`` the negative
        ``-(|A1 A2 - B^2| + A1^2)``, continuous at ``A1 = 0``: positive means locally stable.

    Raises
    ------
    TypeError
        Non-real arguments or a non-string ``state``.
    ValueError
        Non-finite values, negative fields or susceptibilities, an unknown ``state``, or a
        determinant beyond double precision.

    Examples
    --------
    Identical magnets with the complete coupling: the out-of-plane state is stable
    for ``K > (chi_par - chi_perp) J^2`` (here 1.5):

    >>> [collinear_determinant(K, K, 1.0, 2.0, 0.5) > 0 for K in (1.49, 1.51)]
    [False, True]
    """
    check_choice(state, "state", COLLINEAR_STATES)
    K1, K2 = check_array(K1, "K1"), check_array(K2, "K2")
    J = check_array(J, "J", nonneg=True)
    cp = check_array(chi_par, "chi_par", nonneg=True)
    cz = check_array(chi_perp, "chi_perp", nonneg=True)
    F_s = -2.0 * J**2 * (cp - cz)
    F_u = -0.5 * (cz if state == "out-of-plane" else cp)
    return _collinear_det(K1, K2, J, F_u, F_s, state)

