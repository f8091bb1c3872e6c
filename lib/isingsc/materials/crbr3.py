"""Monolayer CrBr3: out-of-plane ferromagnet with a weaker anisotropy than CrI3.

Sources (keys of ``references.bib``):

* ``mcguire2017`` -- bulk crystal structure (rhombohedral): lattice constants.
* ``yadav2024`` -- embedded many-body spin Hamiltonian: single-ion anisotropy
  ``A_sia = -0.08 meV`` (CrI3: -0.12 meV, CrCl3: -0.02 meV).
* ``richter2018`` -- the temperature dependence of the bulk anisotropy of CrBr3
  is more than three times weaker than that of CrI3 (no absolute value is used here).
* ``kezilebieke2020`` -- monolayer CrBr3 grown on NbSe2 (the paper's ref. 12),
  with out-of-plane magnetization.
"""
from ._base import MonolayerFerromagnet

__all__ = ["LATTICE_CONSTANT", "LAYER_SPACING", "MOMENT_PER_CR", "SPIN", "SINGLE_ION_ANISOTROPY", "MATERIAL"]

#: In-plane lattice constant, Å, in-plane, bulk R-3 [mcguire2017].
LATTICE_CONSTANT = 6.26
#: Interlayer distance of the bulk crystal, Å, c/3 of the R-3 cell [mcguire2017].
LAYER_SPACING = 18.20 / 3
#: Magnetic moment per Cr, mu_B, Cr3+ S = 3/2, g = 2.
MOMENT_PER_CR = 3.0
#: Cr spin (dimensionless), Cr3+.
SPIN = 1.5
#: Single-ion anisotropy, meV, A of A (S^z)^2, monolayer [yadav2024].
SINGLE_ION_ANISOTROPY = -0.08

#: The preset, a :class:`~isingsc.materials.MonolayerFerromagnet` with the values above and their sources.
MATERIAL = MonolayerFerromagnet("CrBr3", LATTICE_CONSTANT, MOMENT_PER_CR, SPIN, SINGLE_ION_ANISOTROPY,
                                LAYER_SPACING, None, ("mcguire2017", "yadav2024", "kezilebieke2020"))
