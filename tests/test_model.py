"""Symmetries and sum rules of the NbSe2 tight-binding model (Sec. II, App. A)."""
import numpy as np
import pytest
from numpy.testing import assert_allclose

import isingsc
from isingsc.model import SQRT3

RNG = np.random.default_rng(20260101)
K_RANDOM = RNG.uniform(-4.0, 4.0, size=(2, 2000))


def rotate(k, angle):
    c, s = np.cos(angle), np.sin(angle)
    return np.array([c * k[0] - s * k[1], s * k[0] + c * k[1]])


@pytest.fixture
def nbse2():
    return isingsc.NbSe2()


def test_table_one_defaults(nbse2):
    assert nbse2.epsilon == -44.5
    assert nbse2.t == (26.3, 99.1, -1.4, -11.2, -14.6, 2.5)
    assert nbse2.phi == (0.6, 0.0, 0.0, 0.0, 0.0, 0.0)


def test_lambda_soc_is_77_2_mev(nbse2):
    assert round(nbse2.lambda_soc, 1) == 77.2


def test_time_reversal(nbse2):
    up, _ = nbse2.dispersion(*K_RANDOM)
    _, down_minus = nbse2.dispersion(*(-K_RANDOM))
    assert_allclose(down_minus, up, atol=1e-10)


@pytest.mark.parametrize("angle", [2 * np.pi / 3, 4 * np.pi / 3])
def test_c3_rotation(nbse2, angle):
    up, down = nbse2.dispersion(*K_RANDOM)
    up_r, down_r = nbse2.dispersion(*rotate(K_RANDOM, angle))
    assert_allclose(up_r, up, atol=1e-10)
    assert_allclose(down_r, down, atol=1e-10)


def test_mirror_ky(nbse2):
    up, down = nbse2.dispersion(*K_RANDOM)
    up_m, down_m = nbse2.dispersion(K_RANDOM[0], -K_RANDOM[1])
    assert_allclose(up_m, up, atol=1e-10)
    assert_allclose(down_m, down, atol=1e-10)


def test_reciprocal_lattice_periodicity(nbse2):
    b1, b2 = isingsc.reciprocal_vectors()
    up, down = nbse2.dispersion(*K_RANDOM)
    for b in (b1, b2, b1 + b2):
        up_s, down_s = nbse2.dispersion(K_RANDOM[0] + b[0], K_RANDOM[1] + b[1])
        assert_allclose(up_s, up, atol=1e-9)
        assert_allclose(down_s, down, atol=1e-9)


def test_splitting_formula_a3(nbse2):
    up, down = nbse2.dispersion(*K_RANDOM)
    assert_allclose(nbse2.spin_splitting(*K_RANDOM), up - down, atol=1e-10)


def test_splitting_vanishes_on_gamma_m_lines(nbse2):
    M = isingsc.high_symmetry_points()["M"]
    s = np.linspace(-1.0, 1.0, 101)
    for angle in np.arange(6) * np.pi / 3:
        line = rotate(np.outer(M, s), angle)
        up, down = nbse2.dispersion(*line)
        assert_allclose(up - down, 0.0, atol=1e-10)
        assert_allclose(nbse2.spin_splitting(*line), 0.0, atol=1e-10)


def test_lambda_soc_from_bands_matches_a4(nbse2):
    t0, phi0 = nbse2.t[0], nbse2.phi[0]
    assert_allclose(nbse2.lambda_soc, 3 * SQRT3 * t0 * np.sin(phi0), rtol=1e-12)
    K = isingsc.high_symmetry_points()["K"]
    up, down = nbse2.dispersion(*K)
    assert_allclose(abs(up - down) / 2, nbse2.lambda_soc, rtol=1e-12)


@pytest.mark.parametrize("target", [0.0, 1.0, 50.0, 77.2, 120.0])
def test_with_lambda_soc_round_trip(nbse2, target):
    other = nbse2.with_lambda_soc(target)
    assert_allclose(other.lambda_soc, target, atol=1e-10)
    assert other.t == nbse2.t and other.epsilon == nbse2.epsilon
    assert_allclose(other.with_lambda_soc(nbse2.lambda_soc).phi[0], nbse2.phi[0], atol=1e-12)


def test_dos_integrates_to_one_state_per_spin_per_site(nbse2):
    up, _ = nbse2.dispersion(*K_RANDOM)
    e = np.linspace(-460.0, 580.0, 2601)
    dos = nbse2.density_of_states(e, nk=240)
    assert_allclose(np.trapezoid(dos, e), 1.0, atol=2e-3)
    assert np.all(dos >= 0)


def test_dos_matches_histogram(nbse2):
    """Independent check: a histogram of band energies on a fine random sample."""
    b1, b2 = isingsc.reciprocal_vectors()
    u = RNG.random((2, 400_000))
    kx, ky = u[0] * b1[0] + u[1] * b2[0], u[0] * b1[1] + u[1] * b2[1]
    up, _ = nbse2.dispersion(kx, ky)
    window = (-20.0, 20.0)
    frac = np.mean((up > window[0]) & (up < window[1]))
    e = np.linspace(*window, 401)
    dos_integral = np.trapezoid(nbse2.density_of_states(e, nk=300), e)
    assert_allclose(dos_integral, frac, rtol=0.02)


def test_dos_spin_bands_equal(nbse2):
    """Time reversal: both spin bands have the same density of states."""
    b1, b2 = isingsc.reciprocal_vectors()
    u = RNG.random((2, 200_000))
    kx, ky = u[0] * b1[0] + u[1] * b2[0], u[0] * b1[1] + u[1] * b2[1]
    up, down = nbse2.dispersion(kx, ky)
    h_up, _ = np.histogram(up, bins=20, range=(-200, 500))
    h_dn, _ = np.histogram(down, bins=20, range=(-200, 500))
    assert_allclose(h_up, h_dn, rtol=0.05, atol=50)


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.dispersion(np.nan, 0.0),
        lambda m: m.dispersion(np.zeros(3), np.zeros(4)),
        lambda m: m.with_lambda_soc(-1.0),
        lambda m: m.with_lambda_soc(1e4),
        lambda m: m.with_lambda_soc(np.nan),
        lambda m: m.density_of_states([np.nan]),
        lambda m: m.density_of_states([0.0], nk=2),
        lambda m: isingsc.TriangularTMD(epsilon=0.0, t=(1.0, 2.0), phi=(0.0,) * 6),
        lambda m: isingsc.TriangularTMD(epsilon=np.nan, t=(1.0,) * 6, phi=(0.0,) * 6),
    ],
)
def test_bad_input_raises(nbse2, call):
    with pytest.raises(ValueError):
        call(nbse2)


def test_model_is_frozen(nbse2):
    with pytest.raises(Exception):
        nbse2.epsilon = 0.0
