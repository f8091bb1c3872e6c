"""Stoner-Wohlfarth hysteresis loops of a ferromagnet/superconductor/ferromagnet stack (equations 12-15 of the paper).

A loop follows the *local* minimum of :class:`~isingsc.magnetism.FSFStack`
along a field path.  The work is split into small pieces, each testable on
its own:

* :class:`MinimumFollower` (frozen) carries the stack, the field angle and the
  resolutions; its methods are pure functions of a state ``(theta1, theta2)``
  and fields:

  - :meth:`~MinimumFollower.relax_to` -- relax a state at a field
    (:func:`isingsc.magnetism.relax`'s damped Newton descent);
  - :meth:`~MinimumFollower.leaves` -- does relaxing at that field leave the
    convex well of the occupied minimum (its Hessian loses positive
    definiteness on the way)?
  - :meth:`~MinimumFollower.bisect_switching_field` -- shrink a bracket around
    the first field where the well is left, down to the requested resolution
    or one float step, whichever comes first (it always terminates);
  - :meth:`~MinimumFollower.classify` -- a jump (a discontinuity of the
    minimum) or a continuous bifurcation;
  - :meth:`~MinimumFollower.advance` -- follow the minimum over one field
    step, recording jumps; an explicit work list replaces recursion, and a
    budget (:data:`MAX_SEGMENTS` bisections per step) ends a step that cannot
    be resolved with :class:`~isingsc.errors.ConvergenceError`.

* :func:`hysteresis_loop` sweeps a field path with the follower and returns a
  :class:`HysteresisLoop`.

Units
-----
As in :mod:`isingsc.magnetism`: energies per area (e.g. meV per Nb site), ``H``
such that ``H * Ms`` is that energy, angles in radians.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from ._results_cache import persistent
from ._serialize import Record, Result
from ._validation import (
    check_array,
    check_choice,
    check_flag,
    check_instance,
    check_int,
    check_real,
    check_sequence,
    check_tolerance,
    checked_fields,
)
from .errors import ConvergenceError
from .magnetism import FSFStack, _relax_core, _tolerances, wrap_angle

__all__ = [
    "SwitchingEvent",
    "HysteresisBranch",
    "HysteresisLoop",
    "MinimumFollower",
    "MAX_SEGMENTS",
    "hysteresis_loop",
]

#: Bisections one field step may need (jumps plus continuous bifurcations) before
#: :meth:`MinimumFollower.advance` gives up with :class:`~isingsc.errors.ConvergenceError`.
MAX_SEGMENTS = 200

#: Extra halvings of a switching bracket used to tell a jump from a continuous bifurcation.
JUMP_TEST_HALVINGS = 10


@checked_fields
@dataclass(frozen=True)
class SwitchingEvent(Record):
    """One irreversible jump of the magnetization on a field sweep.

    Attributes
    ----------
    branch : str
        ``"descending"`` or ``"ascending"``.
    H : float
        Switching field, resolved by bisection (midpoint of the final bracket).
    magnets : tuple of int
        Magnets (1 and/or 2) that jumped: those whose angle changed by at
        least half of the largest change.
    branch_index : int
        Index of the branch in ``HysteresisLoop.branches``.
    theta_before : tuple of float
        Wrapped angles (rad) just before the jump.
    theta_after : tuple of float
        Wrapped angles (rad) just after the jump.

    Examples
    --------
    >>> from isingsc import FSFStack
    >>> e = hysteresis_loop(FSFStack.single(1.0, 1.0), 3.0, 30).switching_fields[0]
    >>> e.branch, e.magnets, round(e.H, 6), [round(abs(x) / math.pi, 6) for x in e.theta_after]
    ('descending', (1,), -2.0, [1.0, 0.0])
    """

    branch: str
    H: float
    magnets: tuple
    branch_index: int
    theta_before: tuple
    theta_after: tuple

    def __post_init__(self):
        check_int(self.branch_index, "branch_index", minimum=0, maximum=10**6)
        object.__setattr__(self, "magnets", check_sequence(
            self.magnets, "magnets", min_length=1, max_length=2, item=lambda m, name: check_int(m, name, minimum=1,
                                                                                               maximum=2)))
        for name in ("theta_before", "theta_after"):
            object.__setattr__(self, name, check_sequence(getattr(self, name), name, length=2,
                                                          item=lambda x, n: check_real(x, n, unit="rad")))


@checked_fields(units={"theta1": "rad", "theta2": "rad"})
@dataclass(frozen=True, eq=False, repr=False)
class HysteresisBranch(Result):
    """One monotonic field sweep: fields and the followed local minimum.

    The arrays are read-only, each of shape ``(n,)``.

    Attributes
    ----------
    name : str
        ``"descending"`` or ``"ascending"``.
    H : ndarray
        Applied fields, in the stack's field unit (``H * Ms`` is an energy per area: with ``Ms`` in Bohr
        magnetons per Nb site and energies in meV per Nb site, ``H`` is in meV per Bohr magneton).
    theta1 : ndarray
        Angle of magnet 1 (rad), wrapped to ``(-pi, pi]``.
    theta2 : ndarray
        Angle of magnet 2 (rad), wrapped to ``(-pi, pi]``.
    M_z : ndarray
        Magnetization per area along ``z`` (the unit of ``Ms``), equation (14) of the paper.
    M_x : ndarray
        Magnetization per area along ``x`` (the unit of ``Ms``), equation (15) of the paper.
    switching_fields : tuple of float
        Fields of the jumps on this branch (the unit of ``H``).

    Examples
    --------
    >>> from isingsc import FSFStack
    >>> b = hysteresis_loop(FSFStack.single(1.0, 1.0), 3.0, 30).descending
    >>> b.name, b.H.size, float(b.M_z[0]), float(b.M_z[-1])
    ('descending', 31, 1.0, -1.0)
    """

    name: str
    H: np.ndarray
    theta1: np.ndarray
    theta2: np.ndarray
    M_z: np.ndarray
    M_x: np.ndarray
    switching_fields: tuple = ()

    def __post_init__(self):
        n = self.H.shape
        for name in ("theta1", "theta2", "M_z", "M_x"):
            if getattr(self, name).shape != n or len(n) != 1:
                raise ValueError(f"{name} must have the shape of H, {n}, one-dimensional; got {getattr(self, name).shape}")


@checked_fields(units={"field_angle": "rad"})
@dataclass(frozen=True, eq=False, repr=False)
class HysteresisLoop(Result):
    """Result of :func:`hysteresis_loop`.

    The properties ``H, theta1, theta2, M_z, M_x`` concatenate the branches.

    Attributes
    ----------
    stack : FSFStack
        The stack.
    field_angle : float
        Field angle from ``z`` (rad).
    branches : tuple of HysteresisBranch
        The monotonic sweeps in order (default: descending, then ascending).
    switching_fields : tuple of SwitchingEvent
        All jumps, in sweep order.

    Examples
    --------
    >>> from isingsc import FSFStack
    >>> loop = hysteresis_loop(FSFStack.single(1.0, 1.0), H_max=3.0, n_steps=60)
    >>> [b.name for b in loop.branches], [round(e.H, 6) for e in loop.switching_fields]
    (['descending', 'ascending'], [-2.0, 2.0])
    """

    stack: FSFStack
    field_angle: float
    branches: tuple
    switching_fields: tuple
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def _cat(self, name):
        if name not in self._cache:
            self._cache[name] = np.concatenate([getattr(b, name) for b in self.branches])
        return self._cache[name]

    def __post_init__(self):
        check_instance(self.stack, "stack", FSFStack)
        for b in self.branches:
            check_instance(b, "branches[i]", HysteresisBranch)
        for e in self.switching_fields:
            check_instance(e, "switching_fields[i]", SwitchingEvent)

    H = property(lambda self: self._cat("H"), doc="""Applied fields of all branches, concatenated (read-only).

        In the stack's field unit: ``H * Ms`` is an energy per area (with ``Ms`` in Bohr magnetons per
        Nb site and energies in meV per Nb site, ``H`` is in meV per Bohr magneton; the book plots it in
        units of ``chi_s(0) J^2 / Ms``; :func:`~isingsc.units.field_to_tesla` converts to tesla).

        Examples
        --------
        >>> from isingsc import FSFStack
        >>> loop = hysteresis_loop(FSFStack.single(1.0, 1.0), H_max=3.0, n_steps=30)
        >>> loop.H.shape, float(loop.H[0]), float(loop.H[-1])         # down from +H_max, back up
        ((62,), 3.0, 3.0)
        """)
    theta1 = property(lambda self: self._cat("theta1"), doc="""Angle of magnet 1 (rad), concatenated over the branches.

        Examples
        --------
        >>> from isingsc import FSFStack
        >>> loop = hysteresis_loop(FSFStack.single(1.0, 1.0), H_max=3.0, n_steps=30)
        >>> float(loop.theta1[0]), round(abs(float(loop.theta1[30])) / math.pi, 6)   # along z, then reversed
        (0.0, 1.0)
        """)
    theta2 = property(lambda self: self._cat("theta2"), doc="""Angle of magnet 2 (rad), concatenated over the branches.

        Examples
        --------
        >>> from isingsc import FSFStack
        >>> loop = hysteresis_loop(FSFStack(1.0, 2.0, 1.0, 1.0), H_max=5.0, n_steps=30)
        >>> round(abs(float(loop.theta2[30])) / math.pi, 6)            # the harder magnet reversed too
        1.0
        """)
    M_z = property(lambda self: self._cat("M_z"), doc="""Out-of-plane magnetization per area, equation (14) of the paper.

        ``Ms1 cos theta1 + Ms2 cos theta2``, in the unit of ``Ms`` (e.g. Bohr magnetons per Nb site),
        concatenated over the branches.

        Examples
        --------
        >>> from isingsc import FSFStack
        >>> loop = hysteresis_loop(FSFStack(1.0, 2.0, 1.0, 0.5), H_max=10.0, n_steps=30)
        >>> float(loop.M_z[0]), float(loop.M_z[30])                      # saturated: Ms1 + Ms2, reversed
        (1.5, -1.5)
        """)
    M_x = property(lambda self: self._cat("M_x"), doc="""In-plane magnetization per area, equation (15) of the paper.

        ``Ms1 sin theta1 + Ms2 sin theta2``, in the unit of ``Ms``, concatenated over the branches.

        Examples
        --------
        >>> from isingsc import FSFStack
        >>> loop = hysteresis_loop(FSFStack.single(1.0, 1.0), H_max=3.0, n_steps=30, field_angle=0.5 * math.pi)
        >>> round(float(loop.M_x[0]), 12)                                  # a hard-axis field: saturated along x
        1.0
        """)

    @property
    def M_parallel(self):
        """Magnetization along the field direction, ``M_z cos v + M_x sin v`` (the unit of ``Ms``).

        Examples
        --------
        >>> from isingsc import FSFStack
        >>> loop = hysteresis_loop(FSFStack.single(1.0, 1.0), H_max=3.0, n_steps=30, field_angle=0.3)
        >>> round(float(loop.M_parallel[0]), 3)                     # nearly along the strong field
        0.993
        """
        return self.M_z * np.cos(self.field_angle) + self.M_x * np.sin(self.field_angle)

    def branch(self, name):
        """A branch of the loop by name or index.

        Parameters
        ----------
        name : str or int
            ``"descending"`` or ``"ascending"`` (the first branch of that kind), or an index into ``branches``.

        Returns
        -------
        HysteresisBranch

        Raises
        ------
        TypeError
            ``name`` neither a string nor an integer.
        ValueError
            No branch of that name, or an index out of range.

        Examples
        --------
        >>> from isingsc import FSFStack
        >>> loop = hysteresis_loop(FSFStack.single(1.0, 1.0), H_max=3.0, n_steps=30)
        >>> loop.branch("ascending") is loop.branch(1) is loop.ascending
        True
        """
        if isinstance(name, (int, np.integer)) and not isinstance(name, bool):
            if not -len(self.branches) <= name < len(self.branches):
                raise ValueError(f"name = {name} is out of range as a branch index ({len(self.branches)} branches)")
            return self.branches[name]
        if not isinstance(name, str):
            raise TypeError(f"name must be a branch name (str) or an index (int), got {name!r}")
        for b in self.branches:
            if b.name == name:
                return b
        raise ValueError(f"no branch named {name!r}; have {[b.name for b in self.branches]}")

    descending = property(lambda self: self.branch("descending"), doc="""The first descending branch.

        Examples
        --------
        >>> from isingsc import FSFStack
        >>> d = hysteresis_loop(FSFStack.single(1.0, 1.0), H_max=3.0, n_steps=30).descending
        >>> d.name, float(d.H[0]), float(d.H[-1])
        ('descending', 3.0, -3.0)
        """)
    ascending = property(lambda self: self.branch("ascending"), doc="""The first ascending branch.

        Examples
        --------
        >>> from isingsc import FSFStack
        >>> a = hysteresis_loop(FSFStack.single(1.0, 1.0), H_max=3.0, n_steps=30).ascending
        >>> a.name, [round(h, 6) for h in a.switching_fields]
        ('ascending', [2.0])
        """)

    def coercive_fields(self, h_tol=1e-9):
        """Fields where the magnetization along the field changes sign.

        On a continuous stretch the zero is found by re-relaxing from the last
        grid state before it (Brent's method, tolerance ``h_tol * max|H|``);
        if the sign change happens in a jump, the switching field is returned.

        Parameters
        ----------
        h_tol : float, optional
            Resolution of the zeros in units of ``max|H|`` (at least a few float steps).

        Returns
        -------
        list of (str, float)
            ``(branch name, H_c)`` in sweep order.

        Raises
        ------
        TypeError
            A non-real ``h_tol``.
        ValueError
            An ``h_tol`` that is not positive or below the float resolution.

        Examples
        --------
        >>> from isingsc import FSFStack
        >>> loop = hysteresis_loop(FSFStack.single(1.0, 1.0), H_max=3.0, n_steps=60)
        >>> [(name, round(h, 6)) for name, h in loop.coercive_fields()]
        [('descending', -2.0), ('ascending', 2.0)]
        """
        from scipy.optimize import brentq

        h_tol = check_tolerance(h_tol, "h_tol", 1.0)
        st, ang = self.stack, self.field_angle
        cv, sv = math.cos(ang), math.sin(ang)
        H_scale = max(float(np.max(np.abs(b.H))) for b in self.branches)
        tols = _tolerances(st, H_scale)
        out = []
        for ib, b in enumerate(self.branches):
            mpar = b.M_z * cv + b.M_x * sv
            events = [e for e in self.switching_fields if e.branch_index == ib]
            for k in np.nonzero(np.sign(mpar[:-1]) * np.sign(mpar[1:]) < 0)[0]:
                lo, hi = b.H[k], b.H[k + 1]
                jump = [e for e in events if min(lo, hi) <= e.H <= max(lo, hi)
                        and np.sign(_mpar(st, e.theta_before, cv, sv)) != np.sign(_mpar(st, e.theta_after, cv, sv))]
                if jump:
                    out.append((b.name, jump[0].H))
                    continue
                t0 = (b.theta1[k], b.theta2[k])

                def m_of(Hf, t0=t0):
                    r = _relax_core(st, t0[0], t0[1], Hf, ang, tols)
                    return _mpar(st, r[:2], cv, sv)

                out.append((b.name, float(brentq(m_of, lo, hi, xtol=h_tol * H_scale))))
        return out


def _state(state):
    """A state ``(theta1, theta2)``: two finite real angles (rad) as floats."""
    return check_sequence(state, "state", length=2, item=lambda x, name: check_real(x, name, unit="rad"))


def _field(H, name):
    return check_real(H, name)


def _mpar(stack, theta, cv, sv):
    mz, mx = stack.magnetization(theta[0], theta[1])
    return float(mz * cv + mx * sv)


def _angle_change(a, b):
    return (abs(float(wrap_angle(b[0] - a[0]))), abs(float(wrap_angle(b[1] - a[1]))))


def _field_branches(H_max, n_steps, field_path):
    """Validate/construct the list of monotonic field arrays."""
    if field_path is None:
        if H_max is None:
            raise ValueError("give H_max (> 0) or an explicit field_path")
        H_max = check_real(H_max, "H_max", positive=True)
        n_steps = check_int(n_steps, "n_steps", minimum=1, maximum=10**6)
        down = np.linspace(H_max, -H_max, n_steps + 1)
        return [down, -down]
    if isinstance(field_path, np.ndarray) and field_path.ndim == 1:
        field_path = [field_path]
    if isinstance(field_path, (str, bytes)) or not hasattr(field_path, "__iter__"):
        raise TypeError(f"field_path must be a 1D array or a sequence of 1D arrays, got {type(field_path).__name__}")
    branches = []
    for i, arr in enumerate(field_path):
        arr = check_array(arr, f"field_path branch {i}", allow_empty=True)
        if arr.ndim != 1 or arr.size < 2:
            raise ValueError(f"field_path branch {i} must be a 1D array of >= 2 fields, got shape {arr.shape}")
        d = np.diff(arr)
        if not (np.all(d < 0) or np.all(d > 0)):
            raise ValueError(
                f"field_path branch {i} is not strictly monotonic; split the path into branches "
                "that each only decrease or only increase"
            )
        branches.append(arr)
    if not branches:
        raise ValueError("field_path is empty")
    return branches


# ------------------------------------------------------------------ follower
@dataclass(frozen=True)
class MinimumFollower:
    """Follows the local minimum of a stack in a field at a fixed angle.

    Immutable; every method is a pure function of its arguments (a state is a
    pair of angles ``(theta1, theta2)`` in rad, fields are in the units of
    ``H``).

    Parameters
    ----------
    stack : FSFStack
        The stack.
    field_angle : float, optional
        Angle of the field from ``z`` (rad).
    h_resolution : float, optional
        Absolute resolution of the switching fields (units of ``H``), at least a
        few float steps of ``H_scale`` (else ValueError: the bisection could not reach it).
    H_scale : float, optional
        Largest field of the path (> 0); sets the tolerances of the relaxation.
    max_iter : int, optional
        Newton steps per relaxation (1 ... 10^6).

    Examples
    --------
    One macrospin (``K = Ms = 1``): the out-of-plane state along ``+z`` switches at ``H = -2K/Ms``.

    >>> from isingsc import FSFStack
    >>> f = MinimumFollower(FSFStack.single(1.0, 1.0), h_resolution=1e-9, H_scale=3.0)
    >>> f.leaves((0.0, 0.0), -1.9), f.leaves((0.0, 0.0), -2.1)
    (False, True)
    >>> lo, hi = f.bisect_switching_field((0.0, 0.0), -1.9, -2.1)
    >>> round(0.5 * (lo + hi), 6)
    -2.0
    >>> state, events, unconverged = f.advance((0.0, 0.0), -1.9, -2.1)
    >>> len(events), round(abs(state[0]) / math.pi, 6)
    (1, 1.0)
    """

    stack: FSFStack
    field_angle: float = 0.0
    h_resolution: float = 1e-6
    H_scale: float = 1.0
    max_iter: int = 500
    _tols: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        check_instance(self.stack, "stack", FSFStack)
        object.__setattr__(self, "field_angle", check_real(self.field_angle, "field_angle", unit="rad"))
        object.__setattr__(self, "H_scale", check_real(self.H_scale, "H_scale", positive=True))
        object.__setattr__(self, "h_resolution", check_tolerance(self.h_resolution, "h_resolution", self.H_scale,
                                                                 scale_name="H_scale"))
        object.__setattr__(self, "max_iter", check_int(self.max_iter, "max_iter", minimum=1, maximum=10**6))
        object.__setattr__(self, "_tols", _tolerances(self.stack, self.H_scale))

    def relax_to(self, state, H, *, stop_on_exit=False):
        """Relax ``state`` at field ``H``.

        Parameters
        ----------
        state : (float, float)
            Starting angles ``(theta1, theta2)`` (rad).
        H : float
            Field.
        stop_on_exit : bool, optional
            Stop as soon as the convex well of the starting minimum is left.

        Returns
        -------
        (tuple, bool, bool)
            The relaxed state, whether the relaxation left the convex well of
            the starting minimum, and whether it converged to a local minimum.
            With ``stop_on_exit`` it stops as soon as the well is left.

        Raises
        ------
        TypeError
            A state that is not two real angles, or non-real fields, or a non-boolean ``stop_on_exit``.
        ValueError
            Non-finite angles or fields.

        Examples
        --------
        >>> from isingsc import FSFStack
        >>> f = MinimumFollower(FSFStack.single(1.0, 1.0))
        >>> state, left, converged = f.relax_to((0.3, 0.0), 0.5)
        >>> [round(x, 9) + 0.0 for x in state], left, converged
        ([0.0, 0.0], False, True)
        """
        return self._relax_to(_state(state), _field(H, "H"), check_flag(stop_on_exit, "stop_on_exit"))

    def _relax_to(self, state, H, stop_on_exit=False):
        """Unchecked :meth:`relax_to` (the follower's inner loop)."""
        r = _relax_core(self.stack, state[0], state[1], H, self.field_angle, self._tols,
                        max_iter=self.max_iter, stop_on_exit=stop_on_exit)
        return (r[0], r[1]), r[5], r[3]

    def leaves(self, state, H):
        """Whether relaxing ``state`` at field ``H`` leaves the convex well of its minimum.

        Parameters
        ----------
        state : (float, float)
            Angles ``(theta1, theta2)`` (rad) of a minimum at a nearby field.
        H : float
            Field.

        Returns
        -------
        bool
            True if the Hessian loses positive definiteness on the way (the minimum is gone).

        Raises
        ------
        TypeError
            A state that is not two real angles, or non-real fields.
        ValueError
            Non-finite angles or fields.

        Examples
        --------
        >>> from isingsc import FSFStack
        >>> f = MinimumFollower(FSFStack.single(1.0, 1.0))
        >>> f.leaves((0.0, 0.0), -1.9), f.leaves((0.0, 0.0), -2.1)       # switching at -2K/Ms
        (False, True)
        """
        return self._relax_to(_state(state), _field(H, "H"), True)[1]

    def bisect_switching_field(self, state, kept, left, halvings=None):
        """Shrink the bracket ``[kept, left]`` around the first field where ``state`` leaves its well.

        ``state`` keeps its well at ``kept`` and leaves it at ``left``.  Halve
        until the bracket is narrower than ``h_resolution`` (or, with
        ``halvings``, that many times); stop earlier if the midpoint is no
        longer a new float (the bracket is one float step wide).

        Parameters
        ----------
        state : (float, float)
            Angles (rad) of the occupied minimum.
        kept, left : float
            Fields where the well is kept and where it is left.
        halvings : int, optional
            Halve exactly this many times instead of down to ``h_resolution``.

        Returns
        -------
        (float, float)
            The shrunk ``(kept, left)``.

        Raises
        ------
        TypeError
            A state that is not two real angles, non-real fields or a non-integer ``halvings``.
        ValueError
            Non-finite angles or fields, or ``halvings`` outside 0 ... 2000.

        Examples
        --------
        >>> from isingsc import FSFStack
        >>> f = MinimumFollower(FSFStack.single(1.0, 1.0), h_resolution=1e-6, H_scale=3.0)
        >>> kept, left = f.bisect_switching_field((0.0, 0.0), -1.0, -3.0)
        >>> round(kept, 5), round(left, 5), abs(left - kept) <= 1e-6
        (-2.0, -2.0, True)
        """
        state = _state(state)
        kept, left = _field(kept, "kept"), _field(left, "left")
        if halvings is not None:
            halvings = check_int(halvings, "halvings", minimum=0, maximum=2000)
        n = 0
        while (abs(left - kept) > self.h_resolution) if halvings is None else (n < halvings):
            mid = 0.5 * (kept + left)
            if mid == kept or mid == left:  # one float step: nothing left to resolve
                break
            if self._relax_to(state, mid, True)[1]:
                left = mid
            else:
                kept = mid
            n += 1
        return kept, left

    def classify(self, state, kept, left):
        """Tell a jump from a continuous bifurcation across a resolved bracket.

        A jump stays finite when the bracket is made ``2**JUMP_TEST_HALVINGS``
        (1024) times smaller; across a continuous (pitchfork) transition the
        change of the minimum shrinks like the square root of the bracket or
        faster.

        Parameters
        ----------
        state : (float, float)
            Angles (rad) of the occupied minimum.
        kept, left : float
            A bracket from :meth:`bisect_switching_field`.

        Returns
        -------
        (float, float, tuple, tuple, bool)
            The final bracket ``(kept, left)``, the relaxed states at its ends and
            whether it is a jump.

        Raises
        ------
        TypeError
            A state that is not two real angles, or non-real fields.
        ValueError
            Non-finite angles or fields.

        Examples
        --------
        >>> from isingsc import FSFStack
        >>> f = MinimumFollower(FSFStack.single(1.0, 1.0), h_resolution=1e-9, H_scale=3.0)
        >>> kept, left, before, after, jump = f.classify((0.0, 0.0), *f.bisect_switching_field((0.0, 0.0), -1.9, -2.1))
        >>> jump, round(abs(after[0]) / math.pi, 6)                  # the macrospin flips: a jump
        (True, 1.0)
        """
        state = _state(state)
        kept, left = _field(kept, "kept"), _field(left, "left")
        d1 = max(_angle_change(self._relax_to(state, kept)[0], self._relax_to(state, left)[0]))
        kept, left = self.bisect_switching_field(state, kept, left, halvings=JUMP_TEST_HALVINGS)
        before, after = self._relax_to(state, kept)[0], self._relax_to(state, left)[0]
        big = max(_angle_change(before, after))
        return kept, left, before, after, bool(big > 0.25 * d1 and big > 1e-9)

    def advance(self, state, H_from, H_to, branch="", branch_index=0):
        """Follow the minimum occupied by ``state`` (at ``H_from``) to ``H_to``.

        Where the occupied minimum disappears the switching field is bisected
        and classified: a jump is recorded and the new minimum is followed from
        the far end of the bracket; past a continuous bifurcation the new
        minimum, which moves like ``sqrt|H - H_c|``, is followed with
        geometrically growing sub-steps.

        Parameters
        ----------
        state : (float, float)
            Angles (rad) of the minimum occupied at ``H_from``.
        H_from, H_to : float
            Fields of the step.
        branch : str, optional
            Name written into the recorded :class:`SwitchingEvent` s.
        branch_index : int, optional
            Index written into them.

        Returns
        -------
        (tuple, tuple of SwitchingEvent, tuple of float)
            The state at ``H_to``, the jumps on the way (labelled ``branch``,
            ``branch_index``) and the fields at which a relaxation did not converge.

        Raises
        ------
        TypeError
            A state that is not two real angles, non-real fields, a non-string ``branch`` or a
            non-integer ``branch_index``.
        ValueError
            Non-finite angles or fields, or a negative ``branch_index``.
        ConvergenceError
            If more than :data:`MAX_SEGMENTS` switching brackets are needed in one step.

        Examples
        --------
        >>> from isingsc import FSFStack
        >>> f = MinimumFollower(FSFStack.single(1.0, 1.0), h_resolution=1e-9, H_scale=3.0)
        >>> state, events, unconverged = f.advance((0.0, 0.0), -1.5, -2.5, "descending")
        >>> [(e.branch, round(e.H, 6)) for e in events], unconverged
        ([('descending', -2.0)], ())
        """
        state = _state(state)
        H_from, H_to = _field(H_from, "H_from"), _field(H_to, "H_to")
        if not isinstance(branch, str):
            raise TypeError(f"branch must be a str (a name for the recorded events), got {branch!r}")
        branch_index = check_int(branch_index, "branch_index", minimum=0, maximum=10**6)
        return self._advance(state, H_from, H_to, branch, branch_index)

    def _advance(self, state, H_from, H_to, branch, branch_index):
        """:meth:`advance` for arguments already checked (the loop's own states and fields, at every step)."""
        events, unconverged = [], []
        targets = [float(H_to)]  # a stack: the last entry is the next field to reach
        H_cur = float(H_from)
        n_segments = 0
        while targets:
            target = targets[-1]
            new, left, converged = self._relax_to(state, target)
            if not left:
                if not converged:
                    unconverged.append(target)
                state, H_cur = new, target
                targets.pop()
                continue
            n_segments += 1
            if n_segments > MAX_SEGMENTS:
                raise ConvergenceError(
                    f"could not resolve the transitions between H = {H_from!r} and {H_to!r} "
                    f"({MAX_SEGMENTS} switching brackets); refine the field path")
            kept, gone = self.bisect_switching_field(state, H_cur, target)
            kept, gone, before, after, jump = self.classify(state, kept, gone)
            if jump:
                dth = _angle_change(before, after)
                big = max(dth)
                events.append(SwitchingEvent(
                    branch, 0.5 * (kept + gone), tuple(i + 1 for i in range(2) if dth[i] >= 0.5 * big), branch_index,
                    tuple(float(x) for x in wrap_angle(before)), tuple(float(x) for x in wrap_angle(after)),
                ))
            else:
                # continuous bifurcation: sub-targets gone + (target - gone) 2^-m, m = n_sub .. 1, nearest first
                ratio = abs(target - gone) / max(abs(gone - kept), 1e-300)
                n_sub = max(0, math.ceil(math.log2(max(ratio, 1.0))))
                targets.extend(gone + (target - gone) * 2.0**-m for m in range(1, n_sub + 1))
            state, H_cur = after, gone
        return state, tuple(events), tuple(unconverged)


# ------------------------------------------------------------------ the loop
@persistent
def hysteresis_loop(stack, H_max=None, n_steps=400, field_angle=0.0, *, field_path=None,
                    theta0=None, h_tol=1e-6, max_iter=500):
    """Stoner-Wohlfarth hysteresis loop of an :class:`~isingsc.magnetism.FSFStack` (equations 12-15 of the paper).

    The field is swept from ``+H_max`` to ``-H_max`` (descending branch) and
    back (ascending branch).  At every field the angles relax (:func:`~isingsc.magnetism.relax`)
    to the local minimum reached from the previous state, so the loop is
    history dependent.  A switching event is a field step in which the
    relaxation has to leave the convex well of the occupied minimum (its
    Hessian loses positive definiteness on the way).  Each event is resolved
    by bisection in ``H`` -- re-relaxing from the pre-jump state -- down to
    ``h_tol * max|H|`` and confirmed as a discontinuity: the change of the
    angles across the bracket must not shrink when the bracket is made 1024
    times smaller.  Continuous bifurcations (the pitchfork of a hard-axis
    field, or the canting of magnets whose out-of-plane state becomes
    unstable in the in-plane regime) are not reported; past them the new
    minimum, which moves like ``sqrt|H - H_c|``, is followed with
    geometrically growing sub-steps.  At exact saddles the symmetry is broken
    by the rule of :func:`~isingsc.magnetism.relax`.

    Parameters
    ----------
    stack : FSFStack
        The stack.
    H_max : float, optional
        Sweep amplitude (> 0); ignored if ``field_path`` is given.
    n_steps : int, optional
        Field steps per branch (each branch has ``n_steps + 1`` fields).
    field_angle : float, optional
        Angle of the field from the easy axis ``z`` towards ``+x`` (rad).
    field_path : array_like or sequence of array_like, optional
        Explicit fields, one strictly monotonic 1D array per branch (a single
        1D array is one branch).  The state is carried over between branches
        and relaxed at the first field of each; let consecutive branches
        share their end field (as the default path does), since jumps across
        a gap between branches are not resolved.
    theta0 : (float, float), optional
        Initial angles; default: both magnets along the first field's
        direction (``field_angle``, or ``field_angle + pi`` if it is negative).
    h_tol : float, optional
        Relative resolution of the switching fields (in units of ``max|H|``).
    max_iter : int, optional
        Newton steps per relaxation.

    Returns
    -------
    HysteresisLoop

    Raises
    ------
    TypeError
        For a stack that is not an :class:`~isingsc.magnetism.FSFStack` or non-numeric fields.
    ValueError
        For a non-finite or non-monotonic field path, ``H_max <= 0``, an
        ``h_tol`` below the float resolution or above 0.1, etc.
    ConvergenceError
        If a field step cannot be resolved (see :meth:`MinimumFollower.advance`).

    Examples
    --------
    Two identical magnets with the paper's coupling (Eq. 13) switch together at
    ``H Ms = -2 (K - chi_s J^2)``:

    >>> from isingsc import FSFStack, IsingQuadraticCoupling
    >>> stack = FSFStack(1.5, 1.5, 1.0, 1.0, J=1.0, coupling=IsingQuadraticCoupling(1.0))
    >>> loop = hysteresis_loop(stack, H_max=3.0, n_steps=60)
    >>> [(e.branch, e.magnets, round(e.H, 5)) for e in loop.switching_fields]
    [('descending', (1, 2), -1.0), ('ascending', (1, 2), 1.0)]
    """
    stack = check_instance(stack, "stack", FSFStack)
    ang = check_real(field_angle, "field_angle", unit="rad")
    paths = _field_branches(H_max, n_steps, field_path)
    h_tol = check_tolerance(h_tol, "h_tol", 1.0)
    if h_tol >= 0.1:
        raise ValueError(f"h_tol must be < 0.1 (units of max|H|), got {h_tol!r}")
    H_scale = max(float(np.max(np.abs(p))) for p in paths) or 1.0
    follower = MinimumFollower(stack, ang, h_tol * H_scale, H_scale, max_iter)

    if theta0 is None:
        t = ang if paths[0][0] >= 0.0 else ang + math.pi
        state = (t, t)
    else:
        th0 = check_array(theta0, "theta0", unit="rad")
        if th0.shape != (2,):
            raise ValueError(f"theta0 must be two angles (rad), got shape {th0.shape}")
        state = (float(th0[0]), float(th0[1]))

    unconverged, events, branches = [], [], []
    for ib, path in enumerate(paths):
        name = "descending" if path[-1] < path[0] else "ascending"
        th = np.empty((path.size, 2))
        state, _, converged = follower.relax_to(state, float(path[0]))
        if not converged:
            unconverged.append(float(path[0]))
        th[0] = state
        for k in range(1, path.size):
            state, ev, unc = follower._advance(state, float(path[k - 1]), float(path[k]), name, ib)
            events.extend(ev)
            unconverged.extend(unc)
            th[k] = state
        th = wrap_angle(th)
        mz, mx = stack.magnetization(th[:, 0], th[:, 1])
        branches.append(HysteresisBranch(
            name, path.copy(), th[:, 0].copy(), th[:, 1].copy(), mz, mx,
            tuple(e.H for e in events if e.branch_index == ib),
        ))
    if unconverged:
        warnings.warn(
            f"{len(unconverged)} relaxations did not end in a local minimum (max_iter={follower.max_iter}, "
            f"first at H = {unconverged[0]!r}); increase max_iter or refine the field path",
            RuntimeWarning, stacklevel=2,
        )
    return HysteresisLoop(stack, ang, tuple(branches), tuple(events))
