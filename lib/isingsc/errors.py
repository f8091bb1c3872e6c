"""The library's own exception and warnings.

Besides :class:`TypeError` (wrong type, naming the parameter) and
:class:`ValueError` (unphysical value, with its unit), the library raises
:class:`ConvergenceError` when a self-consistent solution, a root or a
bracket cannot be established to the stated accuracy, and
:class:`ExecutorError` when an executor hands back results it cannot use.
It never returns a number it could not establish.

Its warnings are subclasses of :class:`IsingscWarning` (a :class:`UserWarning`),
so they can be filtered together (``warnings.simplefilter("error", IsingscWarning)``)
or one by one.
"""
from __future__ import annotations

__all__ = [
    "ConvergenceError",
    "ExecutorError",
    "IsingscWarning",
    "BandEdgeWarning",
    "TemperatureUnitWarning",
    "FirstOrderTransitionWarning",
]


class ConvergenceError(RuntimeError):
    """A self-consistent solution or a root could not be established reliably.

    Examples
    --------
    >>> issubclass(ConvergenceError, RuntimeError)
    True
    """


class ExecutorError(RuntimeError):
    """An executor's ``map`` returned the wrong number of results, or results of the wrong kind.

    Raised by every function that takes an ``executor`` (a ``concurrent.futures``
    executor or a ``dask.distributed`` client's ``get_executor()``), before any
    of its results reaches a returned array.

    Examples
    --------
    >>> issubclass(ExecutorError, RuntimeError)
    True
    """


class IsingscWarning(UserWarning):
    """Base class of the library's warnings.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("example", BandEdgeWarning)
    >>> issubclass(caught[0].category, IsingscWarning), issubclass(IsingscWarning, UserWarning)
    (True, True)
    """


class BandEdgeWarning(IsingscWarning):
    """A band edge or a van Hove saddle lies within a few ``Tc`` of the Fermi level.

    The superconductor's response then depends on the density of states on the
    scale of ``Tc`` itself (a band edge: a step; a saddle: a logarithmic peak),
    not only on its value at the Fermi level; the numbers are those of the model,
    but they are dominated by that feature and change quickly with the filling.

    Examples
    --------
    >>> issubclass(BandEdgeWarning, UserWarning)
    True
    """


class TemperatureUnitWarning(IsingscWarning):
    """A temperature that reads as superconducting in kelvin but is far above ``Tc0`` in meV.

    Every temperature of the library is in meV (``k_B = 1``); convert kelvin with
    :func:`~isingsc.units.kelvin`.

    Examples
    --------
    >>> issubclass(TemperatureUnitWarning, UserWarning)
    True
    """


class FirstOrderTransitionWarning(IsingscWarning):
    """A stability edge or a tabulated free energy that is not the ground-state transition.

    Raised where a first-order transition (of the magnets' alignment, or of the
    superconductor itself in the stack's field) makes the edge of local stability
    of a collinear state a spinodal rather than ``T*``, or makes a smooth table of
    the free energy unreliable.

    Examples
    --------
    >>> issubclass(FirstOrderTransitionWarning, UserWarning)
    True
    """
