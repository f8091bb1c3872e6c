"""The book's interactive explorers: one pure compute function per explorer, with its sliders.

An *explorer* is a figure whose curves depend on a few parameters (the sliders).  For each one this
module holds

* a **compute function**: slider values in, plain float arrays out (a ``dict`` of named 1D arrays,
  one per curve coordinate), computed by the library for exactly that setting;
* its **sliders** (:class:`Slider`): the grid of values precomputed for the static HTML book, the
  default, the range of the live-notebook slider, the unit;
* its **panels** and **traces** (:class:`Panel`, :class:`Trace`): which arrays are drawn against
  which, with labels and hover readouts that carry the units.

:mod:`isingsc.book.interactive` turns an :class:`Explorer` into its two views, a plotly figure with
precomputed frames for the static HTML and an ipywidgets view for a live notebook.  Both call the
same compute function, so they cannot drift apart.

The explorers (the dict ``EXPLORERS``):

``"bands"``
    bands along Gamma-M-K-Gamma and the Fermi lines against ``lambda_soc`` (model chapter).
``"angle"``
    ``f_sn(theta)`` against ``lambda_soc``, ``J`` and ``T`` (superconductivity chapter).
``"chi"``
    ``chi_par(T)``, ``chi_perp(T)`` against ``lambda_soc`` (superconductivity chapter).
``"loops"``
    hysteresis loops against ``T``, ``K1``, ``K1/K2`` and the field angle (hysteresis chapter).
``"alignment"``
    zero-field polar angles of the two magnets (global ground state) against ``T`` and ``K1``
    (hysteresis chapter).

Units
-----
Energies in meV (``k_B = 1``); momenta in 1/a; free energies and susceptibilities per Nb site and
quoted in the units named in each trace (``N(0) Delta0^2``, ``chi_P``); temperatures in units of the
model's own ``Tc0``; fields ``J`` in units of the Pauli limit ``H_P = Delta0/sqrt 2``; spin-orbit
strengths in meV (bands) or units of ``Delta0`` (superconductor); angles in degrees.
"""
from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable

import numpy as np

from .._results_cache import persistent
from .._validation import (
    check_array,
    check_callable,
    check_choice,
    check_flag,
    check_instance,
    check_int,
    check_real,
    check_sequence,
    checked_fields,
    frozen_mapping,
)
from ..fermi_surface import _refine as _refine_on_fermi_line
from ..fermi_surface import fermi_contours
from ..hysteresis import hysteresis_loop
from ..magnetism import ground_state
from ..materials import NbSe2
from ..model import brillouin_zone_corners, bz_path
from ..paper import Fig4Parameters, ising_superconductor
from ..plotting import SPIN_COLORS
from ..response import superconductor_response

__all__ = [
    "Slider",
    "Panel",
    "Trace",
    "Explorer",
    "EXPLORERS",
    "get_explorer",
    "superconductor",
    "bands_and_fermi_surface",
    "angle_dependence",
    "susceptibility_curves",
    "hysteresis_loops",
    "zero_field_alignment",
]

SQRT3 = math.sqrt(3.0)
#: Colours of the two coupling forms of Sec. IV (Eq. (13) and the complete quadratic form).
FORM_COLORS = {"paper": "#1f77b4", "complete": "#d62728"}
FORMS = ("paper", "complete")


# ------------------------------------------------------------------ description
@checked_fields
@dataclass(frozen=True)
class Slider:
    """One parameter of an explorer.

    Attributes
    ----------
    name : str
        Keyword argument of the compute function.
    label : str
        Short label (plotly's HTML subset: ``<sub>``, ``<sup>``).
    unit : str
        Unit of the value as shown to the reader (``""`` for a ratio).
    values : tuple of float
        The grid precomputed for the static view (increasing).
    default : float
        Initial value; one of ``values``.
    live : (float, float, float)
        ``(min, max, step)`` of the live-notebook slider; contains ``values``.
    log : bool
        Logarithmic live slider (``min``, ``max`` are then base-10 exponents).
    time_like : bool
        Give the static view a play button that steps through this slider.
    fmt : str
        Format of the value in labels.

    Examples
    --------
    >>> s = Slider("T_over_Tc0", "T", "T<sub>c0</sub>", (0.0, 0.5, 1.0), 0.5, (0.0, 1.0, 0.05))
    >>> s.index(0.5), s.label_of(1.0)
    (1, '1')
    """

    name: str
    label: str
    unit: str
    values: tuple
    default: float
    live: tuple
    log: bool = False
    time_like: bool = False
    fmt: str = ".3g"

    def __post_init__(self):
        vals = check_sequence(self.values, "values", min_length=1, max_length=10**4,
                              item=lambda v, name: check_real(v, name))
        if any(b <= a for a, b in zip(vals[:-1], vals[1:])):
            raise ValueError(f"slider {self.name!r}: values must be an increasing sequence, got {vals}")
        object.__setattr__(self, "values", vals)
        default = check_real(self.default, "default")
        object.__setattr__(self, "default", default)
        if not any(abs(v - default) <= 1e-9 * max(1.0, abs(v)) for v in vals):
            raise ValueError(f"default = {default!r} is not a grid value of slider {self.name!r}: {vals}")
        lo, hi, step = check_sequence(self.live, "live", length=3, item=lambda v, name: check_real(v, name))
        object.__setattr__(self, "live", (lo, hi, step))
        vmin, vmax = (10.0 ** lo, 10.0 ** hi) if self.log else (lo, hi)
        if not (vmin <= vals[0] * (1 + 1e-12) and vals[-1] <= vmax * (1 + 1e-12)) or step <= 0:
            raise ValueError(f"slider {self.name!r}: the live range (min, max, step) = {self.live} must contain the "
                             f"grid values {vals}")

    def index(self, value):
        """Index of ``value`` in ``values``.

        Parameters
        ----------
        value : float
            A grid value (to a relative ``1e-9``).

        Returns
        -------
        int

        Raises
        ------
        TypeError
            A non-real value.
        ValueError
            A value that is not on the grid.

        Examples
        --------
        >>> Slider("t", "T", "", (0.0, 0.5, 1.0), 0.5, (0.0, 1.0, 0.05)).index(1.0)
        2
        """
        value = check_real(value, "value")
        for i, v in enumerate(self.values):
            if abs(v - value) <= 1e-9 * max(1.0, abs(v)):
                return i
        raise ValueError(f"{value!r} is not a grid value of slider {self.name!r}: {self.values}")

    def label_of(self, value):
        """The value as printed on the slider.

        Parameters
        ----------
        value : float
            The value.

        Returns
        -------
        str
            ``value`` in the slider's format ``fmt``.

        Raises
        ------
        TypeError
            A non-real value.
        ValueError
            A non-finite value.

        Examples
        --------
        >>> Slider("t", "T", "", (0.0, 0.5), 0.5, (0.0, 1.0, 0.05), fmt=".2f").label_of(0.5)
        '0.50'
        """
        return format(check_real(value, "value"), self.fmt)

    @property
    def title(self):
        """``label (unit)`` for readouts.

        Examples
        --------
        >>> Slider("J", "J", "H<sub>P</sub>", (0.0, 1.0), 0.0, (0.0, 2.0, 0.1)).title
        'J (H<sub>P</sub>)'
        """
        return f"{self.label} ({self.unit})" if self.unit else self.label


@checked_fields
@dataclass(frozen=True)
class Panel:
    """One set of axes of an explorer.

    Attributes
    ----------
    xlabel : str
        Title of the x axis with its unit (plotly's HTML subset).
    ylabel : str
        Title of the y axis with its unit.
    xrange : (float, float) or None
        Fixed x range; ``None`` lets the axis follow the data of each frame.
    yrange : (float, float) or None
        Fixed y range; ``None`` lets the axis follow the data of each frame.
    equal_aspect : bool
        One unit on ``x`` as long as one unit on ``y`` (Brillouin zone, stack sketch).
    xticks : ((float, ...), (str, ...)) or None
        Tick positions and labels (e.g. the high-symmetry points).
    yticks : (float, ...) or None
        Tick positions on the y axis (labelled with their values), e.g. the angles 0, 30, 60, 90 degrees.
    hide_axes : bool
        No ticks or grid (sketches).

    Examples
    --------
    >>> Panel("T / T<sub>c0</sub>", "χ / χ<sub>P</sub>", xrange=(0.0, 1.3)).yrange is None
    True
    """

    xlabel: str
    ylabel: str
    xrange: tuple | None = None
    yrange: tuple | None = None
    equal_aspect: bool = False
    xticks: tuple | None = None
    yticks: tuple | None = None
    hide_axes: bool = False


@checked_fields
@dataclass(frozen=True)
class Trace:
    """One curve: the arrays ``x`` and ``y`` of the compute output drawn in ``panel``.

    Attributes
    ----------
    x : str
        Key of the x array in the compute function's output.
    y : str
        Key of the y array.
    name : str
        Legend entry.
    panel : int
        Index into ``Explorer.panels``.
    color : str
    dash : {"solid", "dash", "dot"}
    mode : {"lines", "markers", "lines+markers", "text"}
        ``"text"``: the strings ``text`` at the points (labels of sketches; static traces only).
    hover : str
        Hover readout (plotly hovertemplate syntax) with units; ``""``: none.
    static : bool
        The same in every setting (outlines): drawn once, not stored in the frames.
    width : float
        Line width (px).
    size : float
        Marker size (px).
    customdata : str or None
        Key of an extra array shown in the hover readout as ``%{customdata}``.
    fill : str or None
        ``"toself"`` to fill the closed curve (sketches).
    legend : bool
        Show in the legend.
    arrow : bool
        Draw an arrow head at the second point of each two-point segment (sketches).
    text : tuple of str
        Labels for ``mode="text"``.
    depends : tuple of str or None
        Names of the sliders the curve depends on; ``None``: all of them.  The static view stores such a
        curve once per combination of those sliders only (checked when the frames are built).
    odd_halves : bool
        ``y`` is two halves with the second the negative of the first (``y[n + k] = -y[k]``), as for a
        hysteresis loop (its ascending branch is the descending one inverted): the static view stores
        the first half when every frame has this symmetry to ``ODD_TOLERANCE`` (checked when the frames
        are built), and the page's script restores the second.

    Examples
    --------
    >>> Trace("H", "Mz_paper", "Eq. (13)", odd_halves=True).mode
    'lines'
    """

    x: str
    y: str
    name: str
    panel: int = 0
    color: str = "#1f77b4"
    dash: str = "solid"
    mode: str = "lines"
    hover: str = ""
    static: bool = False
    width: float = 2.0
    size: float = 6.0
    customdata: str | None = None
    fill: str | None = None
    legend: bool = True
    arrow: bool = False
    text: tuple = ()
    depends: tuple | None = None
    odd_halves: bool = False

    def __post_init__(self):
        check_choice(self.dash, "dash", ("solid", "dash", "dot"))
        check_choice(self.mode, "mode", ("lines", "markers", "lines+markers", "text"))
        if self.panel > 64:
            raise ValueError(f"panel must be an index into Explorer.panels (<= 64), got {self.panel}")
        if self.fill is not None:
            check_choice(self.fill, "fill", ("toself", "tozeroy", "tonexty"))
        if self.customdata is not None and not self.customdata.isidentifier():
            raise ValueError(f"customdata must be the key of an array of the compute output, got {self.customdata!r}")
        if self.mode == "text" and not self.static:
            raise ValueError(f"trace {self.name!r}: text traces must be static")


@checked_fields
@dataclass(frozen=True)
class Explorer:
    """An interactive figure: compute function, sliders, panels and traces.

    Attributes
    ----------
    name : str
        Identifier (also the HTML id).
    title : str
        Title shown above the figure.
    compute : callable
        ``compute(**{slider.name: value})`` -> ``dict`` of 1D float arrays.
    sliders : tuple of Slider
    panels : tuple of Panel
    traces : tuple of Trace
    note : str
        What the reader must know about how the curves are computed (shown under the figure).
    height : int
        Height of the plotting area (px), without the sliders.

    Examples
    --------
    >>> ex = get_explorer("bands")
    >>> [s.name for s in ex.sliders], ex.n_frames
    (['lambda_soc'], 15)
    >>> out = ex(lambda_soc=77.2)
    >>> out["xi_up"].shape, out["k_path"].shape
    ((241,), (241,))
    """

    name: str
    title: str
    compute: Callable
    sliders: tuple
    panels: tuple
    traces: tuple
    note: str = ""
    height: int = 360

    def __post_init__(self):
        check_callable(self.compute, "compute", "compute(**slider values) -> dict of arrays")
        for field_name, cls in (("sliders", Slider), ("panels", Panel), ("traces", Trace)):
            check_sequence(getattr(self, field_name), field_name,
                           item=lambda x, name, cls=cls: check_instance(x, name, cls))
        check_int(self.height, "height", minimum=50, maximum=5000)
        names = [s.name for s in self.sliders]
        if len(set(names)) != len(names):
            raise ValueError(f"explorer {self.name!r}: slider names must be unique, got {names}")
        for tr in self.traces:
            if not 0 <= tr.panel < len(self.panels):
                raise ValueError(f"explorer {self.name!r}: trace {tr.name!r} refers to panel {tr.panel}")
            if tr.depends is not None and not set(tr.depends) <= set(names):
                raise ValueError(f"explorer {self.name!r}: trace {tr.name!r} depends on unknown sliders "
                                 f"{sorted(set(tr.depends) - set(names))}")

    def __call__(self, **values):
        """The compute function at ``values`` (defaults for the sliders not given)."""
        unknown = set(values) - {s.name for s in self.sliders}
        if unknown:
            raise TypeError(f"explorer {self.name!r} has no slider(s) {sorted(unknown)}; "
                            f"sliders: {[s.name for s in self.sliders]}")
        args = {s.name: values.get(s.name, s.default) for s in self.sliders}
        return self.compute(**args)

    @property
    def defaults(self):
        """``{slider name: default value}``.

        Examples
        --------
        >>> get_explorer("bands").defaults
        {'lambda_soc': 77.2}
        """
        return {s.name: s.default for s in self.sliders}

    @property
    def n_frames(self):
        """Number of grid settings (frames of the static view).

        Examples
        --------
        >>> get_explorer("bands").with_grid(lambda_soc=(0.0, 77.2)).n_frames
        2
        """
        return int(np.prod([len(s.values) for s in self.sliders]))

    def grid(self):
        """All grid settings as ``(indices, {slider name: value})``, the last slider varying fastest.

        Yields
        ------
        (tuple of int, dict)
            The slider indices and the values.

        Examples
        --------
        >>> list(get_explorer("bands").with_grid(lambda_soc=(0.0, 77.2)).grid())
        [((0,), {'lambda_soc': 0.0}), ((1,), {'lambda_soc': 77.2})]
        """
        for idx in itertools.product(*[range(len(s.values)) for s in self.sliders]):
            yield idx, {s.name: s.values[i] for s, i in zip(self.sliders, idx)}

    def default_indices(self):
        """Grid indices of the defaults.

        Returns
        -------
        tuple of int

        Examples
        --------
        >>> get_explorer("bands").with_grid(lambda_soc=(0.0, 77.2)).default_indices()
        (1,)
        """
        return tuple(s.index(s.default) for s in self.sliders)

    @staticmethod
    def frame_name(indices, mask=None):
        """Name of a frame: the slider indices joined by commas, e.g. ``"2,0,1"``.

        With ``mask`` (one bool per slider), the sliders a group of curves does not depend on are
        written ``*``: ``"2,*,1"``.

        Parameters
        ----------
        indices : sequence of int
            One grid index per slider (at most 100 sliders).
        mask : sequence of bool, optional
            One flag per slider.

        Returns
        -------
        str

        Raises
        ------
        TypeError
            Non-integer indices or non-boolean flags.
        ValueError
            Negative indices, or a mask of another length.

        Examples
        --------
        >>> Explorer.frame_name((2, 0, 1)), Explorer.frame_name((2, 0, 1), (True, False, True))
        ('2,0,1', '2,*,1')
        """
        indices = check_sequence(indices, "indices", max_length=100,
                                 item=lambda i, name: check_int(i, name, minimum=0))
        if mask is not None:
            mask = check_sequence(mask, "mask", length=len(indices), item=lambda m, name: check_flag(m, name))
        if mask is None:
            return ",".join(str(int(i)) for i in indices)
        return ",".join(str(int(i)) if m else "*" for i, m in zip(indices, mask))

    def frame_groups(self):
        """The curves of the frames grouped by the sliders they depend on.

        Returns
        -------
        list of (tuple of bool, list of int)
            ``(mask over the sliders, indices of the non-static traces)``; the group depending on all
            sliders first.

        Examples
        --------
        >>> get_explorer("bands").frame_groups()[0][0]
        (True,)
        """
        groups = {}
        names = [s.name for s in self.sliders]
        for i, tr in enumerate(self.traces):
            if tr.static:
                continue
            dep = set(names) if tr.depends is None else set(tr.depends)
            mask = tuple(n in dep for n in names)
            groups.setdefault(mask, []).append(i)
        return sorted(groups.items(), key=lambda kv: (-sum(kv[0]), kv[0]))

    def with_grid(self, **values):
        """The same explorer with other grid values for some sliders (e.g. a coarse grid for tests).

        The default of a changed slider moves to the grid value nearest to it.

        Parameters
        ----------
        **values : sequence of float
            New grid values, by slider name (increasing, within the live range).

        Returns
        -------
        Explorer

        Raises
        ------
        TypeError
            An unknown slider name, or non-real grid values.
        ValueError
            Grid values that are not increasing or lie outside the live range.

        Examples
        --------
        >>> ex = get_explorer("chi").with_grid(lambda_over_delta0=(150.0,))
        >>> ex.sliders[0].values, ex.n_frames
        ((150.0,), 1)
        """
        sliders = []
        for s in self.sliders:
            if s.name in values:
                vals = check_sequence(values.pop(s.name), s.name, min_length=1, max_length=10**4,
                                      item=lambda v, name: check_real(v, name))
                default = min(vals, key=lambda v: abs(v - s.default))
                s = replace(s, values=vals, default=default)
            sliders.append(s)
        if values:
            raise TypeError(f"explorer {self.name!r} has no slider(s) {sorted(values)}")
        return replace(self, sliders=tuple(sliders))


# ---------------------------------------------------------------- helpers
def _floats(x):
    return np.asarray(x, dtype=float)


def _inside_zone(k, margin=1e-9):
    """Points of ``k`` (N, 2) inside the hexagonal Brillouin zone (corners at K = (4 pi/3, 0))."""
    apothem = 2 * np.pi / SQRT3
    ang = np.pi / 6 + np.arange(6) * np.pi / 3
    proj = k @ np.stack([np.cos(ang), np.sin(ang)])
    return np.all(proj <= apothem * (1 + margin), axis=1)


def _join_lines(lines, refine=None, max_points=500):
    """Concatenate polylines with NaN separators, dropping the points outside the zone.

    The lines are thinned uniformly (every ``m``-th point, ends kept) so that the total stays below
    about ``max_points``; ``refine(points)`` then moves the kept points onto the Fermi line (Newton
    steps), so thinning before refining costs nothing in accuracy.
    """
    total = sum(len(ln) for ln in lines)
    step = max(1, int(math.ceil(total / max_points)))
    kept = [np.asarray(ln)[np.unique(np.r_[np.arange(0, len(ln), step), len(ln) - 1])] for ln in lines]
    if not kept:
        return np.array([np.nan]), np.array([np.nan])
    sizes = [len(k) for k in kept]
    pts = np.vstack(kept)
    if refine is not None:
        pts = refine(pts)
    pts = np.where(_inside_zone(pts)[:, None], pts, np.nan)
    xs, ys = [], []
    for part in np.split(pts, np.cumsum(sizes)[:-1]):
        xs += [part[:, 0], [np.nan]]
        ys += [part[:, 1], [np.nan]]
    x, y = np.concatenate(xs), np.concatenate(ys)
    # drop runs of NaNs (keep single separators)
    bad = np.isnan(x)
    keep_pt = ~(bad & np.r_[True, bad[:-1]])
    return x[keep_pt], y[keep_pt]


# ------------------------------------------------------------------ explorer 1: bands
BAND_PATH = ("Gamma", "M", "K", "Gamma")


@persistent
def bands_and_fermi_surface(lambda_soc=77.2, *, n_path=240, nk=160):
    """Bands along Gamma-M-K-Gamma and the Fermi lines of NbSe2 at spin-orbit strength ``lambda_soc``.

    The model is ``NbSe2().with_lambda_soc(lambda_soc)`` (``phi_0`` tuned through Eq. (A4)).

    Parameters
    ----------
    lambda_soc : float
        Spin-orbit strength (meV), ``0 <= lambda_soc <= 3 sqrt3 t_0`` (136.7 meV).
    n_path : int, optional
        k points along the path.
    nk : int, optional
        Grid of the Fermi-line search (:func:`isingsc.fermi_surface.fermi_contours`); the points kept
        for drawing are then moved onto the line by Newton steps (``|xi| < 1e-6`` meV).

    Returns
    -------
    dict of ndarray
        ``k_path`` (path length, 1/a), ``xi_up``, ``xi_down`` (meV); ``fs_up_kx``, ``fs_up_ky``,
        ``fs_down_kx``, ``fs_down_ky`` (1/a): the Fermi lines inside the first zone as NaN-separated
        polylines; ``bz_kx``, ``bz_ky``: the zone boundary; ``ef_x``, ``ef_y``: the Fermi level.

    Raises
    ------
    TypeError
        A non-real or non-integer argument.
    ValueError
        A negative, non-finite or out-of-range argument.
    ConvergenceError
        A solve of the engine that cannot be established.

    Examples
    --------
    >>> out = bands_and_fermi_surface(77.2)
    >>> i_K = np.argmin(np.hypot(*(bz_path(BAND_PATH, 240)[0] - [4 * np.pi / 3, 0]).T))
    >>> round(float(abs(out["xi_up"][i_K] - out["xi_down"][i_K])) / 2, 1)   # lambda_soc at K
    77.2
    """
    lam = check_real(lambda_soc, "lambda_soc", unit="meV", nonneg=True)
    model = NbSe2().with_lambda_soc(lam)
    n_path = check_int(n_path, "n_path", minimum=2, maximum=10**5)
    nk = check_int(nk, "nk", minimum=16, maximum=2000)
    k, x, _ = bz_path(BAND_PATH, n=n_path)
    up, down = model.dispersion(k[:, 0], k[:, 1])
    fs_up, fs_down = fermi_contours(model, nk=nk, refine=False)
    ux, uy = _join_lines(fs_up, lambda p: _refine_on_fermi_line(model, p, 0))
    dx, dy = _join_lines(fs_down, lambda p: _refine_on_fermi_line(model, p, 1))
    bz = brillouin_zone_corners()
    bz = np.vstack([bz, bz[:1]])
    return {
        "k_path": _floats(x), "xi_up": _floats(up), "xi_down": _floats(down),
        "ef_x": np.array([x[0], x[-1]]), "ef_y": np.zeros(2),
        "fs_up_kx": ux, "fs_up_ky": uy, "fs_down_kx": dx, "fs_down_ky": dy,
        "bz_kx": bz[:, 0], "bz_ky": bz[:, 1],
    }


def _band_ticks():
    _, _, ticks = bz_path(BAND_PATH, n=240)
    return (tuple(float(t) for t in ticks), ("Γ", "M", "K", "Γ"))


def _bands_explorer():
    lams = tuple(sorted({*np.arange(0.0, 131.0, 10.0).tolist(), 77.2}))
    hover_band = "k = %{x:.2f} 1/a<br>ξ = %{y:.1f} meV"
    hover_fs = "k<sub>x</sub> = %{x:.3f} 1/a<br>k<sub>y</sub> = %{y:.3f} 1/a"
    return Explorer(
        name="bands",
        title="Bands and Fermi lines of NbSe<sub>2</sub> against λ<sub>soc</sub>",
        compute=bands_and_fermi_surface,
        sliders=(Slider("lambda_soc", "λ<sub>soc</sub>", "meV", lams, 77.2, (0.0, 136.0, 1.0), fmt=".1f"),),
        panels=(
            Panel("", "ξ<sub>k s</sub> (meV)", yrange=(-480.0, 680.0), xticks=_band_ticks()),
            Panel("k<sub>x</sub> (1/a)", "k<sub>y</sub> (1/a)", xrange=(-4.4, 4.4), yrange=(-3.8, 3.8),
                  equal_aspect=True),
        ),
        traces=(
            Trace("ef_x", "ef_y", "E<sub>F</sub>", 0, "#777777", "dot", width=1, static=True, legend=False),
            Trace("k_path", "xi_up", "spin ↑", 0, SPIN_COLORS["up"], hover=hover_band),
            Trace("k_path", "xi_down", "spin ↓", 0, SPIN_COLORS["down"], "dash", hover=hover_band),
            Trace("bz_kx", "bz_ky", "first Brillouin zone", 1, "#555555", width=1, static=True, legend=False),
            Trace("fs_up_kx", "fs_up_ky", "ξ<sub>k↑</sub> = 0", 1, SPIN_COLORS["up"], hover=hover_fs,
                  legend=False),
            Trace("fs_down_kx", "fs_down_ky", "ξ<sub>k↓</sub> = 0", 1, SPIN_COLORS["down"], "dash",
                  hover=hover_fs, legend=False),
        ),
        note=("Bands along Γ–M–K–Γ (left) and Fermi lines in the first Brillouin zone (right) of "
              "NbSe2().with_lambda_soc(λ<sub>soc</sub>): φ<sub>0</sub> is tuned by Eq. (A4) at fixed hoppings. "
              "Spin up red, spin down blue dashed."),
        height=380,
    )


# -------------------------------------------------------------- superconductor helpers
def superconductor(lambda_over_delta0):
    """The NbSe2 superconductor of the explorers at ``lambda_soc = lambda_over_delta0 * Delta0`` (cached).

    :func:`isingsc.paper.ising_superconductor` with ``Delta0`` of App. B; the explorers only
    read from it, so sharing it between calls is safe.

    Parameters
    ----------
    lambda_over_delta0 : float
        ``lambda_soc / Delta0``, > 0 (see :func:`isingsc.paper.ising_superconductor`).

    Returns
    -------
    IsingSuperconductor

    Raises
    ------
    TypeError
        A non-real value (a string such as ``"150"`` included).
    ValueError
        A value that is not positive or beyond what the model allows.

    Examples
    --------
    >>> superconductor(150.0) is superconductor(150)
    True
    """
    return ising_superconductor(check_real(lambda_over_delta0, "lambda_over_delta0", positive=True))


def _sc_units(sc):
    """``(N(0) Delta0^2, H_P, chi_P)`` of a superconductor (meV per site, meV, 1/meV per site)."""
    return sc.density_of_states_fermi * sc.delta0 ** 2, sc.delta0 / math.sqrt(2.0), sc.pauli_susceptibility


# ------------------------------------------------------------------ explorer 2: f_sn(theta)
#: Nodes in ``s = sin^2 theta`` at which the free energy is solved first, and those added where the
#: superconductor changes phase between them.
ANGLE_NODES = (0.0, 0.5, 1.0)
ANGLE_NODES_REFINED = (0.25, 0.75)
#: Bisections of each node interval across which the phase changes.
ANGLE_BISECTIONS = 2


def _piecewise_interpolation(s_nodes, f_nodes, phases, s):
    """Interpolate ``f(s)`` through the nodes: quadratic within one phase, straight across a phase change.

    On a cell ``[s_i, s_i+1]`` whose two ends are in the same phase, the parabola through the two
    ends and the nearest further node of that phase (if any) is used; with only the three first nodes
    in one phase this is the quadratic in ``sin^2 theta`` through them.  A cell whose ends differ in
    phase (a first- or second-order transition lies inside) is bridged by a straight segment.
    """
    s_nodes, f_nodes, phases = np.asarray(s_nodes), np.asarray(f_nodes), np.asarray(phases)
    out = np.empty_like(s)
    cell = np.clip(np.searchsorted(s_nodes, s, side="right") - 1, 0, len(s_nodes) - 2)
    for c in np.unique(cell):
        m = cell == c
        i, j = c, c + 1
        if phases[i] != phases[j]:
            w = (s[m] - s_nodes[i]) / (s_nodes[j] - s_nodes[i])
            out[m] = (1 - w) * f_nodes[i] + w * f_nodes[j]
            continue
        idx = [i, j]
        cands = [k for k in (i - 1, j + 1) if 0 <= k < len(s_nodes) and phases[k] == phases[i]]
        if cands:
            idx.append(min(cands, key=lambda k: abs(s_nodes[k] - 0.5 * (s_nodes[i] + s_nodes[j]))))
        idx = sorted(idx)
        coef = np.polyfit(s_nodes[idx], f_nodes[idx], len(idx) - 1)
        out[m] = np.polyval(coef, s[m])
    return out


@persistent
def angle_dependence(lambda_over_delta0=150.0, J_over_HP=0.5, T_over_Tc0=0.0, *, n_display=61):
    """Free energy ``f_sn(theta)`` of the Ising superconductor in an exchange field at polar angle ``theta``.

    ``f_sn = f_s(J) - f_n(J = 0)`` per site at the self-consistent gap (the global minimum over
    ``Delta``, so it is the normal-state value where the superconductor is not stable), and the
    normal state ``f_n(J) - f_n(0)`` at ``Delta = 0``, both in units of ``N(0) Delta0^2``.

    ``f_sn`` depends on ``theta`` only through ``s = sin^2 theta`` (``J_z -> -J_z`` is a symmetry) and,
    within one phase, smoothly.  It is solved at the nodes ``s = 0, 1/2, 1``; if the gap vanishes at
    some of them but not at others, also at ``s = 1/4, 3/4``, and each interval across which the phase
    changes is then bisected twice (``ANGLE_BISECTIONS``).  Between the nodes it is interpolated
    in ``s``: quadratically within one phase, by a straight segment across a phase change (see
    ``_piecewise_interpolation``).  The nodes are returned so that views can mark them.

    Parameters
    ----------
    lambda_over_delta0 : float
        ``lambda_soc / Delta0`` (> 0), with ``Delta0`` of App. B.
    J_over_HP : float
        Field strength in units of ``H_P = Delta0 / sqrt 2`` (>= 0).
    T_over_Tc0 : float
        Temperature in units of the model's ``Tc0`` (>= 0).
    n_display : int, optional
        Angles of the interpolated curve on ``[0, 180]`` degrees.

    Returns
    -------
    dict of ndarray
        ``theta`` (deg), ``f_sn``, ``f_n`` (``N(0) Delta0^2``) on the display angles;
        ``theta_nodes`` (deg), ``f_nodes``, ``fn_nodes``, ``gap_nodes`` (``Delta/Delta0``) at the
        solved angles, mirrored to ``[0, 180]``.

    Raises
    ------
    TypeError
        A non-real or non-integer argument.
    ValueError
        A negative, non-finite or out-of-range argument.
    ConvergenceError
        A solve of the engine that cannot be established.

    Examples
    --------
    >>> out = angle_dependence(150.0, 0.5, 0.0)
    >>> bool(out["f_sn"][30] < out["f_sn"][0])   # in-plane field (theta = 90 deg) preferred
    True
    """
    lam = check_real(lambda_over_delta0, "lambda_over_delta0", positive=True)
    j = check_real(J_over_HP, "J_over_HP", nonneg=True, upper=1e3)
    t = check_real(T_over_Tc0, "T_over_Tc0", nonneg=True, upper=10.0)
    n_display = check_int(n_display, "n_display", minimum=3, maximum=10001)
    sc = superconductor(lam)
    unit, hp, _ = _sc_units(sc)
    T, J = t * sc.tc0, j * hp

    def solve(s):
        th = math.asin(math.sqrt(s))
        return sc.gap(T, J, th), sc.free_energy(T, J, th), sc.normal_free_energy(T, J, th)

    gap_tol = 1e-6 * sc.delta0
    nodes = {s: solve(s) for s in ANGLE_NODES}

    def boundary_cells():
        ss = sorted(nodes)
        return [(a, b) for a, b in zip(ss[:-1], ss[1:]) if (nodes[a][0] > gap_tol) != (nodes[b][0] > gap_tol)]

    if boundary_cells():
        nodes.update({s: solve(s) for s in ANGLE_NODES_REFINED})
        for _ in range(ANGLE_BISECTIONS):
            for a, b in boundary_cells():
                m = 0.5 * (a + b)
                nodes[m] = solve(m)
    s_nodes = np.array(sorted(nodes))
    gaps = np.array([nodes[s][0] for s in s_nodes])
    f_nodes = np.array([nodes[s][1] for s in s_nodes]) / unit
    fn_nodes = np.array([nodes[s][2] for s in s_nodes]) / unit
    phases = gaps > gap_tol

    theta = np.linspace(0.0, 180.0, int(n_display))
    s = np.sin(np.radians(theta)) ** 2
    s[np.isclose(theta, 90.0)] = 1.0
    f = _piecewise_interpolation(s_nodes, f_nodes, phases, s)
    fn = _piecewise_interpolation(s_nodes, fn_nodes, np.zeros_like(phases), s)

    th_nodes = np.degrees(np.arcsin(np.sqrt(s_nodes)))
    mirror = np.r_[th_nodes, 180.0 - th_nodes[::-1][1:]]
    order = np.r_[np.arange(len(s_nodes)), np.arange(len(s_nodes) - 2, -1, -1)]
    return {
        "theta": theta, "f_sn": f, "f_n": fn,
        "theta_nodes": mirror, "f_nodes": f_nodes[order], "fn_nodes": fn_nodes[order],
        "gap_nodes": gaps[order] / sc.delta0,
    }


LAMBDA_GRID = (3.0, 30.0, 150.0)


def _angle_explorer():
    unit = "N(0)Δ<sub>0</sub><sup>2</sup>"
    return Explorer(
        name="angle",
        title="Free energy against the direction of the exchange field",
        compute=angle_dependence,
        sliders=(
            Slider("lambda_over_delta0", "λ<sub>soc</sub>", "Δ<sub>0</sub>", LAMBDA_GRID, 150.0, (0.0, 2.45, 0.05),
                   log=True, fmt=".0f"),
            Slider("J_over_HP", "J", "H<sub>P</sub>", (0.25, 0.5, 1.0, 2.0), 0.5, (0.05, 3.0, 0.05), fmt=".2f"),
            Slider("T_over_Tc0", "T", "T<sub>c0</sub>", (0.0, 0.5, 0.9), 0.0, (0.0, 1.05, 0.05),
                   time_like=True, fmt=".2f"),
        ),
        panels=(Panel("polar angle θ of the field (°)", f"f<sub>sn</sub> ({unit})", xrange=(-6.0, 186.0),
                      xticks=((0.0, 45.0, 90.0, 135.0, 180.0), ("0", "45", "90", "135", "180"))),),
        traces=(
            Trace("theta", "f_n", "normal state, Δ = 0", 0, "#b8860b", "dash", width=1.5,
                  hover=f"θ = %{{x:.0f}}°<br>f<sub>n</sub> = %{{y:.4f}} {unit}"),
            Trace("theta", "f_sn", "f<sub>sn</sub>(θ), interpolated", 0, "#1f77b4",
                  hover=f"θ = %{{x:.0f}}°<br>f<sub>sn</sub> = %{{y:.4f}} {unit} (interpolated)"),
            Trace("theta_nodes", "f_nodes", "f<sub>sn</sub>(θ), solved", 0, "#1f77b4", mode="markers", size=8,
                  customdata="gap_nodes",
                  hover=f"θ = %{{x:.1f}}°<br>f<sub>sn</sub> = %{{y:.4f}} {unit}<br>Δ = %{{customdata:.3f}} Δ<sub>0</sub>"),
        ),
        note=("Markers: self-consistent solutions (global minimum over Δ) at sin<sup>2</sup>θ = 0, 1/2, 1; where "
              "the superconductor changes phase between them also at 1/4, 3/4 and, twice bisected, across the "
              "phase change. Line: interpolation in sin<sup>2</sup>θ, quadratic within one phase, straight across "
              "a phase change. Free energies per site in units of N(0)Δ<sub>0</sub><sup>2</sup>; hover a marker "
              "for the gap."),
        height=340,
    )


# ------------------------------------------------------------------ explorer 3: chi(T)
CHI_T_DISPLAY = np.round(np.linspace(0.0, 1.3, 66), 10)
#: Temperature nodes of the tabulation (``superconductor_response``): Chebyshev-Lobatto on [0, Tc0] and
#: uniform intervals on [Tc0, 1.3 Tc0].
CHI_NODES_BELOW, CHI_NODES_ABOVE = 12, 2


@persistent
def susceptibility_curves(lambda_over_delta0=150.0, *, t=CHI_T_DISPLAY):
    """In- and out-of-plane spin susceptibilities against temperature.

    ``chi_par(T)`` and ``chi_perp(T)`` (Eq. (C6) at the self-consistent zero-field gap ``Delta(T)``) are
    solved at the nodes of :func:`isingsc.response.superconductor_response` (``CHI_NODES_BELOW``
    Chebyshev-Lobatto temperatures on ``[0, Tc0]``, ``CHI_NODES_ABOVE`` intervals above) and drawn as its
    cubic splines, separate below and above ``Tc0``, where both have a kink.

    Parameters
    ----------
    lambda_over_delta0 : float
        ``lambda_soc / Delta0`` (> 0).
    t : array_like, optional
        Temperatures of the curves in units of ``Tc0`` (0 to 1.3).

    Returns
    -------
    dict of ndarray
        ``t`` (``T/Tc0``); ``chi_par``, ``chi_perp`` and their difference ``chi_diff`` in units of
        ``chi_P = 2 N(0)``; ``t_nodes``, ``chi_par_nodes``, ``chi_perp_nodes``: the solved values.

    Raises
    ------
    TypeError
        A non-real or non-integer argument.
    ValueError
        A negative, non-finite or out-of-range argument.
    ConvergenceError
        A solve of the engine that cannot be established.

    Examples
    --------
    >>> out = susceptibility_curves(150.0, t=np.array([0.0, 1.2]))
    >>> [round(float(x), 2) for x in out["chi_perp"]]   # Yosida: 0 at T = 0, chi_P in the normal state
    [0.0, 1.0]
    """
    lam = check_real(lambda_over_delta0, "lambda_over_delta0", positive=True)
    t = check_array(t, "t", nonneg=True, upper=1.3)
    sc = superconductor(lam)
    resp = superconductor_response(sc, t_max=1.3, n_below=CHI_NODES_BELOW, n_above=CHI_NODES_ABOVE)
    chi_p = sc.pauli_susceptibility
    par = np.asarray(resp.chi_par_at(t * sc.tc0)) / chi_p
    perp = np.asarray(resp.chi_perp_at(t * sc.tc0)) / chi_p
    return {"t": t, "chi_par": par, "chi_perp": perp, "chi_diff": par - perp,
            "t_nodes": resp.T / sc.tc0, "chi_par_nodes": resp.chi_par / chi_p, "chi_perp_nodes": resp.chi_perp / chi_p}


def _chi_explorer():
    hover = "T = %{x:.2f} T<sub>c0</sub><br>%{y:.4f} χ<sub>P</sub>"
    return Explorer(
        name="chi",
        title="Spin susceptibilities against temperature",
        compute=susceptibility_curves,
        sliders=(Slider("lambda_over_delta0", "λ<sub>soc</sub>", "Δ<sub>0</sub>", (1.0, 3.0, 10.0, 30.0, 100.0, 150.0, 280.0),
                        150.0, (0.0, 2.45, 0.05), log=True, fmt=".0f"),),
        panels=(Panel("T / T<sub>c0</sub>", "χ / χ<sub>P</sub>", xrange=(0.0, 1.3), yrange=(-0.02, 1.05)),),
        traces=(
            Trace("t", "chi_par", "in-plane χ<sub>∥</sub> = χ<sub>s</sub>", 0, "#1f77b4", hover=hover),
            Trace("t", "chi_perp", "out-of-plane χ<sub>⊥</sub>", 0, "#d62728", hover=hover),
            Trace("t", "chi_diff", "χ<sub>∥</sub> − χ<sub>⊥</sub>", 0, "#2ca02c", "dash", hover=hover),
            Trace("t_nodes", "chi_par_nodes", "solved", 0, "#1f77b4", mode="markers", size=5, legend=False,
                  hover="T = %{x:.3f} T<sub>c0</sub><br>χ<sub>∥</sub> = %{y:.4f} χ<sub>P</sub> (solved)"),
            Trace("t_nodes", "chi_perp_nodes", "solved", 0, "#d62728", mode="markers", size=5, legend=False,
                  hover="T = %{x:.3f} T<sub>c0</sub><br>χ<sub>⊥</sub> = %{y:.4f} χ<sub>P</sub> (solved)"),
        ),
        note=("Markers: Eq. (C6) at the self-consistent zero-field gap Δ(T), solved at Chebyshev temperatures "
              "below T<sub>c0</sub> and a few above; lines: cubic splines through them, separate below and "
              "above T<sub>c0</sub>. χ<sub>P</sub> = 2N(0) per site."),
        height=320,
    )


# ------------------------------------------------------------------ explorer 4: loops
LOOP_FIELD_MAX = 2.5   # units of chi_s(0) J^2 / Ms
LOOP_STEPS = 101       # odd: no field step lands exactly on H = 0


def _fig4(k1, k1_over_k2):
    return Fig4Parameters(k1=k1, k1_over_k2=k1_over_k2)


def _stack(params, T, form):
    return params.stack(T, coupling_form=form)


@persistent
def hysteresis_loops(T_over_Tc0=0.5, k1=0.95, k1_over_k2=1.12, field_angle_deg=0.0, *, n_steps=LOOP_STEPS):
    """Hysteresis loops of the stack of the paper's figure 4, with its equation (13) and with the complete quadratic coupling.

    The stack is ``Fig4Parameters(k1=k1, k1_over_k2=k1_over_k2)`` (``lambda_soc = 150 Delta0``,
    ``J = 0.25 H_P``, ``Ms1 = 1.12 Ms2``) at temperature ``T``, swept from ``+H_max`` to ``-H_max``
    and back (:func:`isingsc.hysteresis.hysteresis_loop`, ``n_steps`` steps per branch) with
    ``H_max = 2.5 chi_s(0) J^2 / Ms``.

    Parameters
    ----------
    T_over_Tc0 : float
        Temperature in units of ``Tc0`` (0 to 1.3).
    k1 : float
        ``K1`` in units of ``chi_s(T=0) J^2`` (> 0).
    k1_over_k2 : float
        ``K1 / K2`` (> 0).
    field_angle_deg : float
        Angle of the applied field from the out-of-plane axis (degrees).
    n_steps : int, optional
        Field steps per branch, 2 ... 10001 (odd: no step lands exactly on ``H = 0``).

    Returns
    -------
    dict of ndarray
        ``H`` (units ``chi_s(0) J^2 / Ms``; descending then ascending branch) and for each coupling
        form (``paper`` = Eq. (13), ``complete``) ``Mz_<form>``, ``Mx_<form>`` in units of
        ``Ms1 + Ms2``, Eqs. (14)-(15).

    Raises
    ------
    TypeError
        A non-real or non-integer argument.
    ValueError
        A negative, non-finite or out-of-range argument.
    RuntimeError
        If a relaxation of the loop did not converge (the library's RuntimeWarning, made an error so
        that no questionable loop is drawn); ConvergenceError if a field step cannot be resolved.

    Examples
    --------
    >>> out = hysteresis_loops(0.5, 0.95, 1.12, 0.0)
    >>> float(out["Mz_paper"][0]), float(out["Mz_paper"][out["H"].size // 2 - 1])   # saturated at +-H_max
    (1.0, -1.0)
    """
    t = check_real(T_over_Tc0, "T_over_Tc0", nonneg=True, upper=1.3)
    k1 = check_real(k1, "k1", positive=True, upper=1e6)
    r = check_real(k1_over_k2, "k1_over_k2", positive=True, upper=1e6)
    ang = math.radians(check_real(field_angle_deg, "field_angle_deg", lower=-360.0, upper=360.0))
    n_steps = check_int(n_steps, "n_steps", minimum=2, maximum=10001)
    P = _fig4(k1, r)
    T = t * P.superconductor.tc0
    out = {}
    for form in FORMS:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            try:
                lp = hysteresis_loop(_stack(P, T, form), LOOP_FIELD_MAX * P.field_unit, int(n_steps), ang,
                                     max_iter=2000, h_tol=1e-4)
            except RuntimeWarning as w:
                raise RuntimeError(f"hysteresis loop at T = {t} Tc0, k1 = {k1}, K1/K2 = {r}, "
                                   f"angle = {field_angle_deg} deg ({form}): {w}") from None
        out["H"] = lp.H / P.field_unit
        out[f"Mz_{form}"] = lp.M_z / (P.Ms1 + P.ms2)
        out[f"Mx_{form}"] = lp.M_x / (P.Ms1 + P.ms2)
    return out


def _loops_explorer():
    names = {"paper": "Eq. (13)", "complete": "complete form"}
    traces = []
    for p, comp in enumerate(("Mz", "Mx")):
        # the readout names the quantity: "M_z = 0.512 (Ms1 + Ms2)" at "H = ... chi_s(0) J^2 / Ms"
        hover = (f"H = %{{x:.3f}} χ<sub>s</sub>(0)J<sup>2</sup>/M<sub>s</sub><br>M<sub>{comp[1]}</sub> = "
                 "%{y:.3f} (M<sub>s1</sub>+M<sub>s2</sub>)")
        for form in FORMS:
            traces.append(Trace("H", f"{comp}_{form}", names[form], p, FORM_COLORS[form],
                                "solid" if form == "paper" else "dash", hover=hover, legend=p == 0,
                                odd_halves=True))
    H = "H (χ<sub>s</sub>(0)J<sup>2</sup>/M<sub>s</sub>)"
    return Explorer(
        name="loops",
        title="Hysteresis loops of the F/S/F stack",
        compute=hysteresis_loops,
        sliders=(
            Slider("T_over_Tc0", "T", "T<sub>c0</sub>", (0.0, 0.25, 0.5, 0.75, 1.0), 0.5, (0.0, 1.2, 0.05),
                   time_like=True, fmt=".2f"),
            Slider("k1", "K<sub>1</sub>", "χ<sub>s</sub>(0)J<sup>2</sup>", (0.85, 0.95, 1.05), 0.95,
                   (0.3, 2.0, 0.05), fmt=".2f"),
            Slider("k1_over_k2", "K<sub>1</sub>/K<sub>2</sub>", "", (1.0, 1.12, 1.3), 1.12, (1.0, 1.5, 0.02),
                   fmt=".2f"),
            Slider("field_angle_deg", "field angle from z", "°", (0.0, 45.0, 90.0), 0.0, (0.0, 90.0, 5.0),
                   fmt=".0f"),
        ),
        panels=(Panel(H, "M<sub>z</sub> / (M<sub>s1</sub>+M<sub>s2</sub>)", yrange=(-1.1, 1.1)),
                Panel(H, "M<sub>x</sub> / (M<sub>s1</sub>+M<sub>s2</sub>)", yrange=(-1.1, 1.1))),
        traces=tuple(traces),
        note=(f"Stack of Fig. 4 (λ<sub>soc</sub> = 150Δ<sub>0</sub>, J = 0.25H<sub>P</sub>, "
              f"M<sub>s1</sub> = 1.12M<sub>s2</sub>), field swept from +{LOOP_FIELD_MAX} to −{LOOP_FIELD_MAX} "
              f"and back in {LOOP_STEPS} steps per branch; Eq. (13) solid, complete quadratic form dashed."),
        height=320,
    )


# ------------------------------------------------------------------ explorer 5: alignment
ALIGNMENT_T_CURVE = np.round(np.linspace(0.0, 1.2, 49), 10)


def _folded_degrees(theta):
    """Angle between the magnetisation's axis and z, in [0, 90] degrees (0: out of plane, 90: in plane).

    A magnet at ``theta`` and one at ``pi - theta`` lie equally far from the plane; the zero-field energy does
    not tell them apart, and the explorer shows how far each magnet is from the plane.
    """
    c = abs(math.cos(theta))
    return math.degrees(math.acos(max(0.0, min(1.0, c))))


def _ground_angles(params, t, form):
    gs = ground_state(_stack(params, t * params.superconductor.tc0, form))
    return gs.theta1, gs.theta2


@lru_cache(maxsize=64)
def _alignment_curves(k1, k1_over_k2):
    """Ground-state angles (rad, as returned by ``ground_state``) on ``ALIGNMENT_T_CURVE`` per form."""
    P = _fig4(k1, k1_over_k2)
    return {form: np.array([_ground_angles(P, t, form) for t in ALIGNMENT_T_CURVE]) for form in FORMS}


#: Geometry of the stack sketch: magnet 1 above, NbSe2 in the middle, magnet 2 below; one column per form.
_SKETCH = {"columns": {"paper": 0.0, "complete": 2.0}, "y": (1.0, -1.0), "half_length": 0.42}


def _arrows(theta1, theta2, form):
    x0 = _SKETCH["columns"][form]
    L = _SKETCH["half_length"]
    xs, ys = [], []
    for th, y0 in zip((theta1, theta2), _SKETCH["y"]):
        sx, cz = math.sin(th), math.cos(th)
        xs += [x0 - L * sx, x0 + L * sx, np.nan]
        ys += [y0 - L * cz, y0 + L * cz, np.nan]
    return np.array(xs[:-1]), np.array(ys[:-1])


def _layer(y_lo, y_hi, x_lo=-0.9, x_hi=2.9):
    return np.array([x_lo, x_hi, x_hi, x_lo, x_lo]), np.array([y_lo, y_lo, y_hi, y_hi, y_lo])


@persistent
def zero_field_alignment(k1=0.95, T_over_Tc0=0.2, *, k1_over_k2=1.12):
    """Zero-field polar angles of the two magnets of the stack of the paper's figure 4, from the global ground state.

    :func:`isingsc.magnetism.ground_state` (global minimisation over both angles) of the stack
    ``Fig4Parameters(k1=k1, k1_over_k2=k1_over_k2)`` with Eq. (13) and with the complete quadratic
    coupling, on the temperature grid ``ALIGNMENT_T_CURVE`` (curves, cached per ``k1``) and at
    ``T_over_Tc0`` itself (markers and the sketch of the stack).

    Parameters
    ----------
    k1 : float
        ``K1`` in units of ``chi_s(0) J^2``.
    T_over_Tc0 : float
        Temperature of the markers and of the sketch, units of ``Tc0`` (0 to 1.2).
    k1_over_k2 : float, optional
        ``K1 / K2``.

    Returns
    -------
    dict of ndarray
        ``t`` (``T/Tc0``) and ``theta1_<form>``, ``theta2_<form>`` (angle between each magnet's axis and the
        out-of-plane axis, 0 to 90 degrees) on the grid; ``t_marker`` and ``theta1_<form>_marker``,
        ``theta2_<form>_marker`` at ``T_over_Tc0``; ``arrows_<form>_x``, ``arrows_<form>_y``: the two
        magnetizations as arrows in the x-z plane (sketch coordinates); ``layer_*``: the layers.

    Raises
    ------
    TypeError
        A non-real or non-integer argument.
    ValueError
        A negative, non-finite or out-of-range argument.
    ConvergenceError
        A solve of the engine that cannot be established.

    Examples
    --------
    >>> out = zero_field_alignment(0.95, 0.0)
    >>> float(out["theta1_paper_marker"][0]), float(out["theta1_complete_marker"][0])  # in plane at T = 0
    (90.0, 90.0)
    """
    t = check_real(T_over_Tc0, "T_over_Tc0", nonneg=True, upper=1.2)
    k1 = check_real(k1, "k1", positive=True, upper=1e6)
    r = check_real(k1_over_k2, "k1_over_k2", positive=True, upper=1e6)
    curves = _alignment_curves(k1, r)
    out = {"t": ALIGNMENT_T_CURVE.copy(), "t_marker": np.array([t])}
    on_grid = np.nonzero(np.abs(ALIGNMENT_T_CURVE - t) < 1e-12)[0]
    P = _fig4(k1, r)
    for form in FORMS:
        th = curves[form]
        out[f"theta1_{form}"] = np.array([_folded_degrees(x) for x in th[:, 0]])
        out[f"theta2_{form}"] = np.array([_folded_degrees(x) for x in th[:, 1]])
        # at a grid temperature the curve's ground state is the one at T (same call, cached)
        th1, th2 = th[on_grid[0]] if on_grid.size else _ground_angles(P, t, form)
        out[f"theta1_{form}_marker"] = np.array([_folded_degrees(th1)])
        out[f"theta2_{form}_marker"] = np.array([_folded_degrees(th2)])
        out[f"arrows_{form}_x"], out[f"arrows_{form}_y"] = _arrows(th1, th2, form)
    for name, (lo, hi) in {"f1": (0.55, 1.45), "sc": (-0.22, 0.22), "f2": (-1.45, -0.55)}.items():
        out[f"layer_{name}_x"], out[f"layer_{name}_y"] = _layer(lo, hi)
    out["labels_x"] = np.array([-0.62, -0.62, -0.62, 0.0, 2.0])
    out["labels_y"] = np.array([1.0, 0.0, -1.0, 1.55, 1.55])
    out["tc_x"], out["tc_y"] = np.array([1.0, 1.0]), np.array([0.0, 90.0])   # T = Tc0
    out["tc_label_x"], out["tc_label_y"] = np.array([1.07]), np.array([45.0])
    return out


def _alignment_explorer():
    names = {"paper": "Eq. (13)", "complete": "complete form"}
    traces = []
    for form in FORMS:
        c = FORM_COLORS[form]
        for i, dash in ((1, "solid"), (2, "dot")):
            traces.append(Trace("t", f"theta{i}_{form}", f"θ<sub>{i}</sub>, {names[form]}", 0, c, dash,
                                hover=f"T = %{{x:.3f}} T<sub>c0</sub><br>θ<sub>{i}</sub> = %{{y:.1f}}°",
                                depends=("k1",)))
        for i in (1, 2):
            traces.append(Trace("t_marker", f"theta{i}_{form}_marker", f"θ<sub>{i}</sub> at T", 0, c,
                                mode="markers", size=9, legend=False,
                                hover=f"T = %{{x:.2f}} T<sub>c0</sub><br>θ<sub>{i}</sub> = %{{y:.1f}}°"))
    traces.append(Trace("tc_x", "tc_y", "T<sub>c0</sub>", 0, "#555555", "dot", width=1.5, static=True, legend=False))
    traces.append(Trace("tc_label_x", "tc_label_y", "T<sub>c0</sub> label", 0, "#555555", mode="text", size=13,
                        static=True, legend=False, text=("T<sub>c0</sub>",)))
    grey = {"f1": "#9ecae1", "sc": "#bdbdbd", "f2": "#9ecae1"}
    for name in ("f1", "sc", "f2"):
        traces.append(Trace(f"layer_{name}_x", f"layer_{name}_y", name, 1, grey[name], width=0.5, static=True,
                            fill="toself", legend=False))
    traces.append(Trace("labels_x", "labels_y", "labels", 1, "#333333", mode="text", size=12, static=True,
                        legend=False, text=("F<sub>1</sub>", "NbSe<sub>2</sub>", "F<sub>2</sub>", names["paper"],
                                            names["complete"])))
    for form in FORMS:
        traces.append(Trace(f"arrows_{form}_x", f"arrows_{form}_y", f"magnets, {names[form]}", 1,
                            FORM_COLORS[form], width=3, arrow=True, legend=False))
    return Explorer(
        name="alignment",
        title="Zero-field alignment of the two magnets (global ground state)",
        compute=zero_field_alignment,
        sliders=(
            Slider("k1", "K<sub>1</sub>", "χ<sub>s</sub>(0)J<sup>2</sup>", tuple(np.round(np.arange(0.7, 1.2001, 0.05), 10)),
                   0.95, (0.5, 1.5, 0.01), fmt=".2f"),
            Slider("T_over_Tc0", "T", "T<sub>c0</sub>", tuple(np.round(np.arange(0.0, 1.2001, 0.05), 10)), 0.2,
                   (0.0, 1.2, 0.01), time_like=True, fmt=".2f"),
        ),
        panels=(Panel("T / T<sub>c0</sub>", "magnet's axis from z (°)", xrange=(0.0, 1.2), yrange=(-4.0, 94.0),
                      yticks=(0.0, 30.0, 60.0, 90.0)),
                Panel("", "", xrange=(-1.0, 3.0), yrange=(-1.6, 1.75), equal_aspect=True, hide_axes=True)),
        traces=tuple(traces),
        note=("Left: angle of each magnet's axis from z, θ<sub>1</sub> (solid) and θ<sub>2</sub> (dotted), "
              "0° out of plane, 90° in plane, in the zero-field global ground state, Eq. (13) blue, complete "
              "quadratic form red; markers at the slider's T; dotted line: T<sub>c0</sub>. Right: the stack at that T (top magnet 1, NbSe<sub>2</sub>, bottom magnet 2; "
              "left column Eq. (13), right column the complete form; up = out of plane)."),
        height=340,
    )


# ------------------------------------------------------------------ registry
def _build():
    return {ex.name: ex for ex in (_bands_explorer(), _angle_explorer(), _chi_explorer(), _loops_explorer(),
                                   _alignment_explorer())}


#: All explorers of the book, by name (read-only).
#:
#: :meta hide-value:
EXPLORERS = frozen_mapping(_build())


def get_explorer(name):
    """The explorer called ``name`` (a key of ``EXPLORERS``).

    Parameters
    ----------
    name : {"bands", "angle", "chi", "loops", "alignment"}
        The explorer.

    Returns
    -------
    Explorer

    Raises
    ------
    TypeError
        A non-string name.
    ValueError
        An unknown name.

    Examples
    --------
    >>> get_explorer("loops").title
    'Hysteresis loops of the F/S/F stack'
    """
    check_choice(name, "name", tuple(EXPLORERS))
    return EXPLORERS[name]
