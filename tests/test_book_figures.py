"""The book's figure rules (isingsc.book.figures): what makes a figure illegible is caught, a legible one passes."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from isingsc.book import figures  # noqa: E402


@pytest.fixture
def book_style():
    with matplotlib.rc_context():
        figures.use_book_style(check=False)
        yield
    plt.close("all")


def test_the_book_style_gives_a_legible_figure(book_style):
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    for ax in axes:
        ax.plot([0, 1], [0, 1], label="curve")
        ax.set(xlabel="T / Tc0", ylabel="chi / chi_P", title="a panel")
        ax.legend()
    fig.colorbar(axes[0].imshow([[0, 1]]), ax=axes[1])
    assert figures.legibility_problems(fig) == []


def test_small_tick_labels_are_caught_before_the_figure_is_drawn(book_style):
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot([0, 1])
    ax.tick_params(labelsize=7)
    problems = figures.legibility_problems(fig)
    assert any(p.startswith("x tick label 7 pt") for p in problems), problems
    assert any(p.startswith("y tick label 7 pt") for p in problems), problems


def test_small_annotations_and_titles_are_caught(book_style):
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.set_title("title", fontsize=8)
    ax.text(0.5, 0.5, "note", fontsize=6.5)
    ax.text(0.5, 0.2, "", fontsize=5)  # an empty text shows nothing: not a problem
    problems = figures.legibility_problems(fig)
    assert len(problems) == 2 and all(p.startswith("text ") for p in problems), problems


def test_a_wide_figure_is_caught(book_style):
    fig, _ = plt.subplots(1, 4, figsize=(15, 3))
    (problem,) = figures.legibility_problems(fig)
    assert "15.0 in wide" in problem
    assert figures.legibility_problems(fig, max_width_in=16.0) == []


def test_assert_figures_legible_reports_and_starts_over(book_style):
    figures.checked_figures()  # nothing pending from elsewhere in this process
    figures.assert_figures_legible(expected_min=0)
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.legend(handles=ax.plot([0, 1], label="x"), fontsize=6)
    assert figures.check_figure(fig)
    with pytest.raises(AssertionError, match="legend text 6 pt"):
        figures.assert_figures_legible()
    assert figures.checked_figures() == []
    with pytest.raises(AssertionError, match="0 figures were checked"):
        figures.assert_figures_legible(expected_min=1)
    ok, ax = plt.subplots(figsize=(5, 3))
    ax.plot([0, 1])
    figures.check_figure(ok)
    assert figures.assert_figures_legible() == 1


def test_outside_ipython_no_display_check_is_installed():
    with matplotlib.rc_context():
        assert figures.use_book_style() is False
        assert matplotlib.rcParams["figure.dpi"] == figures.BOOK_DPI
        assert matplotlib.rcParams["legend.fontsize"] >= figures.MIN_FONT_PT


def test_texts_past_the_edge_are_cut_off_and_reported():
    """The book shows a figure at its own size: a label, annotation or legend past the edge is cut off."""
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot([0, 1], [0, 1], label="a curve")
    ax.set(xlabel="x (meV)", ylabel="y")
    fig.tight_layout()
    fig.draw_without_rendering()
    assert figures.cut_off_problems(fig) == []
    ax.text(1.3, 0.5, "a note on the right", transform=ax.transAxes)      # past the right edge
    ax.text(0.5, 0.5, "clipped to the axes" * 5, clip_on=True)            # clipped: not the figure's edge
    fig.subplots_adjust(bottom=0.0)                                        # the x label below the figure
    fig.draw_without_rendering()
    (problem,) = figures.cut_off_problems(fig)
    assert problem.startswith("text cut off") and "'a note on the right'" in problem and "'x (meV)'" in problem
    assert "clipped" not in problem
    plt.close(fig)
