"""Figure helpers of isingsc.plotting (Figs. 1-2): they draw what the model and the Fermi surface give."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.artist import Artist  # noqa: E402
from numpy.testing import assert_allclose  # noqa: E402

import isingsc  # noqa: E402
from isingsc import plotting as ip  # noqa: E402

HS = isingsc.high_symmetry_points()


@pytest.fixture(scope="module")
def nbse2():
    return isingsc.NbSe2()


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


# ------------------------------------------------------------------ drawing
def _all_artists(obj):
    if isinstance(obj, dict):
        return [a for v in obj.values() for a in _all_artists(v)]
    if isinstance(obj, (list, tuple)):
        return [a for v in obj for a in _all_artists(v)]
    return [obj] if isinstance(obj, Artist) else []


def test_draw_lattice(ax):
    art = ip.draw_lattice(ax, radius=2.7)
    assert len(art["bonds"]) == 6 and len(art["a_vectors"]) == 2
    assert art["cell"] is not None and art["nb"] is not None and art["se"] is not None
    labels = [t.get_text() for t in art["bond_labels"]]
    assert sum("-i" in s for s in labels) == 3 and sum("+i" in s for s in labels) == 3
    assert all(isinstance(a, Artist) for a in _all_artists(art))
    with pytest.raises(ValueError):
        ip.draw_lattice(ax, radius=0.5)


def test_draw_brillouin_zone(ax):
    art = ip.draw_brillouin_zone(ax)
    assert len(art["path"]) == 3
    texts = [t.get_text() for t in art["labels"]]
    assert texts.count(r"$K$") == 3 and texts.count(r"$K'$") == 3
    with pytest.raises(ValueError):
        ip.draw_brillouin_zone(ax, path=("Gamma", "X"))


def test_plot_fermi_surface(ax, nbse2):
    art = ip.plot_fermi_surface(ax, nbse2, nk=200)
    assert art["up"] and art["down"]
    assert art["up"][0].get_color() == ip.SPIN_COLORS["up"]
    assert art["down"][0].get_color() == ip.SPIN_COLORS["down"]
    assert art["up"][0].get_clip_path() is not None


def test_plot_bands(ax, nbse2):
    art = ip.plot_bands(ax, nbse2)
    assert art["up"].get_color() == ip.SPIN_COLORS["up"]
    assert art["down"].get_color() == ip.SPIN_COLORS["down"]
    assert art["fermi"] is not None
    assert len(art["soc"]) == 2 and "154.3" in art["soc"][1].get_text()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == [r"$\Gamma$", r"$M$", r"$K$", r"$\Gamma$"]
    # no splitting to annotate without spin-orbit coupling, or without K on the path
    fig2, ax2 = plt.subplots()
    assert ip.plot_bands(ax2, nbse2.with_lambda_soc(0.0))["soc"] == []
    assert ip.plot_bands(ax2, nbse2, points=("Gamma", "M"))["soc"] == []
    plt.close(fig2)
    with pytest.raises(ValueError):
        ip.plot_bands(ax, nbse2, points=("Gamma", "Q"))


def test_draw_stack(ax):
    art = ip.draw_stack(ax, theta=(0.0, np.pi / 2))
    assert len(art["slabs"]) == 9 and len(art["magnetization"]) == 6 and len(art["axes"]) == 2
    # bottom arrows point along +z, top arrows along +x
    bottom, top = art["magnetization"][0], art["magnetization"][3]
    assert np.isclose(bottom.xy[0], bottom.xyann[0]) and bottom.xy[1] > bottom.xyann[1]
    assert np.isclose(top.xy[1], top.xyann[1]) and top.xy[0] > top.xyann[0]
    with pytest.raises(ValueError):
        ip.draw_stack(ax, theta=(0.0,))


def test_alignment_schematic(ax):
    art = ip.draw_alignment_schematic(ax, chi_ratio0=0.55, threshold=0.8)
    assert 0.0 < art["t_star"] < 1.0
    x, y = art["curve"].get_data()
    assert np.all(np.diff(y) >= -1e-12)  # chi_s(T) grows on warming
    assert_allclose(y[x >= 1.0], 1.0)  # and saturates at Tc
    assert_allclose(np.interp(art["t_star"], x, y), 0.8, atol=1e-3)
    with pytest.raises(ValueError):
        ip.draw_alignment_schematic(ax, chi_ratio0=0.9, threshold=0.8)


def test_yosida_limits():
    y = ip._yosida(np.array([0.0, 0.05, 0.5, 0.999, 1.0, 1.2]))
    assert y[0] == 0.0 and y[1] < 1e-10
    assert 0.0 < y[2] < 1.0
    assert_allclose(y[3:], 1.0, atol=0.01)
