"""The reproduction report: every quantitative claim of the paper, recomputed.

:func:`reproduction_claims` evaluates each claim with the library (nothing is
typed in) and classifies it with an explicit criterion; :func:`claims_markdown`
renders the table for the book.  Energies in meV, k_B = 1.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from . import formulas
from .model import NbSe2
from .superconductor import BCS_RATIO, DELTA0_PAPER, IsingSuperconductor

__all__ = ["Claim", "reproduction_claims", "claims_markdown", "AGREES", "DISAGREES", "PARTLY", "NOT_TESTABLE"]

AGREES = "agrees"
DISAGREES = "disagrees"
PARTLY = "partly"
NOT_TESTABLE = "not testable"


@dataclass(frozen=True)
class Claim:
    """One statement of the paper and what the library finds.

    Attributes
    ----------
    statement : str
        The claim, in the paper's words or close to them.
    where : str
        Where the paper makes it (section, equation or figure).
    paper : str
        The paper's value or statement.
    ours : str
        Our computed value (formatted to the digits we trust).
    status : str
        One of ``agrees``, ``disagrees``, ``partly``, ``not testable``.
    evidence : str
        MyST target of the book section holding the evidence.
    """

    statement: str
    where: str
    paper: str
    ours: str
    status: str
    evidence: str


def _judge(ok):
    return AGREES if ok else DISAGREES


def model_claims():
    """Sec. II / App. A claims."""
    m = NbSe2()
    lam = m.lambda_soc
    closed = 3 * math.sqrt(3) * m.t[0] * math.sin(m.phi[0])
    return [
        Claim("lambda_soc = 3 sqrt3 t0 sin phi0 from Table I", "App. A, Eq. (A4)", "77.2 meV",
              f"{lam:.2f} meV (bands at K), {closed:.2f} meV (A4)", _judge(abs(lam - 77.2) < 0.05), "eq-A4"),
    ]


def superconductivity_claims(sc: IsingSuperconductor | None = None):
    """Sec. III / App. B-C claims, at the paper's lambda_soc = 150 Delta0."""
    if sc is None:
        sc = IsingSuperconductor(NbSe2().with_lambda_soc(150 * DELTA0_PAPER), DELTA0_PAPER)
    hp = sc.delta0 / math.sqrt(2)
    chi_p = sc.pauli_susceptibility
    chi_n = sc.normal_susceptibility(np.pi / 2)
    chi_s0 = sc.spin_susceptibility(0.0)
    chi_perp0 = sc.spin_susceptibility(0.0, 0.0)
    ratio = sc.delta0 / sc.tc0
    jc_pauli = optimize.brentq(lambda J: sc.free_energy_landscape(0.0, 0.0, J, 0.0) - sc.free_energy(0.0),
                               0.8 * hp, 1.2 * hp, xtol=1e-9)
    # Eq. (7): relative deviation at J = H_P and the largest J (of a ladder) with < 1 % deviation
    ladder = np.array([0.5, 1, 2, 3, 4, 6]) * hp
    f_exact = np.array([sc.free_energy(0.0, J, np.pi / 2) for J in ladder])
    f_eq7 = sc.free_energy(0.0) - 0.5 * chi_s0 * ladder ** 2
    ok7 = ladder[np.abs(f_exact / f_eq7 - 1) < 0.01]
    jc_in_formula = formulas.critical_field_estimate(sc.density_of_states_fermi, chi_n, chi_s0, np.pi / 2, sc.delta0)
    gap_at_formula = sc.gap(0.0, 1.5 * jc_in_formula, np.pi / 2)
    tc_in = sc.critical_temperature(3 * hp, np.pi / 2) / sc.tc0
    tc_out = sc.critical_temperature(0.99 * hp, 0.0) / sc.tc0
    c8_uniform = float(formulas.weak_soc_susceptibility(sc.delta0, sc.model.lambda_soc))
    t_half = 0.5 * sc.tc0
    aniso_half = (sc.spin_susceptibility(t_half) - sc.spin_susceptibility(t_half, 0.0)) / chi_p
    aniso_normal = (chi_n - chi_p) / chi_p
    chi_s_half = sc.spin_susceptibility(t_half) / chi_p
    return [
        Claim("Delta0 = 1.8 Tc0 (App. B input)", "App. B", "1.8", f"{ratio:.4f} (weak-coupling BCS {BCS_RATIO:.4f})",
              _judge(abs(ratio - 1.8) < 0.01), "sec-parameters"),
        Claim("Pauli limit H_P = Delta0/sqrt2: first-order transition for out-of-plane J at T = 0",
              "Sec. III, Fig. 3(c)", "0.7071 Delta0", f"{jc_pauli / sc.delta0:.4f} Delta0",
              _judge(abs(jc_pauli / sc.delta0 - 1 / math.sqrt(2)) < 1e-3), "sec-fig3c"),
        Claim("Eq. (7): f_sn = -N(0) Delta0^2/2 - chi_s J^2 sin^2(theta)/2 at T = 0", "Sec. III, Eq. (7)",
              "quadratic in J", f"within 1% up to J = {ok7.max() / hp:.0f} H_P (in-plane)",
              _judge(ok7.size > 0 and ok7.max() >= 2 * hp), "sec-checks"),
        Claim("J_c = sqrt(N(0)/(chi_n - chi_s sin^2 theta)) Delta0, out-of-plane", "Sec. III, after Eq. (8)",
              f"{formulas.critical_field_estimate(sc.density_of_states_fermi, chi_p, chi_s0, 0.0, sc.delta0) / hp:.4f} H_P",
              f"{jc_pauli / hp:.4f} H_P", _judge(abs(jc_pauli / hp - 1) < 2e-3), "sec-fig3c"),
        Claim("same J_c formula, in-plane", "Sec. III, after Eq. (8)", f"{jc_in_formula / hp:.1f} H_P",
              f"gap at 1.5x that field: {gap_at_formula / sc.delta0:.2f} Delta0 (still superconducting)",
              _judge(gap_at_formula == 0.0), "sec-fig3c"),
        Claim("chi_n^soc >> chi_P for monolayer TMDs", "Sec. III", ">> 1 (in units of chi_P)",
              f"{chi_n / chi_p:.4f}", _judge(chi_n / chi_p > 2), "sec-checks"),
        Claim("chi_perp = 0 at T = 0", "App. C, after Eq. (C6)", "0", f"{chi_perp0 / chi_p:.1e} chi_P",
              _judge(abs(chi_perp0) < 1e-12), "sec-fig3b"),
        Claim("in-plane chi_s(T=0) approaches the normal-state value for large lambda_soc", "Sec. III, Fig. 3(b)",
              "chi_s -> chi_n^soc", f"chi_s(0)/chi_P = {chi_s0 / chi_p:.4f} at lambda = 150 Delta0",
              _judge(chi_s0 / chi_n > 0.95), "sec-fig3b"),
        Claim("Eq. (C8) (uniform splitting lambda0 = lambda_soc) for the in-plane chi_s", "App. C, Eq. (C8)",
              f"{c8_uniform:.4f} chi_P", f"{chi_s0 / chi_p:.4f} chi_P (holds with the local splitting instead)",
              PARTLY, "sec-fig3b"),
        Claim("Tc nearly unchanged by an in-plane exchange field", "Sec. III, Fig. 3(d)", "Tc ~ Tc0",
              f"Tc(3 H_P)/Tc0 = {tc_in:.3f}", _judge(tc_in > 0.9), "sec-fig3d"),
        Claim("superconductivity destroyed at the Pauli limit for out-of-plane J", "Sec. III, Fig. 3(d)",
              "Tc -> 0 at H_P", f"Tc(0.99 H_P)/Tc0 = {tc_out:.3f}; first order below T = 0.56 Tc0",
              _judge(tc_out < 0.3), "sec-fig3d"),
        Claim("normal state: Ising SOC keeps the magnetic alignment in-plane", "Sec. I, Sec. III (Eq. 10)",
              "in-plane preference", f"(chi_n^soc - chi_P)/chi_P = {aniso_normal:+.1e} (tiny, favours out-of-plane)",
              _judge(aniso_normal > 0.01), "sec-angle"),
        Claim("superconducting state: the in-plane tendency persists but becomes weaker", "Sec. III",
              "weaker than in the normal state",
              f"(chi_par - chi_perp)/chi_P = {aniso_half:.3f} at T = 0.5 Tc0 vs {aniso_normal:+.1e} above Tc: stronger",
              _judge(aniso_half < aniso_normal), "sec-angle"),
        Claim("the in-plane chi_s is smaller in the superconducting state and grows with T", "Sec. III, Fig. 3(b)",
              "chi_s(T) increasing", f"chi_s/chi_P = {chi_s0 / chi_p:.4f} (T=0), {chi_s_half:.4f} (0.5 Tc0), "
              f"{chi_n / chi_p:.4f} (Tc)", _judge(chi_s0 / chi_p < chi_s_half < chi_n / chi_p), "sec-fig3b"),
    ]


def reproduction_claims(sc: IsingSuperconductor | None = None, extra=()):
    """All claims: model, superconductivity and any ``extra`` (e.g. from the heterostructure chapter)."""
    return model_claims() + superconductivity_claims(sc) + list(extra)


def claims_markdown(claims, links=None):
    """A MyST markdown table of the claims; ``links`` maps evidence targets to pages (unused by MyST refs)."""
    head = "| # | claim | where | paper | ours | status | evidence |\n|---|---|---|---|---|---|---|\n"
    icon = {AGREES: "agrees", DISAGREES: "**disagrees**", PARTLY: "*partly*", NOT_TESTABLE: "not testable"}
    rows = []
    for i, c in enumerate(claims, 1):
        cells = [str(i), c.statement, c.where, c.paper, c.ours, icon[c.status], f"{{ref}}`see <{c.evidence}>`"]
        rows.append("| " + " | ".join(x.replace("|", "/") for x in cells) + " |")
    return head + "\n".join(rows) + "\n"
