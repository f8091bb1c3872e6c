"""Safeguarded one-dimensional root finding for the engine (private).

:func:`brent_root` is Brent's method (inverse quadratic interpolation, secant
and bisection steps, R. P. Brent, *Algorithms for Minimization without
Derivatives*, 1973, ch. 4) for a function that is expensive to evaluate:
it starts from a bracket whose end-point values are already known (the solver
has them from its scan), and the function may return extra data with its
value (e.g. the free energy with the gap equation), which is handed back for
the final point, so no evaluation is repeated.  It verifies the sign change
and raises :class:`~isingsc.errors.ConvergenceError` instead of returning an
unconverged number.
"""
from __future__ import annotations

import math

from .errors import ConvergenceError

__all__ = ["brent_root", "expand_bracket"]


def brent_root(func, a, b, fa=None, fb=None, *, xtol, rtol=4e-16, maxiter=100, what="root"):
    """Root of ``func`` in ``[a, b]`` where ``func`` changes sign.

    Parameters
    ----------
    func : callable
        ``func(x)`` returns the value, or a tuple ``(value, extra)``.
    a, b : float
        Bracket.
    fa, fb : float or tuple, optional
        Known ``func(a)``, ``func(b)`` (same form as ``func``'s result).
    xtol, rtol : float
        The root is located to ``xtol + rtol |x|``.
    maxiter : int
        Evaluation budget.
    what : str
        Name of the equation, for error messages.

    Returns
    -------
    x : float
        The root.
    extra : object
        The extra data ``func`` returned at ``x`` (None if it returns a bare value).

    Raises
    ------
    ConvergenceError
        If ``func`` does not change sign on ``[a, b]`` or the budget is exhausted.

    Examples
    --------
    >>> x, _ = brent_root(lambda x: x * x - 2.0, 0.0, 2.0, xtol=1e-14)
    >>> abs(x - 2 ** 0.5) < 1e-13
    True
    """

    def split(out):
        return (float(out[0]), out[1]) if isinstance(out, tuple) else (float(out), None)

    def call(x):
        return split(func(x))

    fa, ea = call(a) if fa is None else split(fa)
    fb, eb = call(b) if fb is None else split(fb)
    if not (math.isfinite(fa) and math.isfinite(fb)):
        raise ConvergenceError(f"{what}: non-finite value at the bracket [{a:g}, {b:g}] ({fa!r}, {fb!r})")
    if fa == 0.0:
        return a, ea
    if fb == 0.0:
        return b, eb
    if (fa > 0) == (fb > 0):
        raise ConvergenceError(f"{what}: no sign change on [{a:g}, {b:g}] (values {fa:.3g}, {fb:.3g})")
    c, fc, ec = a, fa, ea
    d = e = b - a
    for _ in range(maxiter):
        if (fb > 0) == (fc > 0):
            c, fc, ec = a, fa, ea
            d = e = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
            ea, eb, ec = eb, ec, eb
        tol = 2.0 * rtol * abs(b) + 0.5 * xtol
        m = 0.5 * (c - b)
        if abs(m) <= tol or fb == 0.0:
            return b, eb
        if abs(e) >= tol and abs(fa) > abs(fb):
            s = fb / fa
            if a == c:  # secant
                p = 2.0 * m * s
                q = 1.0 - s
            else:  # inverse quadratic interpolation
                q_ = fa / fc
                r = fb / fc
                p = s * (2.0 * m * q_ * (q_ - r) - (b - a) * (r - 1.0))
                q = (q_ - 1.0) * (r - 1.0) * (s - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            if 2.0 * p < min(3.0 * m * q - abs(tol * q), abs(e * q)):
                e, d = d, p / q
            else:
                d = e = m
        else:
            d = e = m
        a, fa, ea = b, fb, eb
        b = b + (d if abs(d) > tol else math.copysign(tol, m))
        fb, eb = call(b)
        if not math.isfinite(fb):
            raise ConvergenceError(f"{what}: non-finite value {fb!r} at {b:g}")
    raise ConvergenceError(f"{what}: no convergence in {maxiter} evaluations (bracket [{b:g}, {c:g}])")


def expand_bracket(func, lo, hi, *, factor=2.0, lo_min, hi_max, what="root"):
    """Widen ``[lo, hi]`` geometrically until ``func`` (increasing through its root) changes sign.

    Returns ``(lo, hi, f(lo), f(hi))`` with ``f(lo) < 0 <= f(hi)``; raises
    :class:`~isingsc.errors.ConvergenceError` when the limits ``lo_min``,
    ``hi_max`` are reached first.

    Examples
    --------
    >>> expand_bracket(lambda x: x - 10.0, 1.0, 2.0, lo_min=1e-3, hi_max=100.0)[:2]
    (8.0, 16.0)
    """
    flo, fhi = func(lo), func(hi)
    while not flo < 0:
        if lo / factor < lo_min:
            raise ConvergenceError(f"{what}: still >= 0 at the lower limit {lo:g} (value {flo:.3g})")
        hi, fhi = lo, flo
        lo /= factor
        flo = func(lo)
    while not fhi >= 0:
        if hi * factor > hi_max:
            raise ConvergenceError(f"{what}: still < 0 at the upper limit {hi:g} (value {fhi:.3g})")
        lo, flo = hi, fhi
        hi *= factor
        fhi = func(hi)
    if not (math.isfinite(flo) and math.isfinite(fhi)):
        raise ConvergenceError(f"{what}: non-finite values {flo!r}, {fhi!r} on [{lo:g}, {hi:g}]")
    return lo, hi, flo, fhi
