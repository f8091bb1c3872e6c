"""Macrospin energetics and Stoner-Wohlfarth hysteresis of the F/S/F stack (Sec. III-IV)."""
import numpy as np
import pytest
from numpy.testing import assert_allclose

import isingsc
from isingsc.hysteresis import hysteresis_loop
from isingsc.magnetism import (
    ConventionalCoupling,
    FSFStack,
    IsingQuadraticCoupling,
    TabulatedCoupling,
    easy_direction,
    effective_anisotropy,
    relax,
    wrap_angle,
)

RNG = np.random.default_rng(20240607)
TH1 = RNG.uniform(-np.pi, np.pi, 40)
TH2 = RNG.uniform(-np.pi, np.pi, 40)
H_TOL = 1e-6  # default relative resolution of the switching fields


def astroid(psi):
    """Stoner-Wohlfarth switching field in units of 2K/Ms."""
    return (np.cos(psi) ** (2 / 3) + np.sin(psi) ** (2 / 3)) ** -1.5


def events(loop, branch=None):
    return [e for e in loop.switching_fields if branch is None or e.branch == branch]


def fd_gradient(stack, t1, t2, H, ang, h=1e-5):
    e = lambda a, b: stack.energy(a, b, H, ang)
    return np.stack([(e(t1 + h, t2) - e(t1 - h, t2)) / (2 * h), (e(t1, t2 + h) - e(t1, t2 - h)) / (2 * h)], -1)


def fd_hessian(stack, t1, t2, H, ang, h=1e-4):
    g = lambda a, b: stack.gradient(a, b, H, ang)
    d1 = (g(t1 + h, t2) - g(t1 - h, t2)) / (2 * h)
    d2 = (g(t1, t2 + h) - g(t1, t2 - h)) / (2 * h)
    return np.stack([d1, d2], -2)


COUPLINGS = [
    None,
    IsingQuadraticCoupling(0.7),
    IsingQuadraticCoupling(0.7, 0.25),
    ConventionalCoupling(1.3, 0.6),
]


# ------------------------------------------------------------------ energetics
def test_energy_is_eq_12_with_eq_13():
    K1, K2, Ms1, Ms2, J, chi, H, v = 1.1, 0.8, 1.3, 0.9, 0.7, 0.6, 0.45, 0.3
    st = FSFStack(K1, K2, Ms1, Ms2, J=J, coupling=IsingQuadraticCoupling(chi))
    s1, s2 = np.sin(TH1), np.sin(TH2)
    eq13 = ((K1 - 0.5 * chi * J**2) * s1**2 + (K2 - 0.5 * chi * J**2) * s2**2 - chi * J**2 * s1 * s2
            - H * Ms1 * np.cos(TH1 - v) - H * Ms2 * np.cos(TH2 - v))
    assert_allclose(st.energy(TH1, TH2, H, v), eq13, rtol=0, atol=1e-13)
    mz, mx = st.magnetization(TH1, TH2)
    assert_allclose(mz, Ms1 * np.cos(TH1) + Ms2 * np.cos(TH2), atol=1e-14)
    assert_allclose(mx, Ms1 * s1 + Ms2 * s2, atol=1e-14)


def test_complete_quadratic_form_adds_chi_perp_term():
    J, cp, cz = 0.8, 0.6, 0.25
    full = IsingQuadraticCoupling(cp, cz).energy(TH1, TH2, J)
    expected = -0.5 * J**2 * (cp * (np.sin(TH1) + np.sin(TH2)) ** 2 + cz * (np.cos(TH1) + np.cos(TH2)) ** 2)
    assert_allclose(full, expected, atol=1e-14)
    conv = ConventionalCoupling(1.3, 0.6).energy(TH1, TH2)
    assert_allclose(conv, 1.3 * 0.6**2 * np.cos(0.5 * (TH1 - TH2)) ** 2, atol=1e-14)


@pytest.mark.parametrize("coupling", COUPLINGS, ids=["none", "eq13", "quadratic", "conventional"])
def test_analytic_gradient_and_hessian_match_finite_differences(coupling):
    st = FSFStack(1.1, -0.4, 1.3, 0.9, J=0.8, coupling=coupling)
    H, v = 0.37, 0.6
    assert_allclose(st.gradient(TH1, TH2, H, v), fd_gradient(st, TH1, TH2, H, v), atol=1e-8)
    hess = st.hessian(TH1, TH2, H, v)
    assert_allclose(hess, fd_hessian(st, TH1, TH2, H, v), atol=1e-7)
    assert_allclose(hess, np.swapaxes(hess, -1, -2), atol=0)


@pytest.mark.parametrize("coupling", COUPLINGS, ids=["none", "eq13", "quadratic", "conventional"])
def test_energy_change_is_accurate_below_the_rounding_error_of_the_energy(coupling):
    st = FSFStack(1.1, -0.4, 1.3, 0.9, J=0.8, coupling=coupling)
    H, v = 0.37, 0.6
    n1, n2 = TH1 + RNG.normal(size=TH1.size), TH2 + RNG.normal(size=TH2.size)
    assert_allclose(st.energy_change(TH1, TH2, n1, n2, H, v),
                    st.energy(n1, n2, H, v) - st.energy(TH1, TH2, H, v), atol=1e-13)
    # steps of 1e-9 rad: the change (~1e-9) must be right to ~1e-7 relative, which a plain
    # difference of energies (~1) cannot deliver; compare with the second-order Taylor expansion
    new = np.stack([TH1, TH2], -1) + 1e-9 * RNG.normal(size=(TH1.size, 2))
    d = new - np.stack([TH1, TH2], -1)  # the step actually taken (exact in floating point)
    g = st.gradient(TH1, TH2, H, v)
    hess = st.hessian(TH1, TH2, H, v)
    taylor = np.sum(g * d, -1) + 0.5 * np.einsum("ni,nij,nj->n", d, hess, d)
    exact = st.energy_change(TH1, TH2, new[:, 0], new[:, 1], H, v)
    assert_allclose(exact, taylor, rtol=1e-8, atol=1e-24)


def quad(chi, chiz):
    def f_only(Jx, Jz):
        return -0.5 * (chi * Jx**2 + chiz * Jz**2)

    def f_grad(Jx, Jz):
        return f_only(Jx, Jz), -chi * Jx, -chiz * Jz

    def polar(r, a):
        c = chi * np.sin(a) ** 2 + chiz * np.cos(a) ** 2
        return -0.5 * r**2 * c, -r * c, -0.5 * r**2 * (chi - chiz) * np.sin(2 * a)

    return f_only, f_grad, polar


@pytest.mark.parametrize("kind", ["energy-only", "with-gradient", "polar", "polar-energy-only"])
def test_tabulated_coupling_reproduces_the_quadratic_form(kind):
    chi, chiz, J = 0.9, 0.3, 0.8
    f_only, f_grad, polar = quad(chi, chiz)
    tab = {
        "energy-only": TabulatedCoupling(f_only),
        "with-gradient": TabulatedCoupling(f_grad),
        "polar": TabulatedCoupling.from_polar(polar),
        "polar-energy-only": TabulatedCoupling.from_polar(lambda r, a: polar(r, a)[0]),
    }[kind]
    ref = FSFStack(1.4, 1.0, 1.0, 0.8, J=J, coupling=IsingQuadraticCoupling(chi, chiz))
    st = FSFStack(1.4, 1.0, 1.0, 0.8, J=J, coupling=tab)
    # include exactly antiparallel pairs, where J_tot = 0
    t1 = np.concatenate([TH1, [0.4, 1.0]])
    t2 = np.concatenate([TH2, [0.4 - np.pi, 1.0 + np.pi]])
    assert_allclose(st.energy(t1, t2, 0.3, 0.2), ref.energy(t1, t2, 0.3, 0.2), atol=1e-13)
    assert_allclose(st.gradient(t1, t2, 0.3, 0.2), ref.gradient(t1, t2, 0.3, 0.2), atol=1e-8)
    assert_allclose(st.hessian(t1, t2, 0.3, 0.2), ref.hessian(t1, t2, 0.3, 0.2), atol=1e-6)
    got = [e.H for e in hysteresis_loop(st, 4.0, 200, field_angle=0.1).switching_fields]
    want = [e.H for e in hysteresis_loop(ref, 4.0, 200, field_angle=0.1).switching_fields]
    assert len(got) == len(want) == 2  # the two magnets switch together here
    assert_allclose(got, want, atol=1e-5)


def test_conventional_favours_antiparallel_ising_favours_parallel():
    J = 0.8
    conv = FSFStack(1.0, 1.0, 1.0, 1.0, coupling=ConventionalCoupling(1.0, 0.5))
    assert conv.energy(0.0, np.pi) < conv.energy(0.0, 0.0)
    assert_allclose(conv.energy(0.0, 0.0) - conv.energy(0.0, np.pi), 1.0 * 0.5**2)
    ising = FSFStack(-0.2, -0.2, 1.0, 1.0, J=J, coupling=IsingQuadraticCoupling(0.6))
    half = 0.5 * np.pi
    assert ising.energy(half, half) < ising.energy(half, -half)
    assert_allclose(ising.energy(half, -half) - ising.energy(half, half), 2 * 0.6 * J**2)
    # Eq. (13) only couples the in-plane components: P and AP along z are degenerate,
    # while the out-of-plane susceptibility of the complete form favours P along z too.
    assert_allclose(ising.energy(0.0, 0.0), ising.energy(0.0, np.pi), atol=1e-15)
    full = FSFStack(1.0, 1.0, 1.0, 1.0, J=J, coupling=IsingQuadraticCoupling(0.6, 0.1))
    assert_allclose(full.energy(0.0, np.pi) - full.energy(0.0, 0.0), 2 * 0.1 * J**2)


def test_effective_anisotropy_sign_change_eq_10():
    K, J = 1.0, 1.0
    chi = np.array([1.5, 1.9, 2.1, 2.5])
    keff = effective_anisotropy(K, chi, J)
    assert_allclose(keff, K - 0.5 * chi * J**2)
    assert np.all(np.sign(keff) == [1, 1, -1, -1])
    assert_allclose(easy_direction(K, chi, J), [0, 0, np.pi / 2, np.pi / 2])
    # an out-of-plane susceptibility moves the threshold to chi_par = 2K/J^2 + chi_perp
    assert effective_anisotropy(K, 2.1, J, chi_perp=0.2) > 0
    assert easy_direction(K, 2.0, J) == 0.0  # isotropic (K_eff = 0): every direction is a minimum, 0 reported
    # Eq. (10) in a relaxation: K_eff < 0 puts a free macrospin in the plane
    st = FSFStack.single(effective_anisotropy(K, 2.5, J), 1.0)
    assert_allclose(abs(np.sin(relax(st, 0.1, 0.0).theta1)), 1.0, atol=1e-10)


# -------------------------------------------------------------- validation
@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(Ms1=-1.0), ValueError, "Ms1 must be >= 0"),
        (dict(Ms2=float("nan")), ValueError, "Ms2 must be finite"),
        (dict(K1=float("nan")), ValueError, "K1 must be finite"),
        (dict(K2="soft"), TypeError, "K2 must be a real number"),
        (dict(J=-0.1), ValueError, "J must be >= 0"),
        (dict(coupling="ising"), TypeError, "coupling must be None or a Coupling"),
    ],
)
def test_stack_validation(kwargs, error, match):
    base = dict(K1=1.0, K2=1.0, Ms1=1.0, Ms2=1.0, J=0.5, coupling=None)
    base.update(kwargs)
    with pytest.raises(error, match=match):
        FSFStack(**base)


def test_input_validation_messages():
    with pytest.raises(ValueError, match="chi_par must be >= 0"):
        IsingQuadraticCoupling(-0.1)
    with pytest.raises(ValueError, match="j_bar must be finite"):
        ConventionalCoupling(1.0, float("inf"))
    with pytest.raises(TypeError, match="callable"):
        TabulatedCoupling(3.0)
    with pytest.raises(ValueError, match="J must be >= 0"):
        effective_anisotropy(1.0, 1.0, -1.0)
    with pytest.raises(ValueError, match="chi_par must be finite"):
        effective_anisotropy(1.0, float("nan"), 1.0)


# -------------------------------------------------------------- relaxation
@pytest.mark.parametrize("coupling", COUPLINGS + [TabulatedCoupling(quad(0.7, 0.2)[0])],
                         ids=["none", "eq13", "quadratic", "conventional", "tabulated"])
def test_energy_never_increases_along_a_relaxation(coupling):
    st = FSFStack(1.0, 0.7, 1.0, 1.2, J=0.9, coupling=coupling)
    for t1, t2, H, v in [(0.1, 2.5, -1.3, 0.4), (3.0, -2.0, 0.8, 1.2), (0.0, 0.0, -3.0, 0.0)]:
        r = relax(st, t1, t2, H, v, return_trace=True)
        assert r.converged
        assert r.n_iter >= 2
        assert np.all(np.diff(r.energies) <= 0.0)
        # the trace is the true energy of the visited states
        assert_allclose(st.energy(r.path[:, 0], r.path[:, 1], H, v), r.energies, rtol=0, atol=1e-14)
        assert r.energies[-1] < r.energies[0]
        # and it ends in a local minimum
        assert np.max(np.abs(st.gradient(r.theta1, r.theta2, H, v))) < 1e-6
        assert np.linalg.eigvalsh(st.hessian(r.theta1, r.theta2, H, v))[0] > 0


def test_saddle_nudge_is_deterministic_and_rotates_towards_plus_x():
    st = FSFStack.single(1.0, 1.0)
    # exactly antiparallel to a field beyond the switching field: a saddle with zero gradient
    r = relax(st, 0.0, 0.0, -2.5, 0.0, return_trace=True)
    assert r.left_minimum
    assert r.path[1, 0] > 0.0 and np.all(r.path[:, 1] == 0.0)
    assert np.all(r.path[1:, 0] > 0.0)  # the whole reversal goes through +x
    assert_allclose(r.theta1, np.pi, atol=1e-9)
    # below the switching field the antiparallel state is a (metastable) minimum
    r = relax(st, 0.0, 0.0, -1.9, 0.0)
    assert r.theta1 == 0.0 and not r.left_minimum


def test_wrap_angle_range():
    w = wrap_angle(np.array([-np.pi, np.pi, 3 * np.pi, -0.5, 7.0]))
    assert np.all((w > -np.pi) & (w <= np.pi))
    assert_allclose(np.cos(w), np.cos([-np.pi, np.pi, 3 * np.pi, -0.5, 7.0]), atol=1e-15)


# --------------------------------------------------------------- ground state and zero-field stability
def test_ground_state_simple_cases():
    up = isingsc.ground_state(FSFStack(1.0, 0.5, 1.0, 1.0))
    assert up.alignment == "out-of-plane" and up.theta1 == 0.0
    plane = isingsc.ground_state(FSFStack(-1.0, -0.5, 1.0, 1.0, 1.0, IsingQuadraticCoupling(0.3)))
    assert plane.alignment == "in-plane" and plane.parallel
    assert_allclose(plane.theta1, np.pi / 2, atol=1e-7)
    # a conventional-superconductor coupling aligns the magnets antiparallel
    anti = isingsc.ground_state(FSFStack(1.0, 1.0, 1.0, 1.0, 0.0, isingsc.ConventionalCoupling(1.0, 0.5)))
    assert anti.alignment == "out-of-plane" and not anti.parallel


def test_collinear_determinant_identical_magnets():
    J, cp, cz = 0.7, 2.0, 0.5
    for state, Kc in (("out-of-plane", (cp - cz) * J**2),):
        assert_allclose(isingsc.collinear_determinant(Kc, Kc, J, cp, cz, state), 0.0, atol=1e-12)
        assert isingsc.collinear_determinant(1.01 * Kc, 1.01 * Kc, J, cp, cz, state) > 0
        assert isingsc.collinear_determinant(0.99 * Kc, 0.99 * Kc, J, cp, cz, state) < 0
    # in-plane state of identical magnets: stable for K < (chi_par - chi_perp) J^2 as well
    Kc = (cp - cz) * J**2
    assert isingsc.collinear_determinant(0.99 * Kc, 0.99 * Kc, J, cp, cz, "in-plane") > 0
    assert isingsc.collinear_determinant(1.01 * Kc, 1.01 * Kc, J, cp, cz, "in-plane") < 0
