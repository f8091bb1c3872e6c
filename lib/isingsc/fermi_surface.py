"""Fermi-surface geometry of a band model: Fermi lines, pockets, band velocities, DOS weights.

The Fermi lines ``xi_s(k) = 0`` of the two spin bands of a
:class:`~isingsc.model.TriangularTMD` (paper Fig. 2(b)), traced as contours and
refined onto the line by Newton steps; closed pockets around the
high-symmetry points; the band gradient; the density-of-states weights
``dl / (|grad xi| A_BZ)`` of the segments of a Fermi line, with which Fermi-surface
integrals become sums; the saddle points of the bands (van Hove singularities) and their bottoms
and tops.  The engine's own Fermi-surface nodes
(:func:`~isingsc.quadrature.fermi_surface_nodes`, :func:`~isingsc.quadrature.fermi_surface_density`)
and the zone geometry (:func:`~isingsc.model.brillouin_zone_area`,
:func:`~isingsc.model.brillouin_zone_corners`) are available here too.

Units
-----
Energies in meV, momenta in units of ``1/a``, band gradients in meV a,
densities of states per spin per lattice site (states / meV / site).

Notes
-----
Contour tracing uses ``contourpy`` (a Matplotlib dependency), imported lazily.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import check_array, check_choice, check_flag, check_instance, check_int, check_real, check_sequence, checked_fields
from .model import (
    SQRT3,
    TriangularTMD,
    brillouin_zone_area,
    brillouin_zone_corners,
    _reciprocal_cell_grid,
    high_symmetry_points,
    spin_index,
)
from .quadrature import _saddle_points, fermi_surface_density, fermi_surface_nodes

__all__ = [
    "band_gradient",
    "fermi_contours",
    "fermi_pockets",
    "contour_dos_weights",
    "polar_angle",
    "VanHovePoint",
    "van_hove_points",
    "BandEdge",
    "band_edges",
    "brillouin_zone_area",
    "brillouin_zone_corners",
    "fermi_surface_nodes",
    "fermi_surface_density",
]


def polar_angle(points, center=(0.0, 0.0)):
    """Polar angle (degrees, in [0, 360)) of ``points`` seen from ``center``.

    Parameters
    ----------
    points : array_like, shape (..., 2)
        Momenta (1/a).
    center : array_like, shape (2,)
        Origin of the angle, e.g. ``high_symmetry_points()["K"]``.

    Returns
    -------
    ndarray
        Angles in degrees, shape ``points.shape[:-1]``.

    Raises
    ------
    TypeError
        Non-real momenta.
    ValueError
        Non-finite momenta, or shapes other than ``(..., 2)`` and ``(2,)``.

    Examples
    --------
    >>> polar_angle([[1.0, 0.0], [0.0, 2.0], [-1.0, -1.0]]).tolist()
    [0.0, 90.0, 225.0]
    """
    p = check_array(points, "points", unit="1/a")
    c = check_array(center, "center", unit="1/a")
    if p.ndim == 0 or p.shape[-1] != 2 or c.shape != (2,):
        raise ValueError(f"points must have shape (..., 2) and center shape (2,), got {p.shape} and {c.shape}")
    return np.degrees(np.arctan2(p[..., 1] - c[1], p[..., 0] - c[0])) % 360.0


def band_gradient(model, kx, ky, spin="up", h=1e-5):
    """Gradient ``grad_k xi_s`` of one spin band (meV a), by central differences.

    Parameters
    ----------
    model : TriangularTMD
        Band model.
    kx, ky : array_like
        Momenta (1/a).
    spin : {"up", "down"}
        Which spin band.
    h : float
        Finite-difference step (1/a), in ``(0, 0.1]``; the error is O(h^2) ~ 1e-8 meV a.

    Returns
    -------
    gx, gy : ndarray
        Components of the band velocity times hbar (meV a).

    Raises
    ------
    TypeError
        ``model`` not a :class:`~isingsc.model.TriangularTMD`, or non-real arguments.
    ValueError
        Non-finite momenta, an unknown ``spin`` or ``h`` out of range.

    Examples
    --------
    Nearest-neighbour band ``xi = 2 t (cos kx + 2 cos(kx/2) cos(sqrt3 ky/2))``:

    >>> from isingsc import TriangularTMD
    >>> m = TriangularTMD(0.0, (1.0, 0, 0, 0, 0, 0), (0.0,) * 6)
    >>> gx, gy = band_gradient(m, 0.3, 0.0)
    >>> bool(np.isclose(gx, -2 * np.sin(0.3) - 2 * np.sin(0.15)))
    True
    """
    model = _model(model)
    idx = spin_index(spin)
    h = check_real(h, "h", unit="1/a", positive=True, upper=0.1)
    if h < 1e-12:
        raise ValueError(f"h = {h:g} 1/a is below 1e-12 1/a: the central difference would be rounding noise")
    kx = check_array(kx, "kx", unit="1/a", allow_empty=True)
    ky = check_array(ky, "ky", unit="1/a", allow_empty=True)
    gx = (model.dispersion(kx + h, ky)[idx] - model.dispersion(kx - h, ky)[idx]) / (2 * h)
    gy = (model.dispersion(kx, ky + h)[idx] - model.dispersion(kx, ky - h)[idx]) / (2 * h)
    return gx, gy


def _dispersion_evaluator(model):
    """The engine's evaluator of :meth:`~isingsc.model.TriangularTMD.dispersion` (:mod:`isingsc._bands`: the
    same Fourier series, tested against it to 1e-11 meV, with analytic gradients; about 10x cheaper than the
    term-by-term sum).  With Rashba coupling: its Ising part, whose bands are ``dispersion``'s diagonal
    elements, not the helical bands."""
    from ._bands import band_evaluator

    ev = band_evaluator(model)
    return getattr(ev, "ising", ev)


def _band_and_gradient(model, kx, ky, idx):
    """``xi_s`` (meV) and its gradient (meV a) of spin band ``idx`` of ``dispersion``."""
    up, down, g_up, g_down = _dispersion_evaluator(model).bands_and_gradients(kx, ky)
    return (up, g_up) if idx == 0 else (down, g_down)


def _refine(model, pts, idx, iters=4):
    """Newton steps along the gradient that put contour points on xi_s = 0."""
    kx, ky = pts[:, 0].copy(), pts[:, 1].copy()
    for _ in range(iters):
        e, (gx, gy) = _band_and_gradient(model, kx, ky, idx)
        g2 = gx * gx + gy * gy
        step = np.where(g2 > 0, e / np.where(g2 > 0, g2, 1.0), 0.0)
        kx -= step * gx
        ky -= step * gy
    return np.column_stack([kx, ky])


def _zero_lines(model, kx, ky, idx):
    import contourpy

    KX, KY = np.meshgrid(kx, ky)
    z = _dispersion_evaluator(model).bands(KX, KY)[idx]
    gen = contourpy.contour_generator(KX, KY, z, line_type="Separate")
    return [np.asarray(line, dtype=float) for line in gen.lines(0.0) if len(line) >= 2]


def fermi_contours(model, nk=400, extent=None, refine=True):
    """Fermi lines ``xi_up = 0`` and ``xi_down = 0`` over a window covering the BZ.

    Parameters
    ----------
    model : TriangularTMD
        Band model (energies in meV, measured from the Fermi level).
    nk : int
        Grid points along ``kx`` (>= 16); ``ky`` gets the same spacing.
    extent : (float, float), optional
        Half-widths ``(kx_max, ky_max)`` of the rectangular window (1/a).
        Default: 5 % beyond the hexagonal zone, ``(1.05 * 4pi/3, 1.05 * 2pi/sqrt3)``,
        so the pieces of the corner pockets inside the zone are complete.
    refine : bool
        Move every contour point onto the Fermi line with Newton steps
        (then ``|xi| < 1e-8 meV``); otherwise points are the linear
        interpolation of the grid (error O(grid spacing^2)).

    Returns
    -------
    up, down : list of ndarray, shape (N, 2)
        Contour pieces in units of 1/a.  Closed pieces repeat their first point.
        By time reversal the ``down`` lines are the ``up`` lines reflected through ``k = 0``.

    Raises
    ------
    TypeError
        ``model`` not a :class:`~isingsc.model.TriangularTMD`, non-integer ``nk``, non-real ``extent`` or a non-boolean ``refine``.
    ValueError
        ``nk`` outside 16 ... 20000, or an ``extent`` that is not two positive half-widths.

    Examples
    --------
    >>> from isingsc import NbSe2
    >>> m = NbSe2()
    >>> up, down = fermi_contours(m, nk=120)
    >>> bool(max(abs(m.dispersion(*ln.T)[0]).max() for ln in up) < 1e-6)   # meV
    True
    """
    model = _model(model)
    nk = check_int(nk, "nk", minimum=16, maximum=20000)
    refine = check_flag(refine, "refine")
    if extent is None:
        extent = (1.05 * 4 * np.pi / 3, 1.05 * 2 * np.pi / SQRT3)
    ext = check_array(extent, "extent", unit="1/a")
    if ext.shape != (2,) or np.any(ext <= 0):
        raise ValueError(f"extent must be two positive half-widths (kx_max, ky_max) in 1/a, got {extent!r}")
    kx = np.linspace(-ext[0], ext[0], nk)
    ny = max(16, int(round(nk * ext[1] / ext[0])))
    ky = np.linspace(-ext[1], ext[1], ny)
    result = []
    for idx in (0, 1):
        lines = _zero_lines(model, kx, ky, idx)
        if refine:
            lines = [_refine(model, line, idx) for line in lines]
        result.append(lines)
    return result[0], result[1]


def _inside(poly, p):
    """Ray-casting point-in-polygon test (poly: (N, 2), closed or not)."""
    x, y = poly[:, 0], poly[:, 1]
    x2, y2 = np.roll(x, -1), np.roll(y, -1)
    crosses = (y > p[1]) != (y2 > p[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        xint = x + (p[1] - y) * (x2 - x) / (y2 - y)
    return bool(np.count_nonzero(crosses & (p[0] < xint)) % 2)


def _signed_area(poly):
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def fermi_pockets(model, spin="up", nk=241, half_width=2.3, centers=("Gamma", "K", "K'"), refine=True):
    """Closed Fermi pockets of one spin band around high-symmetry points.

    For each centre, the ``xi_s = 0`` lines are traced on a square window of
    half-width ``half_width`` around it, and the smallest closed line that
    encloses the centre is kept (full pocket, not clipped to the zone).  For the
    Table I model the Fermi surface of each spin is exactly one hole pocket
    around Gamma, one around K and one around K'.

    Parameters
    ----------
    model : TriangularTMD
        Band model.
    spin : {"up", "down"}
        Which spin band.
    nk : int
        Grid points per window side (16 ... 20000).
    half_width : float
        Window half-width (1/a); must exceed the pocket radius.
    centers : sequence of str
        Keys of :func:`isingsc.model.high_symmetry_points`.
    refine : bool
        Newton-refine the points onto the Fermi line (see :func:`fermi_contours`).

    Returns
    -------
    dict
        ``{centre: ndarray (N, 2) or None}``: counter-clockwise closed contour
        (first point repeated at the end) in 1/a, or ``None`` if no closed
        pocket encloses that centre inside the window.

    Raises
    ------
    TypeError
        ``model`` not a :class:`~isingsc.model.TriangularTMD`, wrong types of the other arguments.
    ValueError
        Unknown ``spin`` or centre, ``nk`` out of range, or a ``half_width`` that is not positive (at most 10/a).

    Examples
    --------
    >>> from isingsc import NbSe2
    >>> pockets = fermi_pockets(NbSe2(), "up", nk=121)
    >>> sorted(name for name, c in pockets.items() if c is not None)
    ['Gamma', 'K', "K'"]
    """
    model = _model(model)
    idx = spin_index(spin)
    nk = check_int(nk, "nk", minimum=16, maximum=20000)
    half_width = check_real(half_width, "half_width", unit="1/a", positive=True, upper=10.0)
    refine = check_flag(refine, "refine")
    hs = high_symmetry_points()
    if isinstance(centers, str):
        centers = (centers,)
    centers = check_sequence(centers, "centers", max_length=100,
                             item=lambda c, name: check_choice(c, name, tuple(sorted(hs))))
    out = {}
    for name in centers:
        c = hs[name]
        g = np.linspace(-half_width, half_width, nk)
        lines = _zero_lines(model, c[0] + g, c[1] + g, idx)
        closed = [ln for ln in lines if len(ln) > 3 and np.allclose(ln[0], ln[-1]) and _inside(ln, c)]
        if not closed:
            out[name] = None
            continue
        best = min(closed, key=lambda ln: abs(_signed_area(ln)))
        if _signed_area(best) < 0:
            best = best[::-1]
        if refine:
            best = _refine(model, best, idx)
            best[-1] = best[0]
        out[name] = best
    return out


def contour_dos_weights(model, contour, spin="up"):
    """Density-of-states weights of the segments of a Fermi line.

    The density of states at the Fermi level is the line integral
    ``N(0) = (1 / A_BZ) * integral dl / |grad xi|`` over the Fermi lines in one
    Brillouin zone (per spin per site).  Each segment of ``contour`` gets the
    weight ``dl / (|grad xi| A_BZ)`` evaluated at its midpoint, so that
    ``weights.sum()`` is this pocket's share of ``N(0)`` and
    ``sum(weights * f(k_mid))`` is a Fermi-surface integral of ``f``.

    Parameters
    ----------
    model : TriangularTMD
        Band model.
    contour : array_like, shape (N, 2)
        Points on the ``xi_s = 0`` line (1/a), e.g. from :func:`fermi_pockets`.
    spin : {"up", "down"}
        Band whose velocity enters the weight.

    Returns
    -------
    k_mid : ndarray, shape (N-1, 2)
        Segment midpoints (1/a).
    weights : ndarray, shape (N-1,)
        Weights in states / meV / site (per spin).

    Raises
    ------
    TypeError
        ``model`` not a :class:`~isingsc.model.TriangularTMD`, or non-real points.
    ValueError
        Non-finite points, a shape other than ``(N >= 2, 2)``, an unknown ``spin``, or a point
        where the band is flat (no finite weight).

    Examples
    --------
    The pockets' weights add up to the density of states at the Fermi level:

    >>> from isingsc import NbSe2
    >>> m = NbSe2()
    >>> n0 = sum(contour_dos_weights(m, c)[1].sum() for c in fermi_pockets(m, "up", nk=121).values())
    >>> bool(abs(n0 / m.density_of_states(0.0, nk=300) - 1) < 0.01)
    True
    """
    model = _model(model)
    c = check_array(contour, "contour", unit="1/a")
    if c.ndim != 2 or c.shape[1] != 2 or len(c) < 2:
        raise ValueError(f"contour must be an (N >= 2, 2) array of momenta, got shape {c.shape}")
    mid = 0.5 * (c[1:] + c[:-1])
    dl = np.hypot(*np.diff(c, axis=0).T)
    _, (gx, gy) = _band_and_gradient(model, mid[:, 0], mid[:, 1], spin_index(spin))
    speed = np.hypot(gx, gy)
    if np.any(speed == 0.0):
        raise ValueError("the band is flat at a point of contour: its density-of-states weight dl/|grad xi| "
                         "diverges (a van Hove saddle or a flat band)")
    return mid, dl / speed / brillouin_zone_area()


@checked_fields(units={"xi": "meV"})
@dataclass(frozen=True)
class VanHovePoint:
    """A saddle point of a spin band: a logarithmic van Hove singularity of ``N(epsilon)``.

    Attributes
    ----------
    k : tuple of float
        Momentum ``(kx, ky)`` in the wedge Gamma-M-K (1/a).
    xi : float
        Band energy at the saddle (meV, from the Fermi level).
    spins : tuple of str
        The spin bands with a saddle there: ``("up",)``, ``("down",)`` or both, where the two
        bands are degenerate (on the Gamma-M lines, or everywhere at ``lambda_soc = 0``).

    Examples
    --------
    >>> p = VanHovePoint(k=(3.1, 1.8), xi=-207.7, spins=("up",))
    >>> p.xi, p.spins
    (-207.7, ('up',))
    """

    k: tuple
    xi: float
    spins: tuple

    def __post_init__(self):
        object.__setattr__(self, "k", _momentum(self.k))
        spins = check_sequence(self.spins, "spins", min_length=1, max_length=2,
                               item=lambda x, name: check_choice(x, name, ("up", "down")))
        object.__setattr__(self, "spins", spins)


def van_hove_points(model):
    """Saddle points of the two spin bands in the irreducible wedge Gamma-M-K, by energy.

    The critical points of each band are bracketed by sign changes of both gradient components on
    a triangular grid of the wedge and refined by Newton steps with a finite-difference Hessian;
    those with an indefinite Hessian are saddles, each a logarithmic peak of the density of
    states at its energy.  (The engine's quadrature grades its angular panels towards those near
    the Fermi level.)  The other saddles of the zone are images under the crystal's symmetries:
    by time reversal and the vertical mirror, a spin-up saddle at ``(kx, ky)`` is a spin-down
    saddle at ``(-kx, ky)`` and at ``-k``.

    Parameters
    ----------
    model : TriangularTMD
        Band model.

    Returns
    -------
    tuple of VanHovePoint
        Sorted by energy ``xi`` (meV).

    Raises
    ------
    TypeError
        ``model`` not a :class:`~isingsc.model.TriangularTMD`.
    ValueError
        A model whose saddle search does not converge.

    Examples
    --------
    Without spin-orbit coupling the saddle at M is a time-reversal invariant momentum, on both bands:

    >>> from isingsc import NbSe2, high_symmetry_points
    >>> m = NbSe2().with_lambda_soc(0.0)
    >>> at_m = [p for p in van_hove_points(m) if np.allclose(p.k, high_symmetry_points()["M"])]
    >>> at_m[0].spins, round(at_m[0].xi, 1)
    (('up', 'down'), -214.7)
    """
    model = _model(model)
    points = []
    for k, xi in _saddle_points(model):
        up, down = (float(e) for e in model.dispersion(k[0], k[1]))
        spins = tuple(s for s, e in (("up", up), ("down", down)) if abs(e - xi) < 1e-9 * max(1.0, abs(xi)))
        points.append(VanHovePoint(k=(float(k[0]), float(k[1])), xi=float(xi), spins=spins))
    return tuple(sorted(points, key=lambda p: p.xi))


@checked_fields(units={"xi": "meV"})
@dataclass(frozen=True)
class BandEdge:
    """The bottom or the top of one band.

    Attributes
    ----------
    kind : {"bottom", "top"}
        Which extremum.
    band : str
        ``"up"`` or ``"down"`` (for a model with Rashba coupling: the helical band ``E + |G|`` or
        ``E - |G|``, in the order of :meth:`~isingsc.model.TriangularTMD.bands`).
    k : tuple of float
        A momentum ``(kx, ky)`` where the band has this energy (1/a); the symmetry images of the
        zone are equivalent.
    xi : float
        The band energy there (meV, from the Fermi level).

    Examples
    --------
    >>> BandEdge("bottom", "up", (0.0, 0.0), -300.0).xi
    -300.0
    """

    kind: str
    band: str
    k: tuple
    xi: float

    def __post_init__(self):
        check_choice(self.kind, "kind", ("bottom", "top"))
        check_choice(self.band, "band", ("up", "down"))
        object.__setattr__(self, "k", _momentum(self.k))


def band_edges(model, nk=240):
    """Bottom and top of both bands: the global minimum and maximum over the Brillouin zone.

    The extremum of each band on a uniform ``nk x nk`` grid of the reciprocal unit cell is refined
    by a Nelder-Mead search on the band itself (to 1e-9 meV), so the result does not depend on the
    grid as long as the grid finds the right basin.

    Parameters
    ----------
    model : TriangularTMD
        Band model.
    nk : int, optional
        Points per reciprocal-lattice direction of the starting grid (24 ... 4000).

    Returns
    -------
    tuple of BandEdge
        ``(bottom, top)`` of the first band, then of the second (``"up"``, ``"down"``).

    Raises
    ------
    TypeError
        ``model`` not a :class:`~isingsc.model.TriangularTMD` or a non-integer ``nk``.
    ValueError
        ``nk`` outside 24 ... 4000.

    Examples
    --------
    Nearest-neighbour band ``xi = 2 t (cos kx + 2 cos(kx/2) cos(sqrt3 ky/2))``, t = 1 meV: from
    -3 t at the zone corners to 6 t at Gamma.

    >>> from isingsc import TriangularTMD
    >>> m = TriangularTMD(0.0, (1.0, 0, 0, 0, 0, 0), (0.0,) * 6)
    >>> [(e.kind, e.band, round(e.xi, 6)) for e in band_edges(m)][:2]
    [('bottom', 'up', -3.0), ('top', 'up', 6.0)]
    """
    from scipy.optimize import minimize

    model = _model(model)
    nk = check_int(nk, "nk", minimum=24, maximum=4000)
    grid = np.column_stack([g.reshape(-1) for g in _reciprocal_cell_grid(nk)])
    bands = model.bands(grid[:, 0], grid[:, 1])
    edges = []
    for i, (name, xi) in enumerate(zip(("up", "down"), bands)):
        for kind, sign, start in (("bottom", 1.0, np.argmin(xi)), ("top", -1.0, np.argmax(xi))):
            res = minimize(lambda k: sign * float(model.bands(k[0], k[1])[i]), grid[start],
                           method="Nelder-Mead", options={"xatol": 1e-9, "fatol": 1e-9, "maxiter": 2000})
            k, value = (res.x, sign * res.fun) if sign * res.fun <= sign * xi[start] else (grid[start], xi[start])
            edges.append(BandEdge(kind=kind, band=name, k=(float(k[0]), float(k[1])), xi=float(value)))
    return tuple(edges)


# ------------------------------------------------------------------ helpers
def _momentum(k):
    """A momentum ``(kx, ky)``: two finite reals (1/a) as a tuple of floats."""
    return check_sequence(k, "k", length=2, item=lambda x, name: check_real(x, name, unit="1/a"))


def _model(model):
    return check_instance(model, "model", TriangularTMD, "a band model such as isingsc.NbSe2()")
