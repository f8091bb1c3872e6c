"""Fermi-surface geometry of the band model (isingsc.fermi_surface) and the lattice geometry (isingsc.model)."""
import numpy as np
import pytest
from numpy.testing import assert_allclose

import isingsc
from isingsc import fermi_surface as fs
from isingsc import model

HS = isingsc.high_symmetry_points()


@pytest.fixture(scope="module")
def nbse2():
    return isingsc.NbSe2()


@pytest.fixture(scope="module")
def contours(nbse2):
    return fs.fermi_contours(nbse2, nk=300)


@pytest.fixture(scope="module")
def pockets(nbse2):
    return {s: fs.fermi_pockets(nbse2, spin=s, nk=241) for s in ("up", "down")}


# ------------------------------------------------------------------ geometry
def test_zone_area_and_corners():
    assert_allclose(isingsc.brillouin_zone_area(), 8 * np.pi**2 / np.sqrt(3), rtol=1e-14)
    corners = isingsc.brillouin_zone_corners()
    assert corners.shape == (6, 2)
    assert_allclose(np.hypot(*corners.T), 4 * np.pi / 3, rtol=1e-14)
    assert_allclose(corners[0], HS["K"], atol=1e-14)
    assert_allclose(corners[3], HS["K'"], atol=1e-14)
    # shoelace area of the hexagon equals the reciprocal-cell area
    x, y = corners.T
    assert_allclose(0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y), isingsc.brillouin_zone_area(), rtol=1e-13)


def test_nearest_neighbour_phases_match_bands(nbse2):
    """The phases drawn in Fig. 2(a) reproduce the first-shell part of Eq. (A1)."""
    bonds = model.nearest_neighbour_phases("up")
    assert len(bonds) == 6
    assert_allclose(sorted(np.hypot(*np.array([R for R, _ in bonds]).T)), 1.0, rtol=1e-14)
    # the C3 orbit (1,0), (-1/2, +-sqrt3/2) carries -phi0 for spin up
    for R, p in bonds:
        expected = -1 if np.isclose(R[0], 1.0) or np.isclose(R[0], -0.5) else +1
        assert p == expected
    k = np.random.default_rng(1).uniform(-4, 4, size=(2, 50))
    t0, phi0 = nbse2.t[0], nbse2.phi[0]
    for spin, idx in (("up", 0), ("down", 1)):
        first_shell = sum(t0 * np.exp(1j * p * phi0) * np.exp(1j * (R[0] * k[0] + R[1] * k[1]))
                          for R, p in model.nearest_neighbour_phases(spin))
        only_t0 = isingsc.TriangularTMD(epsilon=0.0, t=(t0, 0, 0, 0, 0, 0), phi=(phi0, 0, 0, 0, 0, 0))
        assert_allclose(first_shell.imag, 0.0, atol=1e-12)
        assert_allclose(first_shell.real, only_t0.dispersion(*k)[idx], atol=1e-12)


def test_polar_angle():
    pts = np.array([[1.0, 0.0], [0.0, 2.0], [-1.0, 0.0], [0.0, -1.0]])
    assert_allclose(fs.polar_angle(pts), [0, 90, 180, 270])
    assert_allclose(fs.polar_angle(pts + 5.0, center=(5.0, 5.0)), [0, 90, 180, 270])


def test_band_gradient_matches_analytic_first_shell():
    model = isingsc.TriangularTMD(epsilon=0.0, t=(1.0, 0, 0, 0, 0, 0), phi=(0.0,) * 6)
    kx, ky = np.array([0.3, 1.1, -2.0]), np.array([0.7, -0.4, 1.5])
    # xi = 2 cos(kx) + 4 cos(sqrt3 ky / 2) cos(kx / 2)
    b = np.sqrt(3) * ky / 2
    gx_exact = -2 * np.sin(kx) - 2 * np.cos(b) * np.sin(kx / 2)
    gy_exact = -4 * np.sin(b) * np.cos(kx / 2) * np.sqrt(3) / 2
    gx, gy = fs.band_gradient(model, kx, ky)
    assert_allclose(gx, gx_exact, atol=1e-8)
    assert_allclose(gy, gy_exact, atol=1e-8)


# ------------------------------------------------------------- Fermi surface
def test_contour_points_lie_on_the_fermi_surface(nbse2, contours):
    for idx, lines in enumerate(contours):
        assert lines, "no Fermi lines found"
        for line in lines:
            assert line.ndim == 2 and line.shape[1] == 2
            assert np.abs(nbse2.dispersion(*line.T)[idx]).max() < 1e-8


def test_unrefined_contours_are_close(nbse2):
    up, down = fs.fermi_contours(nbse2, nk=300, refine=False)
    for idx, lines in enumerate((up, down)):
        err = max(np.abs(nbse2.dispersion(*ln.T)[idx]).max() for ln in lines)
        assert err < 1.0  # meV; linear interpolation on a 0.03/a grid


def test_spin_contours_related_by_time_reversal(nbse2, contours):
    """xi_down(k) = xi_up(-k): every spin-down Fermi point reflected through 0 is a spin-up Fermi point."""
    up, down = contours
    up_pts = np.vstack(up)
    for line in down:
        assert np.abs(nbse2.dispersion(*(-line).T)[0]).max() < 1e-8
        # and it is close to the traced spin-up lines (not merely on some other branch)
        d = np.min(np.hypot(*(up_pts[None, :, :] + line[::10, None, :]).transpose(2, 0, 1)), axis=1)
        assert d.max() < 0.05
    assert sum(map(len, up)) == pytest.approx(sum(map(len, down)), rel=0.02)


def test_pockets_are_closed_and_enclose_their_centres(nbse2, pockets):
    for spin, idx in (("up", 0), ("down", 1)):
        pk = pockets[spin]
        assert set(pk) == {"Gamma", "K", "K'"}
        for name, c in pk.items():
            assert c is not None
            assert_allclose(c[0], c[-1])
            assert fs._signed_area(c) > 0  # counter-clockwise
            assert fs._inside(c, HS[name])
            assert np.abs(nbse2.dispersion(*c.T)[idx]).max() < 1e-8
            # hole pockets: the band is above the Fermi level at the centre
            assert nbse2.dispersion(*HS[name])[idx] > 0


def test_pockets_of_the_two_spins_swap_k_and_kprime(pockets):
    up, down = pockets["up"], pockets["down"]
    area = {s: {n: fs._signed_area(c) for n, c in pk.items()} for s, pk in pockets.items()}
    assert_allclose(area["up"]["K"], area["down"]["K'"], rtol=1e-9)
    assert_allclose(area["up"]["Gamma"], area["down"]["Gamma"], rtol=1e-9)
    assert area["up"]["K"] < area["up"]["K'"]  # Delta_soc(K) < 0: spin up is lower at K


def test_line_dos_matches_triangle_method(nbse2, pockets):
    n0 = {s: sum(fs.contour_dos_weights(nbse2, c, s)[1].sum() for c in pk.values()) for s, pk in pockets.items()}
    assert_allclose(n0["up"], n0["down"], rtol=1e-10)
    assert_allclose(n0["up"], float(nbse2.density_of_states(0.0, nk=600)), rtol=2e-4)


def test_splitting_nodes_only_on_gamma_pocket(nbse2, pockets):
    for spin in ("up", "down"):
        gamma = nbse2.spin_splitting(*pockets[spin]["Gamma"][:-1].T)
        assert np.count_nonzero(np.diff(np.sign(gamma))) + (np.sign(gamma[0]) != np.sign(gamma[-1])) == 6
        for name in ("K", "K'"):
            v = nbse2.spin_splitting(*pockets[spin][name].T)
            assert np.all(np.sign(v) == np.sign(v[0]))
            assert np.abs(v).min() > 0.9 * nbse2.lambda_soc  # stays of order lambda on the corner pockets
        assert np.abs(gamma).max() < 0.4 * nbse2.lambda_soc  # small on the Gamma pocket (third order in k)


def test_pocket_missing_returns_none():
    # a band entirely below the Fermi level has no pockets
    empty = isingsc.TriangularTMD(epsilon=-1000.0, t=(1.0, 0, 0, 0, 0, 0), phi=(0.0,) * 6)
    assert fs.fermi_pockets(empty, nk=41) == {"Gamma": None, "K": None, "K'": None}
    up, down = fs.fermi_contours(empty, nk=41)
    assert up == [] and down == []


@pytest.mark.parametrize(
    "call",
    [
        lambda m: fs.fermi_contours(m, nk=4),
        lambda m: fs.fermi_contours(m, nk=20.5),
        lambda m: fs.fermi_contours(m, extent=(1.0, -1.0)),
        lambda m: fs.fermi_contours(m, extent=(1.0,)),
        lambda m: fs.fermi_pockets(m, spin="sideways"),
        lambda m: fs.fermi_pockets(m, centers=("X",)),
        lambda m: fs.fermi_pockets(m, half_width=0.0),
        lambda m: fs.band_gradient(m, 0.0, 0.0, h=-1.0),
        lambda m: fs.contour_dos_weights(m, np.zeros((1, 2))),
        lambda m: fs.polar_angle(np.zeros(3)),
        lambda m: model.nearest_neighbour_phases("left"),
    ],
)
def test_bad_input_raises(nbse2, call):
    with pytest.raises((TypeError, ValueError)):
        call(nbse2)


# ------------------------------------------------------------------ van Hove saddles
def _hessian_det(model, k, spin, h=1e-4):
    gxp, gyp = fs.band_gradient(model, k[0] + h, k[1], spin)
    gxm, gym = fs.band_gradient(model, k[0] - h, k[1], spin)
    gxq, gyq = fs.band_gradient(model, k[0], k[1] + h, spin)
    gxr, gyr = fs.band_gradient(model, k[0], k[1] - h, spin)
    hxx, hxy = (gxp - gxm) / (2 * h), (gyp - gym) / (2 * h)
    hyx, hyy = (gxq - gxr) / (2 * h), (gyq - gyr) / (2 * h)
    return float(hxx * hyy - hxy * hyx)


@pytest.mark.parametrize("lam", [0.0, 77.2, 130.0])
def test_van_hove_points_are_saddles_with_mirror_partners(lam):
    """Zero gradient and an indefinite Hessian; the vertical mirror maps a spin-up saddle at
    (kx, ky) onto a spin-down saddle at (-kx, ky) at the same energy."""
    m = isingsc.NbSe2().with_lambda_soc(lam)
    points = fs.van_hove_points(m)
    assert len(points) >= 2
    assert [p.xi for p in points] == sorted(p.xi for p in points)
    other = {"up": "down", "down": "up"}
    for p in points:
        assert p.spins
        for spin in p.spins:
            assert_allclose(m.dispersion(*p.k)[model.spin_index(spin)], p.xi, atol=1e-9)
            assert np.hypot(*fs.band_gradient(m, *p.k, spin)) < 1e-5
            assert _hessian_det(m, p.k, spin) < 0
            mirrored = (-p.k[0], p.k[1])
            assert_allclose(m.dispersion(*mirrored)[model.spin_index(other[spin])], p.xi, atol=1e-9)
            assert np.hypot(*fs.band_gradient(m, *mirrored, other[spin])) < 1e-5


def test_van_hove_points_without_spin_orbit_coupling_sit_at_m_on_both_bands():
    m = isingsc.NbSe2().with_lambda_soc(0.0)
    points = fs.van_hove_points(m)
    assert all(p.spins == ("up", "down") for p in points)
    at_m = [p for p in points if np.allclose(p.k, HS["M"], atol=1e-9)]
    assert len(at_m) == 1
    assert_allclose(at_m[0].xi, m.dispersion(*HS["M"])[0], atol=1e-9)


def test_van_hove_points_are_the_peaks_of_the_density_of_states(nbse2):
    """Independent method: the triangle-method N(epsilon) has a logarithmic peak at each saddle energy."""
    for p in fs.van_hove_points(nbse2):
        e = p.xi + np.linspace(-12.0, 12.0, 49)
        dos = nbse2.density_of_states(e, nk=400)
        assert abs(e[np.argmax(dos)] - p.xi) <= 1.0
        assert dos[24] > 1.3 * max(dos[0], dos[-1])


# ------------------------------------------------------------------ band edges
def test_band_edges_of_the_nearest_neighbour_band_are_analytic():
    """xi = 2t(cos kx + 2 cos(kx/2) cos(sqrt3 ky/2)): bottom -3t at K and K', top 6t at Gamma."""
    t = 1.3
    m = isingsc.TriangularTMD(0.0, (t, 0, 0, 0, 0, 0), (0.0,) * 6)
    bottom, top = fs.band_edges(m)[:2]
    assert_allclose([bottom.xi, top.xi], [-3 * t, 6 * t], atol=1e-8)
    assert min(np.hypot(*(np.array(top.k) - c)) for c in _images("Gamma")) < 1e-4
    assert min(np.hypot(*(np.array(bottom.k) - c)) for c in _images("K", "K'")) < 1e-4


def _images(*points):
    """The high-symmetry points and their images under reciprocal-lattice translations near the cell."""
    b1, b2 = model.reciprocal_vectors()
    return [HS[p] + i * b1 + j * b2 for p in points for i in (-1, 0, 1, 2) for j in (-1, 0, 1, 2)]


def test_band_edges_of_nbse2_time_reversal_grid_independence_and_dos_support(nbse2):
    edges = fs.band_edges(nbse2)
    (b_up, t_up, b_dn, t_dn) = edges
    assert [(e.kind, e.band) for e in edges] == [("bottom", "up"), ("top", "up"), ("bottom", "down"), ("top", "down")]
    # time reversal: xi_down(k) = xi_up(-k), so both bands have the same bottom and top
    assert_allclose([b_up.xi, t_up.xi], [b_dn.xi, t_dn.xi], atol=1e-8)
    # the top is the spin-down band at K (the spin-orbit splitting adds to it there)
    assert_allclose(t_up.xi, nbse2.dispersion(*HS["K"])[1], atol=1e-8)
    # the refined edges do not depend on the starting grid, and no dense grid finds a lower point
    coarse = fs.band_edges(nbse2, nk=48)
    assert_allclose([e.xi for e in coarse], [e.xi for e in edges], atol=1e-7)
    dense = nbse2._band_grid(900)  # (the engine's band evaluator: equal to dispersion to ~1e-12 meV)
    assert b_up.xi - 1e-9 <= dense.min() < b_up.xi + 0.05
    assert t_up.xi + 1e-9 >= dense.max() > t_up.xi - 0.05
    # the density of states lives between the edges
    dos = nbse2.density_of_states(np.array([b_up.xi - 1.0, b_up.xi + 2.0, t_up.xi - 2.0, t_up.xi + 1.0]), nk=300)
    assert dos[0] == 0.0 and dos[3] == 0.0 and dos[1] > 0 and dos[2] > 0
