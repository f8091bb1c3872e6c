"""Maps for your own studies: ``T*``, the alignment or the susceptibilities over any parameter grid.

:func:`stack_map` evaluates one quantity over the outer product of any axes of
stack parameters (``K1``, ``K2``, ``J``, ``T``) and material parameters
(``lambda_soc``, ``epsilon`` -- the filling --, ``delta0``, ``alpha_R``) of any
:class:`~isingsc.superconductor.IsingSuperconductor`:

``"t_star"``
    :func:`~isingsc.tstar.find_t_star` at every point: the first and last ``T*``
    (meV) and the sequence of alignments on warming;
``"alignment"``
    the zero-field ground-state alignment (:func:`~isingsc.magnetism.ground_state`)
    at temperature ``T``;
``"susceptibility"``
    the superconductor's ``chi_par(T)`` and ``chi_perp(T)`` (the engine's, per Nb
    site) and ``chi_P``.

The superconductors of the material points are built once each, their
``chi(T)`` tables (:func:`~isingsc.response.superconductor_response`) once each,
then every point is one task (points sharing a superconductor and ``J`` run
together, so that the microscopic free-energy tables they share are built once): with an ``executor`` (a ``concurrent.futures``
process pool, a ``dask.distributed`` client's ``get_executor()``) the tasks run
on its workers, and a tqdm progress bar counts them (``progress``, see
:mod:`isingsc.tstar`).  The result, a :class:`StackMap`, saves to one ``.npz``
file.

Units
-----
Anisotropies in meV per Nb site, exchange fields, temperatures and material
energies in meV, susceptibilities in 1/meV per Nb site.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ._results_cache import persistent
from ._parallel import parallel_map
from ._serialize import Result
from ._validation import check_array, check_choice, check_instance, check_int, check_real, check_sequence, readonly
from .magnetism import FSFStack, ground_state
from .microscopic import stack_coupling
from .response import check_coupling_form, superconductor_response
from .superconductor import IsingSuperconductor

__all__ = ["STACK_PARAMETERS", "MATERIAL_PARAMETERS", "MAP_QUANTITIES", "StackMap", "stack_map"]

#: The stack parameters a map can scan, the anisotropies (meV per Nb site), exchange field and temperature (meV).
STACK_PARAMETERS = ("K1", "K2", "J", "T")
#: The material parameters a map can scan (meV), which rebuild the superconductor at every point.
MATERIAL_PARAMETERS = ("lambda_soc", "epsilon", "delta0", "alpha_R")
#: What :func:`stack_map` computes.
MAP_QUANTITIES = ("t_star", "alignment", "susceptibility")
#: the stack parameters each quantity needs
_NEEDS = {"t_star": ("K1", "K2", "J"), "alignment": ("K1", "K2", "J", "T"), "susceptibility": ("T",)}
#: the most points one map may have
MAX_POINTS = 10**6


@dataclass(frozen=True, eq=False, repr=False)
class StackMap(Result):
    """A quantity over a grid of stack and material parameters (from :func:`~isingsc.maps.stack_map`).

    Attributes
    ----------
    quantity : str
        ``"t_star"``, ``"alignment"`` or ``"susceptibility"``.
    coupling_form : str
        The coupling of the stack (``"complete"``, ``"paper"`` or ``"microscopic"``).
    superconductor : IsingSuperconductor
        The superconductor the material axes modify.
    axes : tuple of (str, ndarray)
        The scanned parameters in order; the maps have shape ``[a.size for _, a in axes]``.
    fixed : tuple of (str, float)
        The parameters held fixed (meV, meV per Nb site).
    values : tuple of (str, ndarray)
        The maps: for ``"t_star"`` ``t_star`` and ``t_star_last`` (meV, ``nan`` where the
        alignment never changes) and ``direction`` (str); for ``"alignment"``
        ``alignment`` (str); for ``"susceptibility"`` ``chi_par``, ``chi_perp`` and
        ``chi_pauli`` (1/meV per Nb site); always ``tc0`` (meV) of each point's superconductor.

    Examples
    --------
    >>> import numpy as np, isingsc
    >>> sc = isingsc.ising_superconductor(150.0)
    >>> m = stack_map(sc, {"T": [0.0, sc.tc0]}, "susceptibility")
    >>> m.shape, [name for name, _ in m.values]
    ((2,), ['chi_par', 'chi_perp', 'chi_pauli', 'tc0'])
    >>> float(m["chi_perp"][0])                       # no out-of-plane response at T = 0 (App. C)
    0.0
    """

    quantity: str
    coupling_form: str
    superconductor: IsingSuperconductor
    axes: tuple
    fixed: tuple
    values: tuple

    def __post_init__(self):
        from .response import COUPLING_FORMS

        check_choice(self.quantity, "quantity", MAP_QUANTITIES)
        check_choice(self.coupling_form, "coupling_form", COUPLING_FORMS)
        check_instance(self.superconductor, "superconductor", IsingSuperconductor)

        def pair(item, name):
            item = check_sequence(item, name, length=2)
            if not isinstance(item[0], str):
                raise TypeError(f"{name} must be a (name, values) pair, got a {type(item[0]).__name__} name")
            return item

        axes = tuple((n, readonly(check_array(a, f"axes[{n!r}]").ravel()))
                     for n, a in check_sequence(self.axes, "axes", item=pair, min_length=1))
        fixed = tuple((n, check_real(v, f"fixed[{n!r}]")) for n, v in check_sequence(self.fixed, "fixed", item=pair))
        shape = tuple(a.size for _, a in axes)
        values = []
        for n, v in check_sequence(self.values, "values", item=pair, min_length=1):
            arr = np.asarray(v)
            if arr.shape != shape:
                raise ValueError(f"values[{n!r}] must have the shape of the axes {shape}, got {arr.shape}")
            if arr.dtype.kind in "fc" and np.any(np.isinf(arr)) or arr.dtype.kind == "c":
                raise ValueError(f"values[{n!r}] must be real, finite or nan (no T*), got infinities or complex numbers")
            values.append((n, readonly(arr)))
        for name, value in (("axes", axes), ("fixed", fixed), ("values", tuple(values))):
            object.__setattr__(self, name, value)

    def __getitem__(self, name):
        """A map (``values``) or an axis (``axes``) by name."""
        for key, value in self.values + self.axes:
            if key == name:
                return value
        raise KeyError(f"{name!r}: the map has {[k for k, _ in self.values]} over the axes {[k for k, _ in self.axes]}")

    @property
    def shape(self):
        """The shape of every map, the sizes of the axes in order.

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.ising_superconductor(150.0)
        >>> stack_map(sc, {"T": [0.0, 0.1, 0.2], "epsilon": [-44.5, -40.0]}, "susceptibility").shape
        (3, 2)
        """
        return tuple(a.size for _, a in self.axes)

    @property
    def t_star_tc0(self):
        """``t_star / tc0``: the first ``T*`` in units of each point's ``Tc0`` (``"t_star"`` maps).

        Examples
        --------
        >>> import isingsc
        >>> sc = isingsc.ising_superconductor(150.0)
        >>> K = 0.6 * isingsc.superconductor_response(sc).chi_s0 * 0.01**2
        >>> m = stack_map(sc, {"J": [0.01]}, K1=K, K2=K, n_scan=7)
        >>> bool(m.t_star_tc0[0] == m["t_star"][0] / m["tc0"][0]), 0 < float(m.t_star_tc0[0]) < 1
        (True, True)
        """
        if self.quantity != "t_star":
            raise ValueError(f"t_star_tc0 needs a 't_star' map, this is a {self.quantity!r} map")
        return self["t_star"] / self["tc0"]


def _axes(grid):
    if not isinstance(grid, dict):
        raise TypeError(f"grid must be a dict {{parameter: values}}, got {type(grid).__name__}")
    if not grid:
        raise ValueError("grid is empty: give at least one axis, e.g. {'K1': [...]}")
    axes = []
    for name, values in grid.items():
        if name not in STACK_PARAMETERS + MATERIAL_PARAMETERS:
            raise ValueError(f"unknown grid parameter {name!r}; stack parameters {STACK_PARAMETERS}, "
                             f"material parameters {MATERIAL_PARAMETERS}")
        unit = "meV per Nb site" if name in ("K1", "K2") else "meV"
        a = check_array(values, f"grid[{name!r}]", unit=unit, nonneg=name in ("J", "T", "lambda_soc", "delta0"))
        if a.ndim > 1 or a.size == 0:
            raise ValueError(f"grid[{name!r}] must be a non-empty 1-D list of values, got shape {a.shape}")
        axes.append((name, np.array(a.ravel(), float)))
    n = math.prod(a.size for _, a in axes)
    if n > MAX_POINTS:
        raise ValueError(f"the grid has {n} points, above the maximum of {MAX_POINTS}")
    return tuple(axes)


def _material(sc, params):
    """``sc`` with the material parameters ``params`` (name -> meV) changed."""
    model = sc.model
    if "epsilon" in params:
        model = model.with_epsilon(params["epsilon"])
    if "lambda_soc" in params:
        model = model.with_lambda_soc(params["lambda_soc"])
    if "alpha_R" in params:
        model = model.with_alpha_R(params["alpha_R"])
    out = sc.with_model(model) if model != sc.model else sc
    if "delta0" in params:
        out = out.with_delta0(params["delta0"])
    return out


@persistent
def stack_map(sc, grid, quantity="t_star", *, K1=None, K2=None, J=None, T=None, coupling_form="complete",
              executor=None, progress=None, t_max=1.2, n_scan=25, t_tol=1e-3, **table_options):
    """``T*``, the alignment or the susceptibilities over any grid of stack and material parameters.

    Parameters
    ----------
    sc : IsingSuperconductor
        Any superconductor; the material axes modify it (``with_lambda_soc``,
        ``with_epsilon``, ``with_delta0``, ``model.with_alpha_R``).
    grid : dict
        ``{name: values}``: the axes, in order, from :data:`STACK_PARAMETERS`
        (``K1``, ``K2`` in meV per Nb site; ``J``, ``T`` in meV) and
        :data:`MATERIAL_PARAMETERS` (``lambda_soc``, ``epsilon``, ``delta0``,
        ``alpha_R`` in meV).  The map is over their outer product.
    quantity : {"t_star", "alignment", "susceptibility"}, optional
        What to compute at every point (see the module docstring).
    K1, K2, J, T : float, optional
        The stack parameters that are not axes but the quantity needs
        (``"t_star"``: ``K1, K2, J``; ``"alignment"``: also ``T``; ``"susceptibility"``: ``T``).
    coupling_form : {"complete", "paper", "microscopic"}, optional
        The stack's coupling (default ``"complete"``); ``"microscopic"`` costs seconds per point.
    executor : concurrent.futures.Executor, optional
        Run the points on workers (``concurrent.futures.ProcessPoolExecutor``,
        ``dask.distributed.Client(...).get_executor()``); the result equals the serial one.
        A string or anything without ``map`` is a TypeError; a map that returns the
        wrong count or kind of results an :class:`~isingsc.errors.ExecutorError`.
    progress : bool or None, optional
        tqdm bar over the points: ``None`` (default) in a terminal after 2 s, ``True``
        always (a widget in Jupyter), ``False`` never.
    t_max, n_scan, t_tol : optional
        The scan of :func:`~isingsc.tstar.find_t_star` (``t_max``, ``t_tol`` in units of
        ``Tc0``; the default ``t_tol`` is coarser than find_t_star's).
    **table_options
        For ``"microscopic"``: options of :func:`~isingsc.microscopic.microscopic_table`.

    Returns
    -------
    StackMap

    Raises
    ------
    TypeError
        Wrong types (naming the parameter), a bad executor.
    ValueError
        Unknown axes, a missing fixed parameter, a parameter the quantity does not use
        on an axis, unphysical values.

    Examples
    --------
    ``T*`` of the paper's stack over ``K1`` (in units of ``chi_s(0) J^2``, ``K2 = K1/1.12``) and ``J``:

    >>> import numpy as np, isingsc
    >>> sc = isingsc.ising_superconductor(150.0)
    >>> resp = isingsc.superconductor_response(sc)
    >>> J = np.array([0.05, 0.1])
    >>> K1 = 0.95 * resp.chi_s0 * 0.1**2 * np.array([0.9, 1.0])
    >>> m = stack_map(sc, {"K1": K1, "J": J}, K2=K1[1] / 1.12, n_scan=9, progress=False)
    >>> m.shape, str(m["direction"][1, 1])
    ((2, 2), 'in-plane -> canted -> out-of-plane')
    >>> bool(np.isclose(m["t_star"][1, 1], isingsc.find_t_star(resp, K1[1], K1[1] / 1.12, 0.1, n_scan=9,
    ...                                                         t_tol=1e-3).t_star))
    True
    """
    check_instance(sc, "sc", IsingSuperconductor, "e.g. isingsc.IsingSuperconductor(isingsc.NbSe2())")
    quantity = check_choice(quantity, "quantity", MAP_QUANTITIES)
    coupling_form = check_coupling_form(coupling_form)
    axes = _axes(grid)
    names = [n for n, _ in axes]
    given = {"K1": K1, "K2": K2, "J": J, "T": T}
    fixed = {}
    for name in STACK_PARAMETERS:
        if name in names:
            if name not in _NEEDS[quantity]:
                raise ValueError(f"{name} does not enter a {quantity!r} map; drop it from the grid")
            if given[name] is not None:
                raise ValueError(f"{name} is both an axis of the grid and fixed ({name}={given[name]!r})")
        elif name in _NEEDS[quantity]:
            if given[name] is None:
                raise ValueError(f"a {quantity!r} map needs {name}: give {name}=... or put {name} in the grid")
            unit = "meV per Nb site" if name in ("K1", "K2") else "meV"
            fixed[name] = check_real(given[name], name, unit=unit, nonneg=name in ("J", "T"), positive=name == "J")
        elif given[name] is not None:
            raise ValueError(f"{name} does not enter a {quantity!r} map")
    options = dict(table_options)
    if coupling_form != "microscopic" and options:
        raise TypeError(f"table options {sorted(options)} apply to coupling_form='microscopic' only")
    scan = {"t_max": check_real(t_max, "t_max", positive=True, upper=1.3),
            "n_scan": check_int(n_scan, "n_scan", minimum=2, maximum=10000),
            "t_tol": check_real(t_tol, "t_tol", positive=True, upper=1.0)}

    # the material points: one superconductor (and one chi(T) table) each
    mat_axes = [(n, a) for n, a in axes if n in MATERIAL_PARAMETERS]
    mat_points = list(itertools.product(*[range(a.size) for _, a in mat_axes]))
    scs = [_material(sc, {n: float(a[i]) for (n, a), i in zip(mat_axes, idx)}) for idx in mat_points]
    if quantity == "susceptibility":
        bases = scs
    else:
        bases = parallel_map(superconductor_response, [(s,) for s in scs], executor=executor, progress=False,
                             check=_is_response)
    mat_index = {idx: k for k, idx in enumerate(mat_points)}

    # every point: one task
    shape = tuple(a.size for _, a in axes)
    tasks, locality = [], []
    for idx in itertools.product(*[range(s) for s in shape]):
        p = dict(fixed)
        p.update({n: float(a[i]) for (n, a), i in zip(axes, idx)})
        base = bases[mat_index[tuple(i for (n, _), i in zip(axes, idx) if n in MATERIAL_PARAMETERS)]]
        if quantity == "t_star":
            tasks.append((base, p["K1"], p["K2"], p["J"], coupling_form, scan, options))
        elif quantity == "alignment":
            tasks.append((base, p["K1"], p["K2"], p["J"], p["T"], coupling_form, options))
        else:
            tasks.append((base, p["T"]))
        # points that share a superconductor and J (the key of its free-energy tables) go to the same worker
        locality.append((mat_index[tuple(i for (n, _), i in zip(axes, idx) if n in MATERIAL_PARAMETERS)],
                         p.get("J", 0.0), p.get("T", 0.0)))
    func = {"t_star": _t_star_point, "alignment": _alignment_point, "susceptibility": _susceptibility_point}[quantity]
    order = sorted(range(len(tasks)), key=lambda i: locality[i])
    done = parallel_map(func, [tasks[i] for i in order], executor=executor, progress=progress,
                        desc=f"stack_map {quantity}", check=_CHECKS[quantity])
    results = [None] * len(tasks)
    for i, r in zip(order, done):
        results[i] = r

    tc0 = np.array([float(t[0].tc0) for t in tasks]).reshape(shape)
    if quantity == "t_star":
        values = (("t_star", np.array([r[0] for r in results], float).reshape(shape)),
                  ("t_star_last", np.array([r[1] for r in results], float).reshape(shape)),
                  ("direction", np.array([r[2] for r in results], str).reshape(shape)))
    elif quantity == "alignment":
        values = (("alignment", np.array(results, str).reshape(shape)),)
    else:
        values = tuple((name, np.array([r[i] for r in results], float).reshape(shape))
                       for i, name in enumerate(("chi_par", "chi_perp", "chi_pauli")))
    values = values + (("tc0", tc0),)
    return StackMap(quantity, coupling_form, sc, axes, tuple(fixed.items()), values)


def _is_response(r):
    from .response import SuperconductorResponse

    if not isinstance(r, SuperconductorResponse):
        raise TypeError(f"expected a SuperconductorResponse, got {type(r).__name__}")


def _t_star_point(resp, K1, K2, J, coupling_form, scan, options):
    from .tstar import find_t_star

    res = find_t_star(resp, K1, K2, J, coupling_form, progress=False, **scan, **options)
    return float(res.t_star), float(res.t_star_last), res.direction


def _alignment_point(resp, K1, K2, J, T, coupling_form, options):
    cpl = stack_coupling(resp, T, J, coupling_form, **options)
    return ground_state(FSFStack(K1, K2, 1.0, 1.0, J, cpl)).alignment


def _susceptibility_point(sc, T):
    return (float(sc.spin_susceptibility(T, 0.5 * np.pi)), float(sc.spin_susceptibility(T, 0.0)),
            float(sc.pauli_susceptibility))


def _check_t_star(r):
    if not (isinstance(r, tuple) and len(r) == 3 and isinstance(r[2], str)):
        raise TypeError(f"expected (t_star, t_star_last, direction), got {r!r:.60}")
    if any(math.isinf(x) for x in r[:2]):
        raise ValueError(f"infinite T* {r[:2]}")


def _check_alignment(r):
    if r not in ("out-of-plane", "in-plane", "canted"):
        raise TypeError(f"expected an alignment label, got {r!r:.40}")


def _check_susceptibility(r):
    if not (isinstance(r, tuple) and len(r) == 3):
        raise TypeError(f"expected (chi_par, chi_perp, chi_pauli), got {r!r:.60}")
    if not all(isinstance(x, float) and math.isfinite(x) for x in r):
        raise ValueError(f"non-finite susceptibilities {r}")


_CHECKS = {"t_star": _check_t_star, "alignment": _check_alignment, "susceptibility": _check_susceptibility}
