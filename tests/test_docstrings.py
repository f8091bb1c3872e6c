"""Every public name of the library has a complete numpydoc docstring with a running example.

Enumerates the public names (``public_api.public_names``: the package's and every public module's
``__all__``, the public members of public classes) and checks each docstring:

* functions and methods: a summary, ``Parameters`` naming every parameter, ``Returns`` if they
  return a value, ``Raises`` if they take arguments (the input contract), ``Examples``;
* classes: a summary, ``Parameters`` or ``Attributes``, ``Examples``;
* properties: a summary and ``Examples``;
* constants: a doc comment (``#:``) that Sphinx shows in the API reference;
* the first paragraph (autosummary's summary) has no abbreviation such as ``Eq.`` that would cut it.

The examples run as doctests (``--doctest-modules`` over ``lib/isingsc``).
"""
from __future__ import annotations

import ast
import inspect
import re
import textwrap
from pathlib import Path

import pytest

from public_api import public_names

SECTION_RE = re.compile(r"^-{3,}$")
#: abbreviations followed by a space: autosummary ends the summary at their period
ABBREVIATION_RE = re.compile(r"\b(Eqs?|Apps?|Secs?|Figs?|Refs?|Tabs?|vs|cf|approx|resp|Ch|No)\.\s")


def sections(doc):
    """``{section title: body lines}`` of a numpydoc docstring, ``""`` for the text before the first section."""
    lines = inspect.cleandoc(doc or "").splitlines()
    out, current, i = {"": []}, "", 0
    while i < len(lines):
        if i + 1 < len(lines) and lines[i].strip() and SECTION_RE.match(lines[i + 1].strip()):
            current = lines[i].strip()
            out[current] = []
            i += 2
            continue
        out[current].append(lines[i])
        i += 1
    return out


def documented_parameters(body):
    """Names listed in a Parameters section (``name : type``, ``a, b : type``, ``*args``, ``**kwargs``)."""
    names = set()
    for line in body:
        if not line or line[0].isspace():
            continue
        head = line.split(":", 1)[0] if " : " in line or line.rstrip().endswith(":") else line.strip()
        for part in head.split(","):
            part = part.strip().lstrip("*")
            if re.fullmatch(r"\w+", part):
                names.add(part)
    return names


def first_paragraph(doc):
    paragraph = []
    for line in inspect.cleandoc(doc or "").splitlines():
        if not line.strip():
            break
        paragraph.append(line.strip())
    return " ".join(paragraph)


def _returns_value(func):
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return True
    fn = tree.body[0]
    for node in ast.walk(fn):
        if isinstance(node, (ast.Return,)) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            return True
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
    return False


def _parameters(func):
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return []
    return [n for n, p in sig.parameters.items() if n not in ("self", "cls")]


def constant_docs():
    """``{(module, name): doc}`` of the ``#:`` doc comments of every public module (Sphinx's analyzer)."""
    from sphinx.pycode import ModuleAnalyzer

    docs = {}
    for module in {p.module for p in public_names() if p.kind == "constant"}:
        try:
            attr = ModuleAnalyzer.for_module(module).find_attr_docs()
        except Exception:  # noqa: BLE001 - a module without source
            continue
        for (scope, name), lines in attr.items():
            docs[(module + ("." + scope if scope else ""), name)] = "\n".join(lines).strip()
    return docs


#: Names whose examples are literal code, not doctests: each takes minutes (the book's chapters run it,
#: and tests/test_report.py checks its result); a doctest would add that to every run of the suite.
EXAMPLES_NOT_RUN = {
    "isingsc.book.report.superconductivity_claims": "the report chapter; tests/test_report.py",
    "isingsc.book.report.heterostructure_claims": "the report chapter; tests/test_report.py",
    "isingsc.book.report.reproduction_claims": "the report chapter; tests/test_report.py",
    "isingsc.book.beyond_paper.robustness_summary": "the robustness chapter",
    "isingsc.book.beyond_paper.resolution_checks": "the robustness chapter",
}


def problems(p, const_docs=None):
    """What the docstring of the public name ``p`` lacks (an empty list if it is complete)."""
    if p.kind == "constant":
        owner = p.module if p.owner is None else f"{p.module}.{p.owner.__name__}"
        doc = (const_docs or {}).get((owner, p.qualname.rsplit(".", 1)[1]), "")
        return [] if doc else ["no #: doc comment"]
    obj = p.obj.fget if isinstance(p.obj, property) else getattr(p.obj, "func", p.obj)
    doc = inspect.getdoc(obj) if p.kind != "property" else (p.obj.__doc__ or "")
    if not doc or not doc.strip():
        return ["no docstring"]
    missing = []
    if ABBREVIATION_RE.search(first_paragraph(doc)):
        missing.append("abbreviation in the summary paragraph (autosummary cuts it there)")
    if p.kind == "module":
        return missing
    sec = sections(doc)
    examples = sec.get("Examples", [])
    doctest = any(line.lstrip().startswith(">>>") for line in examples)
    literal = any(line.rstrip().endswith("::") for line in examples)
    if not (doctest or (literal and p.qualname in EXAMPLES_NOT_RUN)):
        missing.append("Examples (a doctest)")
    if p.kind in ("class", "exception"):
        if p.kind == "class" and not ({"Parameters", "Attributes"} & set(sec)):
            missing.append("Parameters or Attributes")
        return missing
    if p.kind == "property":
        return missing
    params = _parameters(obj)
    if params:
        if "Parameters" not in sec:
            missing.append("Parameters")
        else:
            absent = [n for n in params if n not in documented_parameters(sec["Parameters"])]
            if absent:
                missing.append(f"Parameters lacks {absent}")
        if "Raises" not in sec:
            missing.append("Raises")
    if _returns_value(obj) and not ({"Returns", "Yields"} & set(sec)):
        missing.append("Returns")
    return missing


#: Public names whose docstrings are not complete yet (``tests/docstrings_incomplete.txt``, one per
#: line); this list only shrinks: the test below fails for a listed name that has become complete.
_BACKLOG = Path(__file__).with_name("docstrings_incomplete.txt")
KNOWN_INCOMPLETE: set[str] = set(_BACKLOG.read_text().split()) if _BACKLOG.exists() else set()


def _report():
    const_docs = constant_docs()
    return {p.qualname: problems(p, const_docs) for p in public_names()}


def test_every_public_name_has_a_complete_docstring():
    report = _report()
    incomplete = {name: why for name, why in report.items() if why and name not in KNOWN_INCOMPLETE}
    assert not incomplete, "incomplete docstrings:\n" + "\n".join(f"  {n}: {w}" for n, w in sorted(incomplete.items()))


def test_known_incomplete_list_is_current():
    report = _report()
    done = sorted(n for n in KNOWN_INCOMPLETE if n in report and not report[n])
    gone = sorted(n for n in KNOWN_INCOMPLETE if n not in report)
    assert not done and not gone, f"take these off KNOWN_INCOMPLETE: complete {done}, no longer public {gone}"


def test_the_enumeration_sees_the_whole_library():
    names = {p.qualname for p in public_names()}
    for expected in ("isingsc.superconductor.IsingSuperconductor.gap", "isingsc.model.TriangularTMD.lambda_soc",
                     "isingsc.superconductor.KELVIN", "isingsc.hysteresis.HysteresisLoop.M_z"):
        assert any(n.endswith(expected.split("isingsc.", 1)[1]) for n in names), expected
    assert len(names) > 300


@pytest.mark.parametrize("doc, cut", [
    ("Free energy per site, Eq. (6).", True),
    ("Free energy per site (equation 6).\n\nSee Eq. (6).", False),
    ("The gap, e.g. at T = 0.", False),
])
def test_the_summary_rule(doc, cut):
    assert bool(ABBREVIATION_RE.search(first_paragraph(doc))) is cut
