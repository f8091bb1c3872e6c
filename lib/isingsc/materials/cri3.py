"""Monolayer CrI3: out-of-plane (Ising) ferromagnet.

Sources (keys of ``references.bib``):

* ``mcguire2017`` -- bulk crystal structure (rhombohedral, low temperature):
  in-plane lattice constant ``a`` and ``c`` (three layers per ``c``).
* ``yadav2024`` -- embedded many-body (quantum chemistry) spin Hamiltonian of
  the monolayer: single-ion anisotropy ``A_sia = -0.12 meV``.
* ``richter2018`` -- measured magnetocrystalline anisotropy of bulk CrI3,
  ``K_u = 300 +- 50 kJ/m^3`` at 5 K (43 kJ/m^3 at 60 K).
* ``huang2017`` -- monolayer CrI3 is an Ising ferromagnet with out-of-plane
  moments (T_C = 45 K).

The monolayer anisotropy per Cr is quoted as a range: the many-body
single-ion term plus the dipolar (shape) term computed in
:class:`~isingsc.materials._base.MonolayerFerromagnet`, and the measured bulk
value; the anisotropic exchange, not included in the first, makes the second
larger.
"""
from ._base import MonolayerFerromagnet

__all__ = ["LATTICE_CONSTANT", "LAYER_SPACING", "MOMENT_PER_CR", "SPIN", "SINGLE_ION_ANISOTROPY",
           "BULK_ANISOTROPY", "MATERIAL"]

#: In-plane lattice constant, Å, in-plane, bulk R-3 [mcguire2017].
LATTICE_CONSTANT = 6.867
#: Interlayer distance of the bulk crystal, Å, c/3 of the R-3 cell [mcguire2017].
LAYER_SPACING = 19.807 / 3
#: Magnetic moment per Cr, mu_B, Cr3+ S = 3/2, g = 2.
MOMENT_PER_CR = 3.0
#: Cr spin (dimensionless), Cr3+.
SPIN = 1.5
#: Single-ion anisotropy, meV, A of A (S^z)^2, monolayer [yadav2024].
SINGLE_ION_ANISOTROPY = -0.12
#: Measured bulk anisotropy constant K_u, J/m^3 at 5 K, +- 50e3 [richter2018].
BULK_ANISOTROPY = 300e3

#: The preset, a :class:`~isingsc.materials.MonolayerFerromagnet` with the values above and their sources.
MATERIAL = MonolayerFerromagnet("CrI3", LATTICE_CONSTANT, MOMENT_PER_CR, SPIN, SINGLE_ION_ANISOTROPY,
                                LAYER_SPACING, BULK_ANISOTROPY,
                                ("mcguire2017", "yadav2024", "richter2018", "huang2017"))
