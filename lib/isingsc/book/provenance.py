"""Figure provenance: every figure of the book with its data and the code that drew it.

A chapter's figure cell ends with one call, :func:`show`, instead of ``plt.show()``::

    fig, ax = plt.subplots()
    ip.plot_bands(ax, m)
    provenance.show(fig, "model-bands", computed_by=[ip.plot_bands, m.dispersion])

:func:`show` displays the figure, then a line of links under it: the figure's number, **data** (a JSON file
of exactly the arrays drawn, read back from the figure's artists by :func:`figure_data`, with the axis
labels, which carry the units, in its header) and **code** (the cell that drew it, and the library
functions named in ``computed_by``, each with its API entry and its highlighted source).

During the HTML build (the book's Sphinx extension ``_ext/figure_provenance.py`` sets the environment
variable :data:`STORE_ENV`), :func:`show` also writes the data file into that folder, and the link line
carries the SHA-256 digest of the drawn arrays.  The extension numbers the figures of each chapter,
turns the placeholders into links, copies the data files into the HTML (``figures/NAME.json``) and
checks that each file is the one whose digest its page names.  Outside the build (a live notebook, the
regression tests) nothing is written and the line has no digest, so the notebooks' outputs do not
depend on the build.

The interactive explorers get the same line: in the HTML build :func:`isingsc.book.interactive.book_view`
ends its view with :func:`explorer_links`, whose data file (:func:`explorer_data`, ``figures/explorer-NAME.json``)
holds, for every grid setting of the sliders, the arrays the page draws (decoded from the figure the page
embeds), and whose code link names the explorer's compute function.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots()
>>> _ = ax.plot([0.0, 1.0, 2.0], [0.0, 1.0, 4.0], label="x^2")
>>> _ = ax.set(xlabel="T (meV)", ylabel="f (meV per site)")
>>> data = figure_data(fig)
>>> panel = data["axes"][0]
>>> panel["x"]["label"], panel["y"]["label"]
('T (meV)', 'f (meV per site)')
>>> panel["series"][0]["kind"], panel["series"][0]["y"]
('line', [0.0, 1.0, 4.0])
>>> plt.close(fig)
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import re
from pathlib import Path

import numpy as np

__all__ = ["STORE_ENV", "UNITS_NOTE", "EXPLORER_UNITS_NOTE", "figure_data", "explorer_data", "data_digest",
           "qualified_name", "show", "explorer_links"]

#: environment variable naming the folder where the build keeps the figures' data files
STORE_ENV = "ISINGSC_FIGURE_STORE"
#: what the numbers of a data file are measured in (its header repeats it)
UNITS_NOTE = ("Each number is in the units of its axis label (x, y; c for colour values): energies and "
              "temperatures in meV with k_B = 1, momenta in 1/a, unless the label says otherwise. "
              "Coordinates marked 'axes fraction' run from 0 to 1 across the panel.")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: what the numbers of an explorer's data file are measured in
EXPLORER_UNITS_NOTE = ("For every grid setting of the sliders (values in the unit each slider names), the "
                       "arrays each curve draws: x and y in the units of its panel's axis labels (energies "
                       "and temperatures in meV with k_B = 1, momenta in 1/a, fields and susceptibilities "
                       "in the units the labels name), stored as the page stores them (float32, written "
                       "in their shortest decimal form).")


def _floats(values):
    """A list (of lists) of Python floats; NaN, infinities and masked values become None."""
    arr = np.ma.asarray(values)
    mask = np.ma.getmaskarray(arr)
    data = np.asarray(np.ma.getdata(arr), dtype=float)
    bad = mask | ~np.isfinite(data)

    def conv(d, b):
        if d.ndim == 0:
            return None if b else float(d)
        return [conv(x, y) for x, y in zip(d, b)]

    return conv(data, bad)


def _coords(artist, ax):
    """How an artist's x and y are measured: data coordinates, or a fraction of the axes."""
    from matplotlib.collections import PathCollection
    from matplotlib.patches import Patch

    if isinstance(artist, PathCollection):
        t = artist.get_offset_transform()   # scatter: the points are offsets, the markers are in pixels
    elif isinstance(artist, Patch):
        t = artist.get_data_transform()     # the outline is in these coordinates after the patch transform
    else:
        t = artist.get_transform()
    if t == ax.transData:
        return None
    if t == ax.get_xaxis_transform():
        return {"y": "axes fraction"}
    if t == ax.get_yaxis_transform():
        return {"x": "axes fraction"}
    if t == ax.transAxes:
        return {"x": "axes fraction", "y": "axes fraction"}
    return {"x": "display", "y": "display"}


def _label(artist):
    label = artist.get_label()
    return None if not label or label.startswith("_") else label


def _series(kind, artist, ax, **arrays):
    entry = {"kind": kind}
    label = _label(artist)
    if label:
        entry["label"] = label
    coords = _coords(artist, ax)
    if coords:
        entry["coordinates"] = coords
    entry.update(arrays)
    return entry


def _patch_vertices(patch):
    """The outline of a patch in its artist's coordinates (data coordinates for ordinary patches)."""
    path = patch.get_path()
    verts = patch.get_patch_transform().transform(path.vertices)
    return verts


def _collection(coll, ax):
    from matplotlib.collections import LineCollection, PathCollection, PolyCollection, QuadMesh

    out = []
    if isinstance(coll, QuadMesh):
        coords = coll.get_coordinates()
        entry = _series("mesh", coll, ax, x=_floats(coords[..., 0]), y=_floats(coords[..., 1]),
                        c=_floats(coll.get_array()))
        out.append(entry)
    elif isinstance(coll, PathCollection):
        offsets = np.asarray(coll.get_offsets())
        arrays = {"x": _floats(offsets[:, 0]), "y": _floats(offsets[:, 1])} if len(offsets) else {"x": [], "y": []}
        if coll.get_array() is not None:
            arrays["c"] = _floats(coll.get_array())
        out.append(_series("scatter", coll, ax, **arrays))
    elif isinstance(coll, LineCollection):
        segs = coll.get_segments()
        out.append(_series("segments", coll, ax, x=[_floats(s[:, 0]) for s in segs],
                           y=[_floats(s[:, 1]) for s in segs]))
    elif isinstance(coll, PolyCollection) or hasattr(coll, "get_paths"):
        paths = coll.get_paths()
        kind = "polygons" if isinstance(coll, PolyCollection) else "paths"
        entry = _series(kind, coll, ax, x=[_floats(p.vertices[:, 0]) for p in paths],
                        y=[_floats(p.vertices[:, 1]) for p in paths])
        if coll.get_array() is not None:
            entry["c"] = _floats(coll.get_array())
        if hasattr(coll, "levels"):
            entry["levels"] = _floats(coll.levels)
        out.append(entry)
    return out


def _axes_data(ax, index):
    from matplotlib.image import AxesImage
    from matplotlib.text import Annotation

    panel = {"panel": index, "title": ax.get_title() or ax.get_title(loc="left") or None,
             "axis_shown": bool(ax.axison),
             "x": {"label": ax.get_xlabel(), "scale": ax.get_xscale(), "limits": _floats(ax.get_xlim())},
             "y": {"label": ax.get_ylabel(), "scale": ax.get_yscale(), "limits": _floats(ax.get_ylim())},
             "series": []}
    for axis, key in ((ax.xaxis, "x"), (ax.yaxis, "y")):
        labels = [t.get_text() for t in axis.get_ticklabels()]
        # named ticks (high-symmetry points, categories) say what a position means
        if any(lab and not re.fullmatch(r"[−\-+0-9.,e ×^$]*", lab) for lab in labels):
            panel[key]["ticks"] = [[float(p), lab] for p, lab in zip(axis.get_ticklocs(), labels)]
    series = panel["series"]
    for line in ax.get_lines():
        if line.get_visible():
            series.append(_series("line", line, ax, x=_floats(line.get_xdata(orig=False)),
                                  y=_floats(line.get_ydata(orig=False))))
    for coll in ax.collections:
        if coll.get_visible():
            series.extend(_collection(coll, ax))
    for im in ax.get_images():
        if isinstance(im, AxesImage) and im.get_visible():
            series.append(_series("image", im, ax, c=_floats(im.get_array()), extent=_floats(im.get_extent())))
    for patch in ax.patches:
        if patch.get_visible():
            verts = _patch_vertices(patch)
            series.append(_series(f"patch:{type(patch).__name__}", patch, ax,
                                  x=_floats(verts[:, 0]), y=_floats(verts[:, 1])))
    texts = []
    for text in ax.texts:
        if not text.get_visible() or not text.get_text():
            continue
        x, y = text.get_position()
        entry = {"text": text.get_text(), "x": _floats(x), "y": _floats(y)}
        if isinstance(text, Annotation):
            entry["xy"] = _floats(text.xy)
        coords = _coords(text, ax)
        if coords:
            entry["coordinates"] = coords
        texts.append(entry)
    if texts:
        panel["texts"] = texts
    # a colour bar: what its colours mean
    cbar = getattr(ax, "_colorbar", None)
    if cbar is not None:
        panel["colorbar"] = {"label": cbar.ax.get_ylabel() or cbar.ax.get_xlabel(),
                             "limits": _floats([cbar.norm.vmin, cbar.norm.vmax])}
    return panel


def figure_data(fig) -> dict:
    """The arrays a matplotlib figure draws, read from its artists, as a JSON-ready dict.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    dict
        ``{"units": str, "suptitle": str or None, "axes": [panel, ...]}``; each panel has its title, its
        ``x`` and ``y`` axis (label, which carries the unit, scale, limits and named ticks) and its
        ``series``: lines (``x``, ``y``), scatter points (``x``, ``y``, colour values ``c``), meshes and
        images (``c``), line segments and polygons (lists of ``x`` and ``y``), patches (their outline) and
        texts with their positions.  Missing values (NaN, masked) are ``None``.

    Raises
    ------
    TypeError
        If ``fig`` is not a matplotlib Figure.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.scatter([1.0, 2.0], [3.0, 4.0])
    >>> _ = ax.axhline(0.5)
    >>> [s["kind"] for s in figure_data(fig)["axes"][0]["series"]]
    ['line', 'scatter']
    >>> figure_data(fig)["axes"][0]["series"][0]["coordinates"]
    {'x': 'axes fraction'}
    >>> plt.close(fig)
    """
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    suptitle = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) is not None else None
    return {"units": UNITS_NOTE, "suptitle": suptitle or None,
            "axes": [_axes_data(ax, k) for k, ax in enumerate(fig.get_axes())]}


def data_digest(data: dict) -> str:
    """SHA-256 of the drawn arrays (``data["axes"]``) in a canonical JSON form.

    Parameters
    ----------
    data : dict
        What :func:`figure_data` returns (or a data file read back): only its ``"axes"`` count; for an
        explorer (:func:`explorer_data`), which has no ``"axes"``, only its ``"arrays"``.

    Returns
    -------
    str
        64 hexadecimal digits.

    Raises
    ------
    TypeError
        If ``data`` is not a dict.
    ValueError
        If ``data`` has neither ``"axes"`` nor ``"arrays"``, or its arrays hold NaN or infinities
        (:func:`figure_data` writes them as ``None``).

    Examples
    --------
    >>> data_digest({"axes": [{"series": []}]}) == data_digest({"axes": [{"series": []}], "other": 1})
    True
    """
    if not isinstance(data, dict):
        raise TypeError(f"data must be a dict (from figure_data or explorer_data), got {type(data).__name__}")
    if "axes" not in data and "arrays" not in data:
        raise ValueError(f"data must hold a figure's 'axes' (from figure_data) or an explorer's 'arrays' "
                         f"(from explorer_data), got the keys {sorted(data)[:8]}")
    arrays = data["axes"] if "axes" in data else data["arrays"]
    canonical = json.dumps(arrays, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def qualified_name(obj) -> str:
    """``module.QualName`` of a function, method or class, where it is defined.

    Parameters
    ----------
    obj : callable
        A function, a bound or unbound method, or a class.

    Returns
    -------
    str
        The dotted name under which the API reference documents it.

    Raises
    ------
    TypeError
        If ``obj`` has no module and qualified name (a lambda, a local function, an instance).

    Examples
    --------
    >>> from isingsc import NbSe2
    >>> qualified_name(NbSe2)
    'isingsc.materials.nbse2.NbSe2'
    >>> qualified_name(NbSe2().dispersion)
    'isingsc.model.TriangularTMD.dispersion'
    """
    func = getattr(obj, "__func__", obj)
    module, qualname = getattr(func, "__module__", None), getattr(func, "__qualname__", None)
    if not module or not qualname or "<" in qualname:
        raise TypeError(f"obj (an entry of computed_by) must be a function, method or class of a module, "
                        f"got {obj!r:.60}")
    return f"{module}.{qualname}"


def _links_html(name, names, digest, kind="figure"):
    functions = ", ".join(
        f'<span class="isingsc-function"><a class="isingsc-api-ref" data-py="{html.escape(q)}">'
        f'<code>{html.escape(q)}</code></a> <a class="isingsc-source-ref" data-py="{html.escape(q)}">'
        f'[source]</a></span>' for q in names)
    digest_attr = f' data-sha256="{digest}"' if digest else ""
    kind_attr = ' data-kind="explorer"' if kind == "explorer" else ""
    kind_text = ' <span class="isingsc-figure-kind">(interactive)</span>' if kind == "explorer" else ""
    return (f'<p class="isingsc-figure-links" data-figure="{name}"{kind_attr}{digest_attr}>'
            '<span class="isingsc-figure-number"></span>' + kind_text
            + f'<span class="isingsc-figure-data"> · data: <a data-figure="{name}">{name}.json</a></span>'
            '<span class="isingsc-figure-code"> · code: <a>the cell</a></span>'
            + (f'<span class="isingsc-figure-functions"> · computed by {functions}</span>' if functions else "")
            + "</p>")


def _write(name, record):
    """Write ``record`` as the data file of ``name`` where the build keeps them; its digest (or None)."""
    store = os.environ.get(STORE_ENV)
    if not store:
        return None
    digest = data_digest(record)
    record = {**record, "sha256": digest}
    path = Path(store) / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=None, allow_nan=False) + "\n", encoding="utf-8")
    return digest


def show(fig, name: str, *, computed_by=()) -> None:
    """Display a figure with its provenance line (number, data, code); close the figure.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    name : str
        Name of the figure, unique in the book (lower case, digits and dashes; by convention the
        chapter first: ``"model-bands"``); its data file is ``figures/NAME.json``.
    computed_by : sequence of callable
        The library functions (or methods, classes) that computed what the figure draws; each gets a
        link to its API entry and to its highlighted source.

    Raises
    ------
    ValueError
        If ``name`` is not lower case letters, digits and dashes.
    TypeError
        If ``fig`` is not a Figure or ``computed_by`` holds something that is not a named function,
        method or class.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [1, 0])
    >>> show(fig, "Bad name")
    Traceback (most recent call last):
    ...
    ValueError: figure name must be lower case letters, digits and dashes, got 'Bad name'
    >>> plt.close(fig)
    """
    from IPython.display import HTML, display

    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(f"figure name must be lower case letters, digits and dashes, got {name!r}")
    if not isinstance(computed_by, (list, tuple)):
        raise TypeError(f"computed_by must be a list or tuple of functions, methods or classes, "
                        f"got {type(computed_by).__name__}")
    names = [qualified_name(f) for f in computed_by]
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    digest = None
    if os.environ.get(STORE_ENV):  # the data file is read from the drawn figure only where it is written
        data = figure_data(fig)
        digest = _write(name, {"figure": name, "units": data.pop("units"), "computed_by": names, **data})

    display(fig)
    plt.close(fig)
    display(HTML(_links_html(name, names, digest)))


def _short_floats(values):
    """float32 values as the shortest decimals that give them back; NaN and infinities become None."""
    arr = np.asarray(values, dtype=np.float32).ravel()
    return [float(str(v)) if np.isfinite(v) else None for v in arr]


def _plain(label):
    """A label in plotly's HTML subset as plain text: ``T<sub>c0</sub>`` -> ``T_{c0}``, tags dropped."""
    def script(mark):
        return lambda m: f"{mark}{m.group(1)}" if len(m.group(1)) == 1 else f"{mark}{{{m.group(1)}}}"

    label = re.sub(r"<sub>(.*?)</sub>", script("_"), label or "")
    label = re.sub(r"<sup>(.*?)</sup>", script("^"), label)
    return html.unescape(re.sub(r"<[^>]+>", "", label))


def _explorer_panel(panel):
    out = {"x": {"label": _plain(panel.xlabel)}, "y": {"label": _plain(panel.ylabel)}, "axis_shown": not panel.hide_axes}
    if panel.xticks:   # named positions (high-symmetry points) say what x means
        out["x"]["ticks"] = [[float(v), _plain(t)] for v, t in zip(*panel.xticks)]
    return out


def explorer_data(explorer, spec) -> dict:
    """The arrays an explorer's page draws, for every grid setting of its sliders, as a JSON-ready dict.

    The arrays are read from ``spec``, the figure the page embeds (:func:`isingsc.book.interactive.figure_spec`):
    for each setting, the default figure's arrays overlaid with the frame of every group of curves for
    that setting (:func:`isingsc.book.interactive.frame_arrays`), as the page's script draws them.

    Parameters
    ----------
    explorer : isingsc.book.explorers.Explorer
    spec : dict
        Its figure, from :func:`isingsc.book.interactive.figure_spec`.

    Returns
    -------
    dict
        ``{"explorer", "title", "units", "sliders", "panels", "traces", "arrays"}``: the sliders (name,
        label, unit, grid values); the panels (x and y axis labels, which carry the units, named
        ticks, and ``axis_shown``: sketches show no axes); the traces (index, name, panel, static, and the keys
        ``x``, ``y`` of the compute output they draw); ``arrays["static"]``, ``{trace index: {x, y}}``
        for the outlines drawn once, and ``arrays["settings"]``, one ``{"frame", "values", "traces"}``
        per grid setting (frame name, slider values, ``{trace index: {x, y[, customdata]}}``).  The
        numbers are the page's float32 values in their shortest decimal form, ``None`` for a gap.

    Raises
    ------
    TypeError
        If ``explorer`` is not an Explorer or ``spec`` not a figure dict.
    ValueError
        If ``spec`` is not a figure of ``explorer`` (no frame for one of its settings).

    Examples
    --------
    >>> from isingsc.book.explorers import get_explorer
    >>> from isingsc.book.interactive import figure_spec
    >>> ex = get_explorer("bands").with_grid(lambda_soc=(0.0, 77.2))
    >>> data = explorer_data(ex, figure_spec(ex))
    >>> [s["values"] for s in data["arrays"]["settings"]]
    [{'lambda_soc': 0.0}, {'lambda_soc': 77.2}]
    >>> k = data["traces"][1]
    >>> k["y"], data["panels"][k["panel"]]["y"]["label"]
    ('xi_up', 'ξ_{k s} (meV)')
    >>> y = data["arrays"]["settings"][1]["traces"]["1"]["y"]
    >>> bool(np.allclose(y, ex(lambda_soc=77.2)["xi_up"], atol=1e-4))
    True
    """
    from .._validation import check_instance
    from .explorers import Explorer
    from .interactive import _decode, frame_arrays

    check_instance(explorer, "explorer", Explorer)
    check_instance(spec, "spec", dict, "a figure from figure_spec(explorer)")
    base = spec.get("data")
    if not isinstance(base, list) or len(base) != len(explorer.traces):
        raise ValueError(f"spec is not a figure of explorer {explorer.name!r}: "
                         f"{len(explorer.traces)} traces expected")
    static, settings = {}, []
    for i, tr in enumerate(explorer.traces):
        if tr.static:
            static[str(i)] = {k: _short_floats(_decode(base[i][k])) for k in ("x", "y") if k in base[i]}
    for idx, values in explorer.grid():
        name = explorer.frame_name(idx)
        changed = frame_arrays(spec, name)
        traces = {}
        for i, tr in enumerate(explorer.traces):
            if tr.static:
                continue
            arrays = {k: base[i][k] for k in ("x", "y", "customdata") if k in base[i]}
            arrays = {k: _decode(v) for k, v in arrays.items()}
            arrays.update(changed.get(i, {}))
            traces[str(i)] = {k: _short_floats(v) for k, v in arrays.items()}
        settings.append({"frame": name, "values": {k: float(v) for k, v in values.items()}, "traces": traces})
    return {
        "explorer": explorer.name,
        "title": _plain(explorer.title),
        "units": EXPLORER_UNITS_NOTE,
        "sliders": [{"name": s.name, "label": _plain(s.label), "unit": _plain(s.unit),
                     "values": [float(v) for v in s.values]} for s in explorer.sliders],
        "panels": [_explorer_panel(p) for p in explorer.panels],
        "traces": [{"index": i, "name": _plain(tr.name), "panel": tr.panel, "x": tr.x, "y": tr.y,
                    "static": tr.static} for i, tr in enumerate(explorer.traces)],
        "arrays": {"static": static, "settings": settings},
    }


def explorer_links(explorer, spec) -> str:
    """The provenance line of an explorer's page view (HTML); in the book's build also its data file.

    The line is :func:`show`'s: a number, **data** (``explorer-NAME.json``, :func:`explorer_data`,
    written into the folder named by :data:`STORE_ENV` when it is set) and **code** (the cell, and the
    explorer's compute function with its API entry and source).

    Parameters
    ----------
    explorer : isingsc.book.explorers.Explorer
    spec : dict
        Its figure, from :func:`isingsc.book.interactive.figure_spec`.

    Returns
    -------
    str
        The HTML of the line (with the data's SHA-256 digest where the file was written).

    Raises
    ------
    TypeError
        If ``explorer`` is not an Explorer or ``spec`` not a figure dict.
    ValueError
        If ``spec`` is not a figure of ``explorer``.

    Examples
    --------
    >>> from isingsc.book.explorers import get_explorer
    >>> from isingsc.book.interactive import figure_spec
    >>> ex = get_explorer("chi").with_grid(lambda_over_delta0=(150.0,))
    >>> line = explorer_links(ex, figure_spec(ex))
    >>> 'data-figure="explorer-chi"' in line, "isingsc.book.explorers.susceptibility_curves" in line
    (True, True)
    """
    data = explorer_data(explorer, spec)
    name = f"explorer-{re.sub(r'[^a-z0-9-]', '-', explorer.name.lower())}"
    names = [qualified_name(explorer.compute)]
    digest = _write(name, {"figure": name, "computed_by": names, **data})
    return _links_html(name, names, digest, kind="explorer")
