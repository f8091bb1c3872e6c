"""Single-band tight-binding model of an Ising transition-metal dichalcogenide.

This is the model of Sec. II and App. A of the paper: one Wannier orbital per
metal site on a triangular lattice with lattice constant ``a``, hoppings up to
the sixth neighbour shell, and a Kane-Mele-like spin-orbit coupling written as
a spin- and bond-dependent phase on every hopping.  Spin is conserved along
``z`` (the out-of-plane axis), so the Bloch Hamiltonian is diagonal in spin,
``H_0(k) = diag(xi_up(k), xi_down(k))``, Eqs. (A1)-(A2).

Units
-----
Energies are in meV, momenta in units of ``1/a`` (``a`` is the Nb-Nb distance)
and phases in radians.  Densities of states are *per spin per lattice site*
(states / meV / site), so that they integrate to one over the band.

Notes
-----
The sixth-neighbour term of Eqs. (A1)-(A2) as printed,
``cos(2 alpha - beta -/+ phi_5)``, is not a lattice vector of the triangular
lattice (it would be ``R = (a, -sqrt(3) a / 2)``) and breaks the threefold
rotation symmetry of the crystal.  The three sixth-neighbour vectors at distance
``sqrt(12) a`` are ``(0, 2 sqrt3)``, ``(3, sqrt3)`` and ``(3, -sqrt3)`` (times
``a``), i.e. the phases ``4 beta``, ``6 alpha + 2 beta`` and ``6 alpha - 2 beta``.
We use ``cos(6 alpha - 2 beta -/+ phi_5)``, which restores C3 (tested in
``tests/test_model.py``).  With ``t_5 = 2.5 meV`` the difference is small but
visible in the bands.

The parameters of monolayer NbSe2 (Table I), its lattice constant and their
sources are one material preset, :class:`isingsc.materials.nbse2.NbSe2`
(also ``isingsc.NbSe2``).
"""
from __future__ import annotations

from dataclasses import MISSING, dataclass, fields, replace

import numpy as np

from ._serialize import Serializable
from ._validation import check_array, check_choice, check_int, check_real, check_sequence

__all__ = [
    "TriangularTMD",
    "lattice_vectors",
    "reciprocal_vectors",
    "unit_cell_area",
    "brillouin_zone_area",
    "brillouin_zone_corners",
    "high_symmetry_points",
    "bz_path",
    "nearest_neighbour_phases",
    "spin_index",
]

SQRT3 = np.sqrt(3.0)

# Neighbour-shell geometry: each shell is a list of (n_alpha, n_beta, sign)
# such that the up-spin term is 2 t_j cos(n_alpha*alpha + n_beta*beta - sign*phi_j)
# with alpha = kx a / 2, beta = sqrt(3) ky a / 2.  The spin-down band has the
# opposite phase (time reversal).  Shell 0 carries its own special form
# 2 t0 [cos(2a - phi0) + 2 cos(b) cos(a + phi0)], which equals the three
# terms (2, 0, +1), (1, 1, -1), (1, -1, -1) below.
_SHELLS = (
    # shell 0: |R| = a
    ((2, 0, +1), (1, 1, -1), (1, -1, -1)),
    # shell 1: |R| = sqrt(3) a
    ((3, -1, +1), (0, 2, +1), (3, 1, -1)),
    # shell 2: |R| = 2 a
    ((2, 2, +1), (2, -2, +1), (4, 0, -1)),
    # shell 3: |R| = sqrt(7) a
    ((5, 1, +1), (4, -2, +1), (4, 2, -1), (1, -3, -1), (5, -1, -1), (1, 3, -1)),
    # shell 4: |R| = 3 a
    ((3, -3, +1), (3, 3, +1), (6, 0, -1)),
    # shell 5: |R| = sqrt(12) a  (paper prints 2a - b; see module notes)
    ((6, -2, +1), (0, 4, +1), (6, 2, -1)),
)


def _as_float_tuple(values, n, name, unit):
    arr = check_array(values, name, unit=unit).reshape(-1)
    if arr.size != n:
        raise ValueError(f"{name} must have {n} entries, got {arr.size}")
    return tuple(float(x) for x in arr)


@dataclass(frozen=True)
class TriangularTMD(Serializable):
    """Single-orbital triangular-lattice model with Ising spin-orbit coupling.

    Parameters
    ----------
    epsilon : float
        On-site energy (meV), measured from the Fermi level.
    t : tuple of float
        Six hopping amplitudes ``t_0 ... t_5`` to the first six neighbour shells (meV).
    phi : tuple of float
        Six spin-orbit phases ``phi_0 ... phi_5`` of those hoppings (rad).
    name : str
        Label used in plots and reprs.
    alpha_R : float
        Nearest-neighbour Rashba spin-orbit coupling (meV), default 0: the term
        ``g_R(k) . sigma`` with the in-plane vector
        ``g_R(k) = (2 alpha_R / 3) sum_{j=1..3} sin(k . a_j) (z x a_j)`` over the
        three nearest-neighbour vectors ``a_j`` (unit length, at 0, 120 and 240
        degrees), normalised so that ``g_R ~ alpha_R (z x k) a`` near Gamma, i.e.
        ``H_R = alpha_R (k_x sigma_y - k_y sigma_x)``.  It is odd in ``k``
        (time reversal) and C3 symmetric, breaks the horizontal mirror (a
        substrate, or two different magnets) and vanishes at ``K`` and ``M``.

    Notes
    -----
    The dispersions are Eqs. (A1)-(A2) of the paper; ``k`` is in units of
    ``1/a``.  The model is time-reversal symmetric,
    ``xi_down(k) = xi_up(-k)``, and has the C3 and mirror symmetries of the
    ``D_3h`` point group.  With ``alpha_R != 0`` spin is no longer conserved:
    :meth:`dispersion` then gives the diagonal of the Bloch Hamiltonian in the
    ``S_z`` basis (the Ising part), :meth:`bands` its eigenvalues (the helical
    bands ``E +- |G|`` with the spin-orbit vector ``G = (g_x, g_y, D)``) and
    :meth:`bloch_hamiltonian` the 2x2 matrix.

    Examples
    --------
    A nearest-neighbour model with an Ising phase: the spin splitting at ``K`` is ``2 lambda_soc``:

    >>> m = TriangularTMD(epsilon=-10.0, t=(20.0, 0, 0, 0, 0, 0), phi=(0.1, 0, 0, 0, 0, 0))
    >>> round(m.lambda_soc, 6), round(float(3 * np.sqrt(3) * 20.0 * np.sin(0.1)), 6)     # Eq. (A4)
    (10.374993, 10.374993)
    >>> up, down = m.dispersion(*high_symmetry_points()["K"])
    >>> round(abs(float(up - down)) / m.lambda_soc, 12)
    2.0
    """

    epsilon: float
    t: tuple
    phi: tuple
    name: str = "TMD"
    alpha_R: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "epsilon", check_real(self.epsilon, "epsilon", unit="meV"))
        object.__setattr__(self, "alpha_R", check_real(self.alpha_R, "alpha_R", unit="meV"))
        object.__setattr__(self, "t", _as_float_tuple(self.t, 6, "t", "meV"))
        object.__setattr__(self, "phi", _as_float_tuple(self.phi, 6, "phi", "rad"))
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a str, got {type(self.name).__name__}")

    def __repr__(self):
        """The class and the parameters that differ from its defaults (full precision, so ``eval`` rebuilds it)."""
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.default is MISSING or value != f.default:
                parts.append(f"{f.name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def with_epsilon(self, value):
        """Copy of the model with another on-site energy (filling).

        Parameters
        ----------
        value : float
            On-site energy ``epsilon`` (meV), measured from the Fermi level.

        Returns
        -------
        TriangularTMD
            New model of the same class; only ``epsilon`` differs.

        Raises
        ------
        TypeError
            ``value`` is not a real number.
        ValueError
            ``value`` is not finite.

        Examples
        --------
        >>> from isingsc import NbSe2
        >>> NbSe2().with_epsilon(-40.0)
        NbSe2(epsilon=-40.0)
        >>> NbSe2().with_epsilon(-40.0) == NbSe2(epsilon=-40.0)
        True
        """
        return replace(self, epsilon=check_real(value, "value", unit="meV"))

    # ------------------------------------------------------------------ bands
    def dispersion(self, kx, ky):
        """Spin-resolved band energies, equations (A1)-(A2) of the paper.

        Parameters
        ----------
        kx, ky : array_like
            Momenta in units of ``1/a``; broadcast against each other.

        Returns
        -------
        xi_up, xi_down : ndarray
            Band energies (meV) of the spin-up and spin-down (along z) bands,
            measured from the Fermi level.  With Rashba coupling (``alpha_R != 0``)
            these are the diagonal elements of the Bloch Hamiltonian; its
            eigenvalues are :meth:`bands`.

        Raises
        ------
        TypeError
            Non-real momenta.
        ValueError
            Non-finite momenta, or ``kx`` and ``ky`` that do not broadcast.

        Examples
        --------
        >>> from isingsc import NbSe2
        >>> up, down = NbSe2().dispersion([0.0, 4 * np.pi / 3], 0.0)          # Gamma and K
        >>> up.round(3).tolist(), down.round(3).tolist()
        ([464.938, 406.618], [464.938, 560.944])
        """
        kx, ky = _check_momenta(kx, ky)
        alpha = 0.5 * kx
        beta = 0.5 * SQRT3 * ky
        up = np.full(np.broadcast(alpha, beta).shape, self.epsilon)
        down = up.copy()
        for tj, phij, shell in zip(self.t, self.phi, _SHELLS):
            if tj == 0.0:
                continue
            for na, nb, sign in shell:
                arg = na * alpha + nb * beta
                up += 2.0 * tj * np.cos(arg - sign * phij)
                down += 2.0 * tj * np.cos(arg + sign * phij)
        return up, down

    def spin_splitting(self, kx, ky):
        """Spin-orbit splitting ``Delta_soc(k) = xi_up - xi_down`` (meV).

        Uses the closed form of Eq. (A3),
        ``8 t_0 sin(phi_0) (cos(alpha) - cos(beta)) sin(alpha)``, valid when
        only the first-neighbour phase ``phi_0`` is non-zero (otherwise the
        band difference is returned).

        Parameters
        ----------
        kx, ky : array_like
            Momenta (1/a), broadcast against each other.

        Returns
        -------
        ndarray
            ``xi_up - xi_down`` (meV); ``-2 lambda_soc`` or ``2 lambda_soc`` at K.

        Raises
        ------
        TypeError
            Non-real momenta.
        ValueError
            Non-finite momenta, or ``kx`` and ``ky`` that do not broadcast.

        Examples
        --------
        >>> from isingsc import NbSe2
        >>> m = NbSe2()
        >>> round(float(m.spin_splitting(4 * np.pi / 3, 0.0)) / m.lambda_soc, 10)   # -2 lambda_soc at K
        -2.0
        """
        kx, ky = _check_momenta(kx, ky)
        if any(p != 0.0 for p in self.phi[1:]):
            up, down = self.dispersion(kx, ky)
            return up - down
        alpha = 0.5 * kx
        beta = 0.5 * SQRT3 * ky
        return 8.0 * self.t[0] * np.sin(self.phi[0]) * (np.cos(alpha) - np.cos(beta)) * np.sin(alpha)

    @property
    def lambda_soc(self):
        """Ising spin-orbit strength, half the spin splitting at K (meV), equation (A4) of the paper.

        Examples
        --------
        >>> from isingsc import NbSe2
        >>> round(NbSe2().lambda_soc, 3)                   # 3 sqrt(3) t_0 sin(phi_0) with Table I
        77.163
        """
        K = high_symmetry_points()["K"]
        up, down = self.dispersion(K[0], K[1])
        return 0.5 * abs(float(up - down))

    def with_lambda_soc(self, lambda_soc):
        """Copy of the model whose phase ``phi_0`` gives the Ising spin-orbit strength ``lambda_soc``.

        Parameters
        ----------
        lambda_soc : float
            Target spin-orbit strength (meV), ``0 <= lambda_soc <= 3 sqrt(3) |t_0|``.

        Returns
        -------
        TriangularTMD
            New model; only ``phi_0`` differs (Eq. (A4): ``lambda = 3 sqrt3 t_0 sin phi_0``).

        Raises
        ------
        TypeError
            ``lambda_soc`` not a real number.
        ValueError
            ``lambda_soc`` negative, not finite or above ``3 sqrt(3) |t_0|``; or a model with
            ``phi_1 ... phi_5 != 0``.

        Examples
        --------
        >>> from isingsc import NbSe2
        >>> m = NbSe2().with_lambda_soc(30.0)
        >>> round(m.lambda_soc, 10), m.t == NbSe2().t
        (30.0, True)
        """
        value = check_real(lambda_soc, "lambda_soc", unit="meV", nonneg=True)
        lam_max = 3.0 * SQRT3 * abs(self.t[0])
        if any(p != 0.0 for p in self.phi[1:]):
            raise ValueError("with_lambda_soc tunes phi_0 only and needs phi_1..phi_5 = 0")
        if value > lam_max:
            raise ValueError(
                f"lambda_soc = {value:g} meV is impossible: with t_0 = {self.t[0]:g} meV, "
                f"Eq. (A4) gives at most 3*sqrt(3)*|t_0| = {lam_max:.4g} meV"
            )
        if value == 0.0:
            return replace(self, phi=(0.0,) + tuple(self.phi[1:]))
        sign = -1.0 if np.sin(self.phi[0]) * self.t[0] < 0 else 1.0
        phi0 = sign * np.sign(self.t[0]) * np.arcsin(value / lam_max)
        return replace(self, phi=(float(phi0),) + tuple(self.phi[1:]))

    # ----------------------------------------------------------------- Rashba
    def rashba_vector(self, kx, ky):
        """In-plane Rashba vector ``(g_x, g_y)`` (meV) at momenta ``kx, ky`` (1/a); zero if ``alpha_R = 0``.

        ``g_R(k) = (2 alpha_R/3) sum_j sin(k . a_j) (z x a_j)`` with ``a_1 = (1, 0)``,
        ``a_2 = (-1/2, sqrt3/2)``, ``a_3 = (-1/2, -sqrt3/2)``.

        Parameters
        ----------
        kx, ky : array_like
            Momenta (1/a), broadcast against each other.

        Returns
        -------
        gx, gy : ndarray
            Components of ``g_R`` (meV), the broadcast shape.

        Raises
        ------
        TypeError
            Non-real momenta.
        ValueError
            Non-finite momenta, or ``kx`` and ``ky`` that do not broadcast.

        Examples
        --------
        >>> m = TriangularTMD(epsilon=0.0, t=(20.0, 0, 0, 0, 0, 0), phi=(0.0,) * 6, alpha_R=10.0)
        >>> gx, gy = m.rashba_vector(0.0, 1e-4)  # near Gamma: alpha_R (z x k)
        >>> bool(np.allclose([gx, gy], [-10.0 * 1e-4, 0.0], atol=1e-12))
        True
        """
        kx, ky = _check_momenta(kx, ky)
        c = 2.0 * self.alpha_R / 3.0
        s1 = np.sin(kx)
        s2 = np.sin(-0.5 * kx + 0.5 * SQRT3 * ky)
        s3 = np.sin(-0.5 * kx - 0.5 * SQRT3 * ky)
        # z x a_j = (-a_jy, a_jx)
        gx = c * (-0.5 * SQRT3 * s2 + 0.5 * SQRT3 * s3)
        gy = c * (s1 - 0.5 * s2 - 0.5 * s3)
        return gx, gy

    def bloch_hamiltonian(self, kx, ky):
        """The 2x2 Bloch Hamiltonian ``E + D sigma_z + g_x sigma_x + g_y sigma_y`` (meV), shape ``(..., 2, 2)``.

        Parameters
        ----------
        kx, ky : array_like
            Momenta (1/a), broadcast against each other.

        Returns
        -------
        ndarray
            Hermitian complex matrices (meV), shape ``broadcast(kx, ky).shape + (2, 2)``.

        Raises
        ------
        TypeError
            Non-real momenta.
        ValueError
            Non-finite momenta, or ``kx`` and ``ky`` that do not broadcast.

        Examples
        --------
        >>> from isingsc import NbSe2
        >>> H = NbSe2().with_alpha_R(5.0).bloch_hamiltonian(0.3, 0.4)
        >>> H.shape, bool(np.allclose(H, H.conj().T))
        ((2, 2), True)
        """
        up, dn = self.dispersion(kx, ky)
        gx, gy = self.rashba_vector(kx, ky)
        E, D = 0.5 * (up + dn), 0.5 * (up - dn)
        H = np.zeros(np.shape(E) + (2, 2), dtype=complex)
        H[..., 0, 0] = E + D
        H[..., 1, 1] = E - D
        H[..., 0, 1] = gx - 1j * gy
        H[..., 1, 0] = gx + 1j * gy
        return H

    def bands(self, kx, ky):
        """The two band energies (meV): ``(xi_up, xi_down)`` for ``alpha_R = 0``, else the helical bands.

        With Rashba coupling the eigenvalues of :meth:`bloch_hamiltonian`, ``(E + |G|, E - |G|)``.

        Parameters
        ----------
        kx, ky : array_like
            Momenta (1/a), broadcast against each other.

        Returns
        -------
        (ndarray, ndarray)
            The two bands (meV), the broadcast shape.

        Raises
        ------
        TypeError
            Non-real momenta.
        ValueError
            Non-finite momenta, or ``kx`` and ``ky`` that do not broadcast.

        Examples
        --------
        >>> from isingsc import NbSe2
        >>> m = NbSe2().with_alpha_R(5.0)
        >>> upper, lower = m.bands(0.3, 0.4)
        >>> bool(np.allclose(np.sort([upper, lower]), np.linalg.eigvalsh(m.bloch_hamiltonian(0.3, 0.4))))
        True
        """
        up, dn = self.dispersion(kx, ky)
        if self.alpha_R == 0.0:
            return up, dn
        gx, gy = self.rashba_vector(kx, ky)
        E, D = 0.5 * (up + dn), 0.5 * (up - dn)
        G = np.sqrt(D * D + gx * gx + gy * gy)
        return E + G, E - G

    def with_alpha_R(self, alpha_R):
        """Copy of the model with another Rashba coupling ``alpha_R`` (meV).

        Parameters
        ----------
        alpha_R : float
            Nearest-neighbour Rashba coupling (meV), any finite real number (its sign is a convention).

        Returns
        -------
        TriangularTMD
            Same bands, with the new ``alpha_R``.

        Raises
        ------
        TypeError
            ``alpha_R`` not a real number.
        ValueError
            ``alpha_R`` not finite.

        Examples
        --------
        >>> from isingsc import NbSe2
        >>> NbSe2().with_alpha_R(5.0).alpha_R
        5.0
        """
        return replace(self, alpha_R=check_real(alpha_R, "alpha_R", unit="meV"))

    # -------------------------------------------------------------- densities
    def density_of_states(self, energies, nk=600):
        """Density of states of one spin band, per spin per site (1/meV).

        Computed with the linear triangle (2D tetrahedron) method on an
        ``nk x nk`` grid of the reciprocal unit cell: the band is linearly
        interpolated on each triangle and the delta function integrated
        exactly, so the result integrates to exactly one state per spin per
        site.  The error is O(1/nk^2) away from van Hove singularities.

        Parameters
        ----------
        energies : array_like
            Energies (meV) measured from the Fermi level.
        nk : int
            Grid points per reciprocal-lattice direction (>= 8).

        Returns
        -------
        ndarray
            ``N(energy)`` for the spin-up band; by time reversal the spin-down
            band has the same density of states.

        Raises
        ------
        TypeError
            Non-real energies or a non-integer ``nk``.
        ValueError
            Non-finite energies, or ``nk`` outside 8 ... 4000.

        Examples
        --------
        >>> from isingsc import NbSe2
        >>> E = np.linspace(-500.0, 600.0, 2201)
        >>> N = NbSe2().density_of_states(E, nk=64)
        >>> round(float(N.sum() * (E[1] - E[0])), 3)       # one state per spin per site
        1.0
        """
        energies = check_array(energies, "energies", unit="meV", allow_empty=True)
        nk = check_int(nk, "nk", minimum=8, maximum=4000)
        e = self._band_grid(nk)
        if self.alpha_R == 0.0:
            return _triangle_dos(e, energies)
        # helical bands: the average of their densities (per spin per site)
        return 0.5 * (_triangle_dos(e, energies) + _triangle_dos(self._band_grid(nk, 1), energies))

    def _band_grid(self, nk, band=0):
        """Band ``band`` of :meth:`bands` on the uniform ``nk x nk`` grid of the reciprocal cell (meV), from
        the engine's band evaluator (:mod:`isingsc._bands`: the same Fourier series, tested against
        :meth:`dispersion` to 1e-11 meV, about 10x cheaper on large grids)."""
        from ._bands import band_evaluator

        return band_evaluator(self).bands(*_reciprocal_cell_grid(nk))[band]


# ---------------------------------------------------------------- geometry
def lattice_vectors():
    """Primitive vectors of the triangular lattice in units of ``a``.

    Returns
    -------
    (ndarray, ndarray)
        ``a1 = (1, 0)`` and ``a2 = (1/2, sqrt3/2)``.

    Examples
    --------
    >>> a1, a2 = lattice_vectors()
    >>> float(a1 @ a2)
    0.5
    """
    return np.array([1.0, 0.0]), np.array([0.5, 0.5 * SQRT3])


def reciprocal_vectors():
    """Reciprocal vectors ``b_i`` with ``a_i . b_j = 2 pi delta_ij`` (units 1/a).

    Returns
    -------
    (ndarray, ndarray)
        ``b1 = (2 pi, -2 pi/sqrt3)`` and ``b2 = (0, 4 pi/sqrt3)`` (1/a).

    Examples
    --------
    >>> a1, _ = lattice_vectors()
    >>> b1, b2 = reciprocal_vectors()
    >>> round(float(a1 @ b1 / np.pi), 12), round(float(a1 @ b2), 12)
    (2.0, 0.0)
    """
    return (np.array([2 * np.pi, -2 * np.pi / SQRT3]), np.array([0.0, 4 * np.pi / SQRT3]))


def unit_cell_area(a=1.0):
    """Area of the triangular lattice's primitive cell, ``sqrt(3) a^2 / 2``.

    Parameters
    ----------
    a : float, optional
        Lattice constant in any length unit (default 1: the area in units of ``a^2``).

    Returns
    -------
    float
        Cell area in the square of the unit of ``a``: one lattice site per cell.

    Raises
    ------
    TypeError
        ``a`` not a real number.
    ValueError
        ``a <= 0``, not finite, or an area that under- or overflows.

    Examples
    --------
    >>> round(unit_cell_area(), 6)
    0.866025
    >>> round(unit_cell_area() * brillouin_zone_area() / (2 * np.pi) ** 2, 12)
    1.0
    """
    a = check_real(a, "a", positive=True)
    a1, a2 = lattice_vectors()
    area = float(abs(a1[0] * a2[1] - a1[1] * a2[0])) * a * a
    if not np.finfo(float).tiny <= area < np.inf:
        raise ValueError(f"a = {a!r}: the cell area {area!r} under- or overflows double precision; use other units")
    return area


def brillouin_zone_area():
    """Area of the hexagonal Brillouin zone, ``8 pi^2 / sqrt(3)`` (units 1/a^2).

    Returns
    -------
    float
        ``8 pi^2 / sqrt(3)`` (1/a^2).

    Examples
    --------
    >>> bool(np.isclose(brillouin_zone_area(), 8 * np.pi**2 / np.sqrt(3)))
    True
    """
    b1, b2 = reciprocal_vectors()
    return float(abs(b1[0] * b2[1] - b1[1] * b2[0]))


def brillouin_zone_corners():
    """Corners of the hexagonal Brillouin zone (units 1/a).

    Returns
    -------
    ndarray, shape (6, 2)
        Corners counter-clockwise, starting at ``K = (4 pi / 3, 0)``.  The
        corners alternate K, K', K, ... (corners 120 degrees apart are equivalent).

    Examples
    --------
    >>> c = brillouin_zone_corners()
    >>> bool(np.allclose(c[0], high_symmetry_points()["K"]))
    True
    """
    ang = np.arange(6) * np.pi / 3
    return (4 * np.pi / 3) * np.column_stack([np.cos(ang), np.sin(ang)])


def nearest_neighbour_phases(spin="up"):
    """Complex-hopping phases of the six first-neighbour bonds, as in figure 2(a) of the paper.

    With the Bloch convention ``xi_s(k) = epsilon + sum_R t_s(R) exp(i k.R)``,
    the first-neighbour amplitude is ``t_s(R) = t_0 exp(i p(R) phi_0)`` with
    ``p = -1`` or ``+1``.  Hermiticity gives ``p(-R) = -p(R)`` and time reversal
    ``p_down = -p_up``.  Read off from the model's shell table, so the figure
    cannot disagree with the bands.

    Parameters
    ----------
    spin : {"up", "down"}
        Spin along ``z``.

    Returns
    -------
    list of (ndarray, int)
        ``(R, p)`` for the six bonds ``R`` (units of a), angles 0, 60, ..., 300 degrees.

    Raises
    ------
    TypeError
        ``spin`` not a string.
    ValueError
        ``spin`` neither ``"up"`` nor ``"down"``.

    Examples
    --------
    >>> [p for _, p in nearest_neighbour_phases("up")]
    [-1, 1, -1, 1, -1, 1]
    """
    sgn = 1 - 2 * spin_index(spin)
    out = []
    for na, nb, sign in _SHELLS[0]:
        R = np.array([0.5 * na, 0.5 * SQRT3 * nb])  # k.R = na*alpha + nb*beta
        # the up-spin term 2 t cos(k.R - sign*phi) = t e^{-i sign phi} e^{ik.R} + c.c.
        out += [(R, -sign * sgn), (-R, sign * sgn)]
    out.sort(key=lambda rp: np.arctan2(rp[0][1], rp[0][0]) % (2 * np.pi))
    return out


def spin_index(spin):
    """``0`` for ``"up"``, ``1`` for ``"down"`` (the order of :meth:`TriangularTMD.dispersion`).

    Parameters
    ----------
    spin : {"up", "down"}

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        For anything else.

    Examples
    --------
    >>> spin_index("down")
    1
    """
    return ("up", "down").index(check_choice(spin, "spin", ("up", "down")))


def high_symmetry_points():
    """Gamma, M, K and K' of the hexagonal Brillouin zone (units of 1/a).

    Returns
    -------
    dict of str to ndarray
        ``{"Gamma", "M", "K", "K'"}`` to momenta (1/a).

    Examples
    --------
    >>> sorted(high_symmetry_points())
    ['Gamma', 'K', "K'", 'M']
    >>> high_symmetry_points()["M"].round(6).tolist()
    [3.141593, 1.813799]
    """
    return {
        "Gamma": np.array([0.0, 0.0]),
        "M": np.array([np.pi, np.pi / SQRT3]),
        "K": np.array([4 * np.pi / 3, 0.0]),
        "K'": np.array([-4 * np.pi / 3, 0.0]),
    }


def bz_path(points=("Gamma", "M", "K", "Gamma"), n=300):
    """Straight-segment path through high-symmetry points.

    Parameters
    ----------
    points : sequence of str
        At least two keys of :func:`high_symmetry_points`.
    n : int, optional
        Approximate number of momenta along the path (2 to 10^6).

    Returns
    -------
    k : ndarray, shape (m, 2)
        Momenta (1/a) along the path.
    x : ndarray, shape (m,)
        Cumulative path length (1/a), for plotting.
    ticks : list of float
        Path length at each listed point.

    Raises
    ------
    TypeError
        ``points`` not a list or tuple of strings, or a non-integer ``n``.
    ValueError
        Fewer than two points, an unknown point, or ``n`` outside 2 ... 10^6.

    Examples
    --------
    >>> k, x, ticks = bz_path(("Gamma", "K"), n=10)
    >>> k[0].tolist(), bool(np.allclose(k[-1], high_symmetry_points()["K"])), round(float(ticks[-1]), 6)
    ([0.0, 0.0], True, 4.18879)
    """
    hs = high_symmetry_points()
    points = check_sequence(points, "points", min_length=2, max_length=1000,
                            item=lambda p, name: check_choice(p, name, tuple(sorted(hs))))
    n = check_int(n, "n", minimum=2, maximum=10**6)
    pts = [hs[p] for p in points]
    seg_len = [np.linalg.norm(b - a) for a, b in zip(pts[:-1], pts[1:])]
    total = sum(seg_len)
    ks, xs, ticks, x0 = [], [], [0.0], 0.0
    for (a, b), L in zip(zip(pts[:-1], pts[1:]), seg_len):
        m = max(2, int(round(n * L / total)))
        s = np.linspace(0.0, 1.0, m, endpoint=False)
        ks.append(a + s[:, None] * (b - a))
        xs.append(x0 + s * L)
        x0 += L
        ticks.append(x0)
    ks.append(pts[-1][None, :])
    xs.append(np.array([x0]))
    return np.vstack(ks), np.concatenate(xs), ticks


# ------------------------------------------------------------------ helpers
def _reciprocal_cell_grid(nk):
    """``(kx, ky)``, each ``(nk, nk)``: the uniform grid ``(i b1 + j b2) / nk`` of the reciprocal unit cell (1/a)."""
    b1, b2 = reciprocal_vectors()
    u = np.arange(nk) / nk
    U, V = np.meshgrid(u, u, indexing="ij")
    return U * b1[0] + V * b2[0], U * b1[1] + V * b2[1]


def _check_momenta(kx, ky):
    kx = check_array(kx, "kx", unit="1/a", allow_empty=True)
    ky = check_array(ky, "ky", unit="1/a", allow_empty=True)
    try:
        np.broadcast(kx, ky)
    except ValueError as err:
        raise ValueError(f"kx and ky must broadcast together, got shapes {kx.shape} and {ky.shape}") from err
    return kx, ky


def _triangle_dos(e, energies):
    """Linear-triangle DOS of a periodic band sampled on a uniform grid.

    A triangle with sorted corner energies ``e1 <= e2 <= e3`` contributes ``2 (E - e1)/((e2 - e1)(e3 - e1))``
    for ``e1 < E <= e2`` and ``2 (e3 - E)/((e3 - e1)(e3 - e2))`` for ``e2 < E < e3``, nothing elsewhere.  Only
    those (triangle, energy) pairs are evaluated: the energies inside each triangle's range come from a
    binary search in the sorted energies, and the contributions are summed per energy, in chunks of
    :data:`_DOS_PAIRS` pairs (a few energies per triangle instead of every triangle at every energy).
    """
    # the two triangles of each grid cell: (e00, e10, e11) and (e00, e01, e11), corners sorted
    a = np.concatenate([e.ravel(), e.ravel()])
    b = np.concatenate([np.roll(e, -1, axis=0).ravel(), np.roll(e, -1, axis=1).ravel()])
    c = np.roll(np.roll(e, -1, axis=0), -1, axis=1).ravel()
    c = np.concatenate([c, c])
    ab_lo, ab_hi = np.minimum(a, b), np.maximum(a, b)
    e1, e3 = np.minimum(ab_lo, c), np.maximum(ab_hi, c)
    ntri = a.size
    flat = energies.reshape(-1)
    order = np.argsort(flat, kind="stable")
    E_sorted = flat[order]
    # the energies E_sorted[lo:hi] of each triangle: e1 < E <= e3
    lo = np.searchsorted(E_sorted, e1, side="right")
    hi = np.searchsorted(E_sorted, e3, side="right")
    hit = np.flatnonzero(hi > lo)
    lo, count, e1, e3 = lo[hit], (hi - lo)[hit], e1[hit], e3[hit]
    e2 = np.maximum(ab_lo[hit], np.minimum(ab_hi[hit], c[hit]))  # the median corner
    tiny = 1e-300
    d21 = np.maximum(e2 - e1, tiny)
    d31 = np.maximum(e3 - e1, tiny)
    d32 = np.maximum(e3 - e2, tiny)
    total = np.zeros(flat.size)
    ends = np.cumsum(count)
    start = 0
    while start < hit.size:
        stop = max(start + 1, int(np.searchsorted(ends, (ends[start - 1] if start else 0) + _DOS_PAIRS, side="right")))
        c = count[start:stop]
        t = np.repeat(np.arange(start, stop), c)  # triangle of each pair
        first = np.cumsum(c) - c  # position of each triangle's first pair in this chunk
        j = lo[t] + (np.arange(t.size) - np.repeat(first, c))  # energy of each pair (index into E_sorted)
        E = E_sorted[j]
        lower = E <= e2[t]
        g = np.empty(t.size)
        tl, tu = t[lower], t[~lower]
        g[lower] = 2.0 * (E[lower] - e1[tl]) / (d21[tl] * d31[tl])
        g[~lower] = 2.0 * (e3[tu] - E[~lower]) / (d31[tu] * d32[tu])
        total += np.bincount(j, weights=g, minlength=flat.size)
        start = stop
    out = np.empty(flat.size)
    out[order] = total / ntri
    return out.reshape(energies.shape)


#: (triangle, energy) pairs evaluated at once by :func:`_triangle_dos` (bounds its memory)
_DOS_PAIRS = 1 << 21
