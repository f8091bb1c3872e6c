"""Shared, cached objects for the library tests (built once per test session)."""
import pytest

import isingsc


@pytest.fixture(scope="session")
def paper_sc():
    """The paper's NbSe2 superconductor, lambda_soc = 150 Delta0 (isingsc.ising_superconductor)."""
    return isingsc.ising_superconductor(150.0)


@pytest.fixture(scope="session")
def paper_resp(paper_sc):
    """Its tabulated chi_par(T), chi_perp(T) (default grid)."""
    return isingsc.superconductor_response(paper_sc)
