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

The crossings are found once per ray by sampling and Newton steps with the
analytic band gradient (the private ``isingsc._bands``); the same routine serves the
quadrature, the contour-integral density of states and the Fermi-surface nodes.
The result is a set of nodes with band energies and weights; weights are
normalised so that they sum to one (a Brillouin-zone *average*, i.e. a per-site
quantity).

:func:`uniform_quadrature` is the brute-force reference: a uniform ``nk x nk``
grid of the reciprocal unit cell.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from ._bands import band_evaluator
from ._validation import (
    check_array,
    check_sequence,
    check_callable,
    check_flag,
    check_instance,
    check_int,
    check_real,
    checked_fields,
    numerics,
)
from .model import TriangularTMD, high_symmetry_points

__all__ = [
    "BZQuadrature",
    "fermi_surface_quadrature",
    "uniform_quadrature",
    "fermi_surface_density",
    "fermi_surface_nodes",
    "symmetry_images",
    "MAX_NODES",
]

SQRT3 = np.sqrt(3.0)
#: Brillouin-zone area (1/a^2) of the triangular lattice, 8 pi^2 / sqrt(3).
BZ_AREA = 8.0 * np.pi ** 2 / SQRT3
#: Weight factor of an integral over the irreducible wedge: 12 images / BZ area.
WEDGE_FACTOR = 12.0 / BZ_AREA
#: Largest number of nodes one quadrature may have (about 16 MB per array of node values).
MAX_NODES = 2_000_000
#: Nodes per block when integrands are evaluated: small arrays stay in the allocator's
#: cache, which on the reference machine makes NumPy's elementwise work several times faster.
CHUNK = 2048


@checked_fields(units={"xi_up": "meV", "xi_down": "meV", "k": "1/a"}, nonneg=("weights",))
@dataclass(frozen=True, eq=False)
class BZQuadrature:
    """Nodes and weights of a Brillouin-zone average.

    Attributes
    ----------
    xi_up, xi_down : ndarray
        Band energies (meV) at the nodes (for a model with Rashba coupling the
        helical bands ``E +- |G|``), shape ``(n,)``; read-only.
    weights : ndarray
        Weights, ``>= 0`` and summing to one, so that ``weights @ G(xi_up, xi_down)`` is the
        BZ average of ``G`` (a per-site quantity if ``G`` is per momentum), shape ``(n,)``; read-only.
    description : str
        How the nodes were built.
    k : ndarray or None
        Node momenta (1/a) in the irreducible wedge, shape ``(n, 2)``, where known.

    Examples
    --------
    >>> import numpy as np, isingsc
    >>> q = isingsc.fermi_surface_quadrature(isingsc.NbSe2(), 0.5)
    >>> round(float(q.weights.sum()), 12)
    1.0
    >>> filled = q.integrate(lambda a, b: (a < 0).astype(float) + (b < 0))  # electrons per site
    >>> 0.0 < filled < 2.0
    True
    """

    xi_up: np.ndarray
    xi_down: np.ndarray
    weights: np.ndarray
    description: str = ""
    k: np.ndarray | None = None  # (n, 2) node momenta (1/a) in the wedge, where known

    def __post_init__(self):
        n = self.weights.size
        for name in ("xi_up", "xi_down", "weights"):
            arr = getattr(self, name)
            if arr.shape != (n,):
                raise ValueError(f"{name} must be one-dimensional with the {n} entries of weights, "
                                 f"got shape {arr.shape}")
        if self.k is not None and self.k.shape != (n, 2):
            raise ValueError(f"k must have shape ({n}, 2), got {self.k.shape}")

    @property
    def size(self):
        """Number of nodes.

        Examples
        --------
        >>> import isingsc
        >>> isingsc.uniform_quadrature(isingsc.NbSe2(), 16).size          # 16 x 16 grid
        256
        """
        return self.weights.size

    @numerics
    def average(self, values):
        """Weighted Brillouin-zone average of ``values`` sampled at the nodes (last axis).

        Parameters
        ----------
        values : array_like
            Values at the nodes, shape ``(..., size)``.

        Returns
        -------
        float or ndarray
            The averages, shape ``(...)``.

        Raises
        ------
        TypeError
            Non-real values.
        ValueError
            Non-finite values, or a last axis that is not the number of nodes.

        Examples
        --------
        >>> import isingsc
        >>> q = isingsc.uniform_quadrature(isingsc.NbSe2(), 16)
        >>> round(float(q.average(np.ones(q.size))), 12)
        1.0
        """
        values = check_array(values, "values")
        if values.ndim == 0 or values.shape[-1] != self.size:
            raise ValueError(f"values must have the {self.size} nodes on their last axis, got shape {values.shape}")
        out = np.sum(values * self.weights, axis=-1)
        return float(out) if out.ndim == 0 else out

    @numerics
    def integrate(self, func, *args):
        """Brillouin-zone average of ``func(xi_up, xi_down, *args)``, evaluated in blocks of nodes.

        ``func`` returns an array of values per node, or a tuple of such arrays
        (then a tuple of averages is returned).  Evaluating in blocks of
        ``CHUNK`` (2048) nodes keeps NumPy's temporaries small.

        Parameters
        ----------
        func : callable
            ``func(xi_up, xi_down, *args)`` of the band energies (meV) at a block of nodes,
            returning real values per node (an array or a tuple of arrays).
        *args
            Passed on to ``func``.

        Returns
        -------
        float or tuple of float
            The weighted averages.

        Raises
        ------
        TypeError
            ``func`` not callable, or returning non-real values.
        ValueError
            ``func`` returning non-finite values, or values of the wrong shape.

        Examples
        --------
        >>> import isingsc
        >>> q = isingsc.uniform_quadrature(isingsc.NbSe2(), 64)
        >>> round(q.integrate(lambda a, b: (a < 0).astype(float) + (b < 0)), 2)   # electrons per site
        1.22
        """
        check_callable(func, "func", "func(xi_up, xi_down, *args)")
        return self._integrate(func, *args, checked=True)

    def _integrate(self, func, *args, checked=False):
        n = self.size
        total = None
        for s in range(0, n, CHUNK):
            e = min(n, s + CHUNK)
            out = func(self.xi_up[s:e], self.xi_down[s:e], *args)
            if checked:
                out = _checked_output(out, e - s)
            w = self.weights[s:e]
            part = tuple(float(np.dot(o, w)) for o in out) if isinstance(out, tuple) else float(np.dot(out, w))
            if total is None:
                total = part
            elif isinstance(part, tuple):
                total = tuple(x + y for x, y in zip(total, part))
            else:
                total += part
        return total


def _check_surface(sp, name):
    """One entry of ``surfaces``: ``(kind, parameters...)`` with a string kind and real parameters >= 0 (meV)."""
    sp = check_sequence(sp, name, min_length=2, max_length=4)
    if not isinstance(sp[0], str):
        raise TypeError(f"{name}[0] must be a surface kind ('zeeman' or 'gapless'), got {sp[0]!r}")
    return (sp[0],) + tuple(check_real(x, f"{name}[{i + 1}]", unit="meV", nonneg=True) for i, x in enumerate(sp[1:]))


def _checked_output(out, m):
    """A user integrand's values on a block of ``m`` nodes: real, finite, one per node."""
    parts = out if isinstance(out, tuple) else (out,)
    checked = []
    for o in parts:
        arr = check_array(o, "func's values")
        arr = np.broadcast_to(arr, (m,)) if arr.ndim == 0 else arr
        if arr.shape != (m,):
            raise ValueError(f"func must return one value per node ({m}), got shape {arr.shape}")
        checked.append(arr)
    return tuple(checked) if isinstance(out, tuple) else checked[0]


def symmetry_images(k, distinct_in_g2=True):
    """Images of wedge momenta ``k`` (n, 2) under the hexagonal point group, shape (m, n, 2).

    The 12 operations of C6v map the wedge Gamma-M-K onto the zone; every
    function of the (helical) band energies is the same at all of them.  With
    ``distinct_in_g2`` only 6 are returned (rotations by 0, 60, 120 degrees and
    their mirror images): the other 6 are their time-reversal partners ``-k``,
    where the spin-orbit vector is reversed, so any function of ``(G . J)^2``
    repeats.

    Parameters
    ----------
    k : array_like
        Momenta (1/a), shape ``(n, 2)``.
    distinct_in_g2 : bool, optional
        Only the 6 images that differ in ``(G . J)^2`` (default), else all 12.

    Returns
    -------
    ndarray
        Shape ``(6, n, 2)`` or ``(12, n, 2)`` (1/a).

    Raises
    ------
    TypeError
        Non-real momenta or a non-boolean ``distinct_in_g2``.
    ValueError
        Non-finite momenta or a shape other than ``(n, 2)``.

    Examples
    --------
    >>> symmetry_images(np.array([[1.0, 0.2]])).shape
    (6, 1, 2)
    """
    k = check_array(k, "k", unit="1/a", allow_empty=True)
    if k.ndim != 2 or k.shape[1] != 2:
        raise ValueError(f"k must have shape (n, 2), got {k.shape}")
    distinct_in_g2 = check_flag(distinct_in_g2, "distinct_in_g2")
    angles = np.arange(3 if distinct_in_g2 else 6) * (np.pi / 3)
    out = []
    for mirror in (False, True):
        kk = k * np.array([1.0, -1.0]) if mirror else k
        for a in angles:
            c, s_ = np.cos(a), np.sin(a)
            out.append(np.stack([c * kk[:, 0] - s_ * kk[:, 1], s_ * kk[:, 0] + c * kk[:, 1]], axis=-1))
    return np.stack(out)


def uniform_quadrature(model: TriangularTMD, nk: int) -> BZQuadrature:
    """Brute-force uniform ``nk x nk`` grid of the reciprocal unit cell.

    Parameters
    ----------
    model : TriangularTMD
        Band structure.
    nk : int
        Points per reciprocal-lattice direction (4 <= nk <= 4096; the brute
        force needs large grids, up to 16.8 million points, 134 MB per array).

    Returns
    -------
    BZQuadrature
        ``nk^2`` nodes with equal weights.

    Raises
    ------
    TypeError
        ``model`` not a :class:`~isingsc.model.TriangularTMD`, or a non-integer ``nk``.
    ValueError
        ``nk`` outside 4 ... 4096.

    Examples
    --------
    >>> import isingsc
    >>> q = uniform_quadrature(isingsc.NbSe2(), 32)
    >>> q.size, round(float(q.weights.sum()), 12)
    (1024, 1.0)
    """
    check_instance(model, "model", TriangularTMD)
    nk = check_int(nk, "nk", minimum=4, maximum=4096)
    up = model._band_grid(nk).reshape(-1)
    if model.alpha_R != 0.0:  # helical bands
        down = model._band_grid(nk, 1).reshape(-1)
    else:
        # time reversal: xi_down(k) = xi_up(-k), and -k runs over the same grid
        u = np.arange(nk)
        idx = ((-u[:, None]) % nk) * nk + ((-u[None, :]) % nk)
        down = up[idx.reshape(-1)]
    w = np.full(up.size, 1.0 / up.size)
    return BZQuadrature(up, down, w, f"uniform {nk}x{nk} grid")


# ----------------------------------------------------------------------------
# geometry of the irreducible wedge
# ----------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _gauss(n):
    """Gauss-Legendre nodes and weights on [0, 1] (Newton on the Legendre recurrence, to rounding)."""
    k = np.arange(1, n + 1)
    x = np.cos(np.pi * (k - 0.25) / (n + 0.5))
    for _ in range(100):
        p0, p1 = np.ones_like(x), x.copy()
        for j in range(2, n + 1):
            p0, p1 = p1, ((2 * j - 1) * x * p1 - (j - 1) * p0) / j
        dp = n * (x * p1 - p0) / (x * x - 1.0)
        dx = p1 / dp
        x = x - dx
        if np.max(np.abs(dx)) < 1e-16:
            break
    p0, p1 = np.ones_like(x), x.copy()
    for j in range(2, n + 1):
        p0, p1 = p1, ((2 * j - 1) * x * p1 - (j - 1) * p0) / j
    dp = n * (x * p1 - p0) / (x * x - 1.0)
    w = 2.0 / ((1.0 - x * x) * dp * dp)
    x, w = x[::-1], w[::-1]
    for a in (x, w):
        a.setflags(write=False)
    return 0.5 * (x + 1.0), 0.5 * w


def _cross(u, v):
    return u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]


@dataclass(frozen=True)
class _Patch:
    index: int
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


@lru_cache(maxsize=64)
def _wedge_patches(model):
    """The two triangles Gamma-M-X and K-X-M of the wedge (X on Gamma-K chosen per model)."""
    hs = high_symmetry_points()
    G, M, K = hs["Gamma"], hs["M"], hs["K"]
    ev = band_evaluator(model)
    # choose the split point X on Gamma-K that keeps the segment X-M farthest from the Fermi surfaces
    s = np.linspace(0.25, 0.85, 31)
    t = np.linspace(0.0, 1.0, 61)
    X = s[:, None, None] * K[None, None, :]
    pts = X + t[None, :, None] * (M[None, None, :] - X)
    up, dn = ev.bands(pts[..., 0], pts[..., 1])
    score = np.min(np.minimum(np.abs(up), np.abs(dn)), axis=1)
    Xb = float(s[int(np.argmax(score))]) * K
    return (
        _Patch(0, G, 0.0, np.pi / 6, Xb, M, np.pi / 6),
        _Patch(1, K, 2 * np.pi / 3, np.pi, Xb, M, None),
    )


def _directions(phis):
    return np.stack([np.cos(phis), np.sin(phis)], axis=-1)


@lru_cache(maxsize=64)
def _ray_samples(model, patch_index, phis_key, n_samples):
    """Radii (n_rays, n_samples) and band values (2, n_rays, n_samples) sampled along rays."""
    patch = _wedge_patches(model)[patch_index]
    phis = np.frombuffer(phis_key)
    R = patch.ray_lengths(phis)
    r_s = np.linspace(0.0, 1.0, n_samples)[None, :] * R[:, None]
    k = patch.center + r_s[..., None] * _directions(phis)[:, None, :]
    up, dn = _chunked_bands(band_evaluator(model), k[..., 0].ravel(), k[..., 1].ravel())
    vals = np.stack([up.reshape(r_s.shape), dn.reshape(r_s.shape)])
    for a in (r_s, vals):
        a.setflags(write=False)
    return r_s, vals


def _chunked_bands(ev, kx, ky):
    return ev.bands(kx, ky)  # the evaluator blocks internally


@dataclass(frozen=True)
class _Crossings:
    """Crossings along ray ``ray`` at radius r (1/a) with the energy velocity |dE/dr| (meV a).

    For level crossings ``spin`` (0 up, 1 down) and ``level`` (index) say which; for
    surface crossings both are -1.
    """

    r: np.ndarray
    ray: np.ndarray
    spin: np.ndarray
    level: np.ndarray
    velocity: np.ndarray
    curvature: np.ndarray = None  # |d^2 xi/dr^2| (meV a^2) where known, else 0
    near_miss: np.ndarray = None  # for spin == -2 entries: |xi - level| at an extremum (meV)

    def __post_init__(self):
        for name in ("curvature", "near_miss"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, np.zeros(self.r.size))

    @property
    def true(self):
        """Mask of actual crossings (not near misses)."""
        return self.spin != -2

    @staticmethod
    def concatenate(parts):
        parts = [p for p in parts if p.r.size]
        if not parts:
            return _NO_CROSSINGS
        return _Crossings(*(np.concatenate([getattr(p, f) for p in parts])
                            for f in ("r", "ray", "spin", "level", "velocity", "curvature", "near_miss")))


_NO_CROSSINGS = _Crossings(np.zeros(0), np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros(0, dtype=int),
                           np.zeros(0))


# Curved features: zero sets that are not level sets of one band.  Each feature is a set of
# continuous *branches* (quasiparticle energies E_n(xi_up, xi_down), meV); a branch changes sign
# once where it crosses zero, so close pairs of crossings (two branches) are found separately.
# With the band derivatives along the ray a feature also returns dE_n/dr, whose magnitude is the
# velocity that sets the first radial panel (it spans `scale` in E_n).
def _zeeman_surface(jz, jx):
    """Normal-state quasiparticle energies in the field: m +- rho_p (particles), -m +- rho_h (holes).

    ``m = (a + b)/2``, ``rho_{p,h} = sqrt(((a - b)/2 +- Jz)^2 + Jx^2)``; their zeros are the
    Fermi surfaces in the field (for ``Jx = 0`` the levels ``a = -+Jz``, ``b = +-Jz``).
    """
    jx2 = jx * jx

    def f(a, b, da=None, db=None):
        m = 0.5 * (a + b)
        d = 0.5 * (a - b)
        rp = np.sqrt((d + jz) ** 2 + jx2)
        rh = np.sqrt((d - jz) ** 2 + jx2)
        vals = np.stack([m + rp, m - rp, rh - m, -rh - m])
        if da is None:
            return vals
        dm = 0.5 * (da + db)
        dd = 0.5 * (da - db)
        with np.errstate(divide="ignore", invalid="ignore"):
            drp = np.where(rp > 0, (d + jz) * dd / np.where(rp > 0, rp, 1.0), 0.0)
            drh = np.where(rh > 0, (d - jz) * dd / np.where(rh > 0, rh, 1.0), 0.0)
        dv = np.stack([dm + drp, dm - drp, drh - dm, -drh - dm])
        return vals, dv, np.abs(dv)

    return f


def _gapless_surface(delta, jz, jx):
    """The four BdG quasiparticle energies at gap ``delta`` (sorted), whose zeros are the gapless surfaces."""
    from .bdg import _ferrari_roots

    d2 = delta * delta
    J = float(np.hypot(jz, jx))

    def f(a, b, da=None, db=None):
        E = np.sort(np.stack(_ferrari_roots(a, b, d2, J, jz, jx)), axis=0)
        if da is None:
            return E
        a2, b2 = a * a, b * b
        p = -(a2 + b2 + 2.0 * d2 + 2.0 * J * J)
        q = -2.0 * jz * (a2 - b2)
        dp = -2.0 * (a * da + b * db)
        dq = -4.0 * jz * (a * da - b * db)
        dr = ((2 * a * (b2 + d2) - 2 * jz * jz * a - 2 * jx * jx * b) * da
              + (2 * b * (a2 + d2) - 2 * jz * jz * b - 2 * jx * jx * a) * db)
        with np.errstate(divide="ignore", invalid="ignore"):
            dE = -(dp * E * E + dq * E + dr) / (4.0 * E ** 3 + 2.0 * p * E + q)
        bound = np.abs(da) + np.abs(db)  # |dE/dr| <= ||dH/dr||
        dE = np.where(np.isfinite(dE), np.clip(dE, -bound, bound), 0.0)
        return E, dE, np.abs(dE)

    return f


def _surface_functions(surfaces):
    """The feature functions of the surface specifications (hashable tuples).

    * ``("zeeman", Jz, Jx)``: the normal-state Fermi surfaces in the field
      (particle and hole blocks);
    * ``("gapless", delta, Jz, Jx)``: where a BdG eigenvalue at gap ``delta``
      crosses zero (a kink of the integrand at T = 0).
    """
    out = []
    for spec in surfaces:
        kind = spec[0]
        if kind == "zeeman":
            _, jz, jx = spec
            out.append(_zeeman_surface(jz, jx))
        elif kind == "gapless":
            _, delta, jz, jx = spec
            out.append(_gapless_surface(delta, jz, jx))
        else:
            raise ValueError(f"unknown surface kind {kind!r} in surfaces (known: 'zeeman', 'gapless')")
    return out


def _newton_on_rays(ev, patch, dirs, ray, lo, hi, flo, x, value_and_slope):
    """Safeguarded Newton iteration for roots bracketed by [lo, hi] along rays; returns (r, |d value/dr|, extra)."""
    ux, uy = dirs[ray, 0], dirs[ray, 1]
    cx, cy = patch.center
    der = np.ones_like(x)
    extra = np.zeros_like(x)
    active = np.arange(x.size)
    for _ in range(80):
        xa = x[active]
        up, dn, gu, gd = ev.bands_and_gradients(cx + xa * ux[active], cy + xa * uy[active])
        du = gu[0] * ux[active] + gu[1] * uy[active]
        dd = gd[0] * ux[active] + gd[1] * uy[active]
        val, d, ext = value_and_slope(active, up, dn, du, dd)
        der[active] = d
        extra[active] = ext
        same = np.signbit(val) == np.signbit(flo[active])
        lo_a = np.where(same, xa, lo[active])
        hi_a = np.where(same, hi[active], xa)
        flo[active] = np.where(same, val, flo[active])
        lo[active], hi[active] = lo_a, hi_a
        with np.errstate(divide="ignore", invalid="ignore"):
            xn = xa - val / d
        bad = ~((xn > lo_a) & (xn < hi_a))
        xn = np.where(bad, 0.5 * (lo_a + hi_a), xn)
        # Newton converges quadratically: after a step below 1e-7 (1/a) the root is exact to ~1e-14
        done = (np.abs(xn - xa) <= 1e-7 * np.maximum(np.abs(xa), 1.0)) & ~bad | (val == 0.0) | (hi_a - lo_a <= 4e-16)
        x[active] = np.where(val == 0.0, xa, xn)
        active = active[~done]
        if active.size == 0:
            break
    # the slope at the converged root (near a tangency it is small and the last Newton step matters)
    allx = np.arange(x.size)
    up, dn, gu, gd = ev.bands_and_gradients(cx + x * ux, cy + x * uy)
    _, d, ext = value_and_slope(allx, up, dn, gu[0] * ux + gu[1] * uy, gd[0] * ux + gd[1] * uy)
    return x, np.abs(d), (ext if np.ndim(ext) else extra)


def _sign_changes(values, r_s):
    """Brackets of the sign changes of values (..., ray, sample) along rays."""
    neg = np.signbit(values)
    idx = np.nonzero(neg[..., :-1] != neg[..., 1:])
    ray, col = idx[-2], idx[-1]
    lo = r_s[ray, col].copy()
    hi = r_s[ray, col + 1].copy()
    flo = values[idx[:-1] + (col,)]
    fhi = values[idx[:-1] + (col + 1,)]
    x = lo + (hi - lo) * (flo / (flo - fhi))
    return idx, lo, hi, flo.copy(), x


def _ray_crossings(model, patch, phis, levels, n_samples, samples=None, surfaces=()):
    """All crossings along the rays at angles ``phis`` of the two spin bands with ``levels`` (meV)
    and of the curved features ``surfaces`` (see :func:`_surface_functions`).

    The rays are sampled at ``n_samples`` points; every sign change is bracketed
    and refined by Newton steps on the analytic radial derivative (bisection
    where a step leaves the bracket) to machine precision.  This is the one
    crossing search of the module.
    """
    levels = np.asarray(levels, dtype=float).reshape(-1)
    if samples is None:
        r_s, vals = _ray_samples(model, patch.index, np.ascontiguousarray(phis, float).tobytes(), n_samples)
    else:
        r_s, vals = samples
    dirs = _directions(phis)
    ev = band_evaluator(model)
    parts = []
    if levels.size:
        diff = vals[:, None, :, :] - levels[None, :, None, None]  # (spin, level, ray, sample)
        (spin, lev, ray, _), lo, hi, flo, x = _sign_changes(diff, r_s)
        hidden, hidden_near = _hidden_pairs(ev, patch, dirs, r_s, vals, levels, near=True)
        if hidden is not None:
            spin, lev, ray, lo, hi, flo, x = (np.concatenate([u, v]) for u, v in
                                              zip((spin, lev, ray, lo, hi, flo, x), hidden))
        if spin.size:
            target = levels[lev]
            is_up = spin == 0

            def level_value(act, up, dn, du, dd):
                ia = is_up[act]
                return np.where(ia, up, dn) - target[act], np.where(ia, du, dd), 0.0

            r, vel, _ = _newton_on_rays(ev, patch, dirs, ray, lo, hi, flo, x, level_value)
            curv = _radial_curvature(ev, patch, dirs, ray, spin, r)
            parts.append(_Crossings(r, ray, spin, lev, vel, curv))
        if hidden_near is not None:
            n_spin, n_lev, n_ray, n_r, n_gap, n_curv = hidden_near
            parts.append(_Crossings(n_r, n_ray, np.full(n_r.size, -2), n_lev, np.zeros(n_r.size), n_curv, n_gap))
    if surfaces:
        parts += _surface_crossings(model, patch, dirs, r_s[:, -1], parts[0] if parts else _NO_CROSSINGS,
                                    levels, surfaces)
    return _Crossings.concatenate(parts)


def _radial_curvature(ev, patch, dirs, ray, spin, r):
    """|d^2 xi_spin / dr^2| (meV a^2) at radii r along rays (central difference of the analytic slope)."""
    ux, uy = dirs[ray, 0], dirs[ray, 1]
    cx, cy = patch.center
    h = 1e-4
    out = []
    for sg in (1.0, -1.0):
        rr = r + sg * h
        _, _, gu, gd = ev.bands_and_gradients(cx + rr * ux, cy + rr * uy)
        out.append(np.where(spin == 0, gu[0] * ux + gu[1] * uy, gd[0] * ux + gd[1] * uy))
    return np.abs(out[0] - out[1]) / (2 * h)


def _hidden_pairs(ev, patch, dirs, r_s, vals, levels, steps=45, near=False):
    """Brackets of crossing pairs that fall between two samples (a ray nearly tangent to a contour).

    Where a band has an extremum along the ray between samples and the level
    lies within the band's change over the neighbouring samples, the extremum
    is located by bisection on the radial derivative; if the band passes the
    level there, the two crossings get a bracket each.  Returns arrays
    ``(spin, level, ray, lo, hi, f(lo), start)`` or None; with ``near``, also
    the extrema that miss the level, ``(spin, level, ray, r, |xi - level|, |xi''|)``
    (or None): the integrand is sharp there too.
    """
    none = (None, None) if near else None
    d = np.diff(vals, axis=-1)  # (spin, ray, S-1)
    turn = np.signbit(d[..., :-1]) != np.signbit(d[..., 1:])
    spin, ray, j = np.nonzero(turn)
    if spin.size == 0:
        return none
    j = j + 1  # the sample next to the extremum
    vj = vals[spin, ray, j]
    span = np.maximum(np.abs(d[spin, ray, j - 1]), np.abs(d[spin, ray, j]))
    dlev = vj[:, None] - levels[None, :]  # (candidate, level)
    same = (np.signbit(vals[spin, ray, j - 1][:, None] - levels) == np.signbit(dlev)) & \
           (np.signbit(vals[spin, ray, j + 1][:, None] - levels) == np.signbit(dlev))
    near_level = same & (np.abs(dlev) < 2.0 * span[:, None])
    cand, lev = np.nonzero(near_level)
    if cand.size == 0:
        return none
    spin, ray, j = spin[cand], ray[cand], j[cand]
    lo, hi = r_s[ray, j - 1].copy(), r_s[ray, j + 1].copy()
    ux, uy = dirs[ray, 0], dirs[ray, 1]
    cx, cy = patch.center
    up_ = spin == 0

    def slope(r):
        u, dn, gu, gd = ev.bands_and_gradients(cx + r * ux, cy + r * uy)
        return (np.where(up_, u, dn), np.where(up_, gu[0] * ux + gu[1] * uy, gd[0] * ux + gd[1] * uy))

    s_lo = slope(lo)[1]
    for _ in range(steps):  # bisection for the zero of the radial derivative (the extremum)
        mid = 0.5 * (lo + hi)
        s_mid = slope(mid)[1]
        left = np.signbit(s_mid) == np.signbit(s_lo)
        lo, s_lo, hi = np.where(left, mid, lo), np.where(left, s_mid, s_lo), np.where(left, hi, mid)
    r_ext = 0.5 * (lo + hi)
    v_ext = slope(r_ext)[0] - levels[lev]
    f_side = vals[spin, ray, j] - levels[lev]
    pair = np.signbit(v_ext) != np.signbit(f_side)
    miss = None
    if near and (~pair).any():
        m_ = ~pair
        miss = (spin[m_], lev[m_], ray[m_], r_ext[m_], np.abs(v_ext[m_]),
                _radial_curvature(ev, patch, dirs, ray[m_], spin[m_], r_ext[m_]))
    if not pair.any():
        return (None, miss) if near else None
    spin, lev, ray, j, r_ext, v_ext = spin[pair], lev[pair], ray[pair], j[pair], r_ext[pair], v_ext[pair]
    a_lo, a_hi = r_s[ray, j - 1], r_ext
    b_lo, b_hi = r_ext, r_s[ray, j + 1]
    fa = vals[spin, ray, j - 1] - levels[lev]
    fb = v_ext
    pairs = (np.concatenate([spin, spin]), np.concatenate([lev, lev]), np.concatenate([ray, ray]),
             np.concatenate([a_lo, b_lo]), np.concatenate([a_hi, b_hi]), np.concatenate([fa, fb]),
             np.concatenate([0.5 * (a_lo + a_hi), 0.5 * (b_lo + b_hi)]))
    return (pairs, miss) if near else pairs


#: points per Fermi-surface window on which curved features are sampled
_WINDOW_POINTS = 48


def _surface_crossings(model, patch, dirs, R, level_crossings, levels, surfaces):
    """Crossings of the curved features, searched in windows around the Fermi-surface crossings.

    Every feature lies within an energy ``window`` (the spec's field, meV) of a
    band's Fermi surface, where it varies on that scale; sampling a window of
    ``+-1.5 window / |d xi/dr|`` around each Fermi-surface crossing with
    :data:`_WINDOW_POINTS` points resolves pairs of crossings down to 1/16 of
    the window, which ray-wide sampling (spacing ~ 5 meV) would miss.
    """
    ev = band_evaluator(model)
    c = level_crossings
    zero = np.flatnonzero(np.asarray(levels) == 0.0)
    on_fs = np.isin(c.level, zero) & (c.spin >= 0)
    r0, ray0, v0 = c.r[on_fs], c.ray[on_fs], np.maximum(c.velocity[on_fs], 1e-300)
    parts = []
    if r0.size == 0:
        return parts
    for spec, fn in zip(surfaces, _surface_functions(surfaces)):
        # the Zeeman branches are monotone across a window; the gapless ones are bumps (pairs of zeros)
        t = np.linspace(-1.0, 1.0, _WINDOW_POINTS if spec[0] == "gapless" else 16)
        window = max(float(np.hypot(spec[-2], spec[-1])), 1e-12)  # the field J (meV)
        w = np.minimum(1.5 * window / v0, 0.5)
        r_w = np.clip(r0[:, None] + w[:, None] * t[None, :], 0.0, R[ray0][:, None])
        k = patch.center + r_w[..., None] * dirs[ray0][:, None, :]
        up, dn = _chunked_bands(ev, k[..., 0].ravel(), k[..., 1].ravel())
        fv = fn(up.reshape(r_w.shape), dn.reshape(r_w.shape))  # (branch, window, point)
        (branch, win, _), lo, hi, flo, x = _sign_changes(fv, r_w)
        if win.size == 0:
            continue
        ray = ray0[win]

        def surface_value(act, up, dn, du, dd, fn=fn, branch=branch):
            v, dv, vel = fn(up, dn, du, dd)
            k = np.arange(act.size)
            br = branch[act]
            return v[br, k], dv[br, k], vel[br, k]

        r, _, vel = _newton_on_rays(ev, patch, dirs, ray, lo, hi, flo, x, surface_value)
        minus = -np.ones(r.size, dtype=int)
        parts.append(_Crossings(r, ray, minus, minus, vel))
    return parts


# ----------------------------------------------------------------------------
# Fermi-surface adapted polar quadrature on the irreducible wedge
# ----------------------------------------------------------------------------
def _angular_nodes(patch, n_phi, edge_width, events=()):
    """Gauss-Legendre angles on the patch, graded towards singular angles.

    ``edge_width``: grading towards a Delta_soc = 0 edge (the in-plane field's
    scale); ``events``: ``(angle, width)`` pairs where the angular integrand is
    not smooth (a Fermi-surface tangency, a crossing leaving through the ray's
    end, a van Hove saddle at a corner), graded geometrically (factor 4) from
    ``width`` outwards until half-way to the neighbouring singular angle.
    """
    lo, hi = patch.phi_lo, patch.phi_hi
    x, w = _gauss(n_phi)
    edge = patch.vanishing_edge is not None and edge_width is not None and edge_width < 0.25 * (hi - lo)
    if not events and not edge:
        return lo + (hi - lo) * x, (hi - lo) * w
    bounds = [lo, hi]
    if edge:  # panels [edge - edge_width 4^m, ...] graded towards the edge at `hi`, up to half the patch
        width = edge_width
        while hi - width > lo + 1e-12 and width < 0.5 * (hi - lo):
            bounds.append(hi - width)
            width *= 4.0
    if events:
        bounds += list(graded_breakpoints([p for p, _ in events], [wd for _, wd in events], lo, hi, 4.0))
    bounds = np.unique(np.clip(bounds, lo, hi))
    bounds = bounds[np.concatenate([[True], np.diff(bounds) > 1e-13])]
    singular = np.array([p for p, _ in events])
    xs, ws = [], []
    n_panel = max(4, n_phi // 2)
    xp, wp = _gauss(n_panel)
    panels = []
    for a_, b_ in zip(bounds[:-1], bounds[1:]):
        at_a = bool(singular.size) and np.min(np.abs(singular - a_)) < 1e-14
        at_b = bool(singular.size) and np.min(np.abs(singular - b_)) < 1e-14
        if at_a and at_b:  # singular at both ends: two halves, each with one singular end
            m_ = 0.5 * (a_ + b_)
            panels += [(a_, m_, True, False), (m_, b_, False, True)]
        else:
            panels.append((a_, b_, at_a, at_b))
    for a_, b_, at_a, at_b in panels:
        xq, wq = (x, w) if (b_ - a_) > 0.25 * (hi - lo) else (xp, wp)
        if at_a != at_b:
            # next to a singular angle (inverse-square-root at a tangency, a jump, a logarithm):
            # phi = edge + (panel) t^2 makes the integrand smooth in t
            t2, wt = xq * xq, 2.0 * xq * wq
            xs.append(a_ + (b_ - a_) * t2 if at_a else b_ - (b_ - a_) * t2)
            ws.append((b_ - a_) * wt)
        else:
            xs.append(a_ + (b_ - a_) * xq)
            ws.append((b_ - a_) * wq)
    return np.concatenate(xs), np.concatenate(ws)


def _fs_counts(model, patch, phis, n_samples):
    """Number of Fermi-surface crossings of each spin band along each ray (close pairs included), (rays, 2)."""
    R = patch.ray_lengths(phis)
    r_s = np.linspace(0.0, 1.0, n_samples)[None, :] * R[:, None]
    k = patch.center + r_s[..., None] * _directions(phis)[:, None, :]
    ev = band_evaluator(model)
    up, dn = ev.bands(k[..., 0].ravel(), k[..., 1].ravel())
    vals = np.stack([up.reshape(r_s.shape), dn.reshape(r_s.shape)])
    neg = np.signbit(vals)
    out = np.count_nonzero(neg[..., 1:] != neg[..., :-1], axis=-1).T.copy()  # (rays, spin)
    hidden = _hidden_pairs(ev, patch, _directions(phis), r_s, vals, np.zeros(1), steps=28)
    if hidden is not None:
        np.add.at(out, (hidden[2], hidden[0]), 1)
    return out


#: angular width (rad) of the first panel next to a singular angle of the angular integrand: next to a
#: jump (a crossing leaving through the ray's end) or a tangency (an inverse square root) the t^2
#: substitution of :func:`_angular_nodes` makes a panel of this width smooth; a van Hove saddle or the
#: corner M (logarithms) get geometric grading from _LOG_WIDTH
_EVENT_WIDTH = 1e-3
_LOG_WIDTH = 1e-5
#: a Fermi-surface crossing closer than this to the corner M (1/a) makes the corner a singular angle
_CORNER_DISTANCE = 0.3


@lru_cache(maxsize=128)
def _angular_events(model, patch_index, n_samples, tangencies=False):
    """Singular angles of the patch for the model's Fermi surface, as ``((angle, width), ...)``.

    The angular integrand (a radial integral along each ray) is not smooth at
    angles where

    * the Fermi surface crosses the patch's outer boundary X-M (a crossing
      leaves through the ray's end): found exactly along the segment;
    * a ray is tangent to the Fermi surface (two crossings merge): where the
      number of crossings (close pairs included) changes between probe rays,
      located by bisection in angle;
    * the Fermi surface passes within ``_CORNER_DISTANCE`` of the corner M (a van
      Hove saddle near the Fermi level): the edge through M.

    Tangencies are probed with 160 rays (:func:`_tangency_events`) when any of the
    other singular angles is present or with ``tangencies`` (the quadrature asks
    when the crossing counts of its own rays change or a band nearly touches the
    Fermi level).  For the usual pockets around Gamma and K there are none.
    """
    patch = _wedge_patches(model)[patch_index]
    lo, hi = patch.phi_lo, patch.phi_hi
    span = hi - lo
    events = [(phi, _EVENT_WIDTH) for phi in _boundary_crossing_angles(model, patch, n_samples)]
    M = high_symmetry_points()["M"]
    ev = band_evaluator(model)
    for phi in (lo, hi):
        u = _directions(np.array([phi]))[0]
        end = patch.center + patch.ray_lengths(np.array([phi]))[0] * u
        if np.linalg.norm(end - M) > 1e-9:
            continue
        # does a Fermi surface cross the last _CORNER_DISTANCE of the edge ray (a band extremum there counts)?
        k = M[None, :] - np.linspace(0.0, _CORNER_DISTANCE, 65)[:, None] * u[None, :]
        up, dn = ev.bands(k[:, 0], k[:, 1])
        if any(v.min() <= 0.0 <= v.max() for v in (up, dn)):
            events.append((phi, _LOG_WIDTH))
    for k_s, xi_s in _saddle_points(model):
        rel = k_s - patch.center
        phi = float(np.arctan2(rel[1], rel[0]))
        if phi < lo - 1e-12:
            phi += 2 * np.pi
        if lo - 1e-12 <= phi <= hi + 1e-12 and abs(xi_s) < _SADDLE_WINDOW:
            events.append((min(max(phi, lo), hi), _LOG_WIDTH))
    if events or tangencies:
        events += list(_tangency_events(model, patch_index, n_samples))
    events = sorted(events)
    merged = []
    for ev_ in events:  # coincident events are one (the finer width wins)
        if merged and ev_[0] - merged[-1][0] < 1e-9 * span:
            merged[-1] = (merged[-1][0], min(merged[-1][1], ev_[1]))
            continue
        merged.append(ev_)
    return tuple(merged)


def _needs_tangencies(c, n_rays, levels):
    """True if the Fermi-surface crossings of a ray set hint at tangencies: counts that change from ray
    to ray, or band extrema that nearly touch the Fermi level."""
    zero = np.flatnonzero(np.asarray(levels, float) == 0.0)
    if zero.size == 0:
        return False
    at0 = np.isin(c.level, zero)
    sub = _Crossings(c.r[at0], c.ray[at0], c.spin[at0], c.level[at0], c.velocity[at0], c.curvature[at0],
                     c.near_miss[at0])
    counts = _crossing_counts(sub, n_rays)
    return bool(np.any(counts != counts[0]) or np.any(~sub.true))


def _crossing_counts(c, n_rays):
    """Fermi-surface crossings per (ray, spin) of a crossing set (level 0 must be level index of 0)."""
    out = np.zeros((n_rays, 2), dtype=int)
    t = c.true
    np.add.at(out, (c.ray[t], c.spin[t]), 1)
    return out


@lru_cache(maxsize=64)
def _tangency_events(model, patch_index, n_samples):
    """Angles where a ray is tangent to the Fermi surface: the crossing count changes between 160 probes."""
    patch = _wedge_patches(model)[patch_index]
    lo, hi = patch.phi_lo, patch.phi_hi
    span = hi - lo
    events = []
    probe = lo + span * np.concatenate([[1e-9], (np.arange(160) + 0.5) / 160, [1 - 1e-9]])
    counts = _fs_counts(model, patch, probe, n_samples)
    for i in range(probe.size - 1):
        if np.array_equal(counts[i], counts[i + 1]):
            continue
        a_, b_, ca = probe[i], probe[i + 1], counts[i]
        for _ in range(64):  # to rounding: a tangency's 1/sqrt must sit at a panel end
            mid = 0.5 * (a_ + b_)
            if not a_ < mid < b_:
                break
            cm = _fs_counts(model, patch, np.array([mid]), n_samples)[0]
            a_, b_, ca = (mid, b_, cm) if np.array_equal(cm, ca) else (a_, mid, ca)
        events.append((0.5 * (a_ + b_), _EVENT_WIDTH))
    return tuple(events)


#: saddle points of a band closer than this to the Fermi level (meV) make their angle singular
_SADDLE_WINDOW = 60.0


def _saddle_points(model):
    """Saddle points (van Hove singularities) of both spin bands in the wedge Gamma-M-K: ((k, xi), ...).

    Critical points are bracketed by sign changes of both gradient components
    on a triangular grid of the wedge and refined by Newton steps with a
    finite-difference Hessian; those with an indefinite Hessian are saddles.
    Their positions do not depend on ``epsilon`` (cached per hopping set).
    """
    base = _saddles_without_epsilon(replace(model, epsilon=0.0) if _is_plain(model) else model)
    shift = model.epsilon if _is_plain(model) else 0.0
    return tuple((k, xi + shift) for k, xi in base)


def _is_plain(model):
    return type(model).dispersion is TriangularTMD.dispersion


@lru_cache(maxsize=64)
def _saddles_without_epsilon(model):
    hs = high_symmetry_points()
    G, M, K = hs["Gamma"], hs["M"], hs["K"]
    ev = band_evaluator(model)
    n = 24
    u, v = np.meshgrid(np.arange(n + 1) / n, np.arange(n + 1) / n, indexing="ij")
    k = G + u[..., None] * (M - G) + v[..., None] * (K - G)  # valid where u + v <= 1
    _, _, gu, gd = ev.bands_and_gradients(k[..., 0].ravel(), k[..., 1].ravel())
    cells = (u[:-1, :-1] + v[:-1, :-1]) < 1.0 - 1e-12
    out = []
    h = 1e-5
    for spin, g in ((0, gu), (1, gd)):
        sx, sy = (np.sign(gi.reshape(u.shape)) for gi in g)

        def changes(sg):
            q = np.stack([sg[:-1, :-1], sg[1:, :-1], sg[:-1, 1:], sg[1:, 1:]])
            return q.max(axis=0) > q.min(axis=0)

        a_, b_ = np.nonzero(cells & changes(sx) & changes(sy))
        if a_.size == 0:
            continue
        x0 = 0.25 * (k[a_, b_] + k[a_ + 1, b_] + k[a_, b_ + 1] + k[a_ + 1, b_ + 1])
        x = x0.copy()
        offs = np.array([[0, 0], [h, 0], [-h, 0], [0, h], [0, -h]])
        for _ in range(30):  # Newton on the gradient, all starts at once
            pts = (x[:, None, :] + offs[None, :, :]).reshape(-1, 2)
            r = ev.bands_and_gradients(pts[:, 0], pts[:, 1])
            gg = np.stack([r[2 + spin][0], r[2 + spin][1]], axis=-1).reshape(x.shape[0], 5, 2)
            H = np.stack([(gg[:, 1] - gg[:, 2]) / (2 * h), (gg[:, 3] - gg[:, 4]) / (2 * h)], axis=-1)
            det = H[:, 0, 0] * H[:, 1, 1] - H[:, 0, 1] * H[:, 1, 0]
            safe = np.abs(det) > 1e-300
            g0 = gg[:, 0]
            step = np.zeros_like(x)
            step[safe, 0] = (H[safe, 1, 1] * g0[safe, 0] - H[safe, 0, 1] * g0[safe, 1]) / det[safe]
            step[safe, 1] = (-H[safe, 1, 0] * g0[safe, 0] + H[safe, 0, 0] * g0[safe, 1]) / det[safe]
            x = x - step
            if np.max(np.abs(step)) < 1e-12:
                break
        xi = ev.bands(x[:, 0], x[:, 1])[spin]
        for p, d, e, p0 in zip(x, det, xi, x0):
            if np.linalg.norm(p - p0) < 0.2 and d < 0 and not any(np.linalg.norm(p - q) < 1e-6 for q, _ in out):
                out.append((p, float(e)))
    return tuple(out)


def _boundary_crossing_angles(model, patch, n_samples):
    """Angles (seen from the patch centre) where either spin's Fermi surface crosses the segment X-M."""
    P, Q = patch.line_p, patch.line_q
    t = np.linspace(0.0, 1.0, n_samples)
    k = P[None, :] + t[:, None] * (Q - P)[None, :]
    ev = band_evaluator(model)
    up, dn = ev.bands(k[:, 0], k[:, 1])
    angles = []
    for v, spin in ((up, 0), (dn, 1)):
        neg = np.signbit(v)
        for i in np.flatnonzero(neg[1:] != neg[:-1]):
            a_, b_, fa = t[i], t[i + 1], v[i]
            for _ in range(60):
                mid = 0.5 * (a_ + b_)
                km = P + mid * (Q - P)
                fm = ev.bands(np.array([km[0]]), np.array([km[1]]))[spin][0]
                a_, b_, fa = (mid, b_, fm) if np.signbit(fm) == np.signbit(fa) else (a_, mid, fa)
            kc = P + 0.5 * (a_ + b_) * (Q - P) - patch.center
            phi = float(np.arctan2(kc[1], kc[0]))
            if phi < patch.phi_lo - 1e-12:
                phi += 2 * np.pi
            if patch.phi_lo < phi < patch.phi_hi:
                angles.append(phi)
    return angles


def graded_breakpoints(points, widths, lo, hi, grading):
    """Panel boundaries on ``[lo, hi]``, graded geometrically towards each point.

    Next to each point the first panel has the given width; panel widths then
    grow by ``grading`` until half-way to the neighbouring point (or the end of
    the interval).  Works for lengths along rays (1/a) and for energies (meV).

    Examples
    --------
    >>> graded_breakpoints([0.0], [0.1], -1.0, 1.0, 3.0)
    array([-1. , -0.9, -0.3, -0.1,  0. ,  0.1,  0.3,  0.9,  1. ])
    """
    points = np.asarray(points, dtype=float).reshape(-1)
    widths = np.broadcast_to(np.asarray(widths, dtype=float), points.shape)
    inside = (points >= lo) & (points <= hi)
    ray, lo_, hi_ = _graded_panels(points[inside] - lo, np.zeros(int(inside.sum()), dtype=int), widths[inside],
                                   np.array([hi - lo]), grading, np.inf, offset=np.array([lo]))
    return np.concatenate([lo_[:1], hi_]) if lo_.size else np.array([lo, hi])


def _graded_panels(r, ray, widths, R, grading, max_panel, offset=None):
    """Radial panels ``(ray, lo, hi)`` on ``[0, R[ray]]`` for all rays at once.

    Every point ``r`` (on ray ``ray``) is a panel boundary; next to it panels of
    width ``widths * grading^m`` follow until half-way to the neighbouring point
    (or the end of the ray); no panel is longer than ``max_panel``.
    """
    n_rays = R.size
    off = np.zeros(n_rays) if offset is None else offset
    order = np.lexsort((r, ray))
    r, ray, h = r[order], ray[order], np.asarray(widths, float)[order]
    # merge coincident points (same ray, same radius): keep the finer width
    if r.size:
        dup = np.concatenate([[False], (ray[1:] == ray[:-1]) & (r[1:] - r[:-1] <= 1e-13)])
        if dup.any():
            keep = ~dup
            h = np.minimum.reduceat(h, np.flatnonzero(keep))
            r, ray = r[keep], ray[keep]
    same_prev = np.concatenate([[False], ray[1:] == ray[:-1]])
    same_next = np.concatenate([ray[1:] == ray[:-1], [False]])
    prev_r = np.concatenate([[0.0], r[:-1]])
    next_r = np.concatenate([r[1:], [0.0]])
    room_l = np.where(same_prev, 0.5 * (r - prev_r), r)
    room_r = np.where(same_next, 0.5 * (next_r - r), R[ray] - r)
    log_g = np.log(grading)
    with np.errstate(divide="ignore", invalid="ignore"):
        nl = np.where(room_l > h, np.ceil(np.log(room_l / h) / log_g), 0).astype(int)
        nr = np.where(room_r > h, np.ceil(np.log(room_r / h) / log_g), 0).astype(int)
    nl = np.minimum(nl, 400)
    nr = np.minimum(nr, 400)

    def ladder(counts, sign):
        idx = np.repeat(np.arange(r.size), counts)
        k = np.arange(idx.size) - np.repeat(np.cumsum(counts) - counts, counts)
        return ray[idx], r[idx] + sign * h[idx] * grading ** k

    rl, vl = ladder(nl, -1.0)
    rr, vr = ladder(nr, 1.0)
    rays_all = np.concatenate([np.arange(n_rays), np.arange(n_rays), ray, rl, rr])
    vals_all = np.concatenate([np.zeros(n_rays), R, r, vl, vr])
    vals_all = np.clip(vals_all, 0.0, R[rays_all])
    order = np.lexsort((vals_all, rays_all))
    rays_all, vals_all = rays_all[order], vals_all[order]
    keep = np.concatenate([[True], (rays_all[1:] != rays_all[:-1]) | (vals_all[1:] - vals_all[:-1] > 1e-13)])
    rays_all, vals_all = rays_all[keep], vals_all[keep]
    valid = rays_all[1:] == rays_all[:-1]
    p_ray, p_lo, p_hi = rays_all[:-1][valid], vals_all[:-1][valid], vals_all[1:][valid]
    if np.isfinite(max_panel):
        m = np.maximum(np.ceil((p_hi - p_lo) / max_panel - 1e-12), 1).astype(int)
        idx = np.repeat(np.arange(p_lo.size), m)
        j = np.arange(idx.size) - np.repeat(np.cumsum(m) - m, m)
        width = (p_hi - p_lo)[idx] / m[idx]
        p_ray, p_lo, p_hi = p_ray[idx], p_lo[idx] + j * width, p_lo[idx] + (j + 1) * width
        last = j == m[idx] - 1
        p_hi = np.where(last, vals_all[1:][valid][idx], p_hi)
    return p_ray, p_lo + off[p_ray], p_hi + off[p_ray]


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
    n_samples: int = 256,
    surfaces=(),
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
        Band energies (meV) whose crossings get graded panels; 0 (the Fermi
        surfaces) is always included; add e.g. ``+-J`` for Zeeman-shifted features.
    n_phi : int
        Gauss-Legendre angles per triangle (4 ... 4096).
    n_gauss : int
        Gauss-Legendre nodes per radial panel (2 ... 256).
    grading : float
        Geometric growth of the panels away from a crossing (1.05 ... 20).
    max_panel : float
        Largest radial panel (1/a), 1e-3 ... 10.
    edge_scale : float, optional
        Energy (meV) on which the integrand varies with the spin-orbit
        splitting near its zeros (the in-plane exchange field); if given, the
        angular panels are graded towards the Gamma-M edge where the splitting
        vanishes on the Fermi surface.
    n_samples : int
        Samples per ray used to locate the crossings.
    surfaces : sequence of tuple
        Curved features that also get graded panels: ``("zeeman", Jz, Jx)``,
        the normal-state Fermi surfaces in an exchange field
        ``xi_up xi_down -+ Jz (xi_up - xi_down) = J^2``; ``("gapless", delta, Jz, Jx)``,
        where a BdG quasiparticle energy at gap ``delta`` vanishes (meV).

    Returns
    -------
    BZQuadrature

    Raises
    ------
    TypeError
        A wrong type of any argument.
    ValueError
        Out-of-range values, or resolutions that would need more than :data:`MAX_NODES` nodes.

    Examples
    --------
    >>> import isingsc
    >>> q = fermi_surface_quadrature(isingsc.NbSe2(), 0.5, n_phi=8, n_gauss=4)
    >>> round(float(q.weights.sum()), 6), bool(np.min(np.abs(q.xi_up)) < 0.5)   # nodes next to the Fermi level
    (1.0, True)
    """
    check_instance(model, "model", TriangularTMD)
    scale = check_real(scale, "scale", unit="meV", positive=True)
    levels = check_array(levels, "levels", unit="meV", allow_empty=True).reshape(-1)
    n_phi = check_int(n_phi, "n_phi", minimum=4, maximum=4096)
    n_gauss = check_int(n_gauss, "n_gauss", minimum=2, maximum=256)
    grading = check_real(grading, "grading", lower=1.05, upper=20.0)
    max_panel = check_real(max_panel, "max_panel", unit="1/a", lower=1e-3, upper=10.0)
    if edge_scale is not None:
        edge_scale = check_real(edge_scale, "edge_scale", unit="meV", positive=True)
    n_samples = check_int(n_samples, "n_samples", minimum=16, maximum=100_000)
    levels = tuple(sorted(set(float(c) for c in levels) | {0.0}))
    surfaces = check_sequence(surfaces, "surfaces", max_length=16, item=_check_surface)
    _surface_functions(surfaces)  # validates the kinds
    return _cached_quadrature(model, scale, levels, n_phi, n_gauss, grading, max_panel, edge_scale, n_samples,
                              surfaces)


@lru_cache(maxsize=64)
def _cached_quadrature(model, scale, levels, n_phi, n_gauss, grading, max_panel, edge_scale, n_samples,
                       surfaces=()):
    xg, wg = _gauss(n_gauss)
    parts = []
    for patch in _wedge_patches(model):
        edge_width = None
        if edge_scale is not None and patch.vanishing_edge is not None:
            edge_width = _edge_width(model, patch, edge_scale, n_samples)
        events = _angular_events(model, patch.index, n_samples)
        phis, wphis = _angular_nodes(patch, n_phi, edge_width, events)
        c = _ray_crossings(model, patch, phis, levels, n_samples, surfaces=surfaces)
        if not events and _needs_tangencies(c, phis.size, levels):
            events = _angular_events(model, patch.index, n_samples, True)
            phis, wphis = _angular_nodes(patch, n_phi, edge_width, events)
            c = _ray_crossings(model, patch, phis, levels, n_samples, surfaces=surfaces)
        R = patch.ray_lengths(phis)
        # first panel: `scale` in band energy, but no wider than where the band's curvature takes it
        # `scale` away (near a tangency the slope vanishes); an extremum that misses a level by
        # |dE| gets a break with the width at which the band moves by max(|dE|, scale)
        with np.errstate(divide="ignore"):
            curv_w = np.sqrt(2.0 * np.maximum(c.near_miss, scale) / c.curvature)
        widths = np.minimum(np.where(c.true, scale / np.maximum(c.velocity, 1e-300), np.inf), curv_w)
        widths = np.minimum(widths, max_panel)
        parts.append((patch, phis, wphis, _graded_panels(c.r, c.ray, widths, R, grading, max_panel)))
    n_nodes = sum(p[3][0].size for p in parts) * n_gauss
    if n_nodes > MAX_NODES:
        raise ValueError(
            f"this quadrature would need {n_nodes:.3g} nodes, above the budget of {MAX_NODES:.0e} "
            f"(about {8 * n_nodes / 2**20:.0f} MB per array of node values): scale = {scale:g} meV, "
            f"n_phi = {n_phi}, n_gauss = {n_gauss}, grading = {grading:g}; use a coarser resolution"
        )
    ks, ws = [], []
    for patch, phis, wphis, (ray, lo, hi) in parts:
        r = (lo[:, None] + (hi - lo)[:, None] * xg[None, :]).ravel()
        wr = ((hi - lo)[:, None] * wg[None, :]).ravel()
        rr = np.repeat(ray, n_gauss)
        dirs = _directions(phis)
        ks.append(patch.center + r[:, None] * dirs[rr])
        ws.append(wr * r * wphis[rr] * WEDGE_FACTOR)
    k = np.concatenate(ks)
    up, dn = _chunked_bands(band_evaluator(model), k[:, 0], k[:, 1])
    w = np.concatenate(ws)
    for a in (up, dn, w, k):
        a.setflags(write=False)
    desc = (f"Fermi-surface polar quadrature: scale={scale:g} meV, levels={levels}, surfaces={surfaces}, "
            f"n_phi={n_phi}, n_gauss={n_gauss}, grading={grading:g}, edge_scale={edge_scale}")
    return BZQuadrature(up, dn, w, desc, k)


def _edge_width(model, patch, edge_scale, n_samples):
    """Angular width near the Delta_soc = 0 edge over which |Delta_soc| on the FS grows by edge_scale."""
    slope = _edge_slope(model, patch.index, n_samples)
    return None if slope is None else max(edge_scale / slope, 1e-6)


@lru_cache(maxsize=64)
def _edge_slope(model, patch_index, n_samples):
    """d|Delta_soc|/dphi (meV/rad) on the spin-up Fermi surface next to the patch's Gamma-M edge."""
    patch = _wedge_patches(model)[patch_index]
    dphi = 1e-3
    phi = np.array([patch.phi_hi - dphi])
    c = _ray_crossings(model, patch, phi, [0.0], n_samples)
    up_cross = c.spin == 0
    if not np.any(up_cross):
        return None
    r0 = float(np.min(c.r[up_cross]))
    k = patch.center + r0 * _directions(phi)[0]
    up, dn = band_evaluator(model).bands(np.array([k[0]]), np.array([k[1]]))
    return max(abs(float(up[0] - dn[0])) / dphi, 1e-9)


# ----------------------------------------------------------------------------
# Fermi-surface integrals
# ----------------------------------------------------------------------------
def _contour_terms(model, energies, n_phi, n_samples=256):
    """Crossings with the contours ``xi = energies`` on Gauss-Legendre rays, with their DOS weights."""
    out = []
    for patch in _wedge_patches(model):
        events = _angular_events(model, patch.index, n_samples)
        phis, wphis = _angular_nodes(patch, n_phi, None, events)
        c = _ray_crossings(model, patch, phis, energies, n_samples)
        if not events and _needs_tangencies(c, phis.size, energies):
            events = _angular_events(model, patch.index, n_samples, True)
            phis, wphis = _angular_nodes(patch, n_phi, None, events)
            c = _ray_crossings(model, patch, phis, energies, n_samples)
        # delta(xi - E) r dr dphi = r0 / |d xi/dr| dphi; 1/2: average of the two spin bands
        t = c.true
        c = _Crossings(c.r[t], c.ray[t], c.spin[t], c.level[t], c.velocity[t], c.curvature[t], c.near_miss[t])
        weight = 0.5 * wphis[c.ray] * c.r / np.maximum(c.velocity, 1e-300) * WEDGE_FACTOR
        out.append((patch, phis, c, weight))
    return out


def fermi_surface_density(model: TriangularTMD, energy=0.0, n_phi=64):
    """Density of states of one spin band from a contour integral (1/meV per spin per site).

    ``N(E) = (1/A_BZ) oint dl / |grad xi|`` over the constant-energy contours,
    evaluated in the polar coordinates of the irreducible wedge (Gauss-Legendre
    in angle: exponentially convergent away from van Hove energies).

    Parameters
    ----------
    model : TriangularTMD
        Band structure.
    energy : float or array_like
        Energies (meV) from the Fermi level.
    n_phi : int
        Angles per wedge triangle (4 ... 4096).

    Returns
    -------
    float or ndarray
        ``N(energy)`` (1/meV per spin per site), the shape of ``energy``.

    Raises
    ------
    TypeError
        A wrong type of any argument.
    ValueError
        Non-finite energies or ``n_phi`` out of range.

    Examples
    --------
    >>> import isingsc
    >>> n0 = fermi_surface_density(isingsc.NbSe2(), 0.0)
    >>> 1e-4 < n0 < 1e-2  # states per meV per spin per site
    True
    """
    check_instance(model, "model", TriangularTMD)
    e = check_array(energy, "energy", unit="meV")
    n_phi = check_int(n_phi, "n_phi", minimum=4, maximum=4096)
    flat = e.reshape(-1)
    total = np.zeros(flat.size)
    for _, _, c, weight in _contour_terms(model, flat, n_phi):
        total += np.bincount(c.level, weights=weight, minlength=flat.size)
    return total.reshape(e.shape) if e.ndim else float(total[0])


def fermi_surface_nodes(model: TriangularTMD, n_phi=64, energy=0.0):
    """Points of the spin-up Fermi surface with their density-of-states weights.

    The spin-down Fermi surface is the time-reversed image (k -> -k) of the
    spin-up one, with the same distribution of ``|Delta_soc|``.

    Parameters
    ----------
    model : TriangularTMD
        Band structure.
    n_phi : int
        Gauss-Legendre angles per wedge triangle (4 ... 4096).
    energy : float
        Contour energy (meV); 0 is the Fermi surface.

    Raises
    ------
    TypeError
        A wrong type of any argument.
    ValueError
        A non-finite energy or ``n_phi`` out of range.

    Returns
    -------
    dict
        ``k`` (n, 2) momenta in 1/a in the wedge Gamma-M-K or its mirror image
        (each point stands for its 12 symmetry images),
        ``weight`` (n,) with ``sum(weight) = N(energy)`` (1/meV per spin per site),
        ``splitting`` (n,) the spin-orbit splitting ``xi_up - xi_down`` there (meV).
        With Rashba coupling the points lie on both helical Fermi surfaces and
        ``splitting`` is ``2 |G|``.

    Examples
    --------
    >>> import numpy as np, isingsc
    >>> m = isingsc.NbSe2()
    >>> nodes = fermi_surface_nodes(m)
    >>> bool(np.isclose(nodes["weight"].sum(), fermi_surface_density(m, 0.0)))
    True
    """
    check_instance(model, "model", TriangularTMD)
    n_phi = check_int(n_phi, "n_phi", minimum=4, maximum=4096)
    energy = check_real(energy, "energy", unit="meV")
    ks, ws = [], []
    for patch, phis, c, weight in _contour_terms(model, [energy], n_phi):
        k = patch.center + c.r[:, None] * _directions(phis)[c.ray]
        if model.alpha_R == 0.0:
            # a spin-down crossing in the wedge is the mirror image (kx -> -kx) of a spin-up crossing
            k[:, 0] = np.where(c.spin == 1, -k[:, 0], k[:, 0])
        ks.append(k)
        ws.append(weight)
    k = np.concatenate(ks)
    up, dn = band_evaluator(model).bands(k[:, 0], k[:, 1])
    return {"k": k, "weight": np.concatenate(ws), "splitting": up - dn}  # helical: E + |G| - (E - |G|)


def band_range(model: TriangularTMD):
    """Lowest and highest energy (meV) of the two spin bands, from a dense scan of the zone.

    Examples
    --------
    >>> import isingsc
    >>> lo, hi = band_range(isingsc.NbSe2())
    >>> lo < 0.0 < hi
    True
    """
    return _band_range(model)


@lru_cache(maxsize=64)
def _band_range(model):
    # the irreducible wedge Gamma-M-K carries every value of both spin bands (D3h and time reversal)
    hs = high_symmetry_points()
    G, M, K = hs["Gamma"], hs["M"], hs["K"]
    n = 48
    u, v = np.meshgrid(np.arange(n + 1) / n, np.arange(n + 1) / n, indexing="ij")
    inside = u + v <= 1.0 + 1e-12
    k = G + u[inside][:, None] * (M - G) + v[inside][:, None] * (K - G)
    up, dn = band_evaluator(model).bands(k[:, 0], k[:, 1])
    return float(min(up.min(), dn.min())), float(max(up.max(), dn.max()))


def clear_caches():
    """Forget every cached quadrature, ray sampling, wedge split and band evaluator (for cold timings)."""
    from . import _bands

    for f in (_cached_quadrature, _ray_samples, _wedge_patches, _band_range, _edge_slope, _angular_events,
              _tangency_events,
              _saddles_without_epsilon, _bands.band_evaluator):
        f.cache_clear()
