"""Monolayer NbSe2: the one-band model of Table I, the lattice constant and their sources.

One place for everything the library knows about NbSe2 (in the style of
pybinding's material repository): the tight-binding parameters of the paper's
Table I as the band model :class:`NbSe2`, the Nb-Nb distance, the area per Nb
site, and where the numbers come from.

Sources (keys of the book's ``references.bib`` or records):

* ``aikebaier2021`` -- Table I: on-site energy, hoppings ``t_0 .. t_5`` and the
  spin-orbit phase ``phi_0`` of the one-band model (meV, rad), fitted by the
  paper's authors to first-principles bands.
* Single-crystal X-ray diffraction of 2H-NbSe2 at 15 K, "Nb-Nb Interactions
  Define the Charge Density Wave Structure of 2H-NbSe2": average undistorted
  Nb-Nb distance 3.4583(4) Å (record https://core.ac.uk/works/48728722/).  The
  often quoted room-temperature value is 3.44-3.45 Å; the difference (0.5%) is
  irrelevant for the order-of-magnitude comparisons of the magnet presets.

The superconducting model itself only needs momenta in units of ``1/a``; the
lattice constant enters when energies per Nb site are converted to or from
energies per area (:mod:`isingsc.materials`).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import TriangularTMD, unit_cell_area

__all__ = ["NbSe2", "LATTICE_CONSTANT", "SITE_AREA", "SITES_PER_AREA", "SOURCES"]

#: In-plane lattice constant, Å, Nb-Nb distance (triangular lattice), 2H-NbSe2 at 15 K.
LATTICE_CONSTANT = 3.458
#: Area per Nb site, Å^2 per Nb.
SITE_AREA = unit_cell_area(LATTICE_CONSTANT)
#: Nb sites per area, Nb per Å^2.
SITES_PER_AREA = 1.0 / SITE_AREA

#: Where the numbers of this module come from (bibliography keys or records).
SOURCES = ("aikebaier2021", "https://core.ac.uk/works/48728722/")


@dataclass(frozen=True, repr=False)
class NbSe2(TriangularTMD):
    """Monolayer NbSe2 with the one-band parameters of Table I.

    Table I of the paper (all energies in meV, phases in rad)::

        epsilon = -44.5   on-site energy relative to the Fermi level
        t_0     =  26.3   1st neighbours, |R| = a
        t_1     =  99.1   2nd neighbours, |R| = sqrt(3) a
        t_2     =  -1.4   3rd neighbours, |R| = 2 a
        t_3     = -11.2   4th neighbours, |R| = sqrt(7) a
        t_4     = -14.6   5th neighbours, |R| = 3 a
        t_5     =   2.5   6th neighbours, |R| = sqrt(12) a
        phi_0   =   0.6   spin-orbit phase of the 1st-neighbour hopping
        phi_1..5 =  0

    These give ``lambda_soc = 3 sqrt(3) t_0 sin(phi_0) = 77.2 meV`` (Eq. A4).
    Any field can be changed like for :class:`~isingsc.model.TriangularTMD`,
    e.g. ``NbSe2(epsilon=-40.0)`` for another filling, or
    :meth:`~isingsc.model.TriangularTMD.with_lambda_soc`.

    Parameters
    ----------
    epsilon : float, optional
        On-site energy (meV) from the Fermi level; default -44.5 (Table I).
    t : tuple of float, optional
        The six hoppings (meV); default Table I.
    phi : tuple of float, optional
        The six spin-orbit phases (rad); default ``(0.6, 0, 0, 0, 0, 0)``.
    name : str, optional
        Label; default ``"NbSe2"``.
    alpha_R : float, optional
        Rashba coupling (meV); default 0 (a free-standing monolayer).

    Examples
    --------
    >>> m = NbSe2()
    >>> round(m.lambda_soc, 1)
    77.2
    >>> round(m.with_lambda_soc(10.0).lambda_soc, 12)
    10.0
    >>> LATTICE_CONSTANT
    3.458
    """

    epsilon: float = -44.5  # meV
    t: tuple = (26.3, 99.1, -1.4, -11.2, -14.6, 2.5)  # meV
    phi: tuple = (0.6, 0.0, 0.0, 0.0, 0.0, 0.0)  # rad
    name: str = "NbSe2"

    #: Nb-Nb distance (Å), see the module docstring.
    lattice_constant = LATTICE_CONSTANT
