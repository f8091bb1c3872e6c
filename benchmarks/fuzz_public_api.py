"""Hostile-input fuzz of every public entry point of :mod:`isingsc` (issue 22).

Every public function, method and class constructor (the names of ``tests/public_api.py``) is called
once with valid arguments and then, one parameter at a time, with hostile values of the parameter's
kind: wrong types, NaN, +-inf, huge, tiny, zero, negative, empty, huge sizes.  Each call runs in a
worker process under a time limit (a call that does not return is a *hang*; its worker is replaced).
Each outcome is classified:

``clear``       TypeError/ValueError naming the parameter (FileNotFoundError for a missing ``path``),
                isingsc.ConvergenceError, isingsc.ExecutorError
                naming the executor, or the error a (fake) executor raised itself, passed on unchanged
``bare``        an exception without the parameter's name, or a builtin error of another type
                (AttributeError, IndexError, KeyError, OverflowError, ZeroDivisionError, ...)
``deep``        an exception raised inside NumPy/SciPy (innermost frame there, or a NumPy/SciPy
                exception type, FloatingPointError included: a result that depends on np.seterr)
``nonfinite``   a NaN or inf in the returned value (scalars, arrays, fields of result objects), except the
                documented NaNs of ``NAN_DOCUMENTED`` ("no T*", separators of plot polylines)
``accepted``    a finite result where an error was due (wrong type, NaN/inf, a negative value of a
                non-negative quantity, an unknown choice, a size beyond any sensible maximum)
``hang``        no answer within the time limit
``wrong``       a wrong number: probes against known answers (limits, continuity, oracles)
``mutable``     state that can be corrupted from outside: writable arrays inside immutable result
                objects, mutable module-level containers
``ok``          a valid call that returned finite numbers, or a hostile value that is legitimately
                accepted

Valid calls are made twice, once more under ``np.errstate(all="raise")``: a FloatingPointError there
(an underflow or overflow that NumPy would only warn about) is ``deep`` too.

Run it (not part of the test suite; a few minutes on two cores)::

    .venv/bin/python benchmarks/fuzz_public_api.py [--workers 2] [--timeout 20] [--json out.json]
        [--only SUBSTRING]

It prints the count table by class and the non-``ok`` findings.
"""
from __future__ import annotations

import argparse
import collections
import json
import math
import multiprocessing as mp
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

CLASSES = ("clear", "bare", "deep", "nonfinite", "accepted", "hang", "wrong", "mutable", "ok")

# --------------------------------------------------------------------------- hostile values
#: hostile values by the kind of a parameter (the kind is read off its valid value)
HOSTILE = {
    "real": ("str", "None", "complex", "bool", "nan", "inf", "-inf", "huge", "-huge", "tiny", "zero",
             "negative", "empty_list"),
    "int": ("str", "None", "fraction", "bool", "nan", "inf", "zero", "negative", "huge_int", "enormous_int"),
    "array": ("str", "None", "complex_array", "nan_array", "inf_array", "empty_list", "ragged", "huge_array",
              "negative_array"),
    "str": ("float", "None", "banana", "empty_str"),
    "bool": ("str", "None", "nan"),
    "tuple": ("str", "None", "nan_tuple", "empty_tuple", "huge_tuple"),
    "callable": ("str", "None", "nan_func"),
    "object": ("str", "None", "float", "object"),
    "executor": ("str", "object", "short_map", "nan_map"),
}

#: hostile values for which an error is always due (whatever the parameter)
ALWAYS_DUE = {"str", "None", "complex", "bool", "nan", "inf", "-inf", "empty_list", "fraction", "enormous_int",
              "huge_int", "complex_array", "nan_array", "inf_array", "ragged", "float", "nan_tuple", "object",
              "short_map", "nan_map"}

#: parameters whose values must be >= 0 (a negative one is unphysical)
NONNEG = {"T", "J", "delta", "delta0", "tc0", "tc", "rate", "n0", "j_bar", "chi_par", "chi_perp", "chi_P",
          "chi_n", "chi_s", "chi_n_soc", "chi_n_perp", "Ms", "Ms1", "Ms2", "area", "time", "attempt_frequency",
          "lambda_soc", "lambda_over_delta0", "temperatures", "t", "T_over_Tc0", "J_over_HP", "j_over_hp",
          "k1_over_k2", "ms1_over_ms2", "ms2", "t_max", "t_tol", "h_tol", "xtol", "dtol", "fd_step", "step",
          "rel_step", "h", "scale", "max_panel", "edge_scale", "h_resolution", "H_scale", "splitting",
          "weights", "J_abs", "H_max", "angle_tol", "lambdas", "ratios", "lam",
          "alpha_over_lambda", "radius", "threshold", "chi_ratio0", "workers", "halvings"}

#: string parameters that take one of a fixed set of values (by name, or by entry and name)
CHOICES = {"spin", "state", "coupling_form", "direction", "method", "source", "status", "bound", "kind", "band",
           "dash", "mode", "alignment", "alignment_low", "alignment_high", "below", "above"}
CHOICE_ENTRIES = {("explorers.get_explorer", "name"), ("hysteresis.HysteresisLoop.branch", "name")}

#: the kind of parameters whose default (None) does not tell it
KINDS = {"edge_scale": "real", "H_max": "real", "resolution": "object", "theta0": "tuple", "field_path": "array",
         "scan": "array", "halvings": "int", "frames": "object", "summary": "object", "lam": "real", "delta": "real", "delta0": "real",
         "bulk_anisotropy": "real", "customdata": "str", "fill": "str"}

#: (module, parameter) pairs where a negative value is meaningful (a signed field, a splitting whose sign
#: is a convention)
SIGNED = {("bdg", "J"), ("formulas", "splitting"), ("formulas", "lambda0"), ("formulas", "splittings")}


#: entry points whose results hold NaN by documented convention (never an infinity), with the convention
NAN_DOCUMENTED = {
    "tstar.TStarResult.t_star": "nan: the alignment never changes in the scan",
    "tstar.TStarResult.t_star_tc0": "nan: the alignment never changes in the scan",
    "tstar.TStarResult.t_star_last": "nan: the alignment never changes in the scan",
    "tstar.TStarResult.t_star_last_tc0": "nan: the alignment never changes in the scan",
    "tstar.stability_temperature": "nan: the same stability at both ends of the bracket",
    "tstar.TStarMap": "t_star nan where there is no T*",
    "tstar.TStarMap.t_star_tc0": "nan where there is no T*",
    "tstar.t_star_map": "t_star nan where there is no T*",
    "maps.StackMap": "t_star, t_star_last nan where there is no T*",
    "maps.StackMap.t_star_tc0": "nan where there is no T*",
    "maps.stack_map": "t_star, t_star_last nan where there is no T*",
    "explorers.bands_and_fermi_surface": "NaN separators between the polylines of the Fermi lines (plotly)",
    "explorers.zero_field_alignment": "NaN separators between the arrow segments of the sketch (plotly)",
}

#: entry points whose valid call raises by design (the documented refusal), with the reason
VALID_CALL_REFUSES = {
    "magnetism.TabulatedCoupling.to_dict": "an arbitrary function cannot be saved (documented TypeError)",
}


#: (entry, parameter): hostile labels that are legitimate values there, with the reason
LEGITIMATE = {
    ("glue.glue", "value"): ({"str", "None", "complex", "bool", "empty_list"},
                             "glue shows any value in the prose: text, None, lists (NaN and inf are refused)"),
}


class _ShortMap:
    """An executor whose ``map`` drops the last result."""

    called = False

    def map(self, fn, *iterables):
        type(self).called = True
        out = list(map(fn, *iterables))
        return iter(out[:-1])

    def submit(self, fn, *args, **kwargs):  # pragma: no cover - not used by the library
        raise RuntimeError("submit")


class _NanMap:
    """An executor whose ``map`` returns NaN for everything."""

    called = False

    def map(self, fn, *iterables):
        type(self).called = True
        return iter([float("nan")] * len(list(zip(*iterables))))


def hostile_value(label):
    import numpy as np

    table = {
        "str": "x", "None": None, "complex": 1 + 1j, "bool": True, "nan": math.nan, "inf": math.inf,
        "-inf": -math.inf, "huge": 1e300, "-huge": -1e300, "tiny": 1e-300, "zero": 0.0, "negative": -1.0,
        "empty_list": [], "fraction": 2.5, "huge_int": 10**9, "enormous_int": 10**18,
        "complex_array": [1j, 2.0], "nan_array": [0.1, math.nan], "inf_array": [0.1, math.inf],
        "ragged": [[1.0], [1.0, 2.0]], "huge_array": [1e300], "negative_array": [-1.0, -0.5],
        "float": 1.5, "banana": "banana", "empty_str": "", "nan_tuple": (math.nan, math.nan),
        "empty_tuple": (), "huge_tuple": (1e300, 1e300), "object": object(),
        "nan_func": lambda *a, **k: np.full(np.broadcast(*a).shape, np.nan) if a else np.nan,
        "short_map": _ShortMap(), "nan_map": _NanMap(),
    }
    if label == "zero_int":
        return 0
    return table[label]


def kind_of(name, value):
    import numpy as np

    if name == "executor":
        return "executor"
    if value is None and name in KINDS:
        return KINDS[name]
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "real"
    if isinstance(value, str):
        return "str"
    if isinstance(value, np.ndarray) or (isinstance(value, list) and value and
                                         all(isinstance(v, (int, float)) for v in value)):
        return "array"
    if isinstance(value, tuple) and value and all(isinstance(v, (int, float)) for v in value):
        return "tuple"
    if callable(value) and not isinstance(value, type) and getattr(value, "__name__", "") == "<lambda>":
        return "callable"
    return "object"


def error_due(label, name, kind, entry="", default=0):
    if label == "None" and default is None:
        return False  # the parameter's own default
    if label in ALWAYS_DUE:
        if label == "None" and kind == "object":
            return False  # None is a valid "absent" for most optional objects
        if label == "empty_list" and kind == "array":
            return False  # an empty array can be a valid input (an empty result)
        return True
    if label in ("negative", "-huge", "negative_array") and name in NONNEG and \
            (entry.split(".")[0], name) not in SIGNED:
        return True
    if label in ("banana", "empty_str") and (name in CHOICES or (entry, name) in CHOICE_ENTRIES):
        return True
    return False


# --------------------------------------------------------------------------- valid arguments
def _factories():
    """Cheap valid objects, built once per worker."""
    import numpy as np

    import isingsc
    from isingsc import magnetism

    cache = {}

    def once(key, make):
        if key not in cache:
            cache[key] = make()
        return cache[key]

    def sc():
        return once("sc", lambda: isingsc.ising_superconductor(150.0))

    def resp():
        return once("resp", lambda: isingsc.superconductor_response(sc()))

    def stack():
        return once("stack", lambda: magnetism.FSFStack(1.0, 0.8, 1.12, 1.0, J=1.0,
                                                         coupling=magnetism.IsingQuadraticCoupling(0.5, 0.1)))

    def table():
        return once("table", lambda: isingsc.microscopic_table(sc(), 0.3 * sc().tc0, 0.3 * sc().delta0,
                                                               n_magnitudes=4, n_angles=2))

    def explorer():
        def make():
            from importlib import import_module
            ex = _module("explorers").get_explorer("chi")
            first = {s.name: (s.values[0],) for s in ex.sliders}
            return ex.with_grid(**first)
        return once("explorer", make)

    def saved():
        def make():
            import tempfile
            path = Path(tempfile.mkdtemp(prefix="isingsc-fuzz-")) / "chi.npz"
            return resp().save(path)
        return once("saved", make)

    def figure():
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots()
        ax.plot([0.0, 1.0], [1.0, 0.0])
        ax.set_xlabel("T (meV)")
        ax.set_ylabel("chi (1/meV)")
        return fig

    def smap():
        return once("smap", lambda: isingsc.stack_map(sc(), {"K1": [6e-8, 2e-7]}, K2=1e-7, J=0.01, n_scan=5))

    def axes():
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        plt.close("all")
        return plt.figure().add_subplot()

    return dict(sc=sc, resp=resp, stack=stack, table=table, explorer=explorer, axes=axes, np=np,
                isingsc=isingsc, saved=saved, figure=figure, smap=smap)


def _module(short):
    """The public module whose last name component is ``short`` (wherever the package keeps it)."""
    import public_api

    for m in public_api.public_modules():
        if m.__name__.rsplit(".", 1)[-1] == short:
            return m
    raise LookupError(short)


def valid_values(F):
    """Valid values by parameter name (meV, rad, 1/a; cheap)."""
    import numpy as np

    isingsc = F["isingsc"]
    return {
        "T": 0.1, "J": 0.2, "theta": 0.7, "phi": 0.0, "delta": 0.3, "delta0": isingsc.DELTA0_PAPER, "sc": F["sc"],
        "model": isingsc.NbSe2(), "stack": F["stack"], "a": np.array([-1.0, 0.5]), "b": np.array([1.0, 0.2]),
        "theta1": 0.3, "theta2": 0.2, "new1": 0.35, "new2": 0.25, "H": 0.1, "field_angle": 0.0,
        "kx": np.array([0.1, 1.0]), "ky": np.array([0.2, 0.0]), "K": 1.0, "K1": 1.0, "K2": 0.8,
        "chi_par": 0.5, "chi_perp": 0.1, "Ms": 1.0, "Ms1": 1.12, "Ms2": 1.0, "lambda_over_delta0": 150.0,
        "coupling_form": "complete", "epsilon": -44.5, "tc0": 0.264, "tc": 0.264, "lambda_soc": 60.0,
        "value": 60.0, "alpha_R": 5.0, "energies": np.array([-1.0, 0.0, 1.0]), "nk": 64, "spin": "up",
        "rate": 0.1, "area": 1.0, "k1": 1.05, "k1_over_k2": 1.12, "n0": 1.0, "j_bar": 0.5, "order": 2,
        "state": "out-of-plane", "E": np.array([-1.0, 0.5]), "explorer": F["explorer"], "ax": F["axes"],
        "chi_P": 2.0, "chi_n": 1.8, "chi_s": 1.0, "lambda0": 10.0, "splitting": 1.0,
        "splittings": np.array([1.0, 2.0]), "weights": np.array([0.5, 0.5]), "time": 100.0,
        "attempt_frequency": 1e9, "J_abs": np.array([0.0, 0.1]), "alpha": np.array([0.0, 0.5]),
        "temperatures": np.array([0.05, 0.1]), "K_over": 1.0, "executor": None, "T_over_Tc0": 0.3,
        "lambdas": np.array([150.0]), "epsilons": np.array([-44.5]), "ratios": np.array([0.0]),
        "alpha_over_lambda": 0.1, "n_trial": 21, "n_matsubara": 2000, "t_max": 1.2, "name": "chi",
        "indicator": 0.5, "chi_n_soc": 1.7, "chi_n_perp": 1.7, "points": ("Gamma", "K"), "n": 20,
        "factor": 2, "method": "gap", "xi": 0.0, "energy": 0.0, "k": np.array([[0.1, 0.2], [0.3, 0.1]]),
        "contour": np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]]), "center": (0.0, 0.0),
        "scale": 0.5, "levels": (0.0,), "n_phi": 8, "func": lambda Jx, Jz: -0.5 * (Jx**2 + 0.3 * Jz**2),
        "fd_step": 1e-6, "source": "monolayer", "lo": 0.1, "hi": 0.5, "t": np.array([0.0, 0.5]),
        "h": 1e-5, "eps": np.array([0.0, 0.1]), "bound": "clean", "workers": 1, "magnet": "CrBr3",
        "X": 0.3, "kept": 0.0, "left": 0.5, "H_from": 0.0, "H_to": 0.2,
        "tc_kelvin": 3.0, "B": 1.0, "fig": F["figure"], "path": F["saved"],
    }


def valid_call(qual, F):
    """``(callable, kwargs)`` of a valid call of the entry point ``qual`` (short name: module.Name[.member])."""
    import numpy as np

    isingsc = F["isingsc"]
    values = valid_values(F)
    mod, _, rest = qual.partition(".")
    module = _module(mod)
    parts = rest.split(".")
    target = getattr(module, parts[0])
    instance = None
    if len(parts) == 2:
        instance = INSTANCES.get(f"{mod}.{parts[0]}", lambda F: None)(F)
        if instance is None:
            raise LookupError(f"no instance for {mod}.{parts[0]}")
        target = getattr(instance, parts[1])
    overrides = OVERRIDES.get(qual, {})
    if callable(overrides):
        overrides = overrides(F)
    import inspect

    kwargs = {}
    overrides = dict(overrides)
    star = overrides.pop("*args", None)
    if star is not None:
        target = _with_args(target, star)
    try:
        sig = inspect.signature(target)
    except (TypeError, ValueError):
        return target, dict(overrides)
    for name, p in sig.parameters.items():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if name in overrides:
            kwargs[name] = overrides[name]
        elif p.default is p.empty:
            if name not in values:
                raise LookupError(f"{qual}: no valid value for {name}")
            v = values[name]
            kwargs[name] = v() if name in ("ax", "sc", "stack", "explorer", "fig", "path") and callable(v) else v
    accepts_any = any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values())
    for name, v in overrides.items():
        if name in sig.parameters or accepts_any:  # (an older library may name a parameter differently)
            kwargs.setdefault(name, v)
    return target, kwargs


def _with_args(func, args):
    """``func`` with its leading positional ``*args`` bound (for the keyword-only calls of the harness)."""
    import functools

    bound = functools.partial(func, *args)
    bound.__signature__ = __import__("inspect").signature(bound)
    return bound


def _instances():
    def sc(F):
        return F["sc"]()

    def explorers_mod():
        return _module("explorers")

    return {
        "model.TriangularTMD": lambda F: F["isingsc"].NbSe2(),
        "superconductor.IsingSuperconductor": sc,
        "superconductor.Resolution": lambda F: F["isingsc"].Resolution(),
        "quadrature.BZQuadrature": lambda F: F["isingsc"].uniform_quadrature(F["isingsc"].NbSe2(), 16),
        "magnetism.Coupling": lambda F: F["isingsc"].IsingQuadraticCoupling(0.5, 0.1),
        "magnetism.IsingQuadraticCoupling": lambda F: F["isingsc"].IsingQuadraticCoupling(0.5, 0.1),
        "magnetism.ConventionalCoupling": lambda F: F["isingsc"].ConventionalCoupling(1.0, 0.5),
        "magnetism.TabulatedCoupling": lambda F: F["isingsc"].TabulatedCoupling(
            lambda Jx, Jz: -0.5 * (Jx**2 + 0.3 * Jz**2)),
        "magnetism.FSFStack": lambda F: F["stack"](),
        "hysteresis.HysteresisLoop": lambda F: F["isingsc"].hysteresis_loop(F["stack"](), 3.0, 41),
        "hysteresis.MinimumFollower": lambda F: F["isingsc"].MinimumFollower(F["stack"]()),
        "microscopic.MicroscopicTable": lambda F: F["table"](),
        "microscopic.MicroscopicCoupling": lambda F: F["table"]().coupling(),
        "response.SuperconductorResponse": lambda F: F["resp"](),
        "materials.MonolayerFerromagnet": lambda F: _module("materials").MAGNETS["CrI3"],
        "paper.Fig4Parameters": lambda F: F["isingsc"].Fig4Parameters(),
        "spin_orbit_scattering.SOScatteringSusceptibility": lambda F: _module(
            "spin_orbit_scattering").ising_susceptibilities(F["sc"](), 0.1, 0.1),
        "explorers.Slider": lambda F: F["explorer"]().sliders[0],
        "explorers.Explorer": lambda F: F["explorer"](),
        "robustness.SusceptibilityParts": lambda F: _module("robustness").susceptibility_decomposition(sc(F), 0.1),
        "robustness.FillingPoint": lambda F: _module("robustness").filling_point(-44.5),
        "robustness.RashbaPoint": lambda F: _module("robustness").rashba_point(0.1),
        "robustness.AlignmentMap": lambda F: _module("robustness").alignment_map(sc(F), [0.1], [0.2]),
        "tstar.TStarResult": lambda F: F["isingsc"].find_t_star(sc(F), 0.05, 0.045, 0.15, "paper", n_scan=5),
        "tstar.TStarMap": lambda F: F["isingsc"].t_star_map([1.05], [150.0], n_t=25),
        "tstar.Eq13Window": lambda F: _module("tstar").eq13_window(sc(F), 0.05, 0.045, 0.15),
        "interactive.LiveView": lambda F: _module("interactive").LiveView(F["explorer"]()),
        "interactive.StaticView": lambda F: _module("interactive").StaticView(F["explorer"]()),
        "maps.StackMap": lambda F: F["smap"](),
    }


INSTANCES = _instances()


def _sc_small(F):
    return F["sc"]()


#: per-entry valid arguments where the name table does not fit (callables receive the factories)
OVERRIDES = {
    "anisotropy.EasyAxisPhaseDiagram": lambda F: dict(coupling_form="complete", t=F["np"].array([0.1, 0.5]),
                                                     k=F["np"].array([0.1, 0.2]), theta=F["np"].zeros((2, 2)),
                                                     k_boundary=F["np"].array([0.1, 0.2])),
    "anisotropy.easy_axis_phase_diagram": lambda F: dict(t=F["np"].array([0.1, 0.5]), k=F["np"].array([0.1, 0.2])),
    "anisotropy.single_magnet_anisotropy": {"K": 1.0, "J": 0.2, "T": 0.1},
    "anisotropy.single_magnet_easy_axis": {"K": 1.0, "J": 0.2, "T": 0.1},
    "bdg.pair_kernel": {"delta0": 0.4},
    "bdg.thermal_potential": {"T": 0.1},
    "fermi_surface.band_gradient": {},
    "fermi_surface.contour_dos_weights": {},
    "fermi_surface.polar_angle": lambda F: {"points": F["np"].array([[1.0, 0.0], [0.0, 1.0]])},
    "fermi_surface.VanHovePoint": {"k": (3.1, 1.8), "xi": -207.7, "spins": ("up",)},
    "fermi_surface.BandEdge": {"kind": "bottom", "band": "up", "k": (0.0, 0.0), "xi": -300.0},
    "fermi_surface.band_edges": {"nk": 60},
    "fermi_surface.fermi_contours": {"nk": 60},
    "fermi_surface.fermi_pockets": {"nk": 61},
    "formulas.yosida_function": {"T": 0.1, "delta": 0.3},
    "formulas.interpolated_bcs_gap": {"T": 0.1, "tc": 0.264},
    "formulas.pauli_limited_tc": {"J": 0.1, "tc0": 0.264},
    "formulas.ising_tc": {"J": 0.1, "splitting": 1.0, "tc0": 0.264},
    "formulas.fermi_surface_ising_tc": {"J": 0.1, "tc0": 0.264},
    "formulas.critical_field_estimate": {"n0": 1.0, "chi_n": 1.8, "chi_s": 1.0, "theta": 0.7, "delta0": 0.4},
    "formulas.perturbative_energies": {"a": -1.0, "b": 0.5, "delta": 0.3, "J": 0.2, "theta": 0.7},
    "hysteresis.SwitchingEvent": {"branch": "down", "H": -0.5, "magnets": (1,), "branch_index": 3,
                                  "theta_before": (0.0, 0.0), "theta_after": (3.1, 0.0)},
    "hysteresis.HysteresisBranch": lambda F: dict(name="down", H=F["np"].array([1.0, 0.0]),
                                                  theta1=F["np"].zeros(2), theta2=F["np"].zeros(2),
                                                  M_z=F["np"].ones(2), M_x=F["np"].zeros(2)),
    "hysteresis.HysteresisLoop": lambda F: dict(stack=F["stack"](), field_angle=0.0, branches=(),
                                                switching_fields=()),
    "hysteresis.HysteresisLoop.branch": {"name": "descending"},
    "hysteresis.hysteresis_loop": {"H_max": 3.0, "n_steps": 41},
    "hysteresis.MinimumFollower.relax_to": {"state": (0.1, 0.1), "H": 0.2},
    "hysteresis.MinimumFollower.leaves": {"state": (0.1, 0.1), "H": 0.2},
    "hysteresis.MinimumFollower.bisect_switching_field": {"state": (0.0, 0.0), "kept": 0.0, "left": -3.0},
    "hysteresis.MinimumFollower.classify": {"state": (0.0, 0.0), "kept": 0.0, "left": -3.0},
    "hysteresis.MinimumFollower.advance": {"state": (0.0, 0.0), "H_from": 0.0, "H_to": -0.5},
    "magnetism.Relaxation": {"theta1": 0.1, "theta2": 0.2, "energy": -1.0, "converged": True, "n_iter": 3,
                             "left_minimum": False},
    "magnetism.GroundState": {"theta1": 0.0, "theta2": 0.0, "energy": -1.0,
                              "magnets": ("out-of-plane", "out-of-plane"), "alignment": "out-of-plane",
                              "parallel": True},
    "magnetism.ground_state": {"n_grid": 12, "n_starts": 3},
    "magnetism.collinear_determinant": {"K1": 1.0, "K2": 0.8, "J": 1.0, "chi_par": 0.5},
    "magnetism.FSFStack.single": {"K": 1.0, "Ms": 1.0},
    "microscopic.MicroscopicTable": lambda F: dict(T=0.1, J=0.2, J_abs=F["np"].array([0.1, 0.2, 0.3, 0.4]),
                                                   alpha=F["np"].array([0.0, 0.5, 1.0, 1.5]),
                                                   values=F["np"].zeros((4, 4)), f_zero=0.0),
    "microscopic.MicroscopicTable.energy": {"J_abs": 0.1, "alpha": 0.3},
    "microscopic.MicroscopicTable.interpolation_error": lambda F: dict(sc=F["sc"](), J_abs=0.2, alpha=0.3),
    "microscopic.microscopic_table": lambda F: dict(T=0.1, J=0.15, n_magnitudes=4, n_angles=2),
    "microscopic.microscopic_tables": lambda F: dict(temperatures=[0.1], J=0.15, n_magnitudes=4, n_angles=2),
    "microscopic.microscopic_coupling": lambda F: dict(T=0.1, J=0.15, n_magnitudes=4, n_angles=2),
    "microscopic.stack_coupling": {"T": 0.1, "J": 0.15, "coupling_form": "complete"},
    "microscopic.free_energy_derivatives": {"T": 0.1, "J": 0.15},
    "microscopic.executor_workers": {"executor": None},
    "microscopic.MicroscopicCoupling": lambda F: dict(func=F["table"]().coupling().func, table=F["table"]()),
    "model.TriangularTMD": {"epsilon": -10.0, "t": (20.0, 0.0, 0.0, 0.0, 0.0, 0.0),
                            "phi": (0.1, 0.0, 0.0, 0.0, 0.0, 0.0)},
    "model.TriangularTMD.density_of_states": {"nk": 32},
    "model.TriangularTMD.with_alpha_R": {"alpha_R": 5.0},
    "materials.honeycomb_dipole_sum": {"a": 6.867, "cutoff": 12.0},
    "materials.MonolayerFerromagnet": {"name": "CrX3", "lattice_constant": 6.0, "moment_per_cr": 3.0, "spin": 1.5,
                                       "single_ion_anisotropy": -0.1, "layer_spacing": 6.0},
    "materials.MonolayerFerromagnet.cr_per_site": {"substrate_lattice_constant": 3.458},
    "materials.MonolayerFerromagnet.per_site": {"value_per_cr": 1.0, "substrate_lattice_constant": 3.458},
    "materials.MonolayerFerromagnet.moment_per_site": {"substrate_lattice_constant": 3.458},
    "materials.anisotropy_per_nb_site": lambda F: dict(magnet=_module("materials").MAGNETS["CrBr3"]),
    "materials.moment_per_nb_site": lambda F: dict(magnet=_module("materials").MAGNETS["CrBr3"]),
    "paper.Fig4Parameters.stack": {"T": 0.1, "coupling_form": "paper"},
    "paper.fig4_stack": {"k1": 1.05, "T": 0.1},
    "paper_checks.TricriticalPoint": {"T": 0.1, "J": 0.2, "t": 0.5, "j": 0.6},
    "paper_checks.quartic_coefficient": {"T": 0.15},
    "paper_checks.tricritical_point": {},
    "paper_checks.quasiclassical_tricritical_point": {"tc0": 1.0, "n_matsubara": 2000},
    "paper_checks.DOSWindow": {"lam": 1.0, "n_minus": 1.0, "n_plus": 1.0, "linear_mean": 1.0, "window_mean": 1.0,
                               "linear_part": 1.0, "slope_change": 0.0},
    "paper_checks.dos_window": {"n_energies": 21, "nk": 64},
    "paper_checks.b2_derivative": {"a": 0.3, "b": -0.2, "delta": 0.4, "eps": 0.5},
    "paper_checks.b2_residual": lambda F: dict(a=F["np"].array([3.0, -2.0]), b=F["np"].array([1.0, -0.5]), delta=0.4,
                                               J=0.3, theta=0.7),
    "paper_checks.b3_lhs": {"T": 0.1},
    "paper_checks.eq6_residual": {"T": 0.1},
    "paper_checks.InplaneGapScan": lambda F: dict(J=F["np"].zeros(1), gap=F["np"].zeros(1),
                                                  n_minima=F["np"].zeros(1, int), unresolved=()),
    "paper_checks.inplane_gap_scan": lambda F: dict(J=[0.2], n_trial=11),
    "quadrature.BZQuadrature": lambda F: dict(xi_up=F["np"].array([-1.0, 1.0]), xi_down=F["np"].array([-1.0, 1.0]),
                                              weights=F["np"].array([0.5, 0.5])),
    "quadrature.BZQuadrature.average": lambda F: dict(values=F["np"].ones(
        INSTANCES["quadrature.BZQuadrature"](F).size)),
    "quadrature.BZQuadrature.integrate": lambda F: dict(func=lambda a, b: a * 0 + 1.0),
    "quadrature.fermi_surface_quadrature": {"scale": 0.5, "n_phi": 8, "n_gauss": 4},
    "quadrature.uniform_quadrature": {"nk": 16},
    "quadrature.fermi_surface_density": {"n_phi": 16},
    "quadrature.fermi_surface_nodes": {"n_phi": 16},
    "quadrature.symmetry_images": lambda F: dict(k=F["np"].array([[0.1, 0.2]])),
    "response.SuperconductorResponse": lambda F: dict(superconductor=F["sc"](),
                                                     T=F["np"].array([0.0, 0.1, F["sc"]().tc0]),
                                                     chi_par=F["np"].array([1.0, 1.1, 1.2]),
                                                     chi_perp=F["np"].array([0.0, 0.1, 0.2])),
    "response.superconductor_response": {"n_below": 8, "n_above": 2},
    "response.SuperconductorResponse.coupling": {"T": 0.1, "coupling_form": "paper"},
    "robustness.tstar_direction": {"indicator": 0.5},
    "robustness.SusceptibilityParts": {"T": 0.1, "gap": 0.3, "intra": 1.0, "inter": 0.5, "chi_par": 1.5,
                                       "chi_perp": 0.2, "chi_P": 2.0},
    "robustness.FillingPoint": {"epsilon": -44.5, "lambda_soc": 60.0, "tc0": 0.26, "chi_P": 2.0, "chi_n_soc": 1.7,
                                "chi_n_perp": 1.7, "chi_s0": 1.0},
    "robustness.filling_point": {"epsilon": -44.5},
    "robustness.filling_map": {"epsilons": [-44.5]},
    "robustness.RashbaPoint": {"alpha_R": 1.0, "lambda_soc": 60.0, "tc0": 0.26, "chi_P": 2.0, "chi_n_par": 1.7,
                               "chi_n_perp": 1.7, "chi_s_par": 1.0, "chi_s_perp": 0.1},
    "robustness.rashba_point": {"alpha_over_lambda": 0.1},
    "robustness.rashba_map": {"ratios": [0.1]},
    "robustness.rashba_crossover": {"lo": 1.0, "hi": 1.5, "xtol": 0.05, "dtol": 0.01},
    "robustness.AlignmentMap": lambda F: dict(T=F["np"].zeros(1), J=F["np"].zeros(1), f_out=F["np"].zeros((1, 1)),
                                              f_in=F["np"].zeros((1, 1)), gap_out=F["np"].zeros((1, 1)),
                                              gap_in=F["np"].zeros((1, 1))),
    "robustness.alignment_map": {"T": [0.1], "J": [0.2]},
    "robustness.alignment_preference": {"T": 0.1, "J": 0.2},
    "robustness.reorientation_field": lambda F: dict(T=0.0, lo=16 * F["sc"]().delta0 / 2**0.5,
                                                     hi=20 * F["sc"]().delta0 / 2**0.5, xtol=1e-2),
    "robustness.reorientation_temperature": {"J": 0.3},
    "beyond_paper.RobustnessSummary": {"paper_D": 1.0, "filling_min_D": 1.0, "filling_min_D_epsilon": -40.0,
                                     "filling_max_chi_ratio": 1.0, "filling_max_chi_epsilon": -40.0,
                                     "rashba_crossover": 0.1, "so_threshold": 0.1, "finite_j_flip": 0.1,
                                     "thermal_area_um2": 1.0},
    "beyond_paper.process_pool": {"workers": 1},
    "spin_orbit_scattering.suppression": {"T": 0.1, "delta": 0.3, "rate": 0.1},
    "spin_orbit_scattering.susceptibility_ratio": {"T": 0.1, "delta": 0.3, "rate": 0.1},
    "spin_orbit_scattering.SOScatteringSusceptibility": {"T": 0.1, "rate": 0.1, "chi_P": 2.0, "chi_n_soc": 1.7,
                                                         "chi_perp": 0.2, "chi_par_clean": 1.0,
                                                         "chi_par_scaled": 1.0},
    "spin_orbit_scattering.ising_susceptibilities": {"T": 0.1, "rate": 0.1},
    "superconductor.IsingSuperconductor": lambda F: dict(model=F["isingsc"].NbSe2()),
    "superconductor.IsingSuperconductor.energy_scale": {"T": 0.1, "J": 0.2},
    "superconductor.IsingSuperconductor.quadrature": {"T": 0.1, "J": 0.2, "theta": 0.7},
    "superconductor.IsingSuperconductor.free_energy_landscape": {"delta": 0.3, "T": 0.1},
    "superconductor.IsingSuperconductor.sweep": {"*args": ("gap", [0.1, 0.2])},
    "superconductor.IsingSuperconductor.with_delta0": {"delta0": 0.4},
    "superconductor.IsingSuperconductor.with_model": lambda F: dict(model=F["isingsc"].NbSe2(epsilon=-40.0)),
    "superconductor.IsingSuperconductor.with_resolution": lambda F: dict(resolution=F["isingsc"].Resolution(16)),
    "superconductor.IsingSuperconductor.with_lambda_soc": {"lambda_soc": 60.0},
    "thermal.barrier": {"K": 0.01, "area": 1.0},
    "thermal.switching_time": {"K": 1e-5, "area": 0.01, "T": 0.25},
    "thermal.critical_area": {"K": 0.01, "T": 0.1},
    "tstar.Transition": {"T": 0.1, "t": 0.4, "below": "out-of-plane", "above": "in-plane"},
    "tstar.TStarResult": lambda F: dict(coupling_form="complete", K1=1.0, K2=0.9, J=0.2,
                                        temperatures=F["np"].array([0.1]), alignments=("out-of-plane",),
                                        transitions=()),
    "tstar.find_t_star": lambda F: dict(K1=0.05, K2=0.045, J=0.15, coupling_form="paper", n_scan=5),
    "tstar.microscopic_collinear_determinant": dict(T=0.1, K1=0.05, K2=0.045, J=0.15),
    "tstar.stability_temperature": dict(K1=0.05, K2=0.045, J=0.15, coupling_form="paper"),
    "tstar.TStarMap": lambda F: dict(coupling_form="complete", k1=F["np"].array([1.0]),
                                     lambdas=F["np"].array([150.0]), k1_over_k2=1.12,
                                     t_star=F["np"].zeros((1, 1)), out_below=F["np"].zeros((1, 1), bool),
                                     k_window=F["np"].zeros((1, 2))),
    "tstar.t_star_map": lambda F: dict(k1=[1.05], lambdas=[150.0], n_t=25),
    "tstar.Eq13Window": {"harmonic_mean": 1.0, "k_max": 1.0, "x_low": 0.5, "x_high": 1.0,
                         "boundaries_inside": (), "alignment_low": "out-of-plane", "alignment_high": "in-plane"},
    "tstar.eq13_alignment": {"K1": 1.0, "K2": 0.9, "X": 0.3},
    "tstar.eq13_window": {"K1": 0.05, "K2": 0.045, "J": 0.15},
    "report.Claim": {"key": "k", "statement": "s", "where": "w", "paper": "p", "ours": "o", "status": "agrees",
                     "evidence": "e"},
    "report.claims_markdown": lambda F: dict(claims=[_module("report").Claim("k", "s", "w", "p", "o", "agrees",
                                                                              "e")]),
    "report.claims_by_key": lambda F: dict(claims=[_module("report").Claim("k", "s", "w", "p", "o", "agrees", "e")]),
    "explorers.Slider": {"name": "x", "label": "x", "unit": "meV", "values": (0.0, 1.0), "default": 0.0,
                         "live": (0.0, 1.0, 0.1)},
    "explorers.Slider.index": lambda F: {"value": F["explorer"]().sliders[0].default},
    "explorers.Slider.label_of": lambda F: {"value": F["explorer"]().sliders[0].default},
    "explorers.Panel": {"xlabel": "x", "ylabel": "y"},
    "explorers.Trace": {"x": "x", "y": "y", "name": "n"},
    "explorers.Explorer": lambda F: dict(name="e", title="t", compute=lambda **k: {"x": [0.0], "y": [0.0]},
                                         sliders=(), panels=(), traces=()),
    "explorers.Explorer.frame_name": {"indices": (0,)},
    "explorers.Explorer.with_grid": {},
    "explorers.superconductor": {"lambda_over_delta0": 150.0},
    "explorers.bands_and_fermi_surface": {"n_path": 40, "nk": 40},
    "explorers.angle_dependence": {"n_display": 5},
    "explorers.susceptibility_curves": lambda F: dict(t=F["np"].array([0.0, 0.5])),
    "explorers.hysteresis_loops": {"n_steps": 21},
    "explorers.get_explorer": {"name": "chi"},
    "interactive.frame_data": lambda F: dict(explorer=F["explorer"](), output=F["explorer"]().compute(
        **{s.name: s.values[0] for s in F["explorer"]().sliders})),
    "interactive.frame_arrays": lambda F: dict(spec=_module("interactive").figure_spec(F["explorer"]()),
                                               name=F["explorer"]().frame_name(F["explorer"]().default_indices())),
    "interactive.LiveView.update": {},
    "plotting.plot_fermi_surface": {"nk": 60},
    "plotting.plot_hysteresis": lambda F: dict(loop=INSTANCES["hysteresis.HysteresisLoop"](F), field_unit=1.0),
    "maps.stack_map": {"grid": {"T": [0.0, 0.1]}, "quantity": "susceptibility"},
    "maps.StackMap": lambda F: {f: getattr(F["smap"](), f) for f in ("quantity", "coupling_form", "superconductor",
                                                                     "axes", "fixed", "values")},
    "provenance.data_digest": lambda F: dict(data=_module("provenance").figure_data(F["figure"]())),
    "provenance.qualified_name": lambda F: dict(obj=F["isingsc"].find_t_star),
    "provenance.show": {"name": "fuzz-figure"},
    "provenance.explorer_data": lambda F: dict(explorer=F["explorer"](),
                                               spec=_module("interactive").figure_spec(F["explorer"]())),
    "provenance.explorer_links": lambda F: dict(explorer=F["explorer"](),
                                                spec=_module("interactive").figure_spec(F["explorer"]())),
    "interactive.frame_ranges": lambda F: dict(explorer=F["explorer"](), frames=_module("interactive").precompute(
        F["explorer"]())),
    "plotting.plot_bands": {"n": 40},
}

#: entries with no cheap valid call: only hostile values where an error is due are tried
NO_VALID_CALL = {"beyond_paper.robustness_summary", "beyond_paper.resolution_checks", "beyond_paper.beyond_paper_claims",
                 "report.reproduction_claims", "report.superconductivity_claims", "report.heterostructure_claims",
                 "report.model_claims", "interactive.book_view", "interactive.building_html",
                 # writes the figure's data file into the book (figures/NAME.json): only refusals are tried
                 "provenance.show",
                 # a test helper: with no figure drawn since use_book_style() its valid call is an AssertionError
                 "figures.assert_figures_legible"}

#: hostile values never tried, with the reason (a value that cannot be hostile for this parameter)
SKIP = {
    ("explorers.Slider.index", "value"), ("explorers.Slider.label_of", "value"),
}


def short_name(p):
    """``module.Name[.member]`` of a public name (the module's last component only)."""
    return p.home.rsplit(".", 1)[-1] + p.qualname[len(p.home):]


# --------------------------------------------------------------------------- probes (wrong numbers, state)
def _probes():
    """Checks against known answers: name -> function returning (class, detail)."""
    import numpy as np

    def free_energy_hot(F):
        sc = F["sc"]()
        f = sc.free_energy(1e20, 0.2, 0.7)
        # f_s(J) - f_n(0) <= 0, and -> -chi_n J^2/2 ~ -J^2/T -> 0 at a huge temperature
        return ("ok" if -1e-6 <= f <= 0.0 else "wrong"), f"free_energy(1e20, 0.2, 0.7) = {f!r}"

    def free_energy_sign(F):
        sc = F["sc"]()
        bad = []
        for T, J, th in ((0.0, 0.1, 0.3), (0.1, 0.3, 1.2), (1.0, 2.0, 0.7), (50.0, 5.0, 0.1), (1e4, 1.0, 0.7)):
            try:
                f = sc.free_energy(T, J, th)
            except ValueError:
                continue  # refusing is fine
            if not f <= 0.0:
                bad.append((T, J, th, f))
        return ("wrong" if bad else "ok"), f"free energies above f_n(0): {bad}"

    def gap_vanishing_oblique_field(F):
        # the engine's own accuracy is ~1e-9 relative (against a refined resolution)
        sc = F["sc"]()
        g0 = sc.gap(0.1, 0.0, 0.7)
        rel = {J: abs(sc.gap(0.1, J, 0.7) - g0) / g0 for J in (1e-300, 1e-12, 1e-7, 1e-6)}
        worst = max(rel.values())
        return ("ok" if worst < 1e-8 else "wrong"), f"gap(0.1, J, 0.7)/gap(0.1, 0, 0.7) - 1 at small J: {rel}"

    def free_energy_vanishing_field(F):
        sc = F["sc"]()
        f0 = sc.free_energy(0.1, 0.0, 0.7)
        rel = {J: abs(sc.free_energy(0.1, J, 0.7) - f0) / abs(f0) for J in (1e-200, 1e-7)}
        return ("ok" if max(rel.values()) < 1e-8 else "wrong"), f"free_energy at small J vs 0: {rel}"

    def tricritical_truncation(F):
        pc = _module("paper_checks")
        ref = pc.quasiclassical_tricritical_point(1.0).t
        bad = []
        for n in (0, 1, 3, 10, 100):
            try:
                t = pc.quasiclassical_tricritical_point(1.0, n_matsubara=n).t
            except (ValueError, TypeError, ArithmeticError, RuntimeError):
                continue
            if abs(t - ref) > 1e-4:
                bad.append((n, t))
        return ("wrong" if bad else "ok"), f"truncated Matsubara sums accepted with wrong T_tcp/Tc0: {bad} (ref {ref:.6f})"

    def response_read_only(F):
        isingsc = F["isingsc"]
        sc = isingsc.IsingSuperconductor(isingsc.NbSe2(epsilon=-44.4))
        r = isingsc.superconductor_response(sc, n_below=6, n_above=1)
        before = float(r.chi_par[1])
        try:
            r.chi_par[1] *= 2
        except (ValueError, TypeError):
            return "ok", "chi_par is read-only"
        after = float(isingsc.superconductor_response(sc, n_below=6, n_above=1).chi_par[1])
        return "mutable", f"superconductor_response(sc).chi_par is writable (cached: {before} -> {after})"

    def module_containers(F):
        import public_api

        bad = []
        for p in public_api.public_names():
            if p.kind == "constant" and isinstance(p.obj, (dict, list, set, bytearray)):
                bad.append(p.qualname)
            if p.kind == "constant" and isinstance(p.obj, np.ndarray) and p.obj.flags.writeable:
                bad.append(p.qualname)
        return ("mutable" if bad else "ok"), f"mutable module-level containers: {bad}"

    def ev_model_accepted(F):
        isingsc = F["isingsc"]
        m = isingsc.NbSe2()
        ev = isingsc.TriangularTMD(m.epsilon / 1000, tuple(t / 1000 for t in m.t), m.phi, name="NbSe2 in eV")
        try:
            sc = isingsc.IsingSuperconductor(ev)
            sc.tc0
        except (ValueError, TypeError) as err:
            return "ok", f"refused: {err}"
        return "accepted", "a model typed in eV (band width ~ 1) is accepted with delta0 = 0.47 meV"

    def seterr_valid_solve(F):
        isingsc = F["isingsc"]
        sc = isingsc.IsingSuperconductor(isingsc.NbSe2(epsilon=-44.3))
        ref = (sc.gap(0.05, 0.2, 0.7), sc.free_energy(0.0, 0.3, 1.2), sc.spin_susceptibility(0.2, 0.4))
        sc2 = isingsc.IsingSuperconductor(isingsc.NbSe2(epsilon=-44.3))
        with np.errstate(all="raise"):
            try:
                out = (sc2.gap(0.05, 0.2, 0.7), sc2.free_energy(0.0, 0.3, 1.2), sc2.spin_susceptibility(0.2, 0.4))
            except FloatingPointError as err:
                return "deep", f"np.errstate(all='raise'): {err}"
        same = all(a == b for a, b in zip(ref, out))
        return ("ok" if same else "wrong"), f"results under np.errstate(all='raise') equal: {same}"

    return {
        "free_energy_hot": free_energy_hot,
        "free_energy_sign": free_energy_sign,
        "gap_vanishing_oblique_field": gap_vanishing_oblique_field,
        "free_energy_vanishing_field": free_energy_vanishing_field,
        "tricritical_truncation": tricritical_truncation,
        "response_read_only": response_read_only,
        "module_containers": module_containers,
        "ev_model_accepted": ev_model_accepted,
        "seterr_valid_solve": seterr_valid_solve,
    }


# --------------------------------------------------------------------------- classification
def _deep(exc):
    import numpy as np  # noqa: F401

    mod = type(exc).__module__ or ""
    if mod.startswith(("numpy", "scipy")) or isinstance(exc, FloatingPointError):
        return True
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    return bool(last) and any(s in last for s in (f"{os.sep}numpy{os.sep}", f"{os.sep}scipy{os.sep}"))


def _innermost(exc):
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return last


def _nonfinite(value, depth=0, allow_nan=False):
    """NaN or inf anywhere in ``value`` (only inf if ``allow_nan``: the documented NaNs)."""
    import dataclasses

    import numpy as np

    def bad(x):
        x = np.asarray(x, float)
        return bool(np.any(np.isinf(x))) if allow_nan else not bool(np.all(np.isfinite(x)))

    if depth > 4:
        return False
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, np.integer)):
        return False
    if isinstance(value, (float, np.floating)):
        return bad(value)
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "f" and bad(value) or value.dtype.kind == "c" and not np.all(np.isfinite(value))
    if isinstance(value, (tuple, list)):
        return any(_nonfinite(v, depth + 1, allow_nan) for v in value[:1000])
    if isinstance(value, dict):
        return any(_nonfinite(v, depth + 1, allow_nan) for v in list(value.values())[:1000])
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return any(_nonfinite(getattr(value, f.name), depth + 1, allow_nan) for f in dataclasses.fields(value)
                   if not f.name.startswith("_"))
    return False


def _empty(value):
    """An empty array, or a tuple whose arrays are all empty (what a vectorised function gives for no input)."""
    import numpy as np

    if isinstance(value, np.ndarray):
        return value.size == 0
    if isinstance(value, (list, tuple)) and value:
        return all(_empty(v) for v in value)
    return False


def _writable_arrays(value):
    import dataclasses

    import numpy as np

    if not (dataclasses.is_dataclass(value) and not isinstance(value, type)):
        return []
    if not getattr(type(value), "__dataclass_params__").frozen:
        return []
    return [f.name for f in dataclasses.fields(value)
            if isinstance(getattr(value, f.name, None), np.ndarray) and getattr(value, f.name).flags.writeable]


def _from_fake_executor(exc):
    """The innermost frame is one of the harness's fake executors: their own error, passed on unchanged."""
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame
        tb = tb.tb_next
    return last is not None and last.f_code.co_filename == __file__ and "self" in last.f_locals and \
        isinstance(last.f_locals["self"], (_ShortMap, _NanMap))


def classify_exception(exc, param):
    from isingsc import ConvergenceError, ExecutorError

    if _deep(exc):
        return "deep"
    if isinstance(exc, ConvergenceError):
        return "clear"
    if param == "executor" and (isinstance(exc, ExecutorError) and "executor" in str(exc) or _from_fake_executor(exc)):
        return "clear"
    if param == "path" and isinstance(exc, FileNotFoundError) and "path" in str(exc) and not _deep(exc):
        return "clear"   # Python's own answer to a missing file, raised by the library naming the parameter
    if type(exc) in (TypeError, ValueError) or (isinstance(exc, (TypeError, ValueError))
                                                 and type(exc).__module__.startswith("isingsc")):
        if param is None or param in str(exc):
            return "clear"
        return "bare"
    return "bare"


# --------------------------------------------------------------------------- the worker
_STATE = {}


def _setup():
    if "F" not in _STATE:
        import warnings

        warnings.simplefilter("ignore")
        import public_api

        _STATE["F"] = _factories()
        _STATE["names"] = {short_name(p): p for p in public_api.public_names()}
        _STATE["probes"] = _probes()
    return _STATE


def run_task(task):
    """One task: ("call", entry, param, label) or ("probe", name).  Returns (class, detail)."""
    import numpy as np

    st = _setup()
    F = st["F"]
    if task[0] == "probe":
        try:
            return st["probes"][task[1]](F)
        except Exception as exc:  # noqa: BLE001
            return classify_exception(exc, None), f"probe raised {type(exc).__name__}: {exc}"[:300]
    _, entry, param, label = task
    p = st["names"][entry]
    try:
        if p.kind == "property":
            owner = short_name(p).rsplit(".", 1)[0]
            inst = INSTANCES[owner](F)
            call, kwargs = (lambda: getattr(inst, p.qualname.rsplit(".", 1)[1])), {}
        else:
            call, kwargs = valid_call(entry, F)
    except Exception as exc:  # noqa: BLE001
        return "harness", f"no valid call: {type(exc).__name__}: {exc}"[:300]
    if label == "valid":
        try:
            out = call(**kwargs)
        except Exception as exc:  # noqa: BLE001
            if entry in VALID_CALL_REFUSES and classify_exception(exc, None) == "clear":
                return "ok", VALID_CALL_REFUSES[entry]
            return "harness", f"valid call raised {type(exc).__name__}: {exc} at {_innermost(exc)}"[:400]
        if _nonfinite(out, allow_nan=entry in NAN_DOCUMENTED):
            return "nonfinite", f"valid call returned non-finite values: {str(out)[:200]}"
        writable = _writable_arrays(out)
        if writable:
            return "mutable", f"writable arrays in a frozen {type(out).__name__}: {writable}"
        try:
            with np.errstate(all="raise"):
                call(**kwargs)
        except FloatingPointError as exc:
            return "deep", f"under np.errstate(all='raise'): FloatingPointError {exc} at {_innermost(exc)}"
        except Exception as exc:  # noqa: BLE001
            return "deep", f"under np.errstate(all='raise'): {type(exc).__name__} {exc} at {_innermost(exc)}"[:300]
        return "ok", ""
    valid = kwargs.get(param, None) if param in kwargs else _default(call, param)
    default = 0 if param in kwargs else _default(call, param)
    kind = kind_of(param, valid)
    value = hostile_value(label)
    kwargs = dict(kwargs)
    kwargs[param] = value
    _ShortMap.called = _NanMap.called = False
    try:
        out = call(**kwargs)
    except Exception as exc:  # noqa: BLE001
        cls = classify_exception(exc, param)
        return cls, f"{type(exc).__name__}: {str(exc)[:160]} at {_innermost(exc)}"
    if _nonfinite(out, allow_nan=entry in NAN_DOCUMENTED):
        return "nonfinite", f"returned {str(out)[:160]}"
    if label == "empty_list" and _empty(out):
        return "ok", "an empty input gives an empty result (vectorised)"
    if label in LEGITIMATE.get((entry, param), ((), ""))[0]:
        return "ok", LEGITIMATE[(entry, param)][1]
    if label in ("short_map", "nan_map") and not (_ShortMap.called or _NanMap.called):
        return "ok", "the executor was not needed (every point cached): there was nothing to check"
    if error_due(label, param, kind, entry, default):
        return "accepted", f"returned {str(out)[:120]}"
    return "ok", ""


def _default(call, param):
    import inspect

    try:
        p = inspect.signature(call).parameters[param]
    except (KeyError, TypeError, ValueError):
        return None
    return None if p.default is p.empty else p.default


def tasks(only=None, valid_only=False):
    """Every (entry, param, label) of the campaign and the probes."""
    import inspect

    import public_api

    st = _setup()
    F = st["F"]
    out = []
    for p in public_api.public_names():
        if p.kind not in ("function", "method", "class", "property"):
            continue
        entry = short_name(p)
        if only and only not in entry:
            continue
        if p.kind == "property":
            out.append(("call", entry, None, "valid"))
            continue
        if entry not in NO_VALID_CALL:
            out.append(("call", entry, None, "valid"))
        if valid_only:
            continue
        try:
            call, kwargs = valid_call(entry, F)
            params = inspect.signature(call).parameters
        except Exception as exc:  # noqa: BLE001
            out.append(("call", entry, None, "valid"))
            continue
        for name, par in params.items():
            if par.kind in (par.VAR_POSITIONAL, par.VAR_KEYWORD) or (entry, name) in SKIP:
                continue
            valid = kwargs.get(name, None if par.default is par.empty else par.default)
            kind = kind_of(name, valid)
            for label in HOSTILE[kind]:
                if entry in NO_VALID_CALL and not error_due(label, name, kind, entry):
                    continue
                out.append(("call", entry, name, label))
    if not only:
        out += [("probe", name) for name in _probes()]
    return out


def _worker(conn):
    sys.path.insert(0, str(ROOT / "tests"))
    while True:
        task = conn.recv()
        if task is None:
            return
        try:
            result = run_task(task)
        except BaseException as exc:  # noqa: BLE001
            result = ("harness", f"worker: {type(exc).__name__}: {exc}")
        conn.send(result)


class Worker:
    def __init__(self, ctx):
        self.ctx = ctx
        self.start()

    def start(self):
        self.conn, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=_worker, args=(child,), daemon=True)
        self.proc.start()
        self.task = None
        self.t0 = None

    def submit(self, task):
        self.task, self.t0 = task, time.monotonic()
        self.conn.send(task)

    def kill(self):
        self.proc.kill()
        self.proc.join()
        self.start()


def campaign(n_workers=2, timeout=20.0, only=None, log=print, valid_only=False):
    ctx = mp.get_context("fork")
    todo = collections.deque(tasks(only, valid_only))
    total = len(todo)
    workers = [Worker(ctx) for _ in range(n_workers)]
    results = []
    done = 0
    t_start = time.monotonic()
    while todo or any(w.task is not None for w in workers):
        for w in workers:
            if w.task is None and todo:
                w.submit(todo.popleft())
        for w in workers:
            if w.task is None:
                continue
            # the first call of a worker builds the shared objects: give it more time
            if w.conn.poll(0.01):
                cls, detail = w.conn.recv()
                results.append((w.task, cls, detail))
                w.task = None
                done += 1
            elif time.monotonic() - w.t0 > timeout:
                results.append((w.task, "hang", f"no answer within {timeout:g} s"))
                w.kill()
                done += 1
        if done and done % 500 == 0:
            log(f"  {done}/{total} calls, {time.monotonic() - t_start:.0f} s")
    for w in workers:
        if w.task is None:
            w.conn.send(None)
        w.proc.join(timeout=5)
        if w.proc.is_alive():
            w.proc.kill()
    return results, time.monotonic() - t_start


def table(results):
    counts = collections.Counter(cls for _, cls, _ in results)
    return {c: counts.get(c, 0) for c in CLASSES + ("harness",)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--only", default=None)
    ap.add_argument("--valid-only", action="store_true", help="only the valid calls (checks the harness)")
    ap.add_argument("--quiet", action="store_true", help="print the table only")
    args = ap.parse_args(argv)
    # warm the worker's imports in the parent, so that forked workers start fast
    _setup()
    results, wall = campaign(args.workers, args.timeout, args.only, valid_only=args.valid_only)
    t = table(results)
    print(f"\n{len(results)} calls in {wall:.0f} s ({args.workers} workers, time limit {args.timeout:g} s)\n")
    print("| class | count |\n|---|---|")
    for c, n in t.items():
        print(f"| {c} | {n} |")
    if not args.quiet:
        for cls in CLASSES[1:-1] + ("harness",):
            rows = [(task, detail) for task, c, detail in results if c == cls]
            if rows:
                print(f"\n## {cls} ({len(rows)})")
                for task, detail in rows:
                    print(f"  {task[1:]}: {detail}")
    if args.json:
        args.json.write_text(json.dumps([dict(task=list(map(str, task)), cls=c, detail=d) for task, c, d in results],
                                        indent=0))
    return t


if __name__ == "__main__":
    main()
