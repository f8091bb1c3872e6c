"""The book's figures: one style, and a check that every figure is legible at the size the book shows it.

On a 1400 px wide desktop window the book's text column shows a figure at most about 900 px wide.  A figure
drawn ``w`` inches wide is therefore shown at ``min(900 / w, dpi)`` pixels per figure inch; at 80 px per inch or
more a 9 pt label is at least 10 px high.  So every figure of the book

* is at most :data:`MAX_WIDTH_IN` inches wide (wider grids are split or stacked),
* has no text smaller than :data:`MIN_FONT_PT` points (titles, labels, tick labels, legends, annotations), and
* has no text or legend cut off at its edge: the book shows each figure at its own size (the PNG is the whole
  figure, laid out with ``tight_layout``; not cropped to what was drawn, which would cost another layout pass
  per figure), so whatever reaches past the edge is cut off (:func:`cut_off_problems`).

:func:`use_book_style` sets the style (:data:`STYLE`) and, in an IPython kernel, checks every figure that is
displayed (it wraps the PNG formatter of matplotlib figures); :func:`assert_figures_legible`, called at the end
of each chapter, fails the chapter's execution (the book build and the notebook regression) if any figure
broke either rule.  ``tests/test_browser.py`` measures what the reader gets: the smallest displayed pixels per
figure inch over the built book.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots(figsize=(6, 3))
>>> _ = ax.plot([0, 1], label="a curve")
>>> _ = ax.legend(fontsize=7)
>>> legibility_problems(fig)
["legend text 7 pt < 9 pt: 'a curve'"]
>>> _ = ax.legend(fontsize=9)
>>> legibility_problems(fig)
[]
>>> plt.close(fig)
"""
from __future__ import annotations


from .._validation import check_flag, check_int, check_real, frozen_mapping

__all__ = ["BOOK_DPI", "MIN_FONT_PT", "MAX_WIDTH_IN", "STYLE", "use_book_style", "legibility_problems",
           "cut_off_problems", "check_figure", "assert_figures_legible", "checked_figures"]

#: The resolution of the book's PNG figures, in dots per inch.
BOOK_DPI = 100
#: The smallest font size a figure may use, in points.
MIN_FONT_PT = 9.0
#: The widest figure, in inches (a column of 900 px at 80 px per inch holds 11.3 in; with a margin).
MAX_WIDTH_IN = 10.5
#: The book's matplotlib style, as ``matplotlib.rcParams`` keys and values.
STYLE = frozen_mapping({
    "figure.dpi": BOOK_DPI,
    "savefig.dpi": BOOK_DPI,
    "font.size": 10.0,
    "axes.titlesize": 10.0,
    "axes.labelsize": 10.0,
    "xtick.labelsize": 9.0,
    "ytick.labelsize": 9.0,
    "legend.fontsize": 9.0,
    "legend.title_fontsize": 9.0,
    "figure.titlesize": 11.0,
})

_CHECKED: list = []     # (figure label, problems) of every figure displayed since the last assert


def _texts(fig):
    """``(kind, Text)`` of every visible text of a figure, tick labels included (also before drawing)."""
    from matplotlib.legend import Legend
    from matplotlib.text import Text

    seen, out = set(), []
    for ax in fig.get_axes():
        for axis, name in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            if not axis.get_visible():
                continue
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                for lab in (tick.label1, tick.label2):
                    seen.add(id(lab))
                    if lab.get_visible() and tick.get_visible():
                        out.append((f"{name} tick label", lab))
    legends = {id(t) for lg in fig.findobj(Legend) for t in lg.get_texts()}
    for t in fig.findobj(Text):
        if id(t) in seen or not t.get_visible() or not t.get_text().strip():
            continue
        seen.add(id(t))
        out.append(("legend text" if id(t) in legends else "text", t))
    return out


def _check_figure_arg(fig):
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure (e.g. from plt.subplots()), got {type(fig).__name__}")
    return fig


def legibility_problems(fig, min_pt=MIN_FONT_PT, max_width_in=MAX_WIDTH_IN):
    """What makes a figure illegible in the book: text under ``min_pt`` points, a width over ``max_width_in``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, drawn or not (tick labels are checked before the first draw too).
    min_pt : float, optional
        Smallest font size (points, > 0).
    max_width_in : float, optional
        Widest figure (inches, > 0).

    Returns
    -------
    list of str
        One line per problem (empty: the figure is legible).

    Raises
    ------
    TypeError
        If ``fig`` is not a matplotlib figure.
    ValueError
        If ``min_pt`` or ``max_width_in`` is not positive.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(12, 3))
    >>> ax = fig.subplots()
    >>> ax.tick_params(labelsize=8)
    >>> for line in legibility_problems(fig):
    ...     print(line)
    figure 12.0 in wide > 10.5 in (shown below 80 px per inch)
    x tick label 8 pt < 9 pt: (tick labels)
    y tick label 8 pt < 9 pt: (tick labels)
    """
    _check_figure_arg(fig)
    min_pt = check_real(min_pt, "min_pt", unit="pt", positive=True)
    max_width_in = check_real(max_width_in, "max_width_in", unit="in", positive=True)
    problems = []
    width = float(fig.get_size_inches()[0])
    if width > max_width_in + 1e-9:
        problems.append(f"figure {width:.1f} in wide > {max_width_in:g} in (shown below 80 px per inch)")
    small = {}
    for kind, t in _texts(fig):
        size = float(t.get_fontsize())
        if size < min_pt - 1e-9:
            small.setdefault((kind, size), []).append(t.get_text().strip()[:30])
    for (kind, size), texts in small.items():
        named = [x for x in texts if x]
        shown = ", ".join(repr(x) for x in named[:3]) or "(tick labels)"
        more = f" and {len(named) - 3} more" if len(named) > 3 else ""
        problems.append(f"{kind} {size:g} pt < {min_pt:g} pt: {shown}{more}")
    return problems


def cut_off_problems(fig, tolerance_px=1.0):
    """Texts and legends of a drawn figure that reach past its edge (cut off in a PNG of the figure's size).

    Titles, axis labels, annotations, figure texts and legends are checked (tick labels lie inside the
    axis labels, so a cut tick label cuts its axis label too); a text clipped to its axes is not.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, drawn at its own size (as the book's display hook has just drawn it, or after
        ``fig.draw_without_rendering()``).
    tolerance_px : float, optional
        How far (pixels, >= 0) a text may reach past the edge (antialiasing).

    Returns
    -------
    list of str
        One line per kind of text that is cut off (empty: nothing is).

    Raises
    ------
    TypeError
        If ``fig`` is not a matplotlib figure.
    ValueError
        If ``tolerance_px`` is negative.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(4, 3))
    >>> ax = fig.subplots()
    >>> _ = ax.set_title("a title"); _ = ax.plot([0, 1], label="a curve")
    >>> _ = ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))     # right of the axes: past the edge
    >>> fig.draw_without_rendering()
    >>> cut_off_problems(fig)
    ["legend cut off at the figure's edge: 'a curve'"]
    >>> _ = ax.legend(loc="upper left")
    >>> fig.tight_layout(); fig.draw_without_rendering()
    >>> cut_off_problems(fig)
    []
    """
    _check_figure_arg(fig)
    tolerance_px = check_real(tolerance_px, "tolerance_px", unit="px", nonneg=True)
    from matplotlib.legend import Legend

    renderer = fig._get_renderer()  # the canvas's own (the one it drew with), or an Agg one of the same size
    width, height = fig.bbox.width, fig.bbox.height

    def outside(artist):
        box = artist.get_window_extent(renderer)
        return (box.x0 < -tolerance_px or box.y0 < -tolerance_px or box.x1 > width + tolerance_px
                or box.y1 > height + tolerance_px)

    cut = {}
    for legend in fig.findobj(Legend):
        if legend.get_visible() and outside(legend):
            texts = [t.get_text().strip()[:30] for t in legend.get_texts()]
            cut.setdefault("legend", []).append(", ".join(repr(t) for t in texts[:2]) or "(no text)")
    for kind, t in _texts(fig):  # visible, non-empty; tick labels and legend texts have kinds of their own
        if kind != "text" or (t.get_clip_on() and (t.get_clip_box() is not None or t.get_clip_path() is not None)):
            continue  # a tick label, a legend's text, or a text clipped to its axes
        if outside(t):
            cut.setdefault("text", []).append(repr(t.get_text().strip()[:30]))
    return [f"{kind} cut off at the figure's edge: {', '.join(names[:3])}" + (f" and {len(names) - 3} more"
                                                                             if len(names) > 3 else "")
            for kind, names in cut.items()]


def check_figure(fig):
    """Record the legibility problems of a figure that is being displayed.

    Called by the display hook that :func:`use_book_style` installs; :func:`assert_figures_legible` reports
    what was recorded.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    list of str
        The figure's problems (:func:`legibility_problems`), also recorded.

    Raises
    ------
    TypeError
        If ``fig`` is not a matplotlib figure.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from matplotlib.figure import Figure
    >>> _ = assert_figures_legible(expected_min=0)          # start with an empty record
    >>> check_figure(Figure(figsize=(6, 3)))
    []
    >>> len(checked_figures())
    1
    """
    problems = legibility_problems(fig)
    label = fig.get_label() or f"figure {len(_CHECKED) + 1}"
    _CHECKED.append((label, problems))
    return problems


def checked_figures():
    """The figures displayed since the last :func:`assert_figures_legible`, with their problems.

    Returns
    -------
    list of (str, list of str)
        ``(label, problems)`` per figure, in the order they were displayed.

    Examples
    --------
    >>> _ = assert_figures_legible(expected_min=0)
    >>> checked_figures()
    []
    """
    return list(_CHECKED)


def assert_figures_legible(expected_min=1):
    """Fail if a figure displayed since the last call broke the rules; then start a new record.

    Parameters
    ----------
    expected_min : int, optional
        Fewest figures that must have been checked (so that a chapter whose check was never installed
        cannot pass by checking nothing).

    Returns
    -------
    int
        The number of figures checked.

    Raises
    ------
    AssertionError
        If a recorded figure has a problem, or fewer than ``expected_min`` figures were recorded.
    TypeError, ValueError
        If ``expected_min`` is not an integer >= 0.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from matplotlib.figure import Figure
    >>> _ = check_figure(Figure(figsize=(15, 3)))
    >>> assert_figures_legible()
    Traceback (most recent call last):
        ...
    AssertionError: figures that the book would show illegibly:
      figure 1: figure 15.0 in wide > 10.5 in (shown below 80 px per inch)
    >>> assert_figures_legible(expected_min=0)           # the record starts over
    0
    """
    expected_min = check_int(expected_min, "expected_min", minimum=0, maximum=10000)
    done = list(_CHECKED)
    _CHECKED.clear()
    bad = [f"{label}: {p}" for label, problems in done for p in problems]
    if bad:
        raise AssertionError("figures that the book would show illegibly:\n  " + "\n  ".join(bad))
    if len(done) < expected_min:
        raise AssertionError(f"{len(done)} figures were checked, expected at least {expected_min}: "
                             "was use_book_style() called after importing matplotlib.pyplot?")
    return len(done)


def use_book_style(check=True):
    """Set the book's matplotlib style and, in an IPython kernel, check every figure displayed from now on.

    Parameters
    ----------
    check : bool, optional
        Install the display check (wraps the kernel's PNG formatter of matplotlib figures so that each
        figure is passed to :func:`check_figure` before it is shown, and to :func:`cut_off_problems` once
        it is drawn).  The PNG is then the whole figure at its own size, not cropped to what was drawn.

    Returns
    -------
    bool
        Whether the display check is installed (False outside IPython or with ``check=False``).

    Raises
    ------
    TypeError
        If ``check`` is not a bool.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> with matplotlib.rc_context():
    ...     installed = use_book_style()
    ...     matplotlib.rcParams["legend.fontsize"] >= MIN_FONT_PT
    True
    >>> installed                      # no IPython kernel here
    False
    """
    check = check_flag(check, "check")
    import matplotlib
    import matplotlib.pyplot as plt

    matplotlib.rcParams.update(STYLE)
    if not check:
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    ip = get_ipython()
    if ip is None:
        return False
    from matplotlib.figure import Figure

    # pyplot loads its backend with the first figure, and the inline backend registers its figure formatter
    # only then: make (and close) one figure so that there is a formatter to wrap
    plt.close(plt.figure())
    fmt = ip.display_formatter.formatters["image/png"]
    try:
        orig = fmt.lookup_by_type(Figure)
    except KeyError:
        return False
    if getattr(orig, "_isingsc_checked", False):
        return True

    def checked(fig, *args, **kwargs):
        problems = check_figure(fig)
        # the PNG is the whole figure at its size: the inline backend's default crops it to what was drawn
        # ("tight"), which costs another layout pass of every figure; the figures are laid out to fit
        out = orig(fig, *args, **{**kwargs, "bbox_inches": None})
        problems += cut_off_problems(fig)  # recorded with the figure's other problems
        return out

    checked._isingsc_checked = True
    fmt.for_type(Figure, checked)
    return True
