"""Material presets: NbSe2 and the chromium trihalides (isingsc.materials)."""
import math

import numpy as np
from numpy.testing import assert_allclose

from isingsc import materials


def test_dipolar_anisotropy_against_direct_pair_sum():
    """K_dip = -(3/4) mu0 m^2/(4 pi) sum r^-3 equals the full dipolar energy difference per moment."""
    a, m = 6.0, 3.0
    n = 60
    i, j = np.meshgrid(np.arange(-n, n + 1), np.arange(-n, n + 1), indexing="ij")
    pos = []
    for bx, by in ((0.0, 0.0), (0.5 * a, 0.5 * a / math.sqrt(3))):
        pos.append(np.stack([(i + 0.5 * j).ravel() * a + bx, (0.5 * math.sqrt(3) * j).ravel() * a + by], -1))
    r = np.concatenate(pos)
    d = np.hypot(r[:, 0], r[:, 1])
    keep = (d > 1e-9) & (d < 50 * a)
    r, d = r[keep], d[keep]
    c = materials._base.MU0_MU_B2_OVER_4PI * m * m
    e_out = 0.5 * c * np.sum(d**-3.0)
    e_in = 0.5 * c * np.sum((1 - 3 * (r[:, 0] / d) ** 2) * d**-3.0)  # moments along x
    mag = materials.MonolayerFerromagnet("test", a, m, 1.5, 0.0, 6.0)
    tail = 0.75 * c * 2 * math.pi * mag.cr_per_area / (50 * a)  # continuum tail beyond 50 a
    assert_allclose(-(e_out - e_in) - tail, mag.dipolar_energy, rtol=1e-3)


def test_material_presets():
    cri3, crbr3, crcl3 = (materials.MAGNETS[n] for n in ("CrI3", "CrBr3", "CrCl3"))
    assert cri3.anisotropy_per_cr > crbr3.anisotropy_per_cr > 0 > crcl3.anisotropy_per_cr  # CrCl3 easy plane
    # S(S - 1/2) |A| for S = 3/2
    assert_allclose(cri3.single_ion_energy, 1.5 * 0.12)
    a_nb = materials.nbse2.LATTICE_CONSTANT
    assert_allclose(cri3.cr_per_site(a_nb), 2 * (a_nb / cri3.lattice_constant) ** 2)
    assert_allclose(materials.moment_per_nb_site("CrI3"), 3.0 * 2 * (a_nb / cri3.lattice_constant) ** 2)
    # 300 kJ/m^3 over the volume per Cr of bulk CrI3 is a quarter meV
    assert 0.2 < cri3.bulk_anisotropy_per_cr < 0.3
    assert materials.anisotropy_per_nb_site("CrBr3", "bulk") is None
