"""Shared definitions of the material presets: a monolayer ferromagnet on NbSe2.

Units: lengths in Å, energies in meV, magnetic moments in Bohr magnetons
(``mu_B``), anisotropy constants of bulk crystals in J/m^3.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._serialize import Serializable
from .._validation import check_real, check_sequence
from ..model import unit_cell_area

__all__ = [
    "MU0_MU_B2_OVER_4PI",
    "MU_B",
    "honeycomb_dipole_sum",
    "MonolayerFerromagnet",
]

#: The Bohr magneton in meV per tesla, ``mu_B = 5.7883818060e-2 meV/T`` (CODATA 2018): a moment of ``m`` Bohr
#: magnetons in a field of ``B`` tesla has the Zeeman energy ``m B MU_B`` meV.
MU_B = 5.7883818060e-2
MU0_MU_B2_OVER_4PI = 1e-7 * 9.2740100783e-24**2 / 1.602176634e-22 * 1e30  # meV Å^3: mu0 mu_B^2 / 4 pi
_EV = 1.602176634e-19  # J per eV


def _positive(x, name, unit="Å"):
    return check_real(x, name, unit=unit, positive=True)


def _lattice_constant(x, name):
    """A lattice constant (Å) between 0.1 and 1000 Å (atomic lattices; areas stay far from over- or underflow)."""
    return check_real(x, name, unit="Å", lower=0.1, upper=1e3)


def honeycomb_dipole_sum(a, cutoff=80.0):
    """Lattice sum ``sum_j 1/r_j^3`` (1/Å^3) over a honeycomb lattice, seen from one site.

    The honeycomb lattice of the Cr atoms has lattice constant ``a`` (two sites
    per cell, nearest-neighbour distance ``a/sqrt(3)``).  The sum runs to
    ``cutoff * a``; the rest is added as the continuum tail ``2 pi n / R``.

    Parameters
    ----------
    a : float
        Lattice constant (Å), 0.1 ... 1000.
    cutoff : float, optional
        Real-space cutoff in units of ``a`` (>= 10).

    Returns
    -------
    float
        ``sum_j |r_j|^-3`` in 1/Å^3.

    Raises
    ------
    TypeError
        Non-real ``a`` or ``cutoff``.
    ValueError
        ``a`` outside 0.1 ... 1000 Å, non-finite values, or ``cutoff`` outside 10 ... 1000.

    Examples
    --------
    The sum scales like ``a^-3``:

    >>> s1, s2 = honeycomb_dipole_sum(1.0), honeycomb_dipole_sum(2.0)
    >>> round(s1 / s2, 6)
    8.0
    """
    a = _lattice_constant(a, "a")
    cutoff = check_real(cutoff, "cutoff", lower=10.0, upper=1000.0)
    n = int(math.ceil(cutoff * 1.2))
    i, j = np.meshgrid(np.arange(-n, n + 1), np.arange(-n, n + 1), indexing="ij")
    x = (i + 0.5 * j).ravel() * a
    y = (0.5 * math.sqrt(3.0) * j).ravel() * a
    R = cutoff * a
    total = 0.0
    for bx, by in ((0.0, 0.0), (0.5 * a, 0.5 * a / math.sqrt(3.0))):  # same and other sublattice
        r = np.hypot(x + bx, y + by)
        keep = (r > 1e-9 * a) & (r <= R)
        total += float(np.sum(r[keep] ** -3.0))
    density = 2.0 / unit_cell_area(a)  # two Cr per hexagonal cell
    return total + 2.0 * math.pi * density / R


@dataclass(frozen=True)
class MonolayerFerromagnet(Serializable):
    """A monolayer chromium trihalide (honeycomb Cr lattice, ``S = 3/2``) and its anisotropy.

    Anisotropies follow Eq. (9): ``K > 0`` is an out-of-plane easy axis, ``K < 0`` an
    easy plane; ``K`` is the energy of the in-plane state minus that of the
    out-of-plane state.

    Attributes
    ----------
    name : str
        The material, e.g. ``"CrI3"``.
    lattice_constant : float
        In-plane lattice constant (Å), two Cr per cell.
    moment_per_cr : float
        Magnetic moment per Cr (mu_B).
    spin : float
        Cr spin (3/2).
    single_ion_anisotropy : float
        ``A`` of ``H = A sum_i (S_i^z)^2`` (meV); negative favours the out-of-plane axis.
    layer_spacing : float
        Interlayer distance of the bulk crystal (Å), to convert a bulk anisotropy per volume.
    bulk_anisotropy : float or None
        Measured uniaxial anisotropy constant of the bulk crystal at low temperature (J/m^3).
    sources : tuple of str
        Keys in the book's ``references.bib``.

    Examples
    --------
    >>> from isingsc.materials import MAGNETS
    >>> m = MAGNETS["CrI3"]
    >>> round(m.single_ion_energy, 3), m.dipolar_energy < 0 < m.anisotropy_per_cr
    (0.18, True)
    """

    name: str
    lattice_constant: float
    moment_per_cr: float
    spin: float
    single_ion_anisotropy: float
    layer_spacing: float
    bulk_anisotropy: float | None = None
    sources: tuple = ()

    def __post_init__(self):
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a str, got {type(self.name).__name__}")
        for attr in ("lattice_constant", "layer_spacing"):
            object.__setattr__(self, attr, _lattice_constant(getattr(self, attr), attr))
        for attr, unit in (("moment_per_cr", "mu_B"), ("spin", "")):
            object.__setattr__(self, attr, _positive(getattr(self, attr), attr, unit))
        object.__setattr__(self, "single_ion_anisotropy",
                           check_real(self.single_ion_anisotropy, "single_ion_anisotropy", unit="meV"))
        if self.bulk_anisotropy is not None:
            object.__setattr__(self, "bulk_anisotropy", check_real(self.bulk_anisotropy, "bulk_anisotropy", unit="J/m^3"))
        object.__setattr__(self, "sources", check_sequence(self.sources, "sources"))

    # ----------------------------------------------------------- geometry
    @property
    def cr_per_area(self):
        """Cr atoms per Å^2 (two per hexagonal cell of area ``sqrt(3) a^2 / 2``).

        Examples
        --------
        >>> from isingsc.materials import MAGNETS
        >>> round(MAGNETS["CrI3"].cr_per_area, 5)
        0.04897
        """
        return 2.0 / unit_cell_area(self.lattice_constant)

    def cr_per_site(self, substrate_lattice_constant):
        """Cr atoms per lattice site of a triangular substrate (e.g. per Nb of NbSe2).

        Parameters
        ----------
        substrate_lattice_constant : float
            Lattice constant of the substrate (Å), 0.1 ... 1000.

        Returns
        -------
        float
            ``2 (a_substrate / a)^2``.

        Raises
        ------
        TypeError
            A non-real lattice constant.
        ValueError
            A lattice constant outside 0.1 ... 1000 Å.

        Examples
        --------
        >>> from isingsc.materials import MAGNETS
        >>> round(MAGNETS["CrI3"].cr_per_site(3.458), 4)            # per Nb of NbSe2
        0.5072
        """
        a = _lattice_constant(substrate_lattice_constant, "substrate_lattice_constant")
        return self.cr_per_area * unit_cell_area(a)

    # ---------------------------------------------------------- anisotropy
    @property
    def single_ion_energy(self):
        """Single-ion anisotropy energy per Cr (meV), ``-A S (S - 1/2)``.

        The difference of ``A <S_z^2>`` between spin-coherent states along ``x``
        (``<S_z^2> = S/2``) and along ``z`` (``<S_z^2> = S^2``).

        Examples
        --------
        >>> from isingsc.materials import MAGNETS
        >>> round(MAGNETS["CrI3"].single_ion_energy, 3)          # -A S (S - 1/2), A = -0.12 meV
        0.18
        """
        S = self.spin
        return -self.single_ion_anisotropy * S * (S - 0.5)

    @property
    def dipolar_energy(self):
        """Magnetic dipole-dipole (shape) anisotropy of the flat monolayer per Cr (meV), < 0.

        For parallel moments ``m`` on a plane, ``E_out - E_in = (3/4) (mu0 m^2 / 4 pi)
        sum_j r_j^-3`` per moment (in-plane pairs average ``cos^2 = 1/2`` over the
        threefold-symmetric neighbour shells), so ``K_dip = -(3/4) (mu0 m^2/4 pi) sum r^-3``.

        Examples
        --------
        >>> from isingsc.materials import MAGNETS
        >>> round(MAGNETS["CrI3"].dipolar_energy, 4)
        -0.0383
        """
        m2 = self.moment_per_cr**2
        return -0.75 * MU0_MU_B2_OVER_4PI * m2 * honeycomb_dipole_sum(self.lattice_constant)

    @property
    def anisotropy_per_cr(self):
        """Monolayer anisotropy per Cr (meV), the single-ion term plus the dipolar term.

        Examples
        --------
        >>> from isingsc.materials import MAGNETS
        >>> m = MAGNETS["CrI3"]; m.anisotropy_per_cr == m.single_ion_energy + m.dipolar_energy
        True
        """
        return self.single_ion_energy + self.dipolar_energy

    @property
    def bulk_anisotropy_per_cr(self):
        """Measured bulk anisotropy converted to meV per Cr (``None`` if not available).

        ``K_u`` times the volume per Cr, ``layer_spacing / cr_per_area``.

        Examples
        --------
        >>> from isingsc.materials import MAGNETS
        >>> round(MAGNETS["CrI3"].bulk_anisotropy_per_cr, 3), MAGNETS["CrBr3"].bulk_anisotropy_per_cr
        (0.252, None)
        """
        if self.bulk_anisotropy is None:
            return None
        volume = self.layer_spacing / self.cr_per_area * 1e-30  # m^3 per Cr
        return self.bulk_anisotropy * volume / _EV * 1e3

    def per_site(self, value_per_cr, substrate_lattice_constant):
        """Convert an energy (or moment) per Cr into one per site of the substrate lattice.

        Parameters
        ----------
        value_per_cr : float
            Energy (meV) or moment (mu_B) per Cr.
        substrate_lattice_constant : float
            Lattice constant of the substrate (Å), 0.1 ... 1000.

        Returns
        -------
        float
            The same quantity per substrate site.

        Raises
        ------
        TypeError
            Non-real arguments.
        ValueError
            Non-finite values or a lattice constant outside 0.1 ... 1000 Å.

        Examples
        --------
        >>> from isingsc.materials import MAGNETS
        >>> m = MAGNETS["CrI3"]
        >>> m.per_site(1.0, 3.458) == m.cr_per_site(3.458)
        True
        """
        return check_real(value_per_cr, "value_per_cr") * self.cr_per_site(substrate_lattice_constant)

    def moment_per_site(self, substrate_lattice_constant):
        """Saturation magnetization per substrate site.

        Parameters
        ----------
        substrate_lattice_constant : float
            Lattice constant of the substrate (Å), 0.1 ... 1000.

        Returns
        -------
        float
            Moment per site (mu_B).

        Raises
        ------
        TypeError
            A non-real lattice constant.
        ValueError
            A lattice constant outside 0.1 ... 1000 Å.

        Examples
        --------
        >>> from isingsc.materials import MAGNETS
        >>> round(MAGNETS["CrI3"].moment_per_site(3.458), 3)       # 3 mu_B per Cr
        1.521
        """
        return self.per_site(self.moment_per_cr, substrate_lattice_constant)
