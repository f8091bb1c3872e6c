"""isingsc.book.provenance: the data file of a figure is exactly what the figure draws."""
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import isingsc  # noqa: E402
from isingsc.book import provenance  # noqa: E402


@pytest.fixture
def fig():
    f = plt.figure()
    yield f
    plt.close(f)


def _panel(fig, k=0):
    return provenance.figure_data(fig)["axes"][k]


def test_lines_are_the_plotted_arrays(fig):
    ax = fig.add_subplot()
    x = np.linspace(-1.0, 2.0, 37)
    y = np.sin(3.1 * x) / 7.0
    ax.plot(x, y, label="spin up")
    ax.set(xlabel="k (1/a)", ylabel=r"$\xi$ (meV)", title="(b)")
    panel = _panel(fig)
    (line,) = panel["series"]
    assert line["kind"] == "line" and line["label"] == "spin up"
    assert line["x"] == x.tolist() and line["y"] == y.tolist()   # exact: every bit of every double
    assert panel["x"]["label"] == "k (1/a)" and panel["y"]["label"] == r"$\xi$ (meV)"
    assert panel["title"] == "(b)"


def test_gaps_and_masked_values_are_null(fig):
    ax = fig.add_subplot()
    ax.plot([0.0, 1.0, 2.0], [1.0, np.nan, np.inf])
    ax.plot(np.ma.masked_array([1.0, 2.0], mask=[False, True]), [3.0, 4.0])
    first, second = _panel(fig)["series"]
    assert first["y"] == [1.0, None, None]
    assert second["x"] == [1.0, None]
    json.dumps(provenance.figure_data(fig), allow_nan=False)  # valid JSON: no NaN, no Infinity


def test_reference_lines_say_their_coordinates(fig):
    ax = fig.add_subplot()
    ax.axhline(0.25)
    ax.axvline(-3.0)
    ax.axvspan(1.0, 2.0)
    h, v, span = _panel(fig)["series"]
    assert h["y"] == [0.25, 0.25] and h["coordinates"] == {"x": "axes fraction"}
    assert v["x"] == [-3.0, -3.0] and v["coordinates"] == {"y": "axes fraction"}
    assert span["kind"].startswith("patch:") and min(span["x"]) == 1.0 and max(span["x"]) == 2.0
    assert span["coordinates"] == {"y": "axes fraction"}


def test_scatter_mesh_fill_and_bars(fig):
    ax1, ax2, ax3 = fig.subplots(1, 3)
    xs, ys, cs = np.array([0.5, 1.5]), np.array([2.0, -1.0]), np.array([10.0, 20.0])
    ax1.scatter(xs, ys, c=cs)
    X, Y = np.meshgrid(np.arange(4.0), np.arange(3.0))
    Z = (X * Y)[:-1, :-1]
    mesh = ax2.pcolormesh(X, Y, Z)
    fig.colorbar(mesh, ax=ax2, label="T* (meV)")
    t = np.linspace(0, 1, 5)
    ax3.fill_between(t, t**2, t)
    ax3.hist([0.1, 0.2, 0.25, 0.9], bins=[0.0, 0.5, 1.0])
    data = provenance.figure_data(fig)
    scatter = data["axes"][0]["series"][0]
    assert (scatter["x"], scatter["y"], scatter["c"]) == (xs.tolist(), ys.tolist(), cs.tolist())
    mesh_data = data["axes"][1]["series"][0]
    assert mesh_data["kind"] == "mesh" and mesh_data["c"] == Z.tolist()
    assert mesh_data["x"] == X.tolist() and mesh_data["y"] == Y.tolist()
    fill, *bars = data["axes"][2]["series"]
    assert fill["kind"] == "polygons" and set(fill["x"][0]) == set(t.tolist())
    heights = sorted(max(b["y"]) for b in bars)
    assert heights == [1.0, 3.0]                                  # the histogram's counts
    colorbars = [p for p in data["axes"] if "colorbar" in p]
    assert [p["colorbar"]["label"] for p in colorbars] == ["T* (meV)"]


def test_texts_and_named_ticks(fig):
    ax = fig.add_subplot()
    ax.plot([0.0, 1.0, 2.0], [0.0, 1.0, 0.0])
    ax.set_xticks([0.0, 1.0, 2.0], [r"$\Gamma$", "M", "K"])
    ax.text(1.0, 0.5, "2λ")
    ax.annotate("peak", xy=(1.0, 1.0), xytext=(1.5, 0.8), arrowprops={"arrowstyle": "->"})
    panel = _panel(fig)
    assert panel["x"]["ticks"] == [[0.0, r"$\Gamma$"], [1.0, "M"], [2.0, "K"]]
    assert "ticks" not in panel["y"]                              # plain numbers need no names
    texts = {t["text"]: t for t in panel["texts"]}
    assert texts["2λ"]["x"] == 1.0 and texts["peak"]["xy"] == [1.0, 1.0]


def test_digest_follows_the_data(fig):
    ax = fig.add_subplot()
    (line,) = ax.plot([0.0, 1.0], [0.0, 1.0])
    first = provenance.data_digest(provenance.figure_data(fig))
    assert first == provenance.data_digest(provenance.figure_data(fig))
    line.set_ydata([0.0, 1.0 + 2**-52])                         # one bit of one number
    assert provenance.data_digest(provenance.figure_data(fig)) != first


def test_qualified_names():
    m = isingsc.NbSe2()
    assert provenance.qualified_name(isingsc.plotting.plot_bands) == "isingsc.plotting.plot_bands"
    assert provenance.qualified_name(m.dispersion) == "isingsc.model.TriangularTMD.dispersion"
    with pytest.raises(TypeError, match="computed_by"):
        provenance.qualified_name(lambda x: x)
    with pytest.raises(TypeError, match="Figure"):
        provenance.figure_data("not a figure")


def test_show_writes_the_data_file_only_in_the_build(fig, tmp_path, monkeypatch):
    displayed = []
    monkeypatch.setattr("IPython.display.display", lambda obj: displayed.append(obj))
    ax = fig.add_subplot()
    ax.plot([1.0, 2.0], [3.0, 5.0])
    ax.set(xlabel="T (meV)", ylabel="f (meV)")
    monkeypatch.delenv(provenance.STORE_ENV, raising=False)
    provenance.show(fig, "test-fig", computed_by=[isingsc.plotting.plot_bands])
    assert displayed[0] is fig
    line = displayed[1].data
    assert 'data-figure="test-fig"' in line and "data-sha256" not in line
    assert 'data-py="isingsc.plotting.plot_bands"' in line
    assert not list(tmp_path.iterdir())

    fig2 = plt.figure()
    ax = fig2.add_subplot()
    ax.plot([1.0, 2.0], [3.0, 5.0])
    monkeypatch.setenv(provenance.STORE_ENV, str(tmp_path))
    provenance.show(fig2, "test-fig", computed_by=[isingsc.plotting.plot_bands])
    record = json.loads((tmp_path / "test-fig.json").read_text(encoding="utf-8"))
    assert record["figure"] == "test-fig" and "units" in record
    assert record["computed_by"] == ["isingsc.plotting.plot_bands"]
    assert record["axes"][0]["series"][0]["y"] == [3.0, 5.0]
    assert record["sha256"] == provenance.data_digest(record)
    assert f'data-sha256="{record["sha256"]}"' in displayed[-1].data
    with pytest.raises(ValueError, match="figure name"):
        provenance.show(fig, "Fig 1")
