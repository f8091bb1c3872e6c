"""The package layout: one concept per module, every public name defined once, top-level names intact."""
import importlib
import pkgutil

import pytest

import isingsc

MODULES = sorted(m.name for m in pkgutil.walk_packages(isingsc.__path__, "isingsc.") if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_every_public_name_exists(name):
    mod = importlib.import_module(name)
    assert hasattr(mod, "__all__"), f"{name} has no __all__"
    for attr in mod.__all__:
        assert hasattr(mod, attr), f"{name}.{attr}"


def test_top_level_names_exist_and_are_the_modules_objects():
    owners = {}
    for name in MODULES:
        mod = importlib.import_module(name)
        for attr in mod.__all__:
            obj = getattr(mod, attr)
            if callable(obj) or isinstance(obj, type):
                owners.setdefault(attr, set()).add(id(obj))
    for attr in isingsc.__all__:
        assert hasattr(isingsc, attr), attr
    # no twins: a public name exported by several modules is one and the same object
    twins = {attr: ids for attr, ids in owners.items() if len(ids) > 1}
    assert not twins, f"names defined more than once: {sorted(twins)}"


def test_the_chapters_top_level_names():
    """Names the chapters and the README use from the top level."""
    for attr in ("NbSe2", "TriangularTMD", "IsingSuperconductor", "Resolution", "DELTA0_PAPER", "KELVIN", "BCS_RATIO",
                 "FSFStack", "IsingQuadraticCoupling", "ConventionalCoupling", "TabulatedCoupling", "hysteresis_loop",
                 "effective_anisotropy", "easy_direction", "relax", "high_symmetry_points", "bz_path",
                 "Fig4Parameters", "ising_superconductor", "superconductor_response", "find_t_star", "t_star_map",
                 "ground_state", "stability_temperature", "microscopic_tables", "microscopic_coupling",
                 "easy_axis_phase_diagram", "collinear_determinant", "collinear_stability_limits"):
        assert attr in isingsc.__all__, attr


def test_one_nbse2():
    from isingsc.materials import nbse2

    assert isingsc.NbSe2 is nbse2.NbSe2 is isingsc.materials.NbSe2
    assert not hasattr(isingsc.model, "NbSe2")
    assert isingsc.NbSe2.lattice_constant == nbse2.LATTICE_CONSTANT


def test_heterostructure_is_gone():
    with pytest.raises(ImportError):
        importlib.import_module("isingsc.heterostructure")
