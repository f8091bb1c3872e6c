"""The paper's presets: its superconductor and the Fig. 4 stack (isingsc.paper)."""
import math

import pytest
from numpy.testing import assert_allclose

import isingsc


@pytest.fixture
def sc(paper_sc):
    return paper_sc


@pytest.fixture
def resp(paper_resp):
    return paper_resp


def test_fig4_parameters(resp):
    P = isingsc.Fig4Parameters(k1=0.95)
    assert_allclose(P.J, 0.25 * P.superconductor.delta0 / math.sqrt(2))
    assert_allclose(P.K1, 0.95 * resp.chi_s0 * P.J**2)
    assert_allclose(P.K1 / P.K2, 1.12)
    st = P.stack(0.3 * resp.tc0, "complete")
    assert st.Ms1 / st.Ms2 == pytest.approx(1.12) and st.coupling.chi_perp > 0
    assert P.stack(0.3 * resp.tc0, "bare").coupling is None
