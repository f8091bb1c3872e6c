"""Drawing helpers: the figures of the model chapters (the paper's Figures 1-2) and the two plots every user makes.

:func:`plot_hysteresis` draws a hysteresis loop (the field in tesla, in meV or
in the paper's ``chi_s(0) J^2/M_s``) and :func:`plot_susceptibilities` the
superconductor's ``chi_par(T)``, ``chi_perp(T)``, with units on every axis.
Matplotlib is an optional dependency: ``pip install isingsc[plot]``.

Drawing functions take a Matplotlib ``Axes`` and return the artists they added,
so that a notebook cell stays "one call, one figure" and tests can inspect the
result.  This module only draws: the geometry it shows comes from
:mod:`isingsc.model` (lattice, zone, hopping phases) and
:mod:`isingsc.fermi_surface` (Fermi lines).

Units
-----
Energies in meV, momenta in units of ``1/a`` (``a`` is the Nb-Nb distance),
real-space lengths in units of ``a``, densities of states per spin per lattice
site (states / meV / site).  Spin up is drawn red and spin down blue, as in the
paper.

Notes
-----
Matplotlib (and its dependency ``contourpy``) are imported lazily inside the
functions, so ``import isingsc`` stays light for the numerical modules.
"""
from __future__ import annotations

import numpy as np

from . import formulas
from ._validation import (
    check_array,
    check_choice,
    check_flag,
    check_instance,
    check_int,
    check_real,
    check_sequence,
    frozen_mapping,
)
from .fermi_surface import fermi_contours
from .model import (
    SQRT3,
    TriangularTMD,
    brillouin_zone_corners,
    bz_path,
    high_symmetry_points,
    lattice_vectors,
    nearest_neighbour_phases,
    spin_index,
)

__all__ = [
    "SPIN_COLORS",
    "FIELD_UNITS",
    "draw_lattice",
    "draw_brillouin_zone",
    "plot_fermi_surface",
    "plot_bands",
    "draw_stack",
    "draw_alignment_schematic",
    "plot_hysteresis",
    "plot_susceptibilities",
]

#: Colours of the two spin bands as in the paper's Fig. 2, spin up red and spin down blue (read-only).
SPIN_COLORS = frozen_mapping({"up": "#d62728", "down": "#1f77b4"})

_LABELS = {"Gamma": r"$\Gamma$", "M": r"$M$", "K": r"$K$", "K'": r"$K'$"}


# ------------------------------------------------------------------ drawing
def draw_lattice(ax, radius=2.2, show_se=True, show_cell=True, show_hoppings=True, spin="up"):
    """Top view of the monolayer: Nb triangular lattice, unit cell, hopping phases.

    Reproduces the content of paper Fig. 2(a).  Nb sites (filled) form the
    triangular lattice of the one-band model; the Se sites (open, projected)
    fill one of the two remaining triangular sublattices, which makes the top
    view hexagonal and removes the inversion centre.  The six first-neighbour
    bonds of the central site are drawn as arrows labelled with the phase of
    ``t_s(R) = t_0 exp(+-i phi_0)`` (see :func:`isingsc.model.nearest_neighbour_phases`).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    radius : float
        Draw sites within this distance (units of a) of the origin (>= 1.2).
    show_se, show_cell, show_hoppings : bool
        Toggle the Se sites, the shaded unit cell with ``a1, a2``, the bond arrows.
    spin : {"up", "down"}
        Spin whose phases label the bonds.

    Returns
    -------
    dict
        Artists: ``"nb"``, ``"se"`` (collections), ``"cell"`` (Polygon),
        ``"a_vectors"`` and ``"bonds"`` (lists of annotations), ``"bond_labels"`` (texts).

    Raises
    ------
    TypeError
        ``ax`` not a Matplotlib ``Axes``, or arguments of the wrong type.
    ValueError
        Out-of-range values, unknown points or colours.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> art = draw_lattice(ax, radius=2.2)
    >>> len(art["bonds"]), len(art["a_vectors"])
    (6, 2)
    >>> plt.close(fig)
    """
    from matplotlib.patches import Polygon

    _check_axes(ax)

    spin_index(spin)
    radius = check_real(radius, "radius", unit="a", upper=50.0)
    if radius < 1.2:
        raise ValueError(f"radius must be >= 1.2 a to show the neighbours, got {radius!r} a")
    show_se, show_cell, show_hoppings = (check_flag(v, n) for v, n in ((show_se, "show_se"), (show_cell, "show_cell"),
                                                                       (show_hoppings, "show_hoppings")))
    a1, a2 = lattice_vectors()
    n = int(np.ceil(radius * 1.5)) + 1
    I, J = np.meshgrid(np.arange(-n, n + 1), np.arange(-n, n + 1), indexing="ij")
    R = I.reshape(-1, 1) * a1 + J.reshape(-1, 1) * a2
    nb = R[np.hypot(*R.T) <= radius + 1e-9]
    art = {"nb": None, "se": None, "cell": None, "a_vectors": [], "bonds": [], "bond_labels": []}
    if show_se:
        se = R + np.array([0.5, 0.5 / SQRT3])
        se = se[np.hypot(*se.T) <= radius + 0.2]
        # Nb-Se bonds of the honeycomb (projected): each Se has three Nb neighbours
        for s in se:
            for d in (np.array([-0.5, -0.5 / SQRT3]), np.array([0.5, -0.5 / SQRT3]), np.array([0.0, 1 / SQRT3])):
                p = s + d
                if np.hypot(*p) <= radius + 1e-9:
                    ax.plot([s[0], p[0]], [s[1], p[1]], color="0.75", lw=0.8, zorder=1)
        art["se"] = ax.scatter(se[:, 0], se[:, 1], s=28, facecolors="white", edgecolors="0.45", lw=1.0, zorder=2,
                               label="Se (projected)")
    art["nb"] = ax.scatter(nb[:, 0], nb[:, 1], s=70, color="0.15", zorder=3, label="Nb")
    if show_cell:
        o = 2 * a1 - 2 * a2  # lattice site (1, -sqrt3): the cell sits clear of the bond arrows
        cell = Polygon([o, o + a1, o + a1 + a2, o + a2], closed=True, facecolor="#f2c14e", alpha=0.45,
                       edgecolor="#b8860b", lw=1.0, zorder=0)
        ax.add_patch(cell)
        art["cell"] = cell
        for vec, lab, off in ((a1, r"$\mathbf{a}_1$", (0.0, -0.2)), (a2, r"$\mathbf{a}_2$", (-0.22, 0.02))):
            arr = ax.annotate("", xy=o + vec, xytext=o, zorder=4,
                              arrowprops=dict(arrowstyle="-|>", color="#8b5a00", lw=1.6, shrinkA=0, shrinkB=3))
            art["a_vectors"].append(arr)
            tip = o + 0.55 * vec + np.array(off)
            art["bond_labels"].append(ax.text(tip[0], tip[1], lab, color="#8b5a00", ha="center", va="center",
                                              fontsize=11))
    if show_hoppings:
        colours = {-1: "#6a3d9a", +1: "#e66101"}
        for vec, p in nearest_neighbour_phases(spin):
            arr = ax.annotate("", xy=vec, xytext=(0, 0), zorder=5,
                              arrowprops=dict(arrowstyle="-|>", color=colours[p], lw=2.0, shrinkA=4, shrinkB=5))
            art["bonds"].append(arr)
            sign = "-" if p < 0 else "+"
            lab = vec * 1.0 + 0.3 * vec / np.hypot(*vec)
            art["bond_labels"].append(ax.text(lab[0], lab[1], rf"$e^{{{sign}i\phi_0}}$", color=colours[p],
                                              ha="center", va="center", fontsize=10, zorder=6,
                                              bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.85)))
    ax.set_aspect("equal")
    lim = radius + 0.35
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_xlabel(r"$x$ ($a$)")
    ax.set_ylabel(r"$y$ ($a$)")
    return art


def draw_brillouin_zone(ax, path=("Gamma", "M", "K", "Gamma"), labels=True, path_color="0.1", zone_color="0.35"):
    """Hexagonal Brillouin zone with high-symmetry points and a path of arrows.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    path : sequence of str or None
        High-symmetry points joined by arrows (paper Fig. 2(b): Gamma-M-K-Gamma).
    labels : bool
        Label Gamma, M and every zone corner (K or K').
    path_color, zone_color : colour
        Colours of the path arrows and of the zone boundary.

    Returns
    -------
    dict
        ``"zone"`` (Polygon), ``"path"`` (list of FancyArrowPatch), ``"labels"`` (list of Text).

    Raises
    ------
    TypeError
        ``ax`` not a Matplotlib ``Axes``, or arguments of the wrong type.
    ValueError
        Out-of-range values, unknown points or colours.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> art = draw_brillouin_zone(ax)
    >>> len(art["path"]), len(art["labels"])                # Gamma-M-K-Gamma; Gamma, M and six corners
    (3, 8)
    >>> plt.close(fig)
    """
    from matplotlib.patches import FancyArrowPatch, Polygon

    _check_axes(ax)
    labels = check_flag(labels, "labels")
    path_color, zone_color = _color(path_color, "path_color"), _color(zone_color, "zone_color")

    hs = high_symmetry_points()
    corners = brillouin_zone_corners()
    zone = Polygon(corners, closed=True, fill=False, edgecolor=zone_color, lw=1.3, zorder=1)
    ax.add_patch(zone)
    art = {"zone": zone, "path": [], "labels": []}
    if path is not None:
        path = check_sequence(path, "path", min_length=2, max_length=100,
                              item=lambda p, name: check_choice(p, name, tuple(sorted(hs))))
        for a, b in zip(path[:-1], path[1:]):
            arr = FancyArrowPatch(hs[a], hs[b], arrowstyle="-|>", mutation_scale=14, lw=1.6, color=path_color,
                                  shrinkA=0, shrinkB=0, zorder=4)
            ax.add_patch(arr)
            art["path"].append(arr)
    if labels:
        txt = [(hs["Gamma"], r"$\Gamma$", (-0.35, -0.3)), (hs["M"], r"$M$", (0.25, 0.2))]
        for i, c in enumerate(corners):
            txt.append((c, r"$K$" if i % 2 == 0 else r"$K'$", tuple(0.3 * c / np.hypot(*c))))
        for pos, s, off in txt:
            art["labels"].append(ax.text(pos[0] + off[0], pos[1] + off[1], s, ha="center", va="center",
                                         fontsize=12, zorder=5))
        ax.plot(*np.array([hs["Gamma"], hs["M"]]).T, "o", color=path_color, ms=3, zorder=5)
    lim = 4 * np.pi / 3 + 0.7
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xlabel(r"$k_x$ ($1/a$)")
    ax.set_ylabel(r"$k_y$ ($1/a$)")
    return art


def plot_fermi_surface(ax, model, nk=400, clip_to_zone=True, colors=None, lw=1.8):
    """Spin-resolved Fermi lines ``xi_up = 0`` (red) and ``xi_down = 0`` (blue).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    model : TriangularTMD
    nk : int
        Grid resolution, see :func:`isingsc.fermi_surface.fermi_contours`.
    clip_to_zone : bool
        Show only the parts inside the first Brillouin zone.
    colors : dict, optional
        ``{"up": colour, "down": colour}``; default :data:`SPIN_COLORS`.
    lw : float
        Line width.

    Returns
    -------
    dict
        ``{"up": [Line2D, ...], "down": [Line2D, ...]}``.

    Raises
    ------
    TypeError
        ``ax`` not a Matplotlib ``Axes``, or arguments of the wrong type.
    ValueError
        Out-of-range values, unknown points or colours.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> from isingsc import NbSe2
    >>> art = plot_fermi_surface(ax, NbSe2(), nk=120)
    >>> art["up"][0].get_color() == SPIN_COLORS["up"]
    True
    >>> plt.close(fig)
    """
    from matplotlib.patches import Polygon

    _check_axes(ax)
    check_instance(model, "model", TriangularTMD)
    colors = _spin_colors(colors)
    clip_to_zone = check_flag(clip_to_zone, "clip_to_zone")
    lw = check_real(lw, "lw", positive=True, upper=50.0)
    nk = check_int(nk, "nk", minimum=16, maximum=4000)
    up, down = fermi_contours(model, nk=nk)
    clip = Polygon(brillouin_zone_corners(), closed=True, transform=ax.transData) if clip_to_zone else None
    art = {}
    for spin, lines, ls in (("up", up, "-"), ("down", down, "-")):
        art[spin] = []
        for i, ln in enumerate(lines):
            (h,) = ax.plot(ln[:, 0], ln[:, 1], ls, color=colors[spin], lw=lw, zorder=3,
                           label=(r"$\xi_{\mathbf{k}\uparrow}=0$" if spin == "up" else r"$\xi_{\mathbf{k}\downarrow}=0$")
                           if i == 0 else None)
            if clip is not None:
                h.set_clip_path(clip)
            art[spin].append(h)
    ax.set_aspect("equal")
    return art


def plot_bands(ax, model, points=("Gamma", "M", "K", "Gamma"), n=600, colors=None, fermi_level=True,
               annotate_soc=True):
    """Spin-resolved bands along a high-symmetry path (figure 2(c) of the paper).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    model : TriangularTMD
    points : sequence of str
        Path through :func:`isingsc.model.high_symmetry_points` keys.
    n : int
        Approximate number of k points along the path (>= 16).
    colors : dict, optional
        ``{"up": colour, "down": colour}``; default :data:`SPIN_COLORS`.
    fermi_level : bool
        Draw the Fermi level ``E = 0`` as a dashed line.
    annotate_soc : bool
        If the path passes through K, mark the splitting ``2 lambda_soc`` there.

    Returns
    -------
    dict
        ``"up"``, ``"down"`` (Line2D), ``"fermi"`` (Line2D or None), ``"soc"``
        (list of artists, empty if not annotated).

    Raises
    ------
    TypeError
        ``ax`` not a Matplotlib ``Axes``, or arguments of the wrong type.
    ValueError
        Out-of-range values, unknown points or colours.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> from isingsc import NbSe2
    >>> art = plot_bands(ax, NbSe2(), n=120)
    >>> art["up"].get_color() == SPIN_COLORS["up"], len(art["soc"])   # 2 lambda_soc marked at K
    (True, 2)
    >>> plt.close(fig)
    """
    _check_axes(ax)
    check_instance(model, "model", TriangularTMD)
    colors = _spin_colors(colors)
    n = check_int(n, "n", minimum=16, maximum=100000)
    fermi_level, annotate_soc = check_flag(fermi_level, "fermi_level"), check_flag(annotate_soc, "annotate_soc")
    hs = high_symmetry_points()
    points = check_sequence(points, "points", min_length=2, max_length=100,
                            item=lambda p, name: check_choice(p, name, tuple(sorted(hs))))
    k, x, ticks = bz_path(points, n=n)
    up, down = model.dispersion(k[:, 0], k[:, 1])
    art = {"fermi": None, "soc": []}
    (art["up"],) = ax.plot(x, up, color=colors["up"], lw=1.8, label=r"spin $\uparrow$")
    (art["down"],) = ax.plot(x, down, color=colors["down"], lw=1.8, ls="--", label=r"spin $\downarrow$")
    if fermi_level:
        art["fermi"] = ax.axhline(0.0, color="0.3", lw=0.9, ls=":", zorder=0)
        ax.text(x[-1], 0.0, r" $E_F$", va="center", ha="left", fontsize=10, color="0.3")
    for t in ticks:
        ax.axvline(t, color="0.8", lw=0.8, zorder=0)
    ax.set_xticks(ticks)
    ax.set_xticklabels([_LABELS[p] for p in points])
    ax.set_xlim(x[0], x[-1])
    ax.set_ylabel(r"$\xi_{\mathbf{k}s}$ (meV)")
    if annotate_soc and "K" in points:
        iK = list(points).index("K")
        xK = ticks[iK]
        eu, ed = model.dispersion(*hs["K"])
        eu, ed = float(eu), float(ed)
        if abs(eu - ed) > 1e-9:
            arr = ax.annotate("", xy=(xK, max(eu, ed)), xytext=(xK, min(eu, ed)),
                              arrowprops=dict(arrowstyle="<->", color="k", lw=1.3, shrinkA=0, shrinkB=0))
            top = max(eu, ed)
            lo, hi = ax.get_ylim()
            ax.set_ylim(lo, max(hi, top + 0.3 * (top - min(lo, 0.0)) / 2))
            txt = ax.annotate(rf"$2\lambda_{{soc}}$ = {abs(eu - ed):.1f} meV" + "\n"
                              + rf"($\lambda_{{soc}}$ = {0.5 * abs(eu - ed):.1f} meV)",
                              xy=(xK, 0.5 * (eu + ed)), xytext=(xK + 0.06 * (x[-1] - x[0]), top + 0.04 * (top - lo)),
                              va="bottom", ha="left", fontsize=9,
                              arrowprops=dict(arrowstyle="-", color="0.5", lw=0.8, shrinkA=2, shrinkB=2),
                              bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="0.7"))
            art["soc"] = [arr, txt]
    return art


# ------------------------------------------------------------ Fig. 1 sketches
def draw_stack(ax, theta=(0.0, 0.0), labels=("F", r"NbSe$_2$", "F"), materials=(r"e.g. CrI$_3$, CrBr$_3$", "Ising superconductor", r"e.g. CrI$_3$, CrBr$_3$")):
    """Side view of the ferromagnet / NbSe2 / ferromagnet stack (figure 1(a) of the paper).

    Three slabs drawn in oblique projection, the magnetisation of each
    ferromagnet as a thick arrow at polar angle ``theta`` from the ``z`` axis
    (in the ``xz`` plane), and the ``x``, ``z`` axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    theta : (float, float)
        Polar angles (rad) of the bottom and top magnetisations; 0 is
        out-of-plane (+z), pi/2 in-plane (+x).
    labels, materials : tuple of str
        Three layer names and three second lines of text, bottom to top.

    Returns
    -------
    dict
        ``"slabs"`` (list of Polygons), ``"magnetization"`` (list of annotations),
        ``"axes"`` (list of annotations), ``"labels"`` (list of Text).

    Raises
    ------
    TypeError
        ``ax`` not a Matplotlib ``Axes``, or arguments of the wrong type.
    ValueError
        Out-of-range values, unknown points or colours.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> art = draw_stack(ax, theta=(0.0, np.pi / 2))
    >>> len(art["slabs"]), len(art["magnetization"])       # three slabs of three faces, three arrows per magnet
    (9, 6)
    >>> plt.close(fig)
    """
    from matplotlib.patches import Polygon

    _check_axes(ax)

    th = check_array(theta, "theta", unit="rad")
    if th.shape != (2,):
        raise ValueError(f"theta must be two finite polar angles in rad (bottom, top), got {theta!r}")
    labels = check_sequence(labels, "labels", length=3, item=_text)
    materials = check_sequence(materials, "materials", length=3, item=_text)
    W, H, gap = 4.0, 0.45, 0.75          # slab width, thickness, spacing (exploded view)
    dx, dz = 1.1, 0.55                    # oblique offset of the depth direction
    faces = [("#b9a7d6", "#9c86c4", "#cfc2e6"), ("#f2c14e", "#d9a52f", "#f7d88a"), ("#b9a7d6", "#9c86c4", "#cfc2e6")]
    art = {"slabs": [], "magnetization": [], "axes": [], "labels": []}
    z0s = [0.0, H + gap, 2 * (H + gap)]
    for i, (z0, (front, side, top)) in enumerate(zip(z0s, faces)):
        for pts, col in (([(0, z0), (W, z0), (W, z0 + H), (0, z0 + H)], front),
                         ([(W, z0), (W + dx, z0 + dz), (W + dx, z0 + H + dz), (W, z0 + H)], side),
                         ([(0, z0 + H), (W, z0 + H), (W + dx, z0 + H + dz), (dx, z0 + H + dz)], top)):
            p = Polygon(pts, closed=True, facecolor=col, edgecolor="0.25", lw=0.8, zorder=2 + i)
            ax.add_patch(p)
            art["slabs"].append(p)
        art["labels"].append(ax.text(W + dx + 0.25, z0 + 0.5 * H + 0.5 * dz, labels[i] + "\n" + materials[i],
                                     va="center", ha="left", fontsize=9.5, linespacing=1.2))
    # triangular-lattice dots on the top face of the NbSe2 slab
    z1 = z0s[1] + H
    for u in np.linspace(0.15, 0.85, 6):
        for v in np.linspace(0.2, 0.8, 3):
            ax.plot(u * W + v * dx, z1 + v * dz, "o", color="0.25", ms=2.0, zorder=6)
    # magnetisation arrows on the front faces of the ferromagnets
    L = 0.36
    for z0, t in zip((z0s[0], z0s[2]), th):
        for xc in (0.9, 2.0, 3.1):
            c = np.array([xc + 0.5 * dx, z0 + H + 0.5 * dz])  # standing on the top face
            d = L * np.array([np.sin(t), np.cos(t)])
            arr = ax.annotate("", xy=c + d, xytext=c - d, zorder=10,
                              arrowprops=dict(arrowstyle="-|>", color="#7a0019", lw=2.4, mutation_scale=14,
                                              shrinkA=0, shrinkB=0))
            art["magnetization"].append(arr)
    art["labels"].append(ax.text(-0.1, z0s[2] + 0.5 * H, r"$\mathbf{M}_2$", ha="right", va="center",
                                 color="#7a0019", fontsize=11))
    art["labels"].append(ax.text(-0.1, z0s[0] + 0.5 * H, r"$\mathbf{M}_1$", ha="right", va="center",
                                 color="#7a0019", fontsize=11))
    art["labels"].append(ax.text(-0.1, z0s[1] + 0.5 * H, r"$\mathbf{J}$", ha="right", va="center",
                                 color="0.2", fontsize=11))
    # Cartesian axes
    o = np.array([-1.35, -0.45])
    for vec, lab in ((np.array([0.7, 0.0]), r"$x$"), (np.array([0.0, 0.7]), r"$z$")):
        arr = ax.annotate("", xy=o + vec, xytext=o,
                          arrowprops=dict(arrowstyle="-|>", color="k", lw=1.3, shrinkA=0, shrinkB=0))
        art["axes"].append(arr)
        tip = o + vec * 1.22
        art["labels"].append(ax.text(tip[0], tip[1], lab, ha="center", va="center", fontsize=11))
    ax.set_xlim(-1.6, W + dx + 3.3)
    ax.set_ylim(-0.7, z0s[2] + H + dz + 0.3)
    ax.set_aspect("equal")
    ax.axis("off")
    return art


def _yosida(t):
    """Yosida function ``Y(T/Tc)`` with the interpolated weak-coupling gap (for the schematic only)."""
    t = np.atleast_1d(check_array(t, "t", nonneg=True))
    return np.array([formulas.yosida_function(x, formulas.interpolated_bcs_gap(x, 1.0)) for x in t])


def draw_alignment_schematic(ax, chi_ratio0=0.55, threshold=0.8):
    """Schematic of the paper's T* claim (figure 1(b) of the paper); not a calculation.

    Draws an in-plane spin susceptibility that rises from ``chi_s(0)`` to its
    normal-state value at ``T_c`` (shape: ``chi_s(0) + [chi_n - chi_s(0)] Y(T)``
    with the Yosida function ``Y``), a horizontal line for the anisotropy
    energy of the ferromagnets, and the preferred alignment on either side of
    the crossing ``T*``: out-of-plane for ``T < T*``, in-plane for ``T > T*``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    chi_ratio0 : float
        ``chi_s(0) / chi_n`` of the sketch, in (0, threshold).
    threshold : float
        Anisotropy line in units of ``chi_n J^2``, in (chi_ratio0, 1).

    Returns
    -------
    dict
        ``"curve"``, ``"threshold"`` (Line2D), ``"t_star"`` (float, in units of
        Tc), ``"icons"`` (list of annotations), ``"labels"`` (list of Text).

    Raises
    ------
    TypeError
        ``ax`` not a Matplotlib ``Axes``, or arguments of the wrong type.
    ValueError
        Out-of-range values, unknown points or colours.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> art = draw_alignment_schematic(ax, chi_ratio0=0.55, threshold=0.8)
    >>> 0.0 < art["t_star"] < 1.0
    True
    >>> plt.close(fig)
    """
    from matplotlib.patches import Rectangle

    _check_axes(ax)

    chi_ratio0 = check_real(chi_ratio0, "chi_ratio0")
    threshold = check_real(threshold, "threshold")
    if not (0 < chi_ratio0 < threshold < 1):
        raise ValueError(f"need 0 < chi_ratio0 < threshold < 1, got {chi_ratio0!r} and {threshold!r}")
    t = np.linspace(0.0, 1.5, 301)
    chi = chi_ratio0 + (1 - chi_ratio0) * _yosida(t)
    t_star = float(np.interp(threshold, chi[t <= 1], t[t <= 1]))
    art = {"labels": [], "icons": [], "t_star": t_star}
    ax.add_patch(Rectangle((0, -0.45), 1.0, 1.75, facecolor="#dceefb", edgecolor="none", zorder=0))
    (art["curve"],) = ax.plot(t, chi, color="k", lw=2.0)
    art["threshold"] = ax.axhline(threshold, color="#7a0019", lw=1.5, ls="--")
    art["labels"].append(ax.text(1.47, chi[-1] + 0.04, r"$\chi_s(T)\,J^2$", ha="right", va="bottom", fontsize=10))
    art["labels"].append(ax.text(0.03, threshold + 0.03, r"anisotropy $K$ of the magnets", color="#7a0019",
                                 ha="left", va="bottom", fontsize=9.5))
    for x0 in (t_star, 1.0):
        ax.axvline(x0, color="0.4", lw=0.9, ls=":", zorder=1)
    art["labels"].append(ax.text(0.5, 1.22, "superconducting", ha="center", va="center", fontsize=9, color="#1f4e79"))
    art["labels"].append(ax.text(1.25, 1.22, "normal", ha="center", va="center", fontsize=9, color="0.3"))
    # icons: two short slabs with magnetisation arrows, below the curve
    for (x0, x1), theta, text in (((0.0, t_star), 0.0, "out-of-plane"), ((t_star, 1.5), np.pi / 2, "in-plane")):
        xc = 0.5 * (x0 + x1)
        art["icons"].append(ax.annotate("", xy=(x1, 0.25), xytext=(x0, 0.25), zorder=3,
                                        arrowprops=dict(arrowstyle="|-|", color="0.35", lw=1.0,
                                                        shrinkA=1, shrinkB=1, mutation_scale=4)))
        for zc in (-0.08, -0.3):
            ax.plot([xc - 0.13, xc + 0.13], [zc, zc], color="#9c86c4", lw=6, solid_capstyle="butt", zorder=2)
            d = 0.075 * np.array([np.sin(theta) * 1.4, np.cos(theta)])
            arr = ax.annotate("", xy=(xc + d[0], zc + d[1]), xytext=(xc - d[0], zc - d[1]), zorder=3,
                              arrowprops=dict(arrowstyle="-|>", color="#7a0019", lw=1.8, mutation_scale=10,
                                              shrinkA=0, shrinkB=0))
            art["icons"].append(arr)
        art["labels"].append(ax.text(xc, 0.36, text, ha="center", va="center", fontsize=9.5))
    ax.set_xlim(0, 1.5)
    ax.set_ylim(-0.45, 1.3)
    ax.set_xticks([0, t_star, 1.0])
    ax.set_xticklabels(["0", r"$T^*$", r"$T_c$"])
    ax.set_yticks([])
    ax.set_xlabel(r"temperature $T$")
    return art


# ------------------------------------------------------------------ the two plots every user makes
#: the field units of :func:`plot_hysteresis`
FIELD_UNITS = ("tesla", "meV", "reduced")


def plot_hysteresis(ax, loop, field="reduced", *, field_unit=None, moment=1.0, magnetization="z", **line_kw):
    """Draw a hysteresis loop: magnetization against the applied field, each branch one line.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    loop : HysteresisLoop
        From :func:`~isingsc.hysteresis.hysteresis_loop`.
    field : {"reduced", "tesla", "meV"}, optional
        The field axis: ``"reduced"`` in units of ``field_unit`` (the paper's
        ``chi_s(0) J^2 / M_s``, e.g. :attr:`Fig4Parameters.field_unit
        <isingsc.paper.Fig4Parameters.field_unit>`); ``"tesla"`` with
        :func:`~isingsc.units.field_to_tesla` (``moment``: the Bohr magnetons per Nb site a
        unit ``Ms`` stands for); ``"meV"`` as stored (meV per Nb site per unit ``Ms``).
    field_unit : float, optional
        ``chi_s(0) J^2 / M_s`` (meV per Nb site per unit moment); required for ``"reduced"``.
    moment : float, optional
        For ``"tesla"``: the moment (mu_B per Nb site) of a unit ``Ms`` (1 if the stack's ``Ms``
        are already in mu_B per Nb site).
    magnetization : {"z", "x", "parallel"}, optional
        ``M_z`` (Eq. 14), ``M_x`` (Eq. 15) or the component along the field, in units
        of ``M_s1 + M_s2``.
    **line_kw
        Passed to ``ax.plot`` (e.g. ``color``).

    Returns
    -------
    dict
        ``"lines"``: one Line2D per branch (labelled with the branch name);
        ``"x"``, ``"y"``: the plotted arrays per branch.

    Raises
    ------
    TypeError
        ``ax`` is not an Axes or ``loop`` not a HysteresisLoop.
    ValueError
        An unknown ``field`` or ``magnetization``, or ``"reduced"`` without ``field_unit``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from isingsc import FSFStack, hysteresis_loop
    >>> loop = hysteresis_loop(FSFStack.single(1.0, 1.0), H_max=3.0, n_steps=60)
    >>> fig, ax = plt.subplots()
    >>> art = plot_hysteresis(ax, loop, "meV")
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('$H$ (meV per Nb site per unit $M_s$)', '$M_z/(M_{s1} + M_{s2})$')
    >>> plt.close(fig)
    """
    from .hysteresis import HysteresisLoop

    _check_axes(ax)
    check_instance(loop, "loop", HysteresisLoop, "from isingsc.hysteresis_loop(stack, H_max, n_steps)")
    if field not in FIELD_UNITS:
        raise ValueError(f"field must be one of {FIELD_UNITS}, got {field!r}")
    if magnetization not in ("z", "x", "parallel"):
        raise ValueError(f"magnetization must be 'z', 'x' or 'parallel', got {magnetization!r}")
    if field_unit is not None:
        check_real(field_unit, "field_unit", unit="meV", positive=True)
    moment = check_real(moment, "moment", unit="mu_B per Nb site", positive=True)
    if field == "reduced":
        if field_unit is None:
            raise ValueError("field='reduced' needs field_unit = chi_s(0) J^2 / M_s (e.g. Fig4Parameters().field_unit)")
        scale = check_real(field_unit, "field_unit", unit="meV", positive=True)
        xlabel = r"$H$ ($\chi_s(0)J^2/M_s$)"
    elif field == "tesla":
        from .units import field_to_tesla

        scale = 1.0 / field_to_tesla(1.0, moment)
        xlabel = r"$\mu_0 H$ (T)"
    else:
        scale = 1.0
        xlabel = r"$H$ (meV per Nb site per unit $M_s$)"
    ms = loop.stack.Ms1 + loop.stack.Ms2
    ang = loop.field_angle
    art = {"lines": [], "x": [], "y": []}
    for b in loop.branches:
        y = {"z": b.M_z, "x": b.M_x, "parallel": b.M_z * np.cos(ang) + b.M_x * np.sin(ang)}[magnetization] / ms
        x = b.H / scale
        (line,) = ax.plot(x, y, label=b.name, **line_kw)
        art["lines"].append(line)
        art["x"].append(x)
        art["y"].append(y)
    comp = {"z": "M_z", "x": "M_x", "parallel": r"M_\parallel"}[magnetization]
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"${comp}/(M_{{s1}} + M_{{s2}})$")
    return art


def plot_susceptibilities(ax, sc, T=None, *, unit="chi_P", **line_kw):
    """Draw the superconductor's spin susceptibilities ``chi_par(T)`` and ``chi_perp(T)``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    sc : IsingSuperconductor or SuperconductorResponse
        The superconductor (its tabulated response, :func:`~isingsc.response.superconductor_response`,
        is used and built if needed).
    T : array_like, optional
        Temperatures (meV) within the response's range; default 121 points on ``[0, 1.3 Tc0]``.
    unit : {"chi_P", "1/meV"}, optional
        Susceptibilities in units of the Pauli value ``chi_P = 2 N(0)``, or in 1/meV per Nb site.
    **line_kw
        Passed to ``ax.plot``.

    Returns
    -------
    dict
        ``"chi_par"``, ``"chi_perp"``: the Line2D objects; ``"T"``: the temperatures (meV).

    Raises
    ------
    TypeError
        ``ax`` is not an Axes or ``sc`` not a superconductor or response.
    ValueError
        An unknown ``unit``, or temperatures outside the tabulated range.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from isingsc import ising_superconductor
    >>> fig, ax = plt.subplots()
    >>> art = plot_susceptibilities(ax, ising_superconductor(150.0))
    >>> print(ax.get_xlabel(), ax.get_ylabel())
    $T/T_{c0}$ $\\chi/\\chi_P$
    >>> float(art["chi_perp"].get_ydata()[0])        # no out-of-plane response at T = 0 (App. C)
    0.0
    >>> plt.close(fig)
    """
    from .response import as_response

    _check_axes(ax)
    resp = as_response(sc)
    if unit not in ("chi_P", "1/meV"):
        raise ValueError(f"unit must be 'chi_P' or '1/meV', got {unit!r}")
    tc = resp.tc0
    T = np.linspace(0.0, 1.3 * tc, 121) if T is None else check_array(T, "T", unit="meV", nonneg=True).ravel()
    scale = resp.chi_pauli if unit == "chi_P" else 1.0
    (par,) = ax.plot(T / tc, resp.chi_par_at(T) / scale, label=r"$\chi_\parallel$ (in-plane field)", **line_kw)
    (perp,) = ax.plot(T / tc, resp.chi_perp_at(T) / scale, "--", label=r"$\chi_\perp$ (out-of-plane field)",
                      **line_kw)
    ax.set_xlabel(r"$T/T_{c0}$")
    ax.set_ylabel(r"$\chi/\chi_P$" if unit == "chi_P" else r"$\chi$ (1/meV per Nb site)")
    return {"chi_par": par, "chi_perp": perp, "T": T}


# ------------------------------------------------------------------ helpers
def _text(value, name):
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {value!r}")
    return value


def _color(value, name):
    """A Matplotlib colour (TypeError or ValueError naming ``name`` for anything else)."""
    from matplotlib.colors import is_color_like

    if not isinstance(value, (str, tuple)):
        raise TypeError(f"{name} must be a Matplotlib colour (a str such as '0.3' or '#d62728'), got {value!r}")
    if not is_color_like(value):
        raise ValueError(f"{name} = {value!r} is not a Matplotlib colour")
    return value


def _spin_colors(colors):
    """``{"up": colour, "down": colour}``: the default :data:`SPIN_COLORS` or a checked mapping."""
    if colors is None:
        return dict(SPIN_COLORS)
    if not hasattr(colors, "keys"):
        raise TypeError(f"colors must be a dict {{'up': colour, 'down': colour}}, got {colors!r}")
    missing = {"up", "down"} - set(colors)
    if missing:
        raise ValueError(f"colors lacks {sorted(missing)}")
    return {k: _color(colors[k], f"colors[{k!r}]") for k in ("up", "down")}


def _check_axes(ax):
    """TypeError unless ``ax`` looks like a Matplotlib ``Axes``."""
    if not all(hasattr(ax, name) for name in ("plot", "add_patch", "set_xlim")):
        raise TypeError(f"ax must be a matplotlib Axes (e.g. from plt.subplots()), got {type(ax).__name__}")
