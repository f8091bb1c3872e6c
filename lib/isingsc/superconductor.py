"""Self-consistent Ising superconductor in an exchange field (Sec. III, App. B-C).

:class:`IsingSuperconductor` couples the tight-binding bands of
:mod:`isingsc.model` to s-wave pairing and a uniform exchange field ``J`` at
polar angle ``theta``.  All energies are in meV with k_B = 1; free energies and
susceptibilities are *per lattice site* (Brillouin-zone averages).

The coupling ``g`` is fixed by the zero-temperature, zero-field gap ``delta0``.
The gap at any ``(T, J, theta)`` is the *global* minimiser of the free energy
over ``delta >= 0``, so first-order transitions are obtained correctly.

Momentum integrals use the Fermi-surface adapted quadrature of
:mod:`isingsc.quadrature`, with its energy resolution chosen automatically from
``delta0``, ``T`` and ``J``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import optimize

from . import bdg
from .errors import ConvergenceError
from .model import TriangularTMD
from .quadrature import BZQuadrature, fermi_surface_density, fermi_surface_quadrature, graded_breakpoints

__all__ = [
    "KELVIN",
    "DELTA0_PAPER",
    "Resolution",
    "IsingSuperconductor",
    "ConvergenceError",
    "BCS_RATIO",
]

KELVIN = 0.08617333262  # meV per kelvin (k_B = 1 units)
TC0_PAPER_K = 3.0  # K, App. B
DELTA0_PAPER = 1.8 * TC0_PAPER_K * KELVIN  # meV, App. B: Delta0 = 1.8 Tc0 with Tc0 = 3 K
BCS_RATIO = math.pi * math.exp(-np.euler_gamma)  # Delta0/Tc0 = 1.764 in weak coupling


@dataclass(frozen=True)
class Resolution:
    """Numerical resolution of the Brillouin-zone quadrature.

    Attributes
    ----------
    n_phi : int
        Gauss-Legendre angles per wedge triangle.
    n_gauss : int
        Gauss-Legendre nodes per radial panel.
    grading : float
        Geometric growth of radial panels away from a Fermi-surface crossing.
    scale_factor : float
        First-panel width relative to the automatic energy scale
        ``min(delta0, pi T, J)``; smaller is finer.
    """

    n_phi: int = 12
    n_gauss: int = 6
    grading: float = 3.0
    scale_factor: float = 1.0

    def refined(self, factor=2):
        """A finer resolution (for convergence checks)."""
        return Resolution(self.n_phi * factor, self.n_gauss + 2 * (factor - 1), self.grading,
                          self.scale_factor / factor)


def _check_T(T):
    T = float(T)
    if not np.isfinite(T) or T < 0:
        raise ValueError(f"temperature must be a finite number >= 0 (meV), got {T!r}")
    return T


def _check_J(J):
    J = float(J)
    if not np.isfinite(J) or J < 0:
        raise ValueError(f"exchange field J must be a finite number >= 0 (meV), got {J!r}")
    return J


def _check_angle(theta, name="theta"):
    theta = float(theta)
    if not np.isfinite(theta):
        raise ValueError(f"{name} must be finite (rad), got {theta!r}")
    return theta


def _phi(E, T):
    """(T/2) ln(2 cosh(E/2T)); |E|/4 at T = 0."""
    aE = np.abs(E)
    if T == 0.0:
        return 0.25 * aE
    return 0.25 * aE + 0.5 * T * np.log1p(np.exp(-aE / T))


def _dphi(E, T):
    """d phi/dE = tanh(E/2T)/4."""
    if T == 0.0:
        return 0.25 * np.sign(E)
    return 0.25 * np.tanh(E / (2 * T))


def _energy_nodes(levels, eta, window, n_gauss=10, grading=2.0):
    """Gauss-Legendre nodes on [-window, window], graded towards each level (meV)."""
    lev = np.unique(np.clip(np.asarray(levels, float), -window, window))
    b = graded_breakpoints(lev, eta, -window, window, grading)
    x, w = np.polynomial.legendre.leggauss(n_gauss)
    lo, hi = b[:-1, None], b[1:, None]
    eps = (0.5 * (hi + lo) + 0.5 * (hi - lo) * x[None, :]).ravel()
    wts = (0.5 * (hi - lo) * w[None, :]).ravel()
    return eps, wts


class _SeparablePath:
    """Integrals of band-separable integrands, sum_k [g(xi_up) + g(xi_down)] = 2 int N(eps) g(eps).

    Valid for J = 0 or an out-of-plane field, where the BdG problem splits
    into Zeeman-shifted 2x2 blocks of one band each.  Inside |eps| < window,
    N(eps) is a Chebyshev interpolant of contour-integral densities of states
    and the energy integral uses graded Gauss-Legendre panels; outside, the
    integrand reduces (exponentially accurately) to a Delta-only tail that is
    summed with band moments int N |eps|^-n.
    """

    def __init__(self, model, delta0, window, n_cheb=64, n_phi=32):
        from .quadrature import band_moments

        self.delta0 = delta0
        self.window = window
        k = np.arange(n_cheb)
        x = np.cos(np.pi * (k + 0.5) / n_cheb)
        dos = fermi_surface_density(model, window * x, n_phi)
        self.cheb = np.polynomial.chebyshev.chebfit(x, dos, n_cheb - 1)
        tail = np.max(np.abs(self.cheb[-6:])) / np.abs(self.cheb[0])
        if tail > 1e-9:
            raise ConvergenceError(
                f"density of states not smooth on |eps| < {window:g} meV (Chebyshev tail {tail:.1e}); "
                "a van Hove singularity is too close to the Fermi level for the separable path"
            )
        self.moments = band_moments(model, window, powers=(3, 5, 7))

    def dos(self, eps):
        return np.polynomial.chebyshev.chebval(eps / self.window, self.cheb)

    def _nodes(self, levels, eta):
        eps, w = _energy_nodes(levels, eta, self.window)
        return eps, w * 2.0 * self.dos(eps)

    def _field_nodes(self, delta, J, eta):
        """Energy nodes graded towards the Fermi level, the Zeeman levels +-J and, in a
        gapless (J > delta) state, the zero-energy crossings +-sqrt(J^2 - delta^2)."""
        lv = [0.0, J, -J]
        if J > delta:
            z = math.sqrt(J * J - delta * delta)
            lv += [z, -z]
        return self._nodes(lv, eta)

    def free_energy(self, delta, T, J, eta):
        d0 = self.delta0
        eps, w = self._field_nodes(delta, J, eta)
        E = np.sqrt(eps * eps + delta * delta)
        h = delta * delta * 0.25 / np.sqrt(eps * eps + d0 * d0)
        h = h - _phi(E + J, T) - _phi(E - J, T) + 2.0 * _phi(eps, T)
        M = self.moments
        d2, z2 = delta * delta, d0 * d0
        far = ((d2 * d2 / 16 - d2 * z2 / 8) * M[3] + (-d2 ** 3 / 32 + 3 * d2 * z2 * z2 / 32) * M[5]
               + (5 * d2 ** 4 / 256 - 5 * d2 * z2 ** 3 / 64) * M[7])
        return float(w @ h + 2.0 * far)

    def free_energy_derivative(self, delta, T, J, eta):
        d0 = self.delta0
        eps, w = self._field_nodes(delta, J, eta)
        E = np.sqrt(eps * eps + delta * delta)
        dh = 2 * delta * 0.25 / np.sqrt(eps * eps + d0 * d0) - (delta / E) * (_dphi(E + J, T) + _dphi(E - J, T))
        M = self.moments
        d2, z2 = delta * delta, d0 * d0
        dfar = 2 * delta * ((d2 / 8 - z2 / 8) * M[3] + (-3 * d2 * d2 / 32 + 3 * z2 * z2 / 32) * M[5]
                            + (20 * d2 ** 3 / 256 - 5 * z2 ** 3 / 64) * M[7])
        return float(w @ dh + 2.0 * dfar)

    def pair_curvature(self, T, J, eta):
        d0 = self.delta0
        eps, w = self._nodes([0.0, J, -J], eta)
        with np.errstate(divide="ignore", invalid="ignore"):
            g = 0.25 / np.sqrt(eps * eps + d0 * d0) - 0.5 * (_dphi(eps + J, T) + _dphi(eps - J, T)) / eps
        M = self.moments
        z2 = d0 * d0
        far = -z2 / 8 * M[3] + 3 * z2 * z2 / 32 * M[5] - 5 * z2 ** 3 / 64 * M[7]
        return float(w @ g + 2.0 * far)

    def out_of_plane_susceptibility(self, delta, T, eta):
        if T == 0.0:
            return 0.0 if delta > 0 else 2.0 * float(self.dos(0.0))
        eps, w = self._nodes([0.0], eta)
        E = np.sqrt(eps * eps + delta * delta)
        x = np.abs(E) / (2 * T)
        e = np.exp(-2 * x)
        return float(w @ (0.25 / T * 4 * e / (1 + e) ** 2))


class IsingSuperconductor:
    """Monolayer Ising superconductor with s-wave pairing and an exchange field.

    Parameters
    ----------
    model : TriangularTMD
        Normal-state bands, e.g. ``isingsc.NbSe2()``.
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
    field ``J`` is ``-chi J^2/2``.  Two integration paths are used and tested
    against each other: for ``J = 0`` or an out-of-plane field the BdG problem
    separates into single-band blocks and every integral is a one-dimensional
    energy integral over the density of states; otherwise the
    Fermi-surface adapted Brillouin-zone quadrature of
    :mod:`isingsc.quadrature` is used.
    """

    def __init__(self, model: TriangularTMD, delta0: float = DELTA0_PAPER, *, resolution: Resolution | None = None):
        if not isinstance(model, TriangularTMD):
            raise ValueError(f"model must be a TriangularTMD (e.g. isingsc.NbSe2()), got {type(model).__name__}")
        delta0 = float(delta0)
        if not np.isfinite(delta0) or delta0 <= 0:
            raise ValueError(f"delta0 must be a positive gap in meV, got {delta0!r}")
        if delta0 < 1e-4:
            raise ValueError(
                f"delta0 = {delta0:g} meV is below 1e-4 meV: the condensation energy (~N(0) delta0^2) "
                "would be lost in double-precision rounding of band energies of hundreds of meV"
            )
        if delta0 > 5.0:
            raise ValueError(f"delta0 = {delta0:g} meV is not small against the band width; this weak-coupling "
                             "engine (no retardation cutoff) is meant for delta0 <= 5 meV")
        self.model = model
        self.delta0 = delta0
        self.resolution = resolution or Resolution()
        self._cache = {}

    def __repr__(self):
        return (f"IsingSuperconductor({self.model.name}, delta0={self.delta0:.4g} meV, "
                f"lambda_soc={self.model.lambda_soc:.4g} meV)")

    def __reduce__(self):
        return (_rebuild, (self.model, self.delta0, self.resolution))

    # ------------------------------------------------------------ quadrature
    def energy_scale(self, T=0.0, J=0.0):
        """Energy resolution (meV) used for the quadrature at ``(T, J)``.

        ``min(delta0, pi T, J)`` (ignoring zeros), never below ``1e-3 delta0``,
        rounded down to ``delta0 / 2^n`` (so that nearby temperatures and fields
        share one cached quadrature) and multiplied by ``resolution.scale_factor``.
        """
        candidates = [self.delta0]
        if T > 0:
            candidates.append(math.pi * T)
        if J > 0:
            candidates.append(J)
        scale = max(min(candidates), 1e-3 * self.delta0)
        # round down to delta0 / 2^n so that nearby (T, J) share one cached quadrature
        scale = self.delta0 * 2.0 ** math.floor(math.log2(scale / self.delta0) + 1e-9)
        return scale * self.resolution.scale_factor

    def quadrature(self, T=0.0, J=0.0, theta=0.0, delta=None) -> BZQuadrature:
        """The two-dimensional Brillouin-zone quadrature used at ``(T, J, theta)``.

        Panels are graded towards the Fermi surfaces and the Zeeman levels
        ``xi = +-J, +-J_z, +-J_x`` (where the normal-state bands cross zero).
        If ``delta`` is given and smaller than a field component, the levels
        ``+-sqrt(J_c^2 - delta^2)`` where gapless quasiparticle branches cross
        zero are added too (they are kinks of the integrand at ``T = 0``).
        """
        eta = self.energy_scale(T, J)
        jz, jx = abs(J * math.cos(theta)), abs(J * math.sin(theta))
        levels = {0.0, J, -J, jz, -jz, jx, -jx}
        if delta is not None:
            for jc in (J, jz, jx):
                if jc > delta:
                    z = math.sqrt(jc * jc - delta * delta)
                    levels |= {z, -z}
        levels = tuple(sorted(levels))
        edge = eta if jx == 0 else min(eta, jx)
        r = self.resolution
        return fermi_surface_quadrature(
            self.model, eta, levels, n_phi=r.n_phi, n_gauss=r.n_gauss, grading=r.grading, edge_scale=edge
        )

    @cached_property
    def _separable(self):
        window = max(25.0, 12.0 * self.delta0)
        return _SeparablePath(self.model, self.delta0, window)

    def _is_separable(self, J, theta):
        return J == 0.0 or abs(math.sin(theta)) < 1e-14

    def _evaluator(self, T, J, theta):
        """(f(delta), df/ddelta(delta), alpha) for the fastest exact path at (T, J, theta)."""
        eta = 0.25 * self.energy_scale(T, J)
        if self._is_separable(J, theta):
            sp = self._separable
            return (lambda d: sp.free_energy(d, T, J, eta),
                    lambda d: sp.free_energy_derivative(d, T, J, eta),
                    lambda: sp.pair_curvature(T, J, eta))
        q = self.quadrature(T, J, theta)
        return (lambda d: self._free_energy_2d(q, d, T, J, theta),
                lambda d: self._free_energy_derivative_2d(q, d, T, J, theta),
                lambda: self._pair_curvature_2d(q, T, J, theta))

    def _final_free_energy(self, delta, T, J, theta, value):
        """Free energy at the chosen gap, re-evaluated where the fixed quadrature may miss kinks.

        At (near) zero temperature a gapless state (a field component above
        Delta) has quasiparticle branches crossing zero at Delta-dependent
        energies; the minimisation runs on the fixed quadrature (errors there
        are ~1e-4 relative), and the final value is computed on a quadrature
        with panel breaks at those crossings.
        """
        if self._is_separable(J, theta) or T >= 0.05 * self.energy_scale(T, J) or J <= delta:
            return value
        return self._free_energy_2d(self.quadrature(T, J, theta, delta), delta, T, J, theta)

    # ------------------------------------------------------------ normal state
    @cached_property
    def density_of_states_fermi(self):
        """N(0): density of states per spin per site at the Fermi level (1/meV)."""
        return fermi_surface_density(self.model, 0.0, n_phi=4 * self.resolution.n_phi)

    @property
    def pauli_susceptibility(self):
        """chi_P = 2 N(0) (1/meV per site), the Pauli susceptibility."""
        return 2.0 * self.density_of_states_fermi

    def normal_susceptibility(self, theta=np.pi / 2, T=0.0):
        """Normal-state spin susceptibility ``chi_n(theta)`` per site (1/meV).

        ``chi_n(theta) = chi_P cos^2(theta) + chi_n^soc sin^2(theta)`` (text
        after Eq. (8)); at ``T = 0`` the out-of-plane part is exactly ``chi_P``.
        """
        theta = _check_angle(theta)
        T = _check_T(T)
        return self._susceptibility(0.0, T, theta)

    def _susceptibility(self, delta, T, theta):
        c2, s2 = math.cos(theta) ** 2, math.sin(theta) ** 2
        c2 = 0.0 if c2 < 1e-28 else c2  # theta = pi/2 in floating point
        s2 = 0.0 if s2 < 1e-28 else s2
        out = 0.0
        if c2 > 0:
            out += c2 * self._separable.out_of_plane_susceptibility(delta, T, 0.25 * self.energy_scale(T))
        if s2 > 0:
            q = self.quadrature(T, 0.0, np.pi / 2)
            out += s2 * float(q.average(bdg.spin_susceptibility_density(q.xi_up, q.xi_down, delta, T, "in-plane")))
        return out

    # ------------------------------------------------------------ 2D integrands
    @cached_property
    def inverse_coupling(self):
        """1/g (1/meV per site) from the gap equation at ``T = 0, J = 0``."""
        q = self.quadrature(0.0)
        return float(q.average(bdg.pair_kernel(q.xi_up, q.xi_down, self.delta0)))

    def _free_energy_2d(self, q, delta, T, J, theta):
        a, b = q.xi_up, q.xi_down
        G = (delta * delta) * bdg.pair_kernel(a, b, self.delta0)
        G = G + bdg.free_energy_density(a, b, delta, J, theta, T) - bdg.free_energy_density(a, b, 0.0, 0.0, 0.0, T)
        return float(q.average(G))

    def _free_energy_derivative_2d(self, q, delta, T, J, theta):
        a, b = q.xi_up, q.xi_down
        h = 1e-4 * self.delta0
        dF = (bdg.free_energy_density(a, b, delta + h, J, theta, T)
              - bdg.free_energy_density(a, b, abs(delta - h), J, theta, T)) / (2 * h)
        return float(q.average(2 * delta * bdg.pair_kernel(a, b, self.delta0) + dF))

    def _pair_curvature_2d(self, q, T, J, theta):
        a, b = q.xi_up, q.xi_down
        # (f(h) - f(0))/h^2 = alpha + beta h^2 + O(h^4); Richardson removes beta.  h is large enough that
        # rounding of band energies of hundreds of meV stays below 1e-8 of the result.
        h = 2e-2 * self.delta0
        f0 = bdg.free_energy_density(a, b, 0.0, J, theta, T)
        kern = bdg.pair_kernel(a, b, self.delta0)
        c1 = q.average(kern + (bdg.free_energy_density(a, b, h, J, theta, T) - f0) / h ** 2)
        c2 = q.average(kern + (bdg.free_energy_density(a, b, 2 * h, J, theta, T) - f0) / (2 * h) ** 2)
        return float((4 * c1 - c2) / 3)

    # ------------------------------------------------------------ public energetics
    def free_energy_landscape(self, delta, T, J=0.0, theta=0.0):
        """f(delta) - f_n(J=0) per site (meV) for trial gaps ``delta`` (meV), not minimised."""
        T, J, theta = _check_T(T), _check_J(J), _check_angle(theta)
        d = np.asarray(delta, float)
        if np.any(~np.isfinite(d)) or np.any(d < 0):
            raise ValueError("trial gaps must be finite and >= 0 meV")
        f, _, _ = self._evaluator(T, J, theta)
        out = np.array([f(x) for x in d.ravel()])
        return out.reshape(d.shape) if d.ndim else float(out[0])

    def pair_curvature(self, T, J=0.0, theta=0.0):
        """alpha = lim (f(Delta) - f(0))/Delta^2 (1/meV per site); < 0 means the normal state is unstable."""
        T, J, theta = _check_T(T), _check_J(J), _check_angle(theta)
        if T == 0 and J == 0:
            raise ValueError("the pair curvature diverges (log) at T = 0, J = 0")
        return self._evaluator(T, J, theta)[2]()

    def gap(self, T, J=0.0, theta=0.0):
        """Self-consistent gap Delta(T, J, theta) (meV): global minimiser of f over Delta >= 0."""
        return self._solve(_check_T(T), _check_J(J), _check_angle(theta))[0]

    def free_energy(self, T, J=0.0, theta=0.0, phi=0.0):
        """f_s(J) - f_n(J = 0) per site (meV) at the self-consistent gap, Eq. (6).

        ``phi`` (azimuth of the field, rad) is accepted for completeness: the
        result does not depend on it (H_0 conserves S_z and singlet pairing is
        invariant under spin rotations about z).  Where the gap vanishes the
        result is the paramagnetic energy ``f_n(J) - f_n(0)``.
        """
        _check_angle(phi, "phi")
        return self._solve(_check_T(T), _check_J(J), _check_angle(theta))[1]

    _GRID = np.array([0.0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.75, 0.85, 0.95, 1.05, 1.2, 1.5])

    def _solve(self, T, J, theta):
        theta = math.atan2(abs(math.sin(theta)), abs(math.cos(theta)))  # f depends on cos^2 theta only
        key = ("solve", T, J, round(theta, 14))
        if key in self._cache:
            return self._cache[key]
        f, df, alpha_fn = self._evaluator(T, J, theta)
        f0 = f(0.0)
        if J == 0.0:
            result = self._solve_bcs(T, f, df, alpha_fn, f0)
        else:
            d, fd = self._solve_global(T, J, theta, f, df, alpha_fn, f0)
            result = (d, self._final_free_energy(d, T, J, theta, fd))
        self._cache[key] = result
        return result

    def _solve_bcs(self, T, f, df, alpha_fn, f0):
        """J = 0: the gap equation has at most one non-trivial root, the global minimum."""
        if T == 0.0:
            return self.delta0, f(self.delta0)
        if alpha_fn() >= 0:
            return 0.0, f0
        g = lambda d: df(d) / d  # noqa: E731  (gap equation divided by delta)
        hi = 1.5 * self.delta0
        lo = 1e-9 * self.delta0
        if not (g(lo) < 0 < g(hi)):
            raise ConvergenceError(f"BCS gap equation not bracketed at T = {T:g} meV")
        d = optimize.brentq(g, lo, hi, xtol=1e-13 * self.delta0, rtol=1e-13)
        return d, f(d)

    def _solve_global(self, T, J, theta, f, df, alpha_fn, f0):
        d0 = self.delta0
        grid = d0 * self._GRID
        fg = np.array([f0] + [f(x) for x in grid[1:]])
        if fg[-1] < fg[-2]:
            raise ConvergenceError(
                f"free energy still decreasing at Delta = 1.5 delta0 (T={T:g}, J={J:g}, theta={theta:g} meV/rad); "
                "the gap is not bracketed"
            )
        brackets = [(grid[i - 1], grid[i + 1]) for i in range(1, grid.size - 1)
                    if fg[i] <= fg[i - 1] and fg[i] <= fg[i + 1]]
        if alpha_fn() < 0:  # J > 0 here, so the normal-state curvature is finite
            brackets.append((0.0, grid[2]))
        best = (0.0, f0)
        for lo, hi in brackets:
            res = optimize.minimize_scalar(f, bounds=(lo, hi), method="bounded",
                                           options={"xatol": 1e-6 * d0, "maxiter": 500})
            if not res.success:
                raise ConvergenceError(f"gap minimisation failed in [{lo:g}, {hi:g}] meV: {res.message}")
            x = float(res.x)
            # polish on the gap equation df/dDelta = 0 (quadratic minimum -> linear root)
            w = max(2e-5 * d0, 1e-3 * x)
            a_, b_ = max(x - w, 1e-12 * d0), x + w
            try:
                if df(a_) < 0 < df(b_):
                    x = optimize.brentq(df, a_, b_, xtol=1e-12 * d0, rtol=1e-13)
            except ValueError:
                pass
            fx = f(x)
            if fx < best[1]:
                best = (x, fx)
        return best

    # ------------------------------------------------------------ susceptibility
    def spin_susceptibility(self, T, theta=np.pi / 2):
        """Spin susceptibility per site (1/meV) for a field at polar angle theta.

        ``chi(theta) = chi_par sin^2(theta) + chi_perp cos^2(theta)`` at the
        self-consistent zero-field gap ``Delta(T)``; ``theta = pi/2`` is the
        in-plane ``chi_s`` of the paper, ``theta = 0`` the out-of-plane one
        (the Yosida function for an Ising superconductor).  Eq. (C6).
        """
        T = _check_T(T)
        theta = _check_angle(theta)
        delta = self.delta0 if T == 0 else self.gap(T)
        return self._susceptibility(delta, T, theta)

    # ------------------------------------------------------------ critical temperature
    @cached_property
    def tc0(self):
        """Zero-field critical temperature Tc0 (meV) of the model."""
        a = lambda T: self._evaluator(T, 0.0, 0.0)[2]()  # noqa: E731
        return optimize.brentq(a, 0.3 * self.delta0, self.delta0, xtol=1e-13 * self.delta0, rtol=1e-13)

    def critical_temperature(self, J=0.0, theta=0.0):
        """Critical temperature Tc(J, theta) (meV), first- or second-order.

        The highest temperature at which the global minimum of the free energy
        has a non-zero gap.  Second-order transitions come from the pair
        curvature ``alpha(T) = 0``; a first-order transition (out-of-plane
        fields beyond the tricritical point) from ``min_Delta f = f(0)``.
        Returns 0.0 if superconductivity is destroyed down to ``T = 0``.
        """
        J, theta = _check_J(J), _check_angle(theta)
        tc0 = self.tc0
        if J == 0:
            return tc0
        key = ("tc", J, round(math.atan2(abs(math.sin(theta)), abs(math.cos(theta))), 14))
        if key in self._cache:
            return self._cache[key]
        alpha = lambda T: self._evaluator(T, J, theta)[2]()  # noqa: E731
        Ts = tc0 * np.linspace(1.0, 0.02, 50)
        t2 = 0.0
        prev = None
        for T in Ts:
            a = alpha(T)
            if a < 0:
                if prev is None:
                    raise ConvergenceError(f"normal state unstable at T = Tc0 for J = {J:g} meV")
                t2 = optimize.brentq(alpha, T, prev, xtol=1e-10 * tc0, rtol=1e-12)
                break
            prev = T
        # first-order: a superconducting minimum below f(0) above the second-order line?
        grid = Ts[Ts > t2 * (1 + 1e-6)][::-1] if t2 > 0 else np.concatenate([[0.0], Ts[::-1]])
        cond = lambda T: self._condensation(T, J, theta)  # noqa: E731
        values = np.array([cond(T) for T in grid])
        negative = np.nonzero(values < 0)[0]
        if negative.size == 0:
            result = t2
        else:
            i = negative[-1]
            if i + 1 >= grid.size:
                raise ConvergenceError(f"first-order transition not bracketed below Tc0 for J = {J:g} meV")
            result = max(optimize.brentq(cond, grid[i], grid[i + 1], xtol=1e-9 * tc0), t2)
        self._cache[key] = result
        return result

    def _condensation(self, T, J, theta):
        """min over Delta >= 0.02 delta0 of f(Delta) - f(0) (meV per site): negative where superconducting."""
        f, _, _ = self._evaluator(T, J, theta)
        f0 = f(0.0)
        grid = self.delta0 * self._GRID[1:]
        fg = np.array([f(x) for x in grid])
        i = int(np.argmin(fg))
        lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
        res = optimize.minimize_scalar(f, bounds=(lo, hi), method="bounded", options={"xatol": 1e-8 * self.delta0})
        return float(min(res.fun, fg[i]) - f0)

    # ------------------------------------------------------------ sweeps
    def sweep(self, method, *args, executor=None):
        """Evaluate ``getattr(self, method)`` over broadcast argument arrays.

        Parameters
        ----------
        method : str
            Name of a scalar method, e.g. ``"gap"``, ``"free_energy"``,
            ``"spin_susceptibility"``, ``"critical_temperature"``.
        *args : array_like
            Arguments, broadcast against each other.
        executor : concurrent.futures.Executor, optional
            Spread the points over e.g. a ``ProcessPoolExecutor`` or a
            ``dask.distributed`` client's ``get_executor()``; the superconductor
            is pickled to the workers.

        Returns
        -------
        ndarray
            Results with the broadcast shape.
        """
        if not callable(getattr(self, method, None)) or method.startswith("_"):
            raise ValueError(f"unknown method {method!r}")
        arrays = np.broadcast_arrays(*[np.asarray(a, float) for a in args])
        shape = arrays[0].shape if arrays else ()
        points = list(zip(*[a.ravel() for a in arrays]))
        if executor is None:
            out = [getattr(self, method)(*p) for p in points]
        else:
            out = list(executor.map(_call_method, [self] * len(points), [method] * len(points), points))
        return np.array(out, dtype=float).reshape(shape)


def _call_method(obj, method, args):
    return getattr(obj, method)(*args)


def _rebuild(model, delta0, resolution):
    return IsingSuperconductor(model, delta0, resolution=resolution)
