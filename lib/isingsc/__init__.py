"""isingsc: Ising superconductivity and magnetism in van der Waals heterostructures.

A small library behind the book that reproduces Aikebaier, Heikkilae and Lado,
"Controlling magnetism through Ising superconductivity in magnetic van der Waals
heterostructures".  Energies are in meV with k_B = 1, momenta in units of 1/a.
"""
from .model import NbSe2, TriangularTMD, bz_path, high_symmetry_points, lattice_vectors, reciprocal_vectors
from . import plotting  # figures and Fermi-surface geometry (matplotlib imported lazily)
from .magnetism import (
    ConventionalCoupling,
    FSFStack,
    HysteresisLoop,
    IsingQuadraticCoupling,
    TabulatedCoupling,
    collinear_stability_limits,
    easy_direction,
    effective_anisotropy,
    hysteresis_loop,
    relax,
)
from .quadrature import BZQuadrature, fermi_surface_quadrature, uniform_quadrature
from .superconductor import (
    BCS_RATIO,
    DELTA0_PAPER,
    KELVIN,
    ConvergenceError,
    IsingSuperconductor,
    Resolution,
)

__all__ = [
    "NbSe2",
    "TriangularTMD",
    "bz_path",
    "high_symmetry_points",
    "lattice_vectors",
    "reciprocal_vectors",
    "ConventionalCoupling",
    "FSFStack",
    "HysteresisLoop",
    "IsingQuadraticCoupling",
    "TabulatedCoupling",
    "collinear_stability_limits",
    "easy_direction",
    "effective_anisotropy",
    "hysteresis_loop",
    "relax",
    "BZQuadrature",
    "fermi_surface_quadrature",
    "uniform_quadrature",
    "BCS_RATIO",
    "DELTA0_PAPER",
    "KELVIN",
    "ConvergenceError",
    "IsingSuperconductor",
    "Resolution",
]

__version__ = "0.1.0"
