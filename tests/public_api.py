"""The public names of :mod:`isingsc`, enumerated once for the docstring test, the property-based
hostile-input test and the fuzz harness (``benchmarks/fuzz_public_api.py``).

Public means: a module of the package whose dotted name has no component starting with ``_``; in it,
every name of its ``__all__`` that it defines itself (re-exports are documented where they are
defined); in a public class, every method, property, class- and staticmethod defined in its own body
whose name does not start with ``_``.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import types
from dataclasses import dataclass
from functools import cached_property

import isingsc


@dataclass(frozen=True)
class PublicName:
    """One public name: ``qualname`` (``module.Class.member``), its ``kind`` and the object."""

    qualname: str
    kind: str  # "module", "class", "exception", "function", "method", "property", "constant"
    obj: object
    owner: object = None  # the class of a member
    module: str = ""  # the module that defines it (private ones included)
    home: str = ""  # the public module it is listed under


def public_modules():
    """Every public module of the package, imported, sorted by name."""
    names = ["isingsc"]
    for info in pkgutil.walk_packages(isingsc.__path__, "isingsc."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        names.append(info.name)
    return [importlib.import_module(n) for n in sorted(names)]


def _all_modules():
    """Every module of the package, private ones included (where re-exported names may live)."""
    names = ["isingsc"] + [info.name for info in pkgutil.walk_packages(isingsc.__path__, "isingsc.")]
    return [importlib.import_module(n) for n in sorted(names)]


def _public_home(module_name):
    """The public module that documents what ``module_name`` defines: itself, or its longest public prefix."""
    parts = module_name.split(".")
    while any(p.startswith("_") for p in parts):
        parts = parts[:-1]
    return ".".join(parts)


def _members(cls, qual, module, home):
    for name, raw in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(raw, (property, cached_property)):
            yield PublicName(f"{qual}.{name}", "property", raw, cls, module, home)
        elif isinstance(raw, (staticmethod, classmethod)):
            yield PublicName(f"{qual}.{name}", "method", raw.__func__, cls, module, home)
        elif inspect.isfunction(raw):
            yield PublicName(f"{qual}.{name}", "method", raw, cls, module, home)
        elif name.isupper() and not inspect.isclass(raw) and name not in getattr(cls, "__dataclass_fields__", {}):
            yield PublicName(f"{qual}.{name}", "constant", raw, cls, module, home)


def _assigns(module, name):
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return False
    return re.search(rf"^{re.escape(name)}\s*(:[^=\n]*)?=", source, re.M) is not None


def constant_source(name, value):
    """The module (private ones included) whose source assigns the constant ``name`` at top level."""
    for m in _all_modules():
        if name in vars(m) and vars(m)[name] is value and _assigns(m, name):
            return m.__name__
    return None


def public_names():
    """Every public name of the library (see the module docstring), each once.

    A class or function is listed under the module that defines it, or, if that module is private,
    under its public parent package; a constant likewise under the module whose source assigns it
    (``PublicName.module`` is then that module, where its ``#:`` doc comment is).
    """
    out, seen = [], set()
    for module in public_modules():
        home = module.__name__
        out.append(PublicName(home, "module", module, None, home, home))
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if isinstance(obj, types.ModuleType):
                continue
            if inspect.isclass(obj) or (callable(obj) and not isinstance(obj, (int, float, str))):
                home = _public_home(getattr(obj, "__module__", "") or "")
                if home != module.__name__ or id(obj) in seen:
                    continue
                seen.add(id(obj))
                qual = f"{module.__name__}.{name}"
                if inspect.isclass(obj):
                    kind = "exception" if issubclass(obj, BaseException) else "class"
                    out.append(PublicName(qual, kind, obj, None, obj.__module__, home))
                    out.extend(_members(obj, qual, obj.__module__, home))
                else:
                    out.append(PublicName(qual, "function", obj, None, obj.__module__, home))
            else:
                source = constant_source(name, obj)
                if source is None or _public_home(source) != module.__name__ or (source, name) in seen:
                    continue
                seen.add((source, name))
                out.append(PublicName(f"{module.__name__}.{name}", "constant", obj, None, source, home))
    return out


def entry_points():
    """The callables among the public names: functions, methods (unbound) and classes (their constructors)."""
    return [p for p in public_names() if p.kind in ("function", "method", "class", "property")]
