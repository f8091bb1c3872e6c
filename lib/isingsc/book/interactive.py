"""The two views of an explorer: precomputed plotly frames for the HTML book, ipywidgets for a live notebook.

Both views draw an :class:`isingsc.book.explorers.Explorer` from its one compute function:

* :func:`precompute` evaluates the compute function at every grid setting of the sliders (optionally
  over a ``concurrent.futures`` executor) and returns the outputs, keyed by the settings' indices;
* :func:`figure_spec` builds a plotly figure with one frame per setting and one slider per parameter,
  and :func:`static_html` its plain HTML (``<div>`` + JSON + a call of the book's script), to be
  displayed as ``text/html``.  No plotly.js is embedded: the book serves ``plotly.min.js`` from
  ``_static`` (the Sphinx extension ``_ext/explorers_html.py``), and ``_static/isingsc-explorers.js``
  makes all sliders of a figure select the one frame named after the combination of their
  positions (plotly's own sliders are independent of each other) and runs the play buttons;
* :class:`LiveView` is the ipywidgets view: one slider per parameter (any value in its range), the
  same panels drawn with matplotlib; each slider move calls the compute function (or takes a
  precomputed output when the setting is a grid setting).

plotly, ipywidgets and matplotlib are imported only when a view is built.
"""
from __future__ import annotations

import base64
import io
import json
import math
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from .._parallel import parallel_map
from .._validation import check_instance, check_int, check_real, check_sequence
from .explorers import Explorer

__all__ = ["precompute", "static_html", "frame_ranges", "RANGE_MARGIN", "StaticView", "book_view", "building_html", "BUILD_ENV", "BUILD_WORKERS", "BUILD_WORKERS_ENV", "LiveView", "frame_data", "figure_spec",
           "frame_arrays",
           "page_fallback_text"]

#: Vertical room (px) for one slider below the plotting area, and before the first one.
SLIDER_HEIGHT = 84
SLIDER_OFFSET = 62
#: Vertical room (px) for the play button's row under a time-like slider.
PLAY_ROW = 46
#: Size (px) of the arrow heads in sketches.
ARROW_SIZE = 16
#: Largest ``|y[n + k] + y[k]|`` (plot units) for which a trace with ``odd_halves`` is stored as half.
ODD_TOLERANCE = 1e-6
#: Shown where plotly.js is not loaded (e.g. the HTML output inside a live notebook).
page_fallback_text = ("Interactive figure: the HTML book draws it with plotly.js. In a live notebook, "
                      "use the sliders of the view below, which recompute the curves.")


def _call_group(compute, kwargs_list):
    return [compute(**kw) for kw in kwargs_list]


def precompute(explorer, executor=None):
    """Outputs of the compute function at every grid setting.

    Parameters
    ----------
    explorer : Explorer
    executor : concurrent.futures.Executor, optional
        Spread the settings over e.g. a ``ProcessPoolExecutor``.  The settings are sent in groups
        that share the value of the first slider (for the superconductor explorers: one
        ``lambda_soc``), so that each worker builds each superconductor it needs once; groups
        larger than a sixteenth of all settings are cut into pieces of that size, so that the
        work stays balanced when the first slider has few values.

    Returns
    -------
    dict
        ``{indices: output}`` with ``indices`` a tuple of slider indices (see
        :meth:`isingsc.book.explorers.Explorer.grid`) and ``output`` the compute function's dict of arrays.

    Raises
    ------
    TypeError
        ``explorer`` not an :class:`~isingsc.book.explorers.Explorer` or an executor without ``map``.
    ValueError
        What the compute function raises for a grid setting.

    Examples
    --------
    >>> from isingsc.book.explorers import get_explorer
    >>> ex = get_explorer("bands").with_grid(lambda_soc=(0.0, 77.2))
    >>> frames = precompute(ex)
    >>> sorted(frames), frames[(1,)]["xi_up"].shape
    ([(0,), (1,)], (241,))
    """
    check_instance(explorer, "explorer", Explorer)
    settings = list(explorer.grid())
    groups = {}
    for idx, kw in settings:
        groups.setdefault(idx[0], []).append((idx, kw))
    groups = list(groups.values())
    if executor is not None:
        size = max(1, math.ceil(len(settings) / 16))
        groups = [g[i:i + size] for g in groups for i in range(0, len(g), size)]

    def check(out):
        if not isinstance(out, list):
            raise TypeError(f"expected a list of explorer outputs, got {type(out).__name__}")

    outs = parallel_map(_call_group, [(explorer.compute, [kw for _, kw in g]) for g in groups], executor=executor,
                        progress=False, check=check, chunks_per_worker=16)
    return {idx: out for g, group_out in zip(groups, outs) for (idx, _), out in zip(g, group_out)}


# ----------------------------------------------------------------------- plotly
def _f32(a):
    return np.ascontiguousarray(np.asarray(a, dtype=np.float32))


def _constant_keys(explorer, frames):
    """Output arrays that are identical in every frame (stored once, in the base figure)."""
    keys = set()
    outs = list(frames.values())
    for key in outs[0]:
        ref = _f32(outs[0][key])
        if all(o[key].shape == ref.shape and np.array_equal(_f32(o[key]), ref, equal_nan=True) for o in outs[1:]):
            keys.add(key)
    return keys


def _arrow_markers(n, color, size):
    """Marker arrays for arrows: every segment is (tail, head, gap); the head carries the arrow."""
    symbols = ["arrow" if i % 3 == 1 else "circle" for i in range(n)]
    sizes = [size if i % 3 == 1 else 0 for i in range(n)]
    return dict(symbol=symbols, size=sizes, angleref="previous", color=color, line=dict(width=0))


def _trace_kwargs(tr):
    kw = dict(name=tr.name, mode=tr.mode, showlegend=tr.legend, legendgroup=tr.name)
    if tr.mode == "text":
        return dict(kw, textfont=dict(color=tr.color, size=tr.size), hoverinfo="skip")
    if "lines" in tr.mode:
        kw["line"] = dict(color=tr.color, dash=tr.dash, width=tr.width)
    if "markers" in tr.mode:
        kw["marker"] = dict(color=tr.color, size=tr.size)
    if tr.hover:
        kw["hovertemplate"] = tr.hover + f"<extra>{tr.name}</extra>"
    else:
        kw["hoverinfo"] = "skip"
    if tr.fill:
        kw.update(fill=tr.fill, fillcolor=tr.color, line=dict(color=tr.color, width=tr.width))
    return kw


def _typed(a):
    """A float32 array as plotly.js's typed-array spec (``{"dtype": "f4", "bdata": base64}``)."""
    return {"dtype": "f4", "bdata": base64.b64encode(_f32(a).tobytes()).decode("ascii")}


def _odd_traces(explorer, frames, constant):
    """Traces with ``odd_halves`` whose every frame has the symmetry ``y[n + k] = -y[k]``."""
    odd = []
    for i, tr in enumerate(explorer.traces):
        if not tr.odd_halves or tr.static or tr.y in constant:
            continue
        ok = True
        for out in frames.values():
            y = np.asarray(out[tr.y], dtype=float)
            n = y.size // 2
            if y.size % 2 or not np.all(np.abs(y[n:] + y[:n]) <= ODD_TOLERANCE):
                ok = False
                break
        if ok:
            odd.append(i)
    return odd


def frame_data(explorer, output, constant=frozenset(), traces=None, base=None, odd=()):
    """The per-frame part of the traces for one compute output: ``(trace indices, list of dicts)``.

    Only the arrays that change between settings are stored (``constant`` names the others), as
    float32 typed-array specs; ``traces`` restricts the frame to some trace indices (a frame group).
    Arrow markers are stored only where the number of points differs from the ``base`` output's; the
    traces in ``odd`` store the first half of ``y`` (see ``Trace.odd_halves`` in :mod:`isingsc.book.explorers`).

    Parameters
    ----------
    explorer : Explorer
        The explorer.
    output : dict
        One output of its compute function (the arrays its traces draw).
    constant : set of str, optional
        Output keys that do not change between settings (left out).
    traces : sequence of int, optional
        Restrict the frame to these trace indices.
    base : dict, optional
        The output at the default setting (arrow markers are stored only where the length differs).
    odd : sequence of int, optional
        Traces that store the first half of ``y``.

    Returns
    -------
    (list of int, list of dict)
        The trace indices and their plotly data (float32 typed-array specs).

    Raises
    ------
    TypeError
        ``explorer`` not an :class:`~isingsc.book.explorers.Explorer`, or arguments of the wrong types.
    ValueError
        An ``output`` without an array that a trace draws.

    Examples
    --------
    >>> from isingsc.book.explorers import get_explorer
    >>> ex = get_explorer("chi")
    >>> out = {k: np.zeros(3) for k in ("t", "chi_par", "chi_perp", "chi_diff", "t_nodes", "chi_par_nodes",
    ...                                  "chi_perp_nodes")}
    >>> frame_data(ex, out, constant={"t"})[0]
    [0, 1, 2, 3, 4]
    """
    check_instance(explorer, "explorer", Explorer)
    check_instance(output, "output", dict)
    if base is not None:
        check_instance(base, "base", dict)
    check_instance(constant, "constant", (set, frozenset))
    if traces is not None:
        traces = check_sequence(traces, "traces", item=lambda i, name: check_int(i, name, minimum=0))
    odd = check_sequence(odd, "odd", item=lambda i, name: check_int(i, name, minimum=0))
    needed = {k for tr in explorer.traces if not tr.static for k in (tr.x, tr.y, tr.customdata)
              if k is not None and k not in constant}
    missing = sorted(needed - set(output))
    if missing:
        raise ValueError(f"output lacks the arrays {missing} that the explorer's traces draw")
    idx, data = [], []
    for i, tr in enumerate(explorer.traces):
        if tr.static or (traces is not None and i not in traces):
            continue
        d = {"type": "scatter"}
        if tr.x not in constant:
            d["x"] = _typed(output[tr.x])
        if tr.y not in constant:
            y = np.asarray(output[tr.y])
            d["y"] = _typed(y[: y.size // 2] if i in odd else y)
        if tr.customdata and tr.customdata not in constant:
            d["customdata"] = _typed(output[tr.customdata])
        if tr.arrow and (base is None or len(output[tr.x]) != len(base[tr.x])):
            d["marker"] = _arrow_markers(len(output[tr.x]), tr.color, ARROW_SIZE)
        idx.append(i)
        data.append(d)
    return idx, data


def _grouped_frames(explorer, frames, constant, base, odd):
    """One frame per group of curves and combination of the sliders the group depends on.

    A curve declared to depend on some sliders only must be the same for every setting of the others:
    that is checked here (ValueError otherwise), so that a wrong declaration cannot show a wrong curve.
    """
    out = []
    for mask, traces in explorer.frame_groups():
        seen = {}
        for idx, res in frames.items():
            name = explorer.frame_name(idx, mask)
            fidx, fdata = frame_data(explorer, res, constant, traces, base, odd)
            if name in seen:
                if json.dumps(seen[name]["data"]) != json.dumps(fdata):
                    raise ValueError(f"explorer {explorer.name!r}: traces {[explorer.traces[i].name for i in traces]} "
                                     f"are declared independent of some sliders but differ between settings "
                                     f"{seen[name]['setting']} and {idx}")
                continue
            seen[name] = {"setting": idx, "data": fdata}
            out.append({"name": name, "traces": fidx, "data": fdata})
    return out


def _layout(explorer):
    layout = {}
    for p, panel in enumerate(explorer.panels):
        ax = "" if p == 0 else str(p + 1)
        xa = dict(title=dict(text=panel.xlabel), zeroline=False)
        ya = dict(title=dict(text=panel.ylabel), zeroline=False)
        if panel.xrange:
            xa["range"] = list(panel.xrange)
        if panel.yrange:
            ya["range"] = list(panel.yrange)
        else:
            ya["autorange"] = True
        if panel.xticks:
            xa.update(tickmode="array", tickvals=list(panel.xticks[0]), ticktext=list(panel.xticks[1]),
                      showgrid=True, gridcolor="#cccccc")
        if panel.yticks:
            ya.update(tickmode="array", tickvals=list(panel.yticks))
        if panel.equal_aspect:
            ya.update(scaleanchor=f"x{ax}", scaleratio=1)
        if panel.hide_axes:
            xa.update(visible=False)
            ya.update(visible=False)
        layout[f"xaxis{ax}"], layout[f"yaxis{ax}"] = xa, ya

    sliders, menus, play = [], [], {}
    plot_h = explorer.height
    offset = SLIDER_OFFSET
    for i, s in enumerate(explorer.sliders):
        y = -offset / plot_h
        offset += SLIDER_HEIGHT + (PLAY_ROW if s.time_like else 0)
        sliders.append(dict(
            active=s.index(s.default), x=0.0, len=1.0, y=y, yanchor="top", pad=dict(t=0, b=0),
            currentvalue=dict(prefix=f"{s.label} = ", suffix=f" {s.unit}" if s.unit else "", xanchor="left",
                              font=dict(size=14), offset=16),
            font=dict(size=12), name=s.name,
            steps=[dict(method="skip", label=s.label_of(v), args=[None]) for v in s.values],
        ))
        if s.time_like:
            # the play button has a row of its own under the slider's labels, at the left: it covers no part
            # of the slider on any screen width, and stays in view where a wide figure scrolls sideways on a
            # phone (the browser check tests this at 390 px)
            play[str(len(menus))] = i
            menus.append(dict(type="buttons", showactive=False, x=0.0, xanchor="left",
                              y=-(offset - PLAY_ROW + 10) / plot_h, yanchor="top", pad=dict(t=0, r=0), font=dict(size=13),
                              buttons=[dict(label="▶ play / pause", method="skip", args=[None], name=f"play-{s.name}")]))
    top = 92
    bottom = offset
    layout.update(
        template="plotly_white",
        title=dict(text=explorer.title, x=0.0, xanchor="left", y=1.0, yanchor="top", pad=dict(t=10),
                   font=dict(size=15)),
        legend=dict(orientation="h", x=0.0, xanchor="left", y=1.02, yanchor="bottom", font=dict(size=12)),
        font=dict(size=12),
        height=plot_h + top + bottom, margin=dict(l=64, r=16, t=top, b=bottom),
        sliders=sliders, updatemenus=menus, hovermode="closest",
        meta={"isingsc": {"name": explorer.name, "sliders": [s.name for s in explorer.sliders], "play": play,
                          "groups": [list(mask) for mask, _ in explorer.frame_groups()]}},
    )
    return layout


def figure_spec(explorer, frames=None, executor=None):
    """The plotly figure of an explorer as the JSON-ready dict the page carries.

    ``data``: the traces at the default setting; ``layout``: panels, sliders, play buttons;
    ``frames``: for each group of curves (:meth:`isingsc.book.explorers.Explorer.frame_groups`), one frame per combination of
    the sliders the group depends on, named :meth:`isingsc.book.explorers.Explorer.frame_name` of the slider indices (``*``
    for the others), with only the arrays that change between settings (float32 typed arrays).

    Sliders carry ``method="skip"`` steps: moving one fires ``plotly_sliderchange``, and the book's
    script (``_static/isingsc-explorers.js``) draws the frames of all groups named after all sliders'
    positions (``layout.meta["isingsc"]["groups"]`` lists the groups' masks).  Time-like sliders get a play button (a ``"skip"`` button run by the same script);
    ``layout.meta["isingsc"]`` tells the script which button plays which slider.

    Parameters
    ----------
    explorer : Explorer
    frames : dict, optional
        Output of :func:`precompute`; computed if not given.
    executor : concurrent.futures.Executor, optional
        For :func:`precompute`.

    Returns
    -------
    dict
        ``{"data": [...], "layout": {...}, "frames": [...]}`` (plotly.js's figure format).

    Raises
    ------
    TypeError
        ``explorer`` not an :class:`~isingsc.book.explorers.Explorer`, a ``frames`` that is not a dict, or an executor without ``map``.
    ValueError
        Frames that lack a setting of the explorer's grid.


    Examples
    --------
    >>> from isingsc.book.explorers import get_explorer
    >>> spec = figure_spec(get_explorer("bands").with_grid(lambda_soc=(0.0, 77.2)))
    >>> [fr["name"] for fr in spec["frames"]], len(spec["layout"]["sliders"])
    (['0', '1'], 1)
    """
    import plotly.graph_objects as go
    import plotly.io as pio
    from plotly.subplots import make_subplots

    check_instance(explorer, "explorer", Explorer)
    if frames is None:
        frames = precompute(explorer, executor)
    check_instance(frames, "frames", dict, "the output of precompute(explorer)")
    missing = [idx for idx, _ in explorer.grid() if idx not in frames]
    if missing:
        raise ValueError(f"frames lacks {len(missing)} grid settings of the explorer, e.g. {missing[0]}")
    constant = _constant_keys(explorer, frames) if len(frames) > 1 else set()
    base = frames[explorer.default_indices()]
    n_p = len(explorer.panels)
    fig = make_subplots(rows=1, cols=n_p, horizontal_spacing=0.1 if n_p > 1 else 0.02)
    for tr in explorer.traces:
        kw = _trace_kwargs(tr)
        if tr.mode == "text":
            sc = go.Scatter(x=_f32(base[tr.x]), y=_f32(base[tr.y]), text=list(tr.text), **kw)
        else:
            sc = go.Scatter(x=_f32(base[tr.x]), y=_f32(base[tr.y]), **kw)
        if tr.customdata:
            sc.customdata = _f32(base[tr.customdata])
        if tr.arrow:
            sc.mode = "lines+markers"
            sc.marker = _arrow_markers(len(base[tr.x]), tr.color, ARROW_SIZE)
        fig.add_trace(sc, row=1, col=tr.panel + 1)
    fig.update_layout(_layout(explorer))
    spec = json.loads(pio.to_json(fig, validate=False, pretty=False))
    for i, tr in enumerate(explorer.traces):  # base arrays in the frames' own encoding (float32)
        for attr, key in (("x", tr.x), ("y", tr.y), ("customdata", tr.customdata)):
            if key is not None and attr in spec["data"][i]:
                spec["data"][i][attr] = _typed(base[key])
    odd = _odd_traces(explorer, frames, constant)
    spec["layout"]["meta"]["isingsc"]["odd"] = odd
    spec["frames"] = _grouped_frames(explorer, frames, constant, base, odd)
    ranges = frame_ranges(explorer, frames)
    spec["layout"]["meta"]["isingsc"]["ranges"] = ranges
    default = explorer.frame_name(explorer.default_indices())
    for axis, by_setting in ranges.items():   # the first draw: the default setting's ranges
        spec["layout"][axis].update(range=list(by_setting[default]), autorange=False)
    return spec


#: Margin (fraction of the data's span) around the data of an axis that follows the data.
RANGE_MARGIN = 0.06


def _data_range(values, margin=RANGE_MARGIN):
    # the page draws float32 values: the range is taken over exactly those
    values = np.asarray(values, dtype=np.float32).astype(float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return None
    lo, hi = float(values.min()), float(values.max())
    scale = max(abs(lo), abs(hi))
    # a curve flat to rounding is drawn in a window of a few per cent of its value, not of its noise
    pad = max(margin * (hi - lo), 1e-3 * scale) if scale > 0 else margin
    return lo - pad, hi + pad


def frame_ranges(explorer, frames, margin=RANGE_MARGIN):
    """Axis ranges, per grid setting, of the panels whose range follows the data.

    A panel without a fixed ``xrange`` or ``yrange`` (:class:`~isingsc.book.explorers.Panel`) gets, for every
    setting, the range of the data of all its traces at that setting (static ones included) with a margin
    of ``margin`` of the span on each side.  The page's script draws each setting with these ranges, so every
    frame's data lie inside the visible axes (the browser check tests this on the built page).

    Parameters
    ----------
    explorer : Explorer
    frames : dict
        Output of :func:`precompute`: ``{indices: output}`` for every grid setting.
    margin : float, optional
        Margin on each side, as a fraction of the data's span (>= 0).

    Raises
    ------
    TypeError
        If ``explorer`` is not an :class:`~isingsc.book.explorers.Explorer` or ``frames`` not a dict.
    ValueError
        If ``margin`` is negative.

    Returns
    -------
    dict
        ``{axis name: {setting name: (lo, hi)}}``, axis names as plotly's (``"xaxis"``, ``"yaxis2"``, ...),
        setting names as :meth:`~isingsc.book.explorers.Explorer.frame_name`.

    Examples
    --------
    >>> from isingsc.book.explorers import get_explorer
    >>> ex = get_explorer("angle").with_grid(lambda_over_delta0=(150.0,), J_over_HP=(0.5, 2.0), T_over_Tc0=(0.0,))
    >>> r = frame_ranges(ex, precompute(ex))["yaxis"]
    >>> sorted(r), r["0,1,0"][0] < r["0,0,0"][0]          # J = 2 H_P lies far below J = H_P / 2
    (['0,0,0', '0,1,0'], True)
    """
    check_instance(explorer, "explorer", Explorer)
    check_instance(frames, "frames", dict)
    margin = check_real(margin, "margin", nonneg=True)
    out = {}
    for p, panel in enumerate(explorer.panels):
        suffix = "" if p == 0 else str(p + 1)
        traces = [tr for tr in explorer.traces if tr.panel == p]
        for attr, fixed in (("x", panel.xrange), ("y", panel.yrange)):
            if fixed is not None or panel.hide_axes or not traces:
                continue
            by_setting = {}
            for idx, output in frames.items():
                values = np.concatenate([np.ravel(np.asarray(output[getattr(tr, attr)], dtype=float)) for tr in traces])
                r = _data_range(values, margin)
                by_setting[explorer.frame_name(idx)] = r if r is not None else (0.0, 1.0)
            out[f"{attr}axis{suffix}"] = by_setting
    return out


def _spec_json(spec):
    return json.dumps(spec, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")


def static_html(explorer, frames=None, executor=None, spec=None):
    """Plain HTML of the static view (a ``<div>``, the figure as JSON and one call of the book's script).

    The script ``isingscExplorers.render`` comes from ``_static/isingsc-explorers.js`` and plotly.js
    from ``_static/plotly.min.js``; where they are missing (a live notebook) the fallback text stays.

    Parameters
    ----------
    explorer : Explorer
        The explorer.
    frames : dict, optional
        Output of :func:`precompute`; computed if neither it nor ``spec`` is given.
    executor : concurrent.futures.Executor, optional
        For :func:`precompute`.
    spec : dict, optional
        A figure from :func:`figure_spec` (then ``frames`` and ``executor`` are not used).

    Returns
    -------
    str
        The HTML.

    Raises
    ------
    TypeError
        ``explorer`` not an :class:`~isingsc.book.explorers.Explorer`, or a ``spec`` that is not a figure dict.
    ValueError
        Frames that lack a setting of the explorer's grid.

    Examples
    --------
    >>> from isingsc.book.explorers import get_explorer
    >>> html = static_html(get_explorer("bands").with_grid(lambda_soc=(0.0, 77.2)))
    >>> html.startswith('<div class="isingsc-explorer" data-explorer="bands" data-panels="2">'), "https://" in html
    (True, False)
    """
    check_instance(explorer, "explorer", Explorer)
    if spec is None:
        spec = figure_spec(explorer, frames, executor)
    check_instance(spec, "spec", dict, "a figure from figure_spec(explorer)")
    if "layout" not in spec or "height" not in spec["layout"]:
        raise ValueError("spec is not a figure from figure_spec(explorer): no layout height")
    name = re.sub(r"[^A-Za-z0-9_-]", "-", explorer.name)
    div = f"isingsc-explorer-{name}"
    height = int(spec["layout"]["height"])
    return (
        f'<div class="isingsc-explorer" data-explorer="{name}" data-panels="{len(explorer.panels)}">\n'
        f'<div id="{div}" class="isingsc-explorer-plot" style="height:{height}px"></div>\n'
        f'<p class="isingsc-explorer-fallback">{page_fallback_text}</p>\n'
        f'<script type="application/json" id="{div}-spec">{_spec_json(spec)}</script>\n'
        f'<p class="isingsc-explorer-note">{explorer.note}</p>\n'
        "<script>(function () { if (window.Plotly && window.isingscExplorers) "
        f'{{ window.isingscExplorers.render("{div}"); }} }})();</script>\n'
        "</div>"
    )


class StaticView:
    """The static (HTML) view of an explorer, displayed as ``text/html``.

    Attributes
    ----------
    explorer : Explorer
    frames : dict
        The precomputed outputs (:func:`precompute`).
    spec : dict
        The figure (:func:`figure_spec`).
    html : str
    links : str
        The provenance line under the figure (with ``provenance=True``): number, data file, code links.

    Examples
    --------
    >>> from isingsc.book.explorers import get_explorer
    >>> view = StaticView(get_explorer("bands").with_grid(lambda_soc=(0.0, 77.2)))
    >>> len(view.frames), view.size_bytes > 10_000
    (2, True)
    """

    def __init__(self, explorer, frames=None, executor=None, *, provenance=False):
        check_instance(explorer, "explorer", Explorer)
        self.explorer = explorer
        t0 = time.perf_counter()
        self.frames = precompute(explorer, executor) if frames is None else frames
        #: Wall time (s) of precomputing the frames.
        self.seconds = time.perf_counter() - t0
        self.spec = figure_spec(explorer, self.frames)
        self.html = static_html(explorer, spec=self.spec)
        #: The provenance line shown under the view (:func:`isingsc.book.provenance.explorer_links`): its
        #: number, data file and code links; ``""`` unless ``provenance`` is true (as in :func:`book_view`).
        self.links = ""
        if provenance:
            from .provenance import explorer_links

            self.links = explorer_links(explorer, self.spec)

    @property
    def size_bytes(self):
        """The number of bytes of the HTML, which is what the view adds to its page.

        Examples
        --------
        >>> from isingsc.book.explorers import get_explorer
        >>> view = StaticView(get_explorer("bands").with_grid(lambda_soc=(77.2,)))
        >>> view.size_bytes == len(view.html.encode())
        True
        """
        return len(self._repr_html_().encode())

    def _repr_html_(self):
        return self.html + self.links

    def __repr__(self):
        return (f"static view of explorer {self.explorer.name!r}: {len(self.frames)} frames, "
                f"{self.size_bytes / 1e6:.2f} MB of HTML")


#: Environment variable set (to ``"1"``) by the book's Sphinx extension ``_ext/explorers_html.py`` for
#: the kernels that execute the chapters during an HTML build.
BUILD_ENV = "ISINGSC_HTML_BUILD"
#: Most worker processes :func:`book_view` uses to precompute frames in the HTML build.
BUILD_WORKERS = 2
#: Environment variable that lowers :data:`BUILD_WORKERS` (an integer >= 1).  The book's
#: ``_ext/parallel_execution.py`` sets it to ``"1"`` for the kernels it runs two at a time: both cores
#: are then busy with chapters, and frames computed in the chapter's own kernel reuse its warm caches
#: (superconductors, quadratures) instead of rebuilding them in fresh worker processes.
BUILD_WORKERS_ENV = "ISINGSC_BUILD_WORKERS"


def _build_workers():
    """Worker processes for the frames: :data:`BUILD_WORKERS`, capped by the cores and :data:`BUILD_WORKERS_ENV`."""
    workers = min(BUILD_WORKERS, os.cpu_count() or 1)
    cap = os.environ.get(BUILD_WORKERS_ENV, "").strip()
    if cap:
        try:
            workers = min(workers, max(1, int(cap)))
        except ValueError:
            raise ValueError(f"{BUILD_WORKERS_ENV} must be an integer >= 1, got {cap!r}") from None
    return workers


def building_html():
    """True inside the kernels of the book's HTML build (see :data:`BUILD_ENV`).

    Returns
    -------
    bool

    Examples
    --------
    >>> import os
    >>> building_html() == (os.environ.get(BUILD_ENV) == "1")
    True
    """
    return os.environ.get(BUILD_ENV) == "1"


def _sticky_limits(current, lo, hi, margin=0.05):
    """Axis limits for data in ``[lo, hi]``: the current ones while they still frame the data well
    (the data inside and spanning at least half of them), so that small slider moves keep the axes and
    the live view can blit; otherwise the data range with a ``margin`` on each side."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return current
    span = hi - lo
    c_lo, c_hi = min(current), max(current)
    if c_lo <= lo and hi <= c_hi and span >= 0.5 * (c_hi - c_lo):
        return current
    pad = margin * span if span > 0 else max(abs(lo), 1.0) * margin
    return lo - pad, hi + pad


class _NotBuilt:
    """Stand-in for the static view outside the HTML build (live notebook, regression run)."""

    frames = {}
    html = ('<p class="isingsc-explorer-stub">The HTML book shows this explorer as an interactive figure '
            "precomputed when the book is built; in a notebook, use the live view below.</p>")

    def __init__(self, explorer):
        self.explorer = explorer

    def _repr_html_(self):
        return self.html

    def __repr__(self):
        return f"static view of explorer {self.explorer.name!r}: precomputed in the HTML build only"


def book_view(explorer, executor=None, frames=None):
    """The static view as the book page shows it.

    In the book's HTML build (:func:`building_html`) the frames are precomputed (without an
    ``executor``: over a process pool with one worker per core, at most :data:`BUILD_WORKERS`, or in this process
    where :data:`BUILD_WORKERS_ENV` allows one worker) and
    the :class:`StaticView` is returned, with its provenance line (number, data file, code links:
    :func:`isingsc.book.provenance.explorer_links`).  Anywhere else -- a live notebook, which has no use for
    frames it cannot display, or the notebook regression run -- nothing is precomputed and a
    stand-in with a one-line note (and an empty ``frames`` dict) is returned; the live view
    (:class:`LiveView`) computes what the reader asks for.

    Parameters
    ----------
    explorer : Explorer
        The explorer.
    executor : concurrent.futures.Executor, optional
        For :func:`precompute` (in the HTML build).
    frames : dict, optional
        Precomputed frames.

    Returns
    -------
    StaticView or a stand-in
        The view; outside the HTML build an object with ``frames == {}`` and a one-line HTML note.

    Raises
    ------
    TypeError
        ``explorer`` not an :class:`~isingsc.book.explorers.Explorer`, or an executor without ``map``.
    ValueError
        Frames that lack a setting of the explorer's grid.

    Examples
    --------
    >>> from isingsc.book.explorers import get_explorer
    >>> view = book_view(get_explorer("bands"))   # outside the HTML build: nothing precomputed
    >>> building_html() or view.frames == {}
    True
    """
    check_instance(explorer, "explorer", Explorer)
    if frames is not None:
        check_instance(frames, "frames", dict, "the output of precompute(explorer)")
    from .._parallel import check_executor

    check_executor(executor)          # checked also where it is not used (outside the HTML build)
    if not building_html():
        return _NotBuilt(explorer)
    workers = _build_workers()
    if frames is None and executor is None and workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return StaticView(explorer, None, pool, provenance=True)
    return StaticView(explorer, frames, executor, provenance=True)


# ----------------------------------------------------------------------- live view
_DASH = {"solid": "-", "dash": "--", "dot": ":"}


def _mathtext(label):
    """plotly's HTML subset -> matplotlib text (sub- and superscripts as mathtext)."""
    text = re.sub(r"<sub>(.*?)</sub>", lambda m: "$_{\\mathrm{%s}}$" % m.group(1), label)
    text = re.sub(r"<sup>(.*?)</sup>", lambda m: "$^{%s}$" % m.group(1), text)
    text = text.replace("<br>", "\n")
    return re.sub(r"<[^>]+>", "", text)


class LiveView:
    """ipywidgets view of an explorer for a live notebook.

    One slider per parameter over its live range; every move calls the explorer's compute function at
    the new setting (a precomputed output is reused when the setting is a grid setting) and redraws the
    panels (matplotlib, rendered to a PNG in an ``ipywidgets.Image``).

    Parameters
    ----------
    explorer : Explorer
    frames : dict, optional
        Precomputed outputs (:func:`precompute`) to reuse at grid settings.

    Attributes
    ----------
    sliders : dict
        ``{slider name: ipywidgets slider}``.
    widget : object
        The ipywidgets ``VBox`` (sliders, title, image).
    last_seconds : float
        Wall time of the last update (compute and redraw).

    Examples
    --------
    >>> from isingsc.book.explorers import get_explorer
    >>> view = LiveView(get_explorer("bands"))
    >>> view.update(lambda_soc=40.0) > 0, view.values()
    (True, {'lambda_soc': 40.0})
    """

    def __init__(self, explorer, frames=None):
        import ipywidgets as widgets
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        check_instance(explorer, "explorer", Explorer)
        if frames is not None:
            check_instance(frames, "frames", dict, "the output of precompute(explorer)")
        self.explorer = explorer
        self.frames = dict(frames or {})
        self.last_seconds = float("nan")
        n_p = len(explorer.panels)
        # a fixed layout (set once below): constrained layout would be recomputed at every redraw
        self.fig = Figure(figsize=(4.4 * n_p + 0.6, 3.3), dpi=80)
        FigureCanvasAgg(self.fig)
        self.axes = self.fig.subplots(1, n_p, squeeze=False)[0]
        self.lines = []
        for tr in explorer.traces:
            ax = self.axes[tr.panel]
            style = dict(color=tr.color, lw=tr.width * 0.75)
            if tr.fill:
                (ln,) = ax.fill([0], [0], color=tr.color, lw=0.5)
            elif tr.mode == "markers":
                (ln,) = ax.plot([], [], "o", ms=tr.size * 0.7, color=tr.color)
            else:
                marker = "o" if "markers" in tr.mode else None
                (ln,) = ax.plot([], [], ls=_DASH[tr.dash], marker=marker, ms=tr.size * 0.6, **style)
            if tr.legend:
                ln.set_label(_mathtext(tr.name))
            self.lines.append(ln)
        for ax, panel in zip(self.axes, explorer.panels):
            ax.set_xlabel(_mathtext(panel.xlabel))
            ax.set_ylabel(_mathtext(panel.ylabel))
            if panel.xrange:
                ax.set_xlim(*panel.xrange)
            if panel.yrange:
                ax.set_ylim(*panel.yrange)
            if panel.yticks:
                ax.set_yticks(panel.yticks)
            if panel.xticks:
                ax.set_xticks(panel.xticks[0], panel.xticks[1])
                ax.grid(axis="x", color="0.85")
            if panel.equal_aspect:
                ax.set_aspect("equal")
            if panel.hide_axes:
                ax.set_axis_off()
        handles = [ln for ln, tr in zip(self.lines, explorer.traces) if tr.legend]
        self._legend = self.axes[0].legend(handles=handles, fontsize=8, loc="best") if handles else None
        # axes, ticks and labels change only when a panel's limits do: draw them once per set of limits
        # and, at each update, only the curves on top of that background (blitting), instead of
        # rendering the whole figure (mostly text) again
        self._background = None
        self._background_limits = None
        for ln in self.lines:
            ln.set_animated(True)
        self.fig.subplots_adjust(left=0.1 if n_p == 1 else 0.08, right=0.98, bottom=0.16, top=0.95,
                                 wspace=0.3)
        self.title = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.sliders = {}
        for s in explorer.sliders:
            lo, hi, step = s.live
            common = dict(value=s.default, step=step, description=_plain(s.title), continuous_update=False,
                          style={"description_width": "initial"}, layout=widgets.Layout(width="420px"))
            if s.log:
                w = widgets.FloatLogSlider(base=10, min=lo, max=hi, readout_format=".3g", **common)
            else:
                w = widgets.FloatSlider(min=lo, max=hi, readout_format=s.fmt, **common)
            w.observe(self._on_change, names="value")
            self.sliders[s.name] = w
        self.widget = widgets.VBox([self.title, *self.sliders.values(), self.image])
        self.update()

    def values(self):
        """Current slider values, ``{name: value}``.

        Returns
        -------
        dict of str to float

        Examples
        --------
        >>> from isingsc.book.explorers import get_explorer
        >>> LiveView(get_explorer("bands")).values()
        {'lambda_soc': 77.2}
        """
        return {name: float(w.value) for name, w in self.sliders.items()}

    def _output(self, values):
        try:
            idx = tuple(s.index(values[s.name]) for s in self.explorer.sliders)
        except ValueError:
            idx = None
        if idx is not None and idx in self.frames:
            return self.frames[idx]
        return self.explorer.compute(**values)

    def _on_change(self, change):
        self.update()

    def update(self, **values):
        """Set sliders (without triggering the observers twice), recompute and redraw.

        Parameters
        ----------
        **values : float
            New slider values, by slider name (within the live ranges).

        Returns
        -------
        float
            The wall time of the update (s).

        Raises
        ------
        TypeError
            An unknown slider name or a non-real value.
        ValueError
            A value outside the slider's live range, or what the compute function raises.

        Examples
        --------
        >>> from isingsc.book.explorers import get_explorer
        >>> view = LiveView(get_explorer("bands"))
        >>> view.update(lambda_soc=30.0) > 0, view.values()
        (True, {'lambda_soc': 30.0})
        """
        t0 = time.perf_counter()
        for name, v in values.items():
            if name not in self.sliders:
                raise TypeError(f"explorer {self.explorer.name!r} has no slider {name!r}; "
                                f"sliders: {list(self.sliders)}")
            slider = next(s for s in self.explorer.sliders if s.name == name)
            v = check_real(v, name)
            lo, hi, _ = slider.live
            vmin, vmax = (10.0 ** lo, 10.0 ** hi) if slider.log else (lo, hi)
            if not vmin * (1 - 1e-12) <= v <= vmax * (1 + 1e-12):
                raise ValueError(f"{name} = {v!r} is outside the slider's range [{vmin:g}, {vmax:g}]")
        for name, v in values.items():
            w = self.sliders[name]
            w.unobserve(self._on_change, names="value")
            try:
                w.value = v
            finally:
                w.observe(self._on_change, names="value")
        vals = self.values()
        out = self._output(vals)
        for ln, tr in zip(self.lines, self.explorer.traces):
            x, y = np.asarray(out[tr.x], float), np.asarray(out[tr.y], float)
            if tr.fill:
                ln.set_xy(np.column_stack([x, y]))
            else:
                ln.set_data(x, y)
        for ax, panel in zip(self.axes, self.explorer.panels):
            if not panel.yrange or not panel.xrange:
                ax.relim()
                data = ax.dataLim
                if not panel.xrange:
                    ax.set_xlim(*_sticky_limits(ax.get_xlim(), data.x0, data.x1))
                if not panel.yrange:
                    ax.set_ylim(*_sticky_limits(ax.get_ylim(), data.y0, data.y1))
        self.title.value = (f"<b>{self.explorer.title}</b><br><small>"
                            + ", ".join(f"{s.label} = {vals[s.name]:{s.fmt}} {s.unit}".strip()
                                        for s in self.explorer.sliders) + "</small>")
        self.image.value = self._png()
        self.last_seconds = time.perf_counter() - t0
        return self.last_seconds

    def _png(self):
        """The figure as PNG bytes: the curves blitted onto the background of the current axes limits."""
        from PIL import Image

        canvas = self.fig.canvas
        limits = tuple(ax.get_xlim() + ax.get_ylim() for ax in self.axes)
        legend = self._legend
        if limits != self._background_limits:
            if legend is not None:
                legend.set_loc("best")  # placed away from the data of these limits ...
            canvas.draw()  # everything but the (animated) curves
            if legend is not None:
                # ... and kept there until the limits change: "best" searches the data at every draw,
                # which costs more than the curves themselves
                box = legend.get_window_extent().transformed(legend.axes.transAxes.inverted())
                legend.set_loc((box.x0, box.y0))
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            self._background_limits = limits
        else:
            canvas.restore_region(self._background)
        for ln in self.lines:
            ln.axes.draw_artist(ln)
        if legend is not None:
            legend.axes.draw_artist(legend)  # keep the legend above the curves
        width, height = canvas.get_width_height()
        buf = io.BytesIO()
        Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).save(buf, "png")
        return buf.getvalue()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def _plain(label):
    return re.sub(r"<[^>]+>", "", label)


def _decode(spec):
    """A plotly typed-array spec (``{"dtype", "bdata"}``) or a list as a float array (tests, checks)."""
    if isinstance(spec, dict) and "bdata" in spec:
        return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"])).astype(float)
    return np.asarray(spec, dtype=float)


def frame_arrays(spec, name):
    """The arrays drawn at the grid setting ``name`` (e.g. ``"2,0,1"``), decoded from a figure spec.

    Collects the frame of every group of curves (``layout.meta["isingsc"]["groups"]``) for that setting
    and restores the halves of the traces listed in ``layout.meta["isingsc"]["odd"]``, as the page does.

    Parameters
    ----------
    spec : dict
        A figure from :func:`figure_spec`.
    name : str
        A frame name: the slider indices joined by commas.

    Returns
    -------
    dict
        ``{trace index: {"x"|"y"|"customdata": ndarray}}``.

    Raises
    ------
    TypeError
        ``spec`` not a dict or ``name`` not a string.
    ValueError
        A ``spec`` that is not a figure of an explorer, or no frame for the setting ``name``.

    Examples
    --------
    >>> from isingsc.book.explorers import get_explorer
    >>> ex = get_explorer("bands").with_grid(lambda_soc=(0.0, 77.2))
    >>> arrays = frame_arrays(figure_spec(ex), "1")
    >>> bool(abs(arrays[1]["y"] - ex(lambda_soc=77.2)["xi_up"]).max() < 1e-4)   # float32 of the output
    True
    """
    check_instance(spec, "spec", dict, "a figure from figure_spec(explorer)")
    if not isinstance(name, str):
        raise TypeError(f"name must be a frame name (str) such as '2,0,1', got {name!r}")
    try:
        groups = spec["layout"]["meta"]["isingsc"]["groups"]
        odd = set(spec["layout"]["meta"]["isingsc"].get("odd", []))
        by_name = {fr["name"]: fr for fr in spec["frames"]}
    except (KeyError, TypeError):
        raise ValueError("spec is not a figure of an explorer (from figure_spec)") from None
    idx = name.split(",")
    out = {}
    for mask in groups:
        if len(mask) != len(idx):
            raise ValueError(f"name {name!r} has {len(idx)} slider indices, the figure {len(mask)}")
        key = ",".join(i if m else "*" for i, m in zip(idx, mask))
        if key not in by_name:
            raise ValueError(f"no frame {key!r} for setting name = {name!r}")
        fr = by_name[key]
        for i, d in zip(fr["traces"], fr["data"]):
            arrays = {k: _decode(v) for k, v in d.items() if k in ("x", "y", "customdata")}
            if i in odd and "y" in arrays:
                arrays["y"] = np.concatenate([arrays["y"], -arrays["y"]])  # as the page's script does
            out[i] = arrays
    return out
