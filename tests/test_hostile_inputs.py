"""Every public entry point called with hostile values: the input contract as a property (issue 22).

For every public function, method, class constructor and property of :mod:`isingsc` (the names of
``tests/public_api.py``), hypothesis picks a parameter and a hostile value for its kind -- a wrong type,
NaN, an infinity, a huge or tiny number, zero, a negative number, an empty or ragged list, a huge
size, an unknown choice, an executor that drops or falsifies results -- and calls the entry point with
otherwise valid arguments (the valid calls and the hostile values are those of the fuzz harness,
``benchmarks/fuzz_public_api.py``, which runs the whole grid).  The contract:

* a :class:`TypeError` or :class:`ValueError` that names the parameter, or one of the library's own
  errors (:class:`~isingsc.errors.ConvergenceError`, :class:`~isingsc.errors.ExecutorError`);
* never an exception raised inside NumPy or SciPy (the innermost frame of the traceback), never a
  builtin error of another type (AttributeError, IndexError, OverflowError, ZeroDivisionError, ...);
* or a result without NaN or infinities, except where NaN is a documented value (``nan`` = "no T*
  in the scan", NaN separators of plot polylines: ``fuzz_public_api.NAN_DOCUMENTED``);
* within a time limit (a hang fails the test instead of stalling the suite).

Fast enough for CI: a few hostile values per entry point (``max_examples``), derandomised (the same
values in every run), no example database.
"""
from __future__ import annotations

import inspect
import math
import signal
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import fuzz_public_api as fuzz  # noqa: E402
import public_api  # noqa: E402

#: seconds one call may take before it counts as a hang (the slowest legitimate hostile call takes < 2 s)
TIME_LIMIT = 20

#: (entry, parameter, hostile label) that select a legitimate, minutes-long default (the fuzz harness runs them)
SLOW_DEFAULTS = {("report.claims_by_key", "claims", "None"): "the default is the whole reproduction report"}

#: also draw the extreme but possibly legitimate values (huge, tiny, zero, negative), which compute: slower
EXTREMES = False

HOSTILE = settings(max_examples=3, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))


def _entries():
    out = {}
    for p in public_api.entry_points():
        out.setdefault(fuzz.short_name(p), p)
    return out


ENTRIES = _entries()


class Hang(Exception):
    """A call that did not return within TIME_LIMIT."""


def _alarm(signum, frame):
    raise Hang(f"no answer within {TIME_LIMIT} s")


def _call_with_limit(call, kwargs):
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return call(**kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def factories():
    return fuzz._setup()["F"]


def _hostile_params(entry, F):
    """``(call, kwargs, [(parameter, kind, default), ...])`` of an entry point's valid call."""
    call, kwargs = fuzz.valid_call(entry, F)
    params = []
    for name, par in inspect.signature(call).parameters.items():
        if par.kind in (par.VAR_POSITIONAL, par.VAR_KEYWORD) or (entry, name) in fuzz.SKIP:
            continue
        valid = kwargs.get(name, None if par.default is par.empty else par.default)
        default = 0 if name in kwargs else (None if par.default is par.empty else par.default)
        params.append((name, fuzz.kind_of(name, valid), default))
    return call, kwargs, params


def check_contract(entry, param, label, thunk):
    """Run ``thunk``; fail unless it returns finite numbers or raises as the contract says."""
    try:
        out = thunk()
    except Hang as exc:
        pytest.fail(f"{entry}({param}={label}): hang, {exc}")
    except Exception as exc:  # noqa: BLE001 - the contract is what is checked here
        where = fuzz._innermost(exc)
        assert not fuzz._deep(exc), f"{entry}({param}={label}): {type(exc).__name__} from inside NumPy/SciPy at {where}: {exc}"
        # TypeError/ValueError naming the parameter, the library's own errors (ConvergenceError,
        # ExecutorError naming the executor), an executor's own error passed on, FileNotFoundError for a path
        assert fuzz.classify_exception(exc, param) == "clear", \
            f"{entry}({param}={label}): {type(exc).__name__} at {where} (must be a TypeError or ValueError naming " \
            f"{param!r}, or one of the library's errors): {exc}"
        return
    assert not fuzz._nonfinite(out, allow_nan=entry in fuzz.NAN_DOCUMENTED), \
        f"{entry}({param}={label}) returned non-finite values: {str(out)[:200]}"


@pytest.mark.parametrize("entry", sorted(e for e, p in ENTRIES.items() if p.kind != "property"))
@HOSTILE
@given(data=st.data())
def test_hostile_values_meet_the_contract(factories, entry, data):
    try:
        call, kwargs, params = _hostile_params(entry, factories)
    except LookupError as exc:  # an entry point the harness cannot call validly: its fuzz table says why
        pytest.fail(f"{entry}: no valid call in the fuzz harness ({exc})")
    if not params:
        check_contract(entry, None, "valid", lambda: _call_with_limit(call, kwargs))
        return
    param, kind, default = data.draw(st.sampled_from(params), label="parameter")
    labels = fuzz.HOSTILE[kind]
    if not EXTREMES:
        # values where an error is due: refused up front, so each call takes milliseconds
        labels = [lab for lab in labels if fuzz.error_due(lab, param, kind, entry, default)] or labels
    label = data.draw(st.sampled_from(labels), label="hostile value")
    if entry in fuzz.NO_VALID_CALL and not fuzz.error_due(label, param, kind, entry) or \
            (entry, param, label) in SLOW_DEFAULTS:
        return   # minutes-long with any value that is not refused up front (the chapters run them)
    hostile = dict(kwargs, **{param: fuzz.hostile_value(label)})
    check_contract(entry, param, label, lambda: _call_with_limit(call, hostile))


@pytest.mark.parametrize("entry", sorted(e for e, p in ENTRIES.items() if p.kind == "property"))
def test_properties_are_finite(factories, entry):
    owner, name = entry.rsplit(".", 1)
    instance = fuzz.INSTANCES[owner](factories)
    check_contract(entry, None, "valid", lambda: _call_with_limit(lambda: getattr(instance, name), {}))


def test_every_entry_point_is_covered():
    """The parametrisation above is the whole public API (a new name is tested without editing this file)."""
    names = {fuzz.short_name(p) for p in public_api.public_names()
             if p.kind in ("function", "method", "class", "property")}
    assert names == set(ENTRIES) and len(names) > 300
