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
import importlib

#: where each top-level name lives (imported on first use, so ``import isingsc`` stays light)
_LAZY = {
    'TriangularTMD': 'model',
    'brillouin_zone_area': 'model',
    'brillouin_zone_corners': 'model',
    'bz_path': 'model',
    'high_symmetry_points': 'model',
    'lattice_vectors': 'model',
    'reciprocal_vectors': 'model',
    'unit_cell_area': 'model',
    'NbSe2': 'materials.nbse2',
    'BandEdgeWarning': 'errors',
    'ConvergenceError': 'errors',
    'ExecutorError': 'errors',
    'FirstOrderTransitionWarning': 'errors',
    'TemperatureUnitWarning': 'errors',
    'BZQuadrature': 'quadrature',
    'fermi_surface_quadrature': 'quadrature',
    'uniform_quadrature': 'quadrature',
    'BCS_RATIO': 'superconductor',
    'DELTA0_PAPER': 'superconductor',
    'KELVIN': 'superconductor',
    'IsingSuperconductor': 'superconductor',
    'Resolution': 'superconductor',
    'COLLINEAR_STATES': 'magnetism',
    'ConventionalCoupling': 'magnetism',
    'FSFStack': 'magnetism',
    'GroundState': 'magnetism',
    'IsingQuadraticCoupling': 'magnetism',
    'TabulatedCoupling': 'magnetism',
    'collinear_determinant': 'magnetism',
    'collinear_stability_limits': 'magnetism',
    'easy_direction': 'magnetism',
    'effective_anisotropy': 'magnetism',
    'ground_state': 'magnetism',
    'relax': 'magnetism',
    'HysteresisLoop': 'hysteresis',
    'MinimumFollower': 'hysteresis',
    'hysteresis_loop': 'hysteresis',
    'COUPLING_FORMS': 'response',
    'SuperconductorResponse': 'response',
    'superconductor_response': 'response',
    'EasyAxisPhaseDiagram': 'anisotropy',
    'easy_axis_phase_diagram': 'anisotropy',
    'single_magnet_anisotropy': 'anisotropy',
    'single_magnet_easy_axis': 'anisotropy',
    'MicroscopicCoupling': 'microscopic',
    'MicroscopicTable': 'microscopic',
    'free_energy_derivatives': 'microscopic',
    'microscopic_coupling': 'microscopic',
    'microscopic_table': 'microscopic',
    'microscopic_tables': 'microscopic',
    'stack_coupling': 'microscopic',
    'Fig4Parameters': 'paper',
    'fig4_stack': 'paper',
    'ising_superconductor': 'paper',
    'TStarMap': 'tstar',
    'TStarResult': 'tstar',
    'find_t_star': 'tstar',
    'microscopic_collinear_determinant': 'tstar',
    'stability_temperature': 'tstar',
    't_star_map': 'tstar',
    'StackMap': 'maps',
    'stack_map': 'maps',
    'MU_B': 'materials',
    'field_to_tesla': 'units',
    'in_kelvin': 'units',
    'kelvin': 'units',
    'tesla_to_field': 'units',
    'load': '_serialize',
}

#: the submodules, also imported on first use (``isingsc.model``, ``isingsc.book``, ...)
_SUBMODULES = frozenset({
    "anisotropy", "bdg", "book", "errors", "fermi_surface", "formulas", "hysteresis", "magnetism", "maps",
    "materials", "microscopic", "model", "paper", "plotting", "quadrature", "response", "robustness",
    "spin_orbit_scattering", "superconductor", "thermal", "tstar", "units",
})


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__) | _SUBMODULES)


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
    "MU_B",
    "kelvin",
    "in_kelvin",
    "field_to_tesla",
    "tesla_to_field",
    "ConvergenceError",
    "ExecutorError",
    "BandEdgeWarning",
    "TemperatureUnitWarning",
    "FirstOrderTransitionWarning",
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
    "StackMap",
    "stack_map",
    "load",
]

__version__ = "0.1.0"
