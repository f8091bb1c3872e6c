"""Regression tests for the fuzz findings of the last hostile-input run (issue 22), one group per class.

``benchmarks/fuzz_public_api.py`` runs every public entry point with every hostile value of its kind and
counts the outcomes by class; each test below pins one finding of a class that the run brought to zero
(the earlier findings have their own tests in test_issue9_library.py, test_library_api.py and
test_engine_regressions.py).  ``tests/test_hostile_inputs.py`` checks the contract as a property.
"""
import math

import numpy as np
import pytest

import isingsc
from isingsc import maps, microscopic, tstar
from isingsc.magnetism import collinear_determinant


@pytest.fixture(scope="module")
def sc():
    return isingsc.ising_superconductor(150.0)


@pytest.fixture(scope="module")
def resp(sc):
    return isingsc.superconductor_response(sc)


# ----------------------------------------------------------------- bare: builtin errors, no parameter name
@pytest.mark.parametrize("call, name", [
    (lambda sc, r: tstar.eq13_window(r, "x", 1.0, 0.1), "K1"),          # was: can't multiply sequence by float
    (lambda sc, r: tstar.eq13_window(r, 1.0, 1.0, 1e300), "J"),         # was: OverflowError
    (lambda sc, r: isingsc.find_t_star(r, 1e-7, 1e-7, 0.01, ground_state_options=1.5), "ground_state_options"),
    (lambda sc, r: isingsc.find_t_star(r, 1e-7, 1e-7, 1e300), "J"),    # was: 'the energy is beyond double precision'
    (lambda sc, r: isingsc.microscopic_table(sc, "T", 0.1), "T"),      # was: 'temperatures must be ...'
    (lambda sc, r: isingsc.microscopic_table(sc, 1e300, 0.1), "T"),
    (lambda sc, r: microscopic.free_energy_derivatives(sc, 0.1, 0.1, angle=1e-300), "angle"),  # ZeroDivisionError
    (lambda sc, r: isingsc.ising_superconductor(1e300), "lambda_over_delta0"),  # named only lambda_soc
    (lambda sc, r: isingsc.t_star_map([0.6], [1e300]), "lambdas"),
    (lambda sc, r: isingsc.t_star_map([1e300], [150.0]), "k1"),         # the determinant's overflow
    (lambda sc, r: collinear_determinant(1.0, 1.0, 1.0, 1e300, 0.0), "chi_par"),
    (lambda sc, r: isingsc.IsingSuperconductor.from_tc(isingsc.NbSe2(), 1e300), "tc_kelvin"),  # named delta0
    (lambda sc, r: isingsc.NbSe2().with_epsilon("deep"), "value"),     # named epsilon, its parameter is value
    (lambda sc, r: sc.with_epsilon(None), "epsilon"),
    (lambda sc, r: isingsc.load(3.0), "path"),                          # was: pathlib's TypeError
])
def test_errors_name_the_parameter(sc, resp, call, name):
    with pytest.raises((TypeError, ValueError), match=rf"\b{name}\b"):
        call(sc, resp)


def test_a_missing_or_foreign_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="path"):
        isingsc.load(tmp_path / "nothing.npz")                          # was: NumPy's own error
    (tmp_path / "text.npz").write_text("not a zip file")
    with pytest.raises(ValueError, match="not an isingsc result file"):
        isingsc.load(tmp_path / "text.npz")


# ----------------------------------------------------------------- deep: exceptions from inside NumPy/SciPy
def test_a_vanishing_table_field_is_refused_not_an_svd_failure(sc):
    nodes = np.array([1.0, 2.0, 3.0, 4.0]) * 1e-300
    with pytest.raises(ValueError, match=r"\bJ\b"):                     # was: LinAlgError (SVD did not converge)
        microscopic.MicroscopicTable(0.1, 1e-300, nodes, np.array([0.0, 1.5]), np.zeros((4, 2)), 0.0)
    with pytest.raises(ValueError, match=r"\bJ\b.*delta0"):
        isingsc.microscopic_table(sc, 0.1, 1e-300)


# ----------------------------------------------------------------- nonfinite: NaN or inf returned
def test_an_overflowing_table_extrapolation_is_refused(sc):
    tab = isingsc.microscopic_table(sc, 0.3 * sc.tc0, 0.1, n_magnitudes=4, n_angles=2)
    with pytest.raises(ValueError, match="J_abs"):                      # was: nan
        tab.energy(1e300, 0.0)
    assert np.isfinite(tab.energy(0.1, 0.3))


@pytest.mark.parametrize("field, value", [("T", math.nan), ("t", math.inf), ("below", "sideways")])
def test_transitions_hold_finite_temperatures_and_known_labels(field, value):
    kwargs = dict(T=0.1, t=0.4, below="out-of-plane", above="in-plane")
    kwargs[field] = value
    with pytest.raises(ValueError, match=field):                        # was: Transition(T=nan, ...)
        tstar.Transition(**kwargs)


def test_nan_means_no_t_star_and_is_documented(resp):
    """The one NaN the T* API returns: 'no transition in the scan' (documented; the fuzz allows only it)."""
    K = 3 * resp.chi_s0 * 0.01**2
    res = isingsc.find_t_star(resp, K, K, 0.01, n_scan=5)
    assert res.transitions == () and math.isnan(res.t_star) and "none" in res.direction
    assert "nan" in tstar.TStarResult.t_star.__doc__


# ----------------------------------------------------------------- accepted: an error was due
def test_result_records_check_their_fields(sc):
    good = dict(coupling_form="complete", k1=[1.0], lambdas=[150.0], tc0=[0.26], k1_over_k2=1.12,
                t_star=[[np.nan]], out_below=[[False]], k_window=[[0.1, 0.9]])
    tstar.TStarMap(**good)
    for field, bad in (("tc0", "x"), ("k1_over_k2", -1.0), ("t_star", [[np.inf]]), ("out_below", [[1.5]]),
                       ("k_window", [[0.1]]), ("coupling_form", "banana")):
        with pytest.raises((TypeError, ValueError), match=field):      # was: accepted as given
            tstar.TStarMap(**dict(good, **{field: bad}))
    with pytest.raises(ValueError, match="alignment_low"):
        tstar.Eq13Window(1.0, 1.0, 0.5, 1.0, (), "banana", "in-plane")
    with pytest.raises(ValueError, match="alignments"):
        tstar.TStarResult("complete", 1.0, 1.0, 0.1, [0.1, 0.2], ("in-plane",), ())
    m = isingsc.stack_map(sc, {"T": [0.0, 0.1]}, "susceptibility", progress=False)
    with pytest.raises(ValueError, match="quantity"):
        maps.StackMap("banana", m.coupling_form, m.superconductor, m.axes, m.fixed, m.values)
    with pytest.raises(ValueError, match="t_star_tc0"):
        m.t_star_tc0                                                    # was: KeyError


def test_arguments_unused_on_a_path_are_still_checked(sc, resp):
    with pytest.raises(ValueError, match=r"\bJ\b"):                     # the quadratic forms ignore J
        isingsc.stack_coupling(resp, 0.1, math.nan, "complete")
    isingsc.microscopic_table(sc, 0.1, 0.15, n_magnitudes=4, n_angles=2)
    with pytest.raises(TypeError, match="executor"):                    # every table cached: executor unused
        isingsc.microscopic_tables(sc, [0.1], 0.15, n_magnitudes=4, n_angles=2, executor="pool")
    with pytest.raises(TypeError, match="check_ground_state"):
        isingsc.stability_temperature(resp, 1e-7, 1e-7, 0.01, check_ground_state="yes")
    with pytest.raises(ValueError, match="n_scan"):                     # only a t_star map scans
        isingsc.stack_map(sc, {"T": [0.1]}, "susceptibility", n_scan=10**9)


def test_glue_refuses_a_nan_in_the_prose():
    from isingsc.book.glue import glue

    with pytest.raises(ValueError, match="finite"):
        glue("tc", float("nan"))


# ----------------------------------------------------------------- mutable: state corruptible from outside
def test_result_arrays_are_read_only(sc, resp):
    K = 0.6 * resp.chi_s0 * 0.01**2
    res = isingsc.find_t_star(resp, K, K, 0.01, n_scan=5)
    tab = isingsc.microscopic_table(sc, 0.1, 0.15, n_magnitudes=4, n_angles=2)
    m = isingsc.t_star_map([0.6], [150.0], n_t=21)
    for arr in (res.temperatures, tab.values, tab.J_abs, m.t_star, m.k1, m.k_window, m.out_below):
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 0


def test_the_book_style_is_read_only():
    from isingsc.book.figures import STYLE

    with pytest.raises(TypeError):
        STYLE["font.size"] = 30.0
