"""The library as its users meet it (issue 22): one unit per quantity, the library/book line, saving and
loading, reprs, units, warnings, checked executors, progress bars, the general map, lazy imports."""
import dataclasses
import json
import math
import pickle
import subprocess
import sys
import warnings
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from numpy.testing import assert_allclose

import isingsc
from isingsc import FSFStack, IsingQuadraticCoupling, IsingSuperconductor, NbSe2, hysteresis_loop


@pytest.fixture(scope="module")
def sc():
    return isingsc.ising_superconductor(150.0)


@pytest.fixture(scope="module")
def resp(sc):
    return isingsc.superconductor_response(sc)


@pytest.fixture(scope="module")
def pool():
    with ProcessPoolExecutor(max_workers=2) as p:
        yield p


# ------------------------------------------------------------------ the line between library and book
def test_the_book_machinery_is_not_in_the_top_level_namespace():
    for name in ("report", "paper_checks", "explorers", "interactive", "beyond_paper_claims", "robustness_summary"):
        assert name not in isingsc.__all__
    assert not hasattr(isingsc.robustness, "beyond_paper_claims")
    from isingsc.book import beyond_paper, explorers, interactive, paper_checks, report

    assert beyond_paper.beyond_paper_claims.__module__ == "isingsc.book.beyond_paper"
    assert {m.__name__ for m in (explorers, interactive, paper_checks, report)} == {
        "isingsc.book.explorers", "isingsc.book.interactive", "isingsc.book.paper_checks", "isingsc.book.report"}


def test_import_is_light_and_lazy():
    """import isingsc pulls in neither SciPy nor the engine (benchmarks/import_time.py measures the time)."""
    code = "import sys, isingsc; print(sorted(m for m in ('scipy', 'numpy', 'isingsc.superconductor') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    code = "import sys, isingsc; isingsc.find_t_star; print('scipy.interpolate' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


# ------------------------------------------------------------------ one unit for T*, one default coupling form
def test_t_star_is_in_mev_everywhere(resp):
    P = isingsc.Fig4Parameters(k1=0.95)
    res = isingsc.find_t_star(resp, P.K1, P.K2, P.J, t_tol=1e-5)
    edge = isingsc.stability_temperature(resp, P.K1, P.K2, P.J, t_tol=1e-6)
    assert_allclose(edge, res.t_star_last, atol=2e-5 * resp.tc0)          # both meV
    assert_allclose(res.t_star_tc0 * resp.tc0, res.t_star)
    m = isingsc.t_star_map([P.k1], [150.0], n_t=2401)
    assert_allclose(m.t_star[0, 0], edge, atol=1e-3 * resp.tc0)            # meV as well
    assert_allclose(m.t_star_tc0, m.t_star / resp.tc0)


def test_one_default_coupling_form(resp):
    import inspect

    P = isingsc.Fig4Parameters()
    for func in (isingsc.find_t_star, isingsc.stability_temperature, isingsc.t_star_map, resp.coupling, P.stack,
                 isingsc.fig4_stack, resp.susceptibilities, isingsc.single_magnet_anisotropy,
                 isingsc.easy_axis_phase_diagram, isingsc.stack_map):
        assert inspect.signature(func).parameters["coupling_form"].default == "complete", func
    assert resp.coupling(0.5 * resp.tc0) == resp.coupling(0.5 * resp.tc0, "complete")


# ------------------------------------------------------------------ stability edge versus ground-state T*
def test_a_stability_edge_that_is_a_spinodal_says_so(sc, resp):
    """Full free energy at J = 0.25 H_P: the out-of-plane state is locally stable from ~0.391 Tc0 on, but in
    plane is the ground state there (first-order change): the edge is a spinodal and the function warns."""
    P = isingsc.Fig4Parameters(k1=0.95)
    with pytest.warns(isingsc.FirstOrderTransitionWarning, match="spinodal"):
        edge = isingsc.stability_temperature(resp, P.K1, P.K2, P.J, "microscopic", t_tol=2e-3)
    assert 0.38 < edge / resp.tc0 < 0.40
    # independent check of the local stability: the Hessian of the stack energy from engine free energies
    def energy(t1, t2, T):
        return (P.K1 * math.sin(t1) ** 2 + P.K2 * math.sin(t2) ** 2
                + sc.free_energy(T, 2 * P.J * abs(math.cos(0.5 * (t1 - t2))), abs(0.5 * (t1 + t2))))

    for t, stable in ((edge / resp.tc0 - 0.006, False), (edge / resp.tc0 + 0.006, True)):
        T, h = t * resp.tc0, 0.05
        e0 = energy(0, 0, T)
        e11 = (energy(h, 0, T) + energy(-h, 0, T) - 2 * e0) / h**2
        e22 = (energy(0, h, T) + energy(0, -h, T) - 2 * e0) / h**2
        e12 = (energy(h, h, T) - energy(h, -h, T) - energy(-h, h, T) + energy(-h, -h, T)) / (4 * h * h)
        assert (e11 * e22 - e12**2 > 0) == stable
    # and on the stable side the ground state is not the out-of-plane one
    cpl = isingsc.microscopic_coupling(sc, edge + 0.006 * resp.tc0, P.J)
    assert isingsc.ground_state(FSFStack(P.K1, P.K2, 1.0, 1.0, P.J, cpl)).alignment != "out-of-plane"


def test_continuous_transitions_give_no_warning(resp):
    P = isingsc.Fig4Parameters(k1=0.95)
    with warnings.catch_warnings():
        warnings.simplefilter("error", isingsc.FirstOrderTransitionWarning)
        for state in ("out-of-plane", "in-plane"):
            isingsc.stability_temperature(resp, P.K1, P.K2, P.J, "complete", state)


# ------------------------------------------------------------------ warnings: band edges, kelvin
def test_band_edge_warning_near_a_saddle_and_not_at_the_paper_filling():
    lam = 150 * isingsc.DELTA0_PAPER
    with pytest.warns(isingsc.BandEdgeWarning, match="van Hove saddle"):
        IsingSuperconductor(NbSe2(epsilon=146.0).with_lambda_soc(lam))
    with pytest.warns(isingsc.BandEdgeWarning, match="extremum at K"):
        IsingSuperconductor(NbSe2(epsilon=-456.0).with_lambda_soc(lam))
    with warnings.catch_warnings():
        warnings.simplefilter("error", isingsc.BandEdgeWarning)
        IsingSuperconductor(NbSe2().with_lambda_soc(lam))
        IsingSuperconductor(NbSe2(epsilon=-250.0).with_lambda_soc(lam))
    assert issubclass(isingsc.BandEdgeWarning, UserWarning)


def test_a_kelvin_temperature_in_gap_warns_and_kelvin_converts(sc):
    with pytest.warns(isingsc.TemperatureUnitWarning, match=r"isingsc.kelvin\(3\)"):
        assert sc.gap(3) == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error", isingsc.TemperatureUnitWarning)
        assert sc.gap(isingsc.kelvin(3)) == sc.gap(3 * isingsc.KELVIN) > 0
        sc.gap(1.3 * sc.tc0)        # just above Tc0: an ordinary normal-state point
        sc.gap(40.0)                # 40 meV is normal in either reading
    assert_allclose(isingsc.in_kelvin(isingsc.kelvin([1.0, 7.2])), [1.0, 7.2])


def test_from_tc_and_with_epsilon():
    s = IsingSuperconductor.from_tc(NbSe2(), 7.2)
    assert_allclose(isingsc.in_kelvin(s.tc0), 7.2, rtol=1e-10)
    assert_allclose(s.delta0 / s.tc0, IsingSuperconductor(NbSe2()).delta0 / IsingSuperconductor(NbSe2()).tc0,
                    rtol=1e-4)   # Delta0/Tc0 depends on Delta0 only through the DOS varying on that scale (1e-5)
    assert s.with_epsilon(-40.0).model == NbSe2(epsilon=-40.0) == NbSe2().with_epsilon(-40.0)
    with pytest.raises(ValueError, match="tc_kelvin"):
        IsingSuperconductor.from_tc(NbSe2(), -1.0)


def test_field_to_tesla():
    assert_allclose(isingsc.field_to_tesla(isingsc.MU_B), 1.0)
    assert_allclose(isingsc.tesla_to_field(isingsc.field_to_tesla([0.1, 0.2], 1.5), 1.5), [0.1, 0.2])
    assert_allclose(isingsc.field_to_tesla(1.0, moment=2.0), 0.5 / isingsc.MU_B)
    with pytest.raises(ValueError, match="moment"):
        isingsc.field_to_tesla(1.0, moment=0.0)


# ------------------------------------------------------------------ reprs
def test_reprs_show_the_non_default_parameters():
    a, b = IsingSuperconductor(NbSe2(epsilon=-40)), IsingSuperconductor(NbSe2())
    assert repr(a) != repr(b) and "epsilon=-40.0" in repr(a)
    from isingsc import Resolution  # noqa: F401  (for eval)
    for obj in (a, NbSe2().with_lambda_soc(60.0), IsingSuperconductor(NbSe2(), 0.3, resolution=Resolution(16))):
        assert eval(repr(obj)) == obj


def test_result_reprs_summarise_arrays():
    loop = hysteresis_loop(FSFStack(1.0, 0.9, 1.12, 1.0, 0.1, IsingQuadraticCoupling(20.0, 5.0)), 3.0, 400)
    text = repr(loop)
    assert len(text) < 1000 and "HysteresisBranch" in text and "FSFStack" in text
    assert "array (401,)" in repr(loop.descending)


# ------------------------------------------------------------------ to_dict / from_dict, save / load
@pytest.mark.parametrize("obj", [
    NbSe2(), NbSe2(epsilon=-40.0).with_lambda_soc(50.0).with_alpha_R(3.0),
    isingsc.TriangularTMD(-10.0, (20.0, 0, 0, 0, 0, 0), (0.1, 0, 0, 0, 0, 0), name="mine"),
    IsingSuperconductor(NbSe2(), 0.3, resolution=isingsc.Resolution(16, 8)),
    isingsc.materials.MAGNETS["CrI3"],
    FSFStack(1.0, 0.9, 1.12, 1.0, 0.1, IsingQuadraticCoupling(20.0, 5.0)),
])
def test_to_dict_round_trip_through_json(obj):
    data = json.loads(json.dumps(obj.to_dict()))
    back = type(obj).from_dict(data)
    assert back == obj and type(back) is type(obj)


def test_asdict_of_a_used_superconductor(sc):
    sc.tc0  # fills the caches
    d = dataclasses.asdict(sc)
    assert set(d) == {"model", "delta0", "resolution"}


def test_from_dict_refuses_another_class():
    with pytest.raises(TypeError, match="NbSe2"):
        IsingSuperconductor.from_dict(NbSe2().to_dict())
    with pytest.raises(TypeError, match="data"):
        NbSe2.from_dict("NbSe2()")


def test_results_save_load_and_compare_equal(tmp_path, sc, resp):
    P = isingsc.Fig4Parameters(k1=0.95)
    loop = hysteresis_loop(P.stack(0.5 * resp.tc0), 4 * P.field_unit, 100)
    micro = hysteresis_loop(FSFStack(P.K1, P.K2, 1.0, 1.0, P.J, isingsc.microscopic_coupling(
        sc, 0.5 * resp.tc0, P.J, n_magnitudes=4, n_angles=2)), 4 * P.field_unit, 20)
    results = [loop, micro, resp, isingsc.find_t_star(resp, P.K1, P.K2, P.J, n_scan=9),
               isingsc.t_star_map([0.5, 0.95, 3.0], [150.0], n_t=61),
               isingsc.stack_map(sc, {"K1": [P.K1, 2 * P.K1]}, K2=P.K2, J=P.J, n_scan=9)]
    for i, r in enumerate(results):
        path = r.save(tmp_path / f"r{i}")
        assert path.suffix == ".npz"
        back = type(r).load(path)
        assert back == r and back is not r
        assert isingsc.load(path) == r
        assert pickle.loads(pickle.dumps(r)) == r
    assert results[2].chi_perp_at(0.3 * resp.tc0) == isingsc.load(tmp_path / "r2.npz").chi_perp_at(0.3 * resp.tc0)
    with pytest.raises(TypeError, match="HysteresisLoop"):
        isingsc.TStarResult.load(tmp_path / "r0.npz")
    different = isingsc.find_t_star(resp, P.K1, P.K2, 1.01 * P.J, n_scan=9)
    assert different != results[3]


def test_microscopic_coupling_pickles(sc):
    cpl = isingsc.microscopic_coupling(sc, 0.5 * sc.tc0, 0.02, n_magnitudes=4, n_angles=2)
    back = pickle.loads(pickle.dumps(cpl))
    assert back == cpl
    assert float(back.energy(0.3, 1.0, 0.02)) == float(cpl.energy(0.3, 1.0, 0.02))


# ------------------------------------------------------------------ executors: one checked path everywhere
class _WrongCount:
    def map(self, func, *iterables):
        return [func(*args) for args in zip(*iterables)][:-1] or [None]


class _NaN:
    def map(self, func, *iterables):
        return [[float("nan")] * len(chunk) for chunk in iterables[1]]


def _executor_calls(sc, resp):
    from isingsc import robustness
    from isingsc.book import explorers, interactive

    return {
        "sweep": lambda ex: sc.sweep("gap", [0.1, 0.2], executor=ex),
        "t_star_map": lambda ex: isingsc.t_star_map([0.6], [150.0], n_t=31, executor=ex),
        "alignment_map": lambda ex: robustness.alignment_map(sc, [0.1], [0.1], executor=ex),
        "filling_map": lambda ex: robustness.filling_map([-44.3], executor=ex),
        "microscopic_tables": lambda ex: isingsc.microscopic_tables(sc, [0.0917], 0.0123, n_magnitudes=4,
                                                                    n_angles=2, executor=ex),
        "stack_map": lambda ex: isingsc.stack_map(sc, {"T": [0.05]}, "susceptibility", executor=ex),
        "find_t_star": lambda ex: isingsc.find_t_star(resp, 1e-5, 1e-5, 0.05, n_scan=3, executor=ex),
        # a coarse grid of the angle explorer (6 settings, one superconductor): the executor path is the same
        "precompute": lambda ex: interactive.precompute(
            explorers.get_explorer("angle").with_grid(lambda_over_delta0=(150.0,), J_over_HP=(0.25, 0.5)), ex),
    }


@pytest.mark.parametrize("what", ["sweep", "t_star_map", "alignment_map", "filling_map", "microscopic_tables",
                                  "stack_map", "find_t_star", "precompute"])
def test_executors_are_checked(sc, resp, what):
    call = _executor_calls(sc, resp)[what]
    with pytest.raises(TypeError, match="executor"):
        call("a process pool")
    with pytest.raises(isingsc.ExecutorError):
        call(_WrongCount())


def test_non_finite_executor_results_are_refused(sc):
    with pytest.raises(isingsc.ExecutorError, match="finite"):
        sc.sweep("gap", [0.1, 0.2], executor=_NaN())


# ------------------------------------------------------------------ progress bars
def test_progress_is_silent_unless_asked(sc, capsys):
    sc.sweep("gap", [0.1, 0.2])
    sc.sweep("gap", [0.1, 0.2], progress=False)
    assert capsys.readouterr().err == ""
    sc.sweep("gap", [0.1, 0.2], progress=True)
    err = capsys.readouterr().err
    assert "sweep gap" in err and "2/2" in err
    with pytest.raises(TypeError, match="progress"):
        sc.sweep("gap", [0.1], progress="yes")


# ------------------------------------------------------------------ the general map
def test_stack_map_equals_find_t_star_point_by_point_and_on_a_pool(sc, resp, pool):
    J = np.array([0.05, 0.08])
    K1 = resp.chi_s0 * 0.08**2 * np.array([0.6, 0.95])
    serial = isingsc.stack_map(sc, {"K1": K1, "J": J}, K2=K1[1] / 1.12, n_scan=9, t_tol=1e-3)
    for i, k in enumerate(K1):
        for j, jj in enumerate(J):
            ref = isingsc.find_t_star(resp, k, K1[1] / 1.12, jj, n_scan=9, t_tol=1e-3)
            assert_allclose(serial["t_star"][i, j], ref.t_star)
            assert serial["direction"][i, j] == ref.direction
    assert isingsc.stack_map(sc, {"K1": K1, "J": J}, K2=K1[1] / 1.12, n_scan=9, t_tol=1e-3, executor=pool) == serial


def test_stack_map_over_material_parameters(sc):
    T = [0.0, 0.5 * sc.tc0]
    m = isingsc.stack_map(sc, {"epsilon": [-44.5, -40.0], "T": T}, "susceptibility")
    other = sc.with_epsilon(-40.0)
    assert_allclose(m["chi_par"][1], [other.spin_susceptibility(t) for t in T])
    assert_allclose(m["tc0"][1], other.tc0)
    a = isingsc.stack_map(sc, {"lambda_soc": [30 * sc.delta0, sc.model.lambda_soc]}, "alignment",
                          K1=1e-5, K2=1e-5, J=0.05, T=0.0)
    assert a["alignment"].shape == (2,)
    with pytest.raises(ValueError, match="needs J"):
        isingsc.stack_map(sc, {"K1": [1e-5]}, K2=1e-5)
    with pytest.raises(ValueError, match="does not enter"):
        isingsc.stack_map(sc, {"K1": [1e-5]}, "susceptibility", T=0.1)
    with pytest.raises(ValueError, match="unknown grid parameter"):
        isingsc.stack_map(sc, {"k1": [1.0]}, K2=1e-5, J=0.1)


# ------------------------------------------------------------------ plotting
def test_plot_hysteresis_and_susceptibilities_have_units(resp):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from isingsc import plotting

    P = isingsc.Fig4Parameters(k1=0.95)
    loop = hysteresis_loop(P.stack(0.5 * resp.tc0), 4 * P.field_unit, 100)
    fig, axes = plt.subplots(1, 4)
    try:
        red = plotting.plot_hysteresis(axes[0], loop, field_unit=P.field_unit)
        tes = plotting.plot_hysteresis(axes[1], loop, "tesla", moment=1.5)
        mev = plotting.plot_hysteresis(axes[2], loop, "meV", magnetization="x")
        assert_allclose(red["x"][0], loop.descending.H / P.field_unit)
        assert_allclose(tes["x"][1], isingsc.field_to_tesla(loop.ascending.H, 1.5))
        assert_allclose(mev["y"][0], loop.descending.M_x / (P.Ms1 + P.ms2))
        assert [ax.get_xlabel() for ax in axes[:3]] == [r"$H$ ($\chi_s(0)J^2/M_s$)", r"$\mu_0 H$ (T)",
                                                        r"$H$ (meV per Nb site per unit $M_s$)"]
        assert all(ax.get_ylabel().startswith("$M_") and "M_{s1}" in ax.get_ylabel() for ax in axes[:3])
        art = plotting.plot_susceptibilities(axes[3], resp)
        assert_allclose(art["chi_par"].get_ydata(), resp.chi_par_at(art["T"]) / resp.chi_pauli)
        assert_allclose(art["chi_perp"].get_xdata(), art["T"] / resp.tc0)
        assert axes[3].get_xlabel() == r"$T/T_{c0}$" and axes[3].get_ylabel() == r"$\chi/\chi_P$"
        with pytest.raises(ValueError, match="field_unit"):
            plotting.plot_hysteresis(axes[0], loop)
        with pytest.raises(TypeError, match="loop"):
            plotting.plot_hysteresis(axes[0], loop.descending, "meV")
    finally:
        plt.close(fig)


def test_hysteresis_loop_fields_name_their_units():
    for name in ("H", "M_z", "M_x"):
        doc = getattr(isingsc.HysteresisLoop, name).__doc__
        assert "per" in doc or "units" in doc, (name, doc)
