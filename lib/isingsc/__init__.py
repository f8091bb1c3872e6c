"""isingsc: Ising superconductivity and magnetism in van der Waals heterostructures.

A small library behind the book that reproduces Aikebaier, Heikkilae and Lado,
"Controlling magnetism through Ising superconductivity in magnetic van der Waals
heterostructures".  Energies are in meV with k_B = 1, momenta in units of 1/a.

One concept per module:

=====================================  ======================================================================
:mod:`~isingsc.model`                  band model ``TriangularTMD`` and the lattice geometry (Sec. II, App. A)
:mod:`~isingsc.materials`              presets with sources: ``NbSe2`` (Table I), CrI3, CrBr3, CrCl3
:mod:`~isingsc.fermi_surface`          Fermi lines and pockets, band gradients, DOS weights, band edges, van Hove saddles (Fig. 2)
:mod:`~isingsc.plotting`               drawing only (Figs. 1-2)
:mod:`~isingsc.bdg`                    the BdG algebra at one momentum (App. B-C)
:mod:`~isingsc.quadrature`             Brillouin-zone quadratures
:mod:`~isingsc.superconductor`         the self-consistent ``IsingSuperconductor`` (Sec. III)
:mod:`~isingsc.formulas`               closed forms the numerics are checked against
:mod:`~isingsc.magnetism`              macrospin energetics, couplings, relaxation, ground state, stability
:mod:`~isingsc.hysteresis`             Stoner-Wohlfarth loops (Eqs. 12-15, Fig. 4)
:mod:`~isingsc.response`               the superconductor's chi_par(T), chi_perp(T) tables
:mod:`~isingsc.anisotropy`             one magnet on the superconductor (Eq. 10)
:mod:`~isingsc.microscopic`            the full free energy as a stack coupling
:mod:`~isingsc.paper`                  the paper's presets (DELTA0_PAPER, its NbSe2, the Fig. 4 stack)
:mod:`~isingsc.tstar`                  T*: ground-state transitions, stability edges, maps
:mod:`~isingsc.robustness`             beyond the paper: susceptibility decomposition, filling, Rashba and finite-J maps
:mod:`~isingsc.spin_orbit_scattering`  spin-orbit impurity scattering (Abrikosov-Gor'kov) and the T = 0 anisotropy
:mod:`~isingsc.thermal`                thermal stability of the macrospins (Neel-Arrhenius, flake size)
=====================================  ======================================================================

What serves only the book (the reproduction report and its claims, the paper's
appendix checks, the interactive explorers and their views) is the book's
machinery, in the subpackage :mod:`isingsc.book`.
"""
from .model import (
    TriangularTMD,
    brillouin_zone_area,
    brillouin_zone_corners,
    bz_path,
    high_symmetry_points,
    lattice_vectors,
    reciprocal_vectors,
    unit_cell_area,
)
from .materials.nbse2 import NbSe2
from .errors import ConvergenceError
from .quadrature import BZQuadrature, fermi_surface_quadrature, uniform_quadrature
from .superconductor import BCS_RATIO, DELTA0_PAPER, KELVIN, IsingSuperconductor, Resolution
from .magnetism import (
    COLLINEAR_STATES,
    ConventionalCoupling,
    FSFStack,
    GroundState,
    IsingQuadraticCoupling,
    TabulatedCoupling,
    collinear_determinant,
    collinear_stability_limits,
    easy_direction,
    effective_anisotropy,
    ground_state,
    relax,
)
from .hysteresis import HysteresisLoop, MinimumFollower, hysteresis_loop
from .response import COUPLING_FORMS, SuperconductorResponse, superconductor_response
from .anisotropy import EasyAxisPhaseDiagram, easy_axis_phase_diagram, single_magnet_anisotropy, single_magnet_easy_axis
from .microscopic import (
    MicroscopicCoupling,
    MicroscopicTable,
    free_energy_derivatives,
    microscopic_coupling,
    microscopic_table,
    microscopic_tables,
    stack_coupling,
)
from .paper import Fig4Parameters, fig4_stack, ising_superconductor
from .tstar import TStarMap, TStarResult, find_t_star, microscopic_collinear_determinant, stability_temperature, t_star_map
from . import fermi_surface, formulas, materials, plotting  # noqa: F401  (plotting imports matplotlib lazily)

__all__ = [
    # band model and geometry
    "TriangularTMD",
    "NbSe2",
    "lattice_vectors",
    "reciprocal_vectors",
    "unit_cell_area",
    "brillouin_zone_area",
    "brillouin_zone_corners",
    "high_symmetry_points",
    "bz_path",
    # superconductor
    "BZQuadrature",
    "fermi_surface_quadrature",
    "uniform_quadrature",
    "BCS_RATIO",
    "DELTA0_PAPER",
    "KELVIN",
    "ConvergenceError",
    "IsingSuperconductor",
    "Resolution",
    # magnets
    "COLLINEAR_STATES",
    "ConventionalCoupling",
    "FSFStack",
    "GroundState",
    "IsingQuadraticCoupling",
    "TabulatedCoupling",
    "collinear_determinant",
    "collinear_stability_limits",
    "easy_direction",
    "effective_anisotropy",
    "ground_state",
    "relax",
    "HysteresisLoop",
    "MinimumFollower",
    "hysteresis_loop",
    # superconductor and magnets together
    "COUPLING_FORMS",
    "SuperconductorResponse",
    "superconductor_response",
    "EasyAxisPhaseDiagram",
    "easy_axis_phase_diagram",
    "single_magnet_anisotropy",
    "single_magnet_easy_axis",
    "MicroscopicCoupling",
    "MicroscopicTable",
    "free_energy_derivatives",
    "microscopic_coupling",
    "microscopic_table",
    "microscopic_tables",
    "stack_coupling",
    "Fig4Parameters",
    "fig4_stack",
    "ising_superconductor",
    "TStarMap",
    "TStarResult",
    "find_t_star",
    "microscopic_collinear_determinant",
    "stability_temperature",
    "t_star_map",
]

__version__ = "0.1.0"
