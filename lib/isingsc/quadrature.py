"""Brillouin-zone quadratures for integrands that depend on k only through the bands.

Every quantity of the superconductor is a Brillouin-zone average
``<G(xi_up(k), xi_down(k))>`` of a function that is sharp (on the energy scale of
the gap, the temperature and the exchange field, i.e. a fraction of a meV) only
near the spin-split Fermi surfaces, and smooth on the band-width scale (hundreds
of meV) everywhere else.  A uniform k-grid must resolve the sharp part
everywhere and needs thousands of points per direction.  The Fermi-surface
adapted quadrature here instead

* integrates over the irreducible 1/12 wedge Gamma-M-K of the hexagonal zone
  (C3, the two mirrors and time reversal leave the integrands invariant),
* splits the wedge into two triangles that are star-shaped about Gamma and K
  (the centres of the hole pockets), and uses polar coordinates in each,
* places the radial nodes of every ray with Gauss-Legendre panels that are
  geometrically graded towards each crossing of a Fermi surface (or of an
  energy level ``xi = c``, e.g. the Zeeman-shifted ones), starting from the
  width ``scale / |d xi/dr|``,
* uses Gauss-Legendre in the ray angle, optionally graded towards the Gamma-M
  edge where the spin-orbit splitting vanishes on the Fermi surface.

The result is a set of nodes with band energies and weights; weights are
normalised so that they sum to one (a Brillouin-zone *average*, i.e. a per-site
quantity).

:func:`uniform_quadrature` is the brute-force reference: a uniform ``nk x nk``
grid of the reciprocal unit cell.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .model import TriangularTMD, high_symmetry_points

__all__ = [
    "BZQuadrature",
    "fermi_surface_quadrature",
    "uniform_quadrature",
    "fermi_surface_density",
    "fermi_surface_nodes",
    "band_moments",
]

SQRT3 = np.sqrt(3.0)


@dataclass(frozen=True, eq=False)
class BZQuadrature:
    """Nodes and weights of a Brillouin-zone average.

    Attributes
    ----------
    xi_up, xi_down : ndarray
        Band energies (meV) at the nodes.
    weights : ndarray
        Weights, summing to one, so that ``weights @ G(xi_up, xi_down)`` is the
        BZ average of ``G`` (a per-site quantity if ``G`` is per momentum).
    description : str
        How the nodes were built.
    """

    xi_up: np.ndarray
    xi_down: np.ndarray
    weights: np.ndarray
    description: str = ""

    @property
    def size(self):
        """Number of nodes."""
        return self.weights.size

    def average(self, values):
        """Weighted BZ average of ``values`` sampled at the nodes (last axis).

        Plain multiply-and-sum (pairwise summation) rather than a BLAS dot: it
        is as fast for these sizes and does not spin threads on a busy machine.
        """
        return np.sum(np.asarray(values) * self.weights, axis=-1)


def uniform_quadrature(model: TriangularTMD, nk: int) -> BZQuadrature:
    """Brute-force uniform ``nk x nk`` grid of the reciprocal unit cell.

    Parameters
    ----------
    model : TriangularTMD
        Band structure.
    nk : int
        Points per reciprocal-lattice direction (>= 4).
    """
    nk = int(nk)
    if nk < 4:
        raise ValueError(f"nk must be >= 4, got {nk}")
    up = model._band_grid(nk).reshape(-1)
    # time reversal: xi_down(k) = xi_up(-k), and -k runs over the same grid
    u = np.arange(nk)
    idx = ((-u[:, None]) % nk) * nk + ((-u[None, :]) % nk)
    down = up[idx.reshape(-1)]
    w = np.full(up.size, 1.0 / up.size)
    return BZQuadrature(up, down, w, f"uniform {nk}x{nk} grid")


# ----------------------------------------------------------------------------
# Fermi-surface adapted polar quadrature on the irreducible wedge
# ----------------------------------------------------------------------------
def _gauss(n):
    x, w = np.polynomial.legendre.leggauss(n)
    return 0.5 * (x + 1.0), 0.5 * w


def _cross(u, v):
    return u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]


@dataclass(frozen=True)
class _Patch:
    center: np.ndarray
    phi_lo: float
    phi_hi: float
    line_p: np.ndarray
    line_q: np.ndarray
    vanishing_edge: float | None  # angle of an edge where Delta_soc = 0 on the FS

    def ray_lengths(self, phi):
        u = np.stack([np.cos(phi), np.sin(phi)], axis=-1)
        d = self.line_q - self.line_p
        return _cross(self.line_p - self.center, d) / _cross(u, d)


def _wedge_patches(model):
    hs = high_symmetry_points()
    G, M, K = hs["Gamma"], hs["M"], hs["K"]
    # choose the split point X on Gamma-K that keeps the segment X-M farthest from the Fermi surfaces
    best, best_score = None, -np.inf
    t = np.linspace(0.0, 1.0, 121)
    for s in np.linspace(0.25, 0.85, 61):
        X = s * K
        pts = X[None, :] + t[:, None] * (M - X)[None, :]
        up, dn = model.dispersion(pts[:, 0], pts[:, 1])
        score = np.min(np.minimum(np.abs(up), np.abs(dn)))
        if score > best_score:
            best, best_score = X, score
    X = best
    return (
        _Patch(G, 0.0, np.pi / 6, X, M, np.pi / 6),
        _Patch(K, 2 * np.pi / 3, np.pi, X, M, None),
    )


def _angular_nodes(patch, n_phi, edge_width):
    """Gauss-Legendre angles on the patch, graded towards a Delta_soc = 0 edge."""
    lo, hi = patch.phi_lo, patch.phi_hi
    x, w = _gauss(n_phi)
    if patch.vanishing_edge is None or edge_width is None or edge_width >= 0.25 * (hi - lo):
        return lo + (hi - lo) * x, (hi - lo) * w
    # panels [edge - edge_width*4^m ...] graded towards the edge at `hi`
    bounds = [hi]
    width = edge_width
    while hi - width > lo + 1e-12 and width < 0.5 * (hi - lo):
        bounds.append(hi - width)
        width *= 4.0
    bounds.append(lo)
    bounds = np.array(sorted(bounds))
    xs, ws = [], []
    n_panel = max(4, n_phi // 2)
    xp, wp = _gauss(n_panel)
    for a_, b_ in zip(bounds[:-1], bounds[1:]):
        n = n_phi if (b_ - a_) > 0.25 * (hi - lo) else n_panel
        xq, wq = (x, w) if n == n_phi else (xp, wp)
        xs.append(a_ + (b_ - a_) * xq)
        ws.append((b_ - a_) * wq)
    return np.concatenate(xs), np.concatenate(ws)


def _level_crossings(model, center, dirs, r_samples, levels, n_bisect=60):
    """Radii where either spin band crosses any of ``levels`` along each ray.

    Returns (radii, ray indices, |d xi / dr| at the crossing, spin index 0/1), all 1D arrays.
    """
    levels = np.asarray(levels, dtype=float)
    n_rays = dirs.shape[0]

    def bands(r, ray):
        k = center + r[..., None] * dirs[ray]
        return model.dispersion(k[..., 0], k[..., 1])

    ray_idx = np.arange(n_rays)[:, None]
    up, dn = bands(r_samples, ray_idx)
    sampled = np.stack([up, dn])  # (spin, ray, sample)
    diff = sampled[:, None, :, :] - levels[None, :, None, None]  # (spin, level, ray, sample)
    change = np.signbit(diff[..., :-1]) != np.signbit(diff[..., 1:])
    spin, lev, ray, col = np.nonzero(change)
    if spin.size == 0:
        return np.zeros(0), np.zeros(0, dtype=int), np.zeros(0), np.zeros(0, dtype=int)
    lo = r_samples[ray, col].copy()
    hi = r_samples[ray, col + 1].copy()
    flo = diff[spin, lev, ray, col]
    target = levels[lev]

    def value(r):
        u, d = bands(r, ray)
        return np.where(spin == 0, u, d) - target

    for _ in range(n_bisect):
        mid = 0.5 * (lo + hi)
        fm = value(mid)
        left = np.signbit(fm) == np.signbit(flo)
        lo, flo, hi = np.where(left, mid, lo), np.where(left, fm, flo), np.where(left, hi, mid)
    r0 = 0.5 * (lo + hi)
    h = 1e-6 * np.maximum(r_samples[ray, -1], 1.0)
    vel = np.abs(value(r0 + h) - value(r0 - h)) / (2 * h)
    return r0, ray, vel, spin


def graded_breakpoints(points, widths, lo, hi, grading):
    """Panel boundaries on ``[lo, hi]``, graded geometrically towards each point.

    Next to each point the first panel has the given width; panel widths then
    grow by ``grading`` until half-way to the neighbouring point (or the end of
    the interval).  Used both for radial panels along rays (lengths in 1/a) and
    for energy panels (meV).
    """
    points = np.asarray(points, dtype=float)
    widths = np.broadcast_to(np.asarray(widths, dtype=float), points.shape)
    order = np.argsort(points)
    points, widths = points[order], widths[order]
    n = points.size
    bounds = [lo, hi]
    for i, (c, h) in enumerate(zip(points, widths)):
        left = c - (points[i - 1] if i > 0 else lo)
        right = (points[i + 1] if i + 1 < n else hi) - c
        left = 0.5 * left if i > 0 else left
        right = 0.5 * right if i + 1 < n else right
        bounds.append(c)
        for room, sgn in ((left, -1.0), (right, 1.0)):
            step = h
            while step < room:
                bounds.append(c + sgn * step)
                step *= grading
    return np.unique(np.clip(bounds, lo, hi))


def _graded_breaks(roots, widths, r_max, grading, max_panel):
    """Radial panel boundaries on [0, r_max]: graded towards each root, no panel longer than max_panel."""
    bounds = graded_breakpoints(roots, widths, 0.0, r_max, grading)
    # subdivide panels longer than max_panel
    out = [bounds[0]]
    for a_, b_ in zip(bounds[:-1], bounds[1:]):
        n = int(np.ceil((b_ - a_) / max_panel))
        out.extend(a_ + (b_ - a_) * np.arange(1, n + 1) / n)
    out = np.array(out)
    keep = np.concatenate([[True], np.diff(out) > 1e-13])
    return out[keep]


def fermi_surface_quadrature(
    model: TriangularTMD,
    scale: float,
    levels=(0.0,),
    *,
    n_phi: int = 24,
    n_gauss: int = 8,
    grading: float = 2.0,
    max_panel: float = 0.25,
    edge_scale: float | None = None,
    n_samples: int = 400,
) -> BZQuadrature:
    """Fermi-surface adapted quadrature of the Brillouin-zone average.

    Parameters
    ----------
    model : TriangularTMD
        Band structure (both spin bands are used).
    scale : float
        Energy resolution (meV): the first radial panel next to every crossing
        of an energy level spans ``scale`` in band energy.  Choose it below the
        smallest energy on which the integrand varies (gap, ``pi T``).
    levels : sequence of float
        Band energies (meV) whose crossings get graded panels; always include
        0 (the Fermi surfaces); add e.g. ``+-J`` for Zeeman-shifted features.
    n_phi : int
        Gauss-Legendre angles per triangle (>= 4).
    n_gauss : int
        Gauss-Legendre nodes per radial panel (>= 2).
    grading : float
        Geometric growth of the panels away from a crossing (> 1).
    max_panel : float
        Largest radial panel (1/a).
    edge_scale : float, optional
        Energy (meV) on which the integrand varies with the spin-orbit
        splitting near its zeros (the in-plane exchange field); if given, the
        angular panels are graded towards the Gamma-M edge where the splitting
        vanishes on the Fermi surface.
    n_samples : int
        Samples per ray used to locate the crossings.

    Returns
    -------
    BZQuadrature
    """
    scale = float(scale)
    if not np.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be a positive energy in meV, got {scale!r}")
    if int(n_phi) < 4 or int(n_gauss) < 2 or not grading > 1.0 or not max_panel > 0:
        raise ValueError("need n_phi >= 4, n_gauss >= 2, grading > 1 and max_panel > 0")
    levels = tuple(sorted(set(float(c) for c in levels) | {0.0}))
    key = (model, scale, levels, int(n_phi), int(n_gauss), float(grading), float(max_panel),
           None if edge_scale is None else float(edge_scale), int(n_samples))
    return _cached_quadrature(*key)


@lru_cache(maxsize=64)
def _cached_quadrature(model, scale, levels, n_phi, n_gauss, grading, max_panel, edge_scale, n_samples):
    xg, wg = _gauss(n_gauss)
    ups, dns, ws = [], [], []
    area_factor = 12.0 / (8.0 * np.pi ** 2 / SQRT3)  # 12 wedges / BZ area
    for patch in _wedge_patches(model):
        edge_width = None
        if edge_scale is not None and patch.vanishing_edge is not None:
            edge_width = _edge_width(model, patch, edge_scale)
        phis, wphis = _angular_nodes(patch, n_phi, edge_width)
        R = patch.ray_lengths(phis)
        dirs = np.stack([np.cos(phis), np.sin(phis)], axis=-1)
        c = patch.center

        r_s = np.linspace(0.0, 1.0, n_samples)[None, :] * R[:, None]
        roots, rays, vel, _ = _level_crossings(model, c, dirs, r_s, levels)
        roots_per_ray = [roots[rays == i] for i in range(phis.size)]
        widths_per_ray = [np.minimum(scale / np.maximum(vel[rays == i], 1e-12), max_panel) for i in range(phis.size)]
        for i, (phi, wphi) in enumerate(zip(phis, wphis)):
            br = _graded_breaks(roots_per_ray[i], widths_per_ray[i], R[i], grading, max_panel)
            a_, b_ = br[:-1, None], br[1:, None]
            r = (a_ + (b_ - a_) * xg[None, :]).reshape(-1)
            wr = ((b_ - a_) * wg[None, :]).reshape(-1)
            k = c + r[:, None] * dirs[i]
            up, dn = model.dispersion(k[:, 0], k[:, 1])
            ups.append(up)
            dns.append(dn)
            ws.append(wr * r * wphi * area_factor)
    w = np.concatenate(ws)
    desc = (f"Fermi-surface polar quadrature: scale={scale:g} meV, levels={levels}, n_phi={n_phi}, "
            f"n_gauss={n_gauss}, grading={grading:g}, edge_scale={edge_scale}")
    return BZQuadrature(np.concatenate(ups), np.concatenate(dns), w, desc)


def _edge_width(model, patch, edge_scale):
    """Angular width near the Delta_soc = 0 edge over which |Delta_soc| on the FS grows by edge_scale."""
    hi = patch.phi_hi
    dphi = 1e-3
    vals = []
    for phi in (hi - dphi,):
        u = np.array([np.cos(phi), np.sin(phi)])
        r = np.linspace(0, patch.ray_lengths(np.array([phi]))[0], 2000)
        up, dn = model.dispersion(*(patch.center[:, None] + u[:, None] * r[None, :]))
        idx = np.nonzero(np.diff(np.sign(up)))[0]
        if idx.size == 0:
            return None
        vals.append(abs(up[idx[0]] - dn[idx[0]]) / dphi)
    slope = max(vals[0], 1e-9)  # d|Delta_soc|/dphi on the Fermi surface (meV/rad)
    return max(edge_scale / slope, 1e-6)


def _contour_density(model, energies, n_phi):
    """(1/A_BZ) oint dl/|grad xi| for many energies, averaged over the two spin bands."""
    energies = np.asarray(energies, dtype=float).reshape(-1)
    area_factor = 12.0 / (8.0 * np.pi ** 2 / SQRT3)
    total = np.zeros(energies.size)
    x, w = _gauss(n_phi)
    for patch in _wedge_patches(model):
        phis = patch.phi_lo + (patch.phi_hi - patch.phi_lo) * x
        wphis = (patch.phi_hi - patch.phi_lo) * w
        R = patch.ray_lengths(phis)
        dirs = np.stack([np.cos(phis), np.sin(phis)], axis=-1)
        c = patch.center
        r_s = np.linspace(0.0, 1.0, 400)[None, :] * R[:, None]
        for spin in (0, 1):
            def band(r, ray):
                k = c + r[..., None] * dirs[ray]
                return model.dispersion(k[..., 0], k[..., 1])[spin]

            B = band(r_s, np.arange(phis.size)[:, None])
            diff = B[None, :, :] - energies[:, None, None]
            sc = np.signbit(diff[:, :, :-1]) != np.signbit(diff[:, :, 1:])
            lev, rays, cols = np.nonzero(sc)
            if lev.size == 0:
                continue
            lo, hi = r_s[rays, cols].copy(), r_s[rays, cols + 1].copy()
            flo = diff[lev, rays, cols]
            e = energies[lev]
            for _ in range(60):
                mid = 0.5 * (lo + hi)
                fm = band(mid, rays) - e
                left = np.signbit(fm) == np.signbit(flo)
                lo, flo, hi = np.where(left, mid, lo), np.where(left, fm, flo), np.where(left, hi, mid)
            r0 = 0.5 * (lo + hi)
            h = 1e-6
            v = np.abs(band(r0 + h, rays) - band(r0 - h, rays)) / (2 * h)
            np.add.at(total, lev, 0.5 * wphis[rays] * r0 / v * area_factor)
    return total


def fermi_surface_density(model: TriangularTMD, energy=0.0, n_phi=64):
    """Density of states of one spin band from a contour integral (1/meV per spin per site).

    ``N(E) = (1/A_BZ) oint dl / |grad xi|`` over the constant-energy contours,
    evaluated in the polar coordinates of the irreducible wedge (Gauss-Legendre
    in angle: exponentially convergent away from van Hove energies).

    Parameters
    ----------
    model : TriangularTMD
    energy : float or array_like
        Energies (meV) from the Fermi level.
    n_phi : int
        Angles per wedge triangle.
    """
    e = np.asarray(energy, dtype=float)
    if not np.all(np.isfinite(e)):
        raise ValueError("energy must be finite")
    out = _contour_density(model, e.ravel(), int(n_phi))
    return out.reshape(e.shape) if e.ndim else float(out[0])


def band_moments(model: TriangularTMD, cutoff: float, powers=(3, 5), n_phi=24):
    """Moments ``M_n = int_{|eps| > cutoff} N(eps) |eps|^-n d eps`` of one spin band.

    Computed on the Fermi-surface quadrature with panel breaks at ``+-cutoff``,
    so the truncation is exact.  Units: meV^-n per spin per site.
    """
    cutoff = float(cutoff)
    if not cutoff > 0:
        raise ValueError(f"cutoff must be > 0 meV, got {cutoff!r}")
    q = fermi_surface_quadrature(model, cutoff / 4.0, (cutoff, -cutoff), n_phi=n_phi, n_gauss=8)
    out = {}
    for n in powers:
        vals = np.zeros_like(q.xi_up)
        for x in (q.xi_up, q.xi_down):
            ax = np.abs(x)
            vals += np.where(ax > cutoff, 1.0 / np.maximum(ax, cutoff) ** n, 0.0)
        out[n] = 0.5 * float(q.average(vals))
    return out


def fermi_surface_nodes(model: TriangularTMD, n_phi=64, energy=0.0):
    """Points of the spin-up Fermi surface with their density-of-states weights.

    The spin-down Fermi surface is the time-reversed image (k -> -k) of the
    spin-up one, with the same distribution of ``|Delta_soc|``.

    Parameters
    ----------
    model : TriangularTMD
    n_phi : int
        Gauss-Legendre angles per wedge triangle.
    energy : float
        Contour energy (meV); 0 is the Fermi surface.

    Returns
    -------
    dict
        ``k`` (n, 2) momenta in 1/a in the wedge Gamma-M-K or its mirror image
        (each point stands for its 12 symmetry images),
        ``weight`` (n,) with ``sum(weight) = N(energy)`` (1/meV per spin per site),
        ``splitting`` (n,) the spin-orbit splitting ``xi_up - xi_down`` there (meV).
    """
    area_factor = 12.0 / (8.0 * np.pi ** 2 / SQRT3)
    ks, ws = [], []
    x, w = _gauss(int(n_phi))
    for patch in _wedge_patches(model):
        phis = patch.phi_lo + (patch.phi_hi - patch.phi_lo) * x
        wphis = (patch.phi_hi - patch.phi_lo) * w
        R = patch.ray_lengths(phis)
        dirs = np.stack([np.cos(phis), np.sin(phis)], axis=-1)
        r_s = np.linspace(0.0, 1.0, 400)[None, :] * R[:, None]
        r0, ray, vel, spin = _level_crossings(model, patch.center, dirs, r_s, [float(energy)])
        k = patch.center + r0[:, None] * dirs[ray]
        # a spin-down crossing in the wedge is the mirror image (kx -> -kx) of a spin-up crossing
        k[:, 0] = np.where(spin == 1, -k[:, 0], k[:, 0])
        ks.append(k)
        ws.append(0.5 * wphis[ray] * r0 / vel * area_factor)
    k = np.concatenate(ks)
    up, dn = model.dispersion(k[:, 0], k[:, 1])
    return {"k": k, "weight": np.concatenate(ws), "splitting": up - dn}
