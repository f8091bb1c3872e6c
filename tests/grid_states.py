"""The brute-force uniform grid, each distinct band state once (shared by the brute-force tests).

Every integrand of the brute-force checks -- the 4x4 BdG eigenvalues, the pair kernel, the normal-state free
energy, the spin susceptibility density -- depends on a momentum only through the pair of band energies
``(xi_up(k), xi_down(k))``.  The point group of the lattice (C3 rotations, and a vertical mirror combined with
time reversal) maps the uniform ``nk x nk`` grid onto itself and keeps that pair, so the grid holds each pair
about six times.  :func:`distinct_states` keeps each pair once, weighted by how often it occurs: the grid average
of any function of the pair is the same sum, grouped (the pairs are matched after rounding to 1e-9 meV, so the
integrands move by about 1e-9 meV, far below every tolerance of the brute-force tests).  The brute force stays
brute force -- every state of the grid is diagonalised, once -- at a sixth of the cost.
"""
import numpy as np

from isingsc.quadrature import BZQuadrature

#: band energies are matched after rounding to this many decimals of a meV
DECIMALS = 9


def distinct_states(q, decimals=DECIMALS):
    """``q`` (a :class:`~isingsc.quadrature.BZQuadrature`) with each distinct ``(xi_up, xi_down)`` pair once,
    weighted by the summed weights of its copies."""
    up = np.round(q.xi_up, decimals)
    down = np.round(q.xi_down, decimals)
    pairs, inverse = np.unique(up + 1j * down, return_inverse=True)  # complex: sorted by (up, down)
    weights = np.bincount(inverse.reshape(-1), weights=q.weights, minlength=pairs.size)
    return BZQuadrature(np.ascontiguousarray(pairs.real), np.ascontiguousarray(pairs.imag), weights,
                        f"{q.description}, {pairs.size} distinct band states")

