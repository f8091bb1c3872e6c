"""The explorers (isingsc.book.explorers) and their two views (isingsc.book.interactive).

Physics of each compute function (symmetries, limits, agreement with direct library calls), and that
the static view cannot drift from the compute function: every frame the page carries equals the compute
function's output at that grid setting (float32), on reduced grids.  The browser side (sliders, play
buttons, no network) is tests/test_browser.py.
"""
from __future__ import annotations

import dataclasses
import json
import math
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

import isingsc
from isingsc.book import explorers as E
from isingsc.book import interactive as I

ROOT = Path(__file__).resolve().parents[1]


# ------------------------------------------------------------------ descriptions
def test_slider_rejects_bad_grids():
    with pytest.raises(ValueError, match="increasing"):
        E.Slider("x", "x", "", (0.0, 0.0, 1.0), 0.0, (0.0, 1.0, 0.1))
    with pytest.raises(ValueError, match="not a grid value"):
        E.Slider("x", "x", "", (0.0, 1.0), 0.5, (0.0, 1.0, 0.1))
    with pytest.raises(ValueError, match="live range"):
        E.Slider("x", "x", "", (0.0, 2.0), 0.0, (0.0, 1.0, 0.1))
    with pytest.raises(TypeError):
        E.Slider("x", "x", "", ("a", 1.0), 1.0, (0.0, 1.0, 0.1))


def test_explorer_calls_and_grids():
    ex = E.get_explorer("loops")
    assert ex.n_frames == math.prod(len(s.values) for s in ex.sliders)
    assert len(list(ex.grid())) == ex.n_frames
    with pytest.raises(TypeError, match="no slider"):
        ex(temperature=0.3)
    small = ex.with_grid(T_over_Tc0=(0.0, 0.4), field_angle_deg=(0.0,))
    assert small.n_frames == 2 * len(ex.sliders[1].values) * len(ex.sliders[2].values) * 1
    assert small.sliders[0].default == 0.4  # the grid value nearest to the default
    with pytest.raises(ValueError):
        E.get_explorer("nope")
    assert Explorer_names() == {"bands", "angle", "chi", "loops", "alignment"}


def Explorer_names():
    return set(E.EXPLORERS)


def test_live_ranges_contain_grids():
    for ex in E.EXPLORERS.values():
        for s in ex.sliders:
            lo, hi, _ = s.live
            if s.log:
                lo, hi = 10.0 ** lo, 10.0 ** hi
            assert lo <= s.values[0] and s.values[-1] <= hi * (1 + 1e-12), (ex.name, s.name)


# ------------------------------------------------------------------ physics of the compute functions
def test_bands_spin_degenerate_without_soc_and_fermi_lines_on_the_fermi_level():
    out = E.bands_and_fermi_surface(0.0)
    assert_allclose(out["xi_up"], out["xi_down"], atol=1e-9)
    out = E.bands_and_fermi_surface(77.2)
    model = isingsc.NbSe2().with_lambda_soc(77.2)
    for spin, col in (("up", 0), ("down", 1)):
        kx, ky = out[f"fs_{spin}_kx"], out[f"fs_{spin}_ky"]
        ok = np.isfinite(kx)
        assert ok.sum() > 100
        xi = model.dispersion(kx[ok], ky[ok])[col]
        assert np.max(np.abs(xi)) < 1e-6  # meV: the points are on the Fermi line
        assert np.all(E._inside_zone(np.column_stack([kx[ok], ky[ok]]), margin=1e-6))
    # time reversal: the spin-down lines are the spin-up lines reflected through k = 0
    up = np.column_stack([out["fs_up_kx"], out["fs_up_ky"]])
    dn = np.column_stack([out["fs_down_kx"], out["fs_down_ky"]])
    up, dn = up[np.isfinite(up[:, 0])], dn[np.isfinite(dn[:, 0])]
    d = np.min(np.linalg.norm(up[:, None, :] + dn[None, :, :], axis=2), axis=1)
    assert np.max(d) < 0.1  # 1/a: within the spacing of the thinned points


def test_angle_dependence_symmetric_and_interpolation_accurate():
    sc = E.superconductor(150.0)
    unit = sc.density_of_states_fermi * sc.delta0 ** 2
    hp = sc.delta0 / math.sqrt(2)
    T, J = 0.9 * sc.tc0, 0.5 * hp
    out = E.angle_dependence(150.0, 0.5, 0.9)
    # f(theta) = f(pi - theta)
    assert_allclose(out["f_sn"], out["f_sn"][::-1], atol=1e-12)
    assert_allclose(out["theta_nodes"], 180.0 - out["theta_nodes"][::-1], atol=1e-9)
    # nodes are the library's self-consistent solutions
    assert_allclose(out["f_nodes"][0], sc.free_energy(T, J, 0.0) / unit, rtol=1e-12)
    assert np.all(out["f_nodes"] <= out["fn_nodes"] + 1e-9)  # global minimum includes the normal state
    # one phase: three nodes, the quadratic in sin^2 theta; check it against a direct solve at 30 deg
    assert out["theta_nodes"].size == 5
    th = np.radians(30.0)
    direct = sc.free_energy(T, J, th) / unit
    interp = np.interp(30.0, out["theta"], out["f_sn"])
    i30 = np.argmin(abs(out["theta"] - 30.0))
    assert out["theta"][i30] == pytest.approx(30.0)
    assert abs(out["f_sn"][i30] - direct) < 2e-4, (out["f_sn"][i30], direct, interp)


def test_angle_dependence_refines_across_a_phase_change():
    # lambda = 150 Delta0, J = 2 H_P, T = 0: normal out of plane, superconducting in plane (Ising protection)
    out = E.angle_dependence(150.0, 2.0, 0.0)
    half = out["theta_nodes"] <= 90.0 + 1e-9
    th, gap = out["theta_nodes"][half], out["gap_nodes"][half]
    sc_nodes = gap > 1e-6
    assert not sc_nodes[0] and sc_nodes[-1]
    # one phase change, bracketed by two nodes ANGLE_BISECTIONS times narrower than the refined spacing
    change = np.nonzero(sc_nodes[1:] != sc_nodes[:-1])[0]
    assert change.size == 1
    s = np.sin(np.radians(th)) ** 2
    width = s[change[0] + 1] - s[change[0]]
    assert width == pytest.approx(0.25 / 2 ** E.ANGLE_BISECTIONS)
    # the normal part of the curve is the normal state (up to the interpolations, which use other nodes)
    normal = out["theta"] < th[change[0]]
    assert_allclose(out["f_sn"][normal], out["f_n"][normal], atol=1e-5)
    # and in plane the superconductor wins by far more than that
    assert out["f_nodes"][half][-1] < out["fn_nodes"][half][-1] - 0.1


def test_susceptibility_curves_limits():
    out = E.susceptibility_curves(150.0, t=np.array([0.0, 0.5, 1.0, 1.2]))
    sc = E.superconductor(150.0)
    chi_p = sc.pauli_susceptibility
    assert out["chi_perp"][0] < 1e-6  # out of plane: no spin response at T = 0 (Yosida)
    assert 0.0 < out["chi_par"][0] < 1.0  # in plane: Ising protection leaves a finite chi_s(0)
    # normal state: chi_perp = chi_P, chi_par = chi_n^soc
    assert_allclose(out["chi_perp"][2:], 1.0, rtol=1e-5)  # chi_P up to (T/E_F)^2 corrections
    assert_allclose(out["chi_par"][3], sc.normal_susceptibility(np.pi / 2, 1.2 * sc.tc0) / chi_p, rtol=1e-6)
    assert_allclose(out["chi_diff"], out["chi_par"] - out["chi_perp"])
    # the splines between the solved temperatures, against direct solutions off the nodes
    for t in (0.37, 0.63, 0.91):
        curves = E.susceptibility_curves(150.0, t=np.array([t]))
        assert abs(curves["chi_par"][0] - sc.spin_susceptibility(t * sc.tc0, np.pi / 2) / chi_p) < 5e-4
        assert abs(curves["chi_perp"][0] - sc.spin_susceptibility(t * sc.tc0, 0.0) / chi_p) < 5e-4


def test_hysteresis_loops_saturate_and_are_inversion_symmetric():
    out = E.hysteresis_loops(0.4, 0.95, 1.12, 0.0)
    n = out["H"].size // 2
    H_down, H_up = out["H"][:n], out["H"][n:]
    assert_allclose(H_down, -H_up)
    assert H_down[0] == pytest.approx(E.LOOP_FIELD_MAX)
    for form in E.FORMS:
        mz = out[f"Mz_{form}"]
        assert mz[0] == pytest.approx(1.0) and mz[n - 1] == pytest.approx(-1.0)  # saturated along the field
        # energy invariant under (theta, H) -> (theta + pi, -H): M_desc(H) = -M_asc(-H)
        assert_allclose(mz[:n], -mz[n:], atol=1e-9)
        assert_allclose(out[f"Mx_{form}"][:n], -out[f"Mx_{form}"][n:], atol=1e-9)


def test_zero_field_alignment_matches_the_ground_state_and_the_sketch():
    from isingsc.magnetism import ground_state
    from isingsc.paper import Fig4Parameters

    out = E.zero_field_alignment(1.05, 0.6)
    P = Fig4Parameters(k1=1.05)
    for form in E.FORMS:
        gs = ground_state(P.stack(0.6 * P.superconductor.tc0, coupling_form=form))
        assert out[f"theta1_{form}_marker"][0] == pytest.approx(math.degrees(math.acos(math.cos(gs.theta1))))
        assert out[f"theta2_{form}_marker"][0] == pytest.approx(math.degrees(math.acos(math.cos(gs.theta2))))
        # each arrow points along its magnet: (sin theta, cos theta) in the x-z plane
        x, y = out[f"arrows_{form}_x"], out[f"arrows_{form}_y"]
        for seg, th in ((slice(0, 2), gs.theta1), (slice(3, 5), gs.theta2)):
            d = np.array([np.diff(x[seg])[0], np.diff(y[seg])[0]])
            assert_allclose(d / np.linalg.norm(d), [math.sin(th), math.cos(th)], atol=1e-12)
    # at T = 0 chi_perp = 0, so Eq. (13) and the complete form agree
    t0 = E.zero_field_alignment(1.05, 0.0)
    assert_allclose(t0["theta1_paper"][0], t0["theta1_complete"][0], atol=1e-6)
    assert_allclose(t0["theta2_paper"][0], t0["theta2_complete"][0], atol=1e-6)


# ------------------------------------------------------------------ the static view equals the compute function
SMALL_GRIDS = {
    "bands": dict(lambda_soc=(0.0, 77.2, 130.0)),
    "angle": dict(lambda_over_delta0=(150.0,), J_over_HP=(0.5,), T_over_Tc0=(0.0, 0.9)),
    "chi": dict(lambda_over_delta0=(150.0,)),
    "loops": dict(T_over_Tc0=(0.2, 0.6), k1=(0.95,), k1_over_k2=(1.12,), field_angle_deg=(0.0, 90.0)),
    "alignment": dict(k1=(0.85, 1.05), T_over_Tc0=(0.0, 0.5)),
}


@pytest.mark.parametrize("name", sorted(SMALL_GRIDS))
def test_frames_equal_the_compute_function(name):
    ex = E.get_explorer(name).with_grid(**SMALL_GRIDS[name])
    frames = I.precompute(ex)
    spec = I.figure_spec(ex, frames)
    full = [fr for fr in spec["frames"] if "*" not in fr["name"]]
    assert len(full) == ex.n_frames
    html = I.static_html(ex, spec=spec)
    # the page carries the same figure, as JSON
    m = re.search(r'<script type="application/json" id="isingsc-explorer-[\w-]+-spec">(.*?)</script>', html, re.S)
    carried = json.loads(m.group(1).replace("<\\/", "</"))
    assert carried["frames"] == json.loads(json.dumps(spec["frames"]))
    odd = set(carried["layout"]["meta"]["isingsc"]["odd"])
    assert odd == {i for i, tr in enumerate(ex.traces) if tr.odd_halves}  # loops: every branch pair inverts
    for idx, kw in ex.grid():
        fresh = ex.compute(**kw)  # recomputed now, independently of the frames
        got = I.frame_arrays(carried, ex.frame_name(idx))
        dynamic = [i for i, tr in enumerate(ex.traces) if not tr.static]
        assert sorted(got) == dynamic
        for i in dynamic:
            tr = ex.traces[i]
            for axis in ("x", "y"):
                key = getattr(tr, axis)
                want = np.asarray(fresh[key], np.float32).astype(float)
                have = got[i].get(axis)
                if have is None:  # constant over the grid: stored once, in the base trace
                    have = I._decode(carried["data"][i][axis])
                # exact (float32), but for a restored second half: the symmetry holds to ODD_TOLERANCE
                atol = I.ODD_TOLERANCE if (i in odd and axis == "y") else 0
                assert_allclose(have, want, rtol=0, atol=atol, err_msg=f"{name} frame {idx} trace {tr.name} {axis}")
                if atol:
                    n = want.size // 2
                    assert_allclose(have[:n], want[:n], rtol=0, atol=0)
    # the base traces are the default setting
    d = ex.compute(**ex.defaults)
    for i, tr in enumerate(ex.traces):
        assert_allclose(I._decode(carried["data"][i]["y"]), np.asarray(d[tr.y], np.float32).astype(float))


RANGE_GRIDS = dict(SMALL_GRIDS, angle=dict(lambda_over_delta0=(150.0,), J_over_HP=(0.25, 1.0, 2.0), T_over_Tc0=(0.0,)))


@pytest.mark.parametrize("name", sorted(RANGE_GRIDS))
def test_every_frame_lies_inside_the_axes_it_is_drawn_with(name):
    """Fixed ranges and per-setting ranges (layout.meta.isingsc.ranges) frame all data of every setting.

    The angle explorer's grid includes J = H_P and 2 H_P, where the default frame's range (J = H_P/2) showed
    an empty plot or cut off the in-plane minimum.  tests/test_browser.py repeats this on the built page
    over the full grids.
    """
    ex = E.get_explorer(name).with_grid(**RANGE_GRIDS[name])
    frames = I.precompute(ex)
    spec = I.figure_spec(ex, frames)
    ranges = spec["layout"]["meta"]["isingsc"]["ranges"]
    for idx, out in frames.items():
        setting = ex.frame_name(idx)
        for p, panel in enumerate(ex.panels):
            if panel.hide_axes:
                continue
            suffix = "" if p == 0 else str(p + 1)
            for attr, fixed in (("x", panel.xrange), ("y", panel.yrange)):
                lo, hi = fixed if fixed is not None else ranges[f"{attr}axis{suffix}"][setting]
                for tr in ex.traces:
                    if tr.panel != p:
                        continue
                    v = np.asarray(out[getattr(tr, attr)], float)
                    v = v[np.isfinite(v)]
                    assert v.size == 0 or (lo <= v.min() and v.max() <= hi), \
                        f"{name} {setting}: {tr.name} {attr} in [{v.min():.4g}, {v.max():.4g}], axis [{lo:.4g}, {hi:.4g}]"
    # the default setting is drawn with its own ranges from the start
    default = ex.frame_name(ex.default_indices())
    for axis, by_setting in ranges.items():
        assert spec["layout"][axis]["range"] == list(by_setting[default])


def test_alignment_axis_frames_0_to_90_degrees_with_tc_marked():
    ex = E.get_explorer("alignment")
    assert ex.panels[0].yrange[0] < 0.0 and 90.0 < ex.panels[0].yrange[1] <= 95.0
    out = ex(k1=0.95, T_over_Tc0=0.5)
    for key in ("theta1_paper", "theta2_paper", "theta1_complete", "theta2_complete"):
        assert 0.0 <= out[key].min() and out[key].max() <= 90.0
    tc = [tr for tr in ex.traces if tr.static and tr.x == "tc_x"]
    assert tc and np.all(out["tc_x"] == 1.0)
    assert any(tr.mode == "text" and tr.text == ("T<sub>c0</sub>",) for tr in ex.traces)


def test_loops_readout_names_its_quantity():
    ex = E.get_explorer("loops")
    hovers = {ex.panels[tr.panel].ylabel.split(" ")[0]: tr.hover for tr in ex.traces}
    assert "M<sub>z</sub> = %{y" in hovers["M<sub>z</sub>"] and "M<sub>x</sub> = %{y" in hovers["M<sub>x</sub>"]


def test_curves_independent_of_a_slider_are_stored_once_and_checked():
    ex = E.get_explorer("alignment").with_grid(k1=(0.85, 1.05), T_over_Tc0=(0.0, 0.5, 1.0))
    spec = I.figure_spec(ex)
    names = sorted(fr["name"] for fr in spec["frames"])
    assert names == ["0,*", "0,0", "0,1", "0,2", "1,*", "1,0", "1,1", "1,2"]
    # a false declaration (the markers depend on T too) is refused, not drawn
    bad = dataclasses.replace(ex, traces=tuple(dataclasses.replace(tr, depends=("k1",)) if tr.x == "t_marker" else tr
                                               for tr in ex.traces))
    with pytest.raises(ValueError, match="declared independent"):
        I.figure_spec(bad)


def test_odd_halves_are_used_only_where_every_frame_has_the_symmetry():
    ex = E.get_explorer("loops").with_grid(T_over_Tc0=(0.5,), k1=(0.95,), k1_over_k2=(1.12,), field_angle_deg=(0.0, 45.0))
    frames = I.precompute(ex)
    assert I._odd_traces(ex, frames, set()) == [i for i, tr in enumerate(ex.traces) if tr.odd_halves]
    broken = {k: dict(v) for k, v in frames.items()}
    y = broken[(0, 0, 0, 1)]["Mz_paper"].copy()
    y[-1] += 1e-3  # breaks the symmetry in one frame: that trace is stored in full everywhere
    broken[(0, 0, 0, 1)]["Mz_paper"] = y
    i_mz = [tr.y for tr in ex.traces].index("Mz_paper")
    assert i_mz not in I._odd_traces(ex, broken, set())
    spec = I.figure_spec(ex, broken)
    assert_allclose(I.frame_arrays(spec, "0,0,0,1")[i_mz]["y"], y.astype(np.float32))


def test_static_html_is_self_contained():
    ex = E.get_explorer("bands").with_grid(lambda_soc=(0.0, 77.2))
    html = I.static_html(ex)
    assert "http://" not in html and "https://" not in html  # no CDN, no external resource
    assert "require" not in html
    assert I.page_fallback_text in html
    assert 'class="isingsc-explorer"' in html  # the marker the Sphinx extension looks for
    names = [fr["name"] for fr in I.figure_spec(ex)["frames"]]
    assert names == ["0", "1"]


def test_frame_weight_is_what_a_reader_can_see():
    # no trace with more than ~600 points per frame
    for ex in E.EXPLORERS.values():
        out = ex(**ex.defaults) if ex.name not in ("angle", "chi") else None
        if out is None:
            continue
        for tr in ex.traces:
            assert np.asarray(out[tr.y]).size <= 700, (ex.name, tr.name)


def test_book_view_precomputes_only_in_the_html_build(monkeypatch):
    ex = E.get_explorer("bands").with_grid(lambda_soc=(0.0, 77.2))
    monkeypatch.delenv(I.BUILD_ENV, raising=False)
    stub = I.book_view(ex)
    assert stub.frames == {} and "interactive figure" in stub._repr_html_()
    monkeypatch.setenv(I.BUILD_ENV, "1")
    view = I.book_view(ex)
    assert len(view.frames) == 2 and view.size_bytes > 1000
    # the page shows the figure, then its provenance line (number, data file, code links)
    assert view._repr_html_() == view.html + view.links and 'data-figure="explorer-bands"' in view.links


def test_build_workers_follow_the_environment_cap(monkeypatch):
    monkeypatch.delenv(I.BUILD_WORKERS_ENV, raising=False)
    import os

    assert I._build_workers() == min(I.BUILD_WORKERS, os.cpu_count() or 1)
    monkeypatch.setenv(I.BUILD_WORKERS_ENV, "1")  # what _ext/parallel_execution.py sets for its kernels
    assert I._build_workers() == 1
    monkeypatch.setenv(I.BUILD_WORKERS_ENV, "0")  # at least one: the frames are computed in-process
    assert I._build_workers() == 1
    monkeypatch.setenv(I.BUILD_WORKERS_ENV, "two")
    with pytest.raises(ValueError, match="ISINGSC_BUILD_WORKERS must be an integer"):
        I._build_workers()
    # with one worker the frames are those of the pool (same compute function, no executor)
    monkeypatch.setenv(I.BUILD_ENV, "1")
    monkeypatch.setenv(I.BUILD_WORKERS_ENV, "1")
    ex = E.get_explorer("bands").with_grid(lambda_soc=(0.0, 77.2))
    view = I.book_view(ex)
    assert len(view.frames) == 2 and view.html == I.StaticView(ex).html


# ------------------------------------------------------------------ live view
def test_live_view_recomputes_off_grid_and_reuses_frames_on_grid():
    pytest.importorskip("ipywidgets")
    ex = E.get_explorer("bands").with_grid(lambda_soc=(0.0, 77.2))
    frames = I.precompute(ex)
    marked = {k: dict(v) for k, v in frames.items()}
    marked[(1,)]["xi_up"] = frames[(1,)]["xi_up"] + 1000.0  # recognisable: only a reuse can show it
    view = I.LiveView(ex, marked)
    up_line = view.lines[1]
    assert_allclose(up_line.get_ydata(), marked[(1,)]["xi_up"])  # default 77.2 is a grid value
    seconds = view.update(lambda_soc=33.0)  # off the grid: computed
    assert seconds > 0 and view.sliders["lambda_soc"].value == 33.0
    assert_allclose(up_line.get_ydata(), E.bands_and_fermi_surface(33.0)["xi_up"])
    assert view.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    # moving the widget itself triggers the same update
    view.sliders["lambda_soc"].value = 0.0
    assert_allclose(up_line.get_ydata(), marked[(0,)]["xi_up"])


# ------------------------------------------------------------------ Sphinx extension
def test_extension_adds_plotly_only_to_explorer_pages(tmp_path):
    sys.path.insert(0, str(ROOT / "_ext"))
    try:
        import explorers_html
    finally:
        sys.path.pop(0)

    class App:
        def __init__(self):
            self.js = []

        def add_js_file(self, name, **kw):
            self.js.append(name)

    app = App()
    explorers_html._add_scripts(app, "chapters/intro", "page.html", {"body": "<p>no figure</p>"}, None)
    assert app.js == []
    explorers_html._add_scripts(app, "chapters/model", "page.html",
                                {"body": '<div class="isingsc-explorer" data-explorer="bands">'}, None)
    assert app.js == ["plotly.min.js", "isingsc-explorers.js"]
    assert explorers_html.plotly_js_source().stat().st_size > 1_000_000
    assert (ROOT / "_static" / "isingsc-explorers.js").is_file()


def test_precompute_over_a_process_pool_equals_serial():
    """The HTML build spreads the frames over worker processes (book_view): same frames, same keys,
    also when the groups of the first slider are cut into pieces."""
    from concurrent.futures import ProcessPoolExecutor

    ex = E.get_explorer("loops").with_grid(T_over_Tc0=(0.5,), k1=(0.95, 1.05), k1_over_k2=(1.12,),
                                           field_angle_deg=(0.0, 45.0))
    serial = I.precompute(ex)
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = I.precompute(ex, pool)
    assert sorted(pooled) == sorted(serial) == sorted(idx for idx, _ in ex.grid())
    for idx, out in serial.items():
        assert sorted(pooled[idx]) == sorted(out)
        for key, value in out.items():
            np.testing.assert_array_equal(pooled[idx][key], value)
