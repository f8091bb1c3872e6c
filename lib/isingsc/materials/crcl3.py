"""Monolayer CrCl3: easy-plane (2D-XY) ferromagnet.

Sources (keys of ``references.bib``):

* ``mcguire2017`` -- bulk crystal structure (rhombohedral, low temperature): lattice constants.
* ``yadav2024`` -- embedded many-body spin Hamiltonian: single-ion anisotropy
  ``A_sia = -0.02 meV``, too small to beat the dipolar (shape) anisotropy, so
  that the monolayer is easy-plane.
* ``bedoyapinto2021`` -- monolayer CrCl3 on graphene is an in-plane (2D-XY)
  ferromagnet (the paper's ref. 46).
"""
from ._base import MonolayerFerromagnet

__all__ = ["LATTICE_CONSTANT", "LAYER_SPACING", "MOMENT_PER_CR", "SPIN", "SINGLE_ION_ANISOTROPY", "MATERIAL"]

#: In-plane lattice constant, Å, in-plane, bulk R-3 [mcguire2017].
LATTICE_CONSTANT = 5.942
#: Interlayer distance of the bulk crystal, Å, c/3 of the R-3 cell [mcguire2017].
LAYER_SPACING = 17.333 / 3
#: Magnetic moment per Cr, mu_B, Cr3+ S = 3/2, g = 2.
MOMENT_PER_CR = 3.0
#: Cr spin (dimensionless), Cr3+.
SPIN = 1.5
#: Single-ion anisotropy, meV, A of A (S^z)^2, monolayer [yadav2024].
SINGLE_ION_ANISOTROPY = -0.02

#: The preset, a :class:`~isingsc.materials.MonolayerFerromagnet` with the values above and their sources.
MATERIAL = MonolayerFerromagnet("CrCl3", LATTICE_CONSTANT, MOMENT_PER_CR, SPIN, SINGLE_ION_ANISOTROPY,
                                LAYER_SPACING, None, ("mcguire2017", "yadav2024", "bedoyapinto2021"))
