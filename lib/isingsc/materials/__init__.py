"""Material presets for the F/S/F stack: NbSe2 and the monolayer chromium trihalides.

One module per material (constants with units in comments, sources in the
module docstrings and in the book's ``references.bib``):

* :mod:`~isingsc.materials.nbse2` -- the superconductor: the band model of
  Table I (:class:`~isingsc.materials.nbse2.NbSe2`) and its lattice constant;
* :mod:`~isingsc.materials.cri3`, :mod:`~isingsc.materials.crbr3`,
  :mod:`~isingsc.materials.crcl3` -- lattice constants, moments and
  anisotropies of the ferromagnets (:class:`MonolayerFerromagnet`).

Energies in meV, lengths in Å, moments in Bohr magnetons.  ``MAGNETS`` maps
names to presets; :func:`anisotropy_per_nb_site` converts to the units of
the stack modules (meV per Nb site, e.g. :mod:`isingsc.paper`).
"""
from .._validation import check_choice, frozen_mapping  # noqa: F401
from . import crbr3, crcl3, cri3, nbse2
from ._base import MU_B, MonolayerFerromagnet, honeycomb_dipole_sum
from .nbse2 import NbSe2

__all__ = [
    "NbSe2",
    "MU_B",
    "MonolayerFerromagnet",
    "honeycomb_dipole_sum",
    "MAGNETS",
    "anisotropy_per_nb_site",
    "moment_per_nb_site",
    "cri3",
    "crbr3",
    "crcl3",
    "nbse2",
]

#: The presets by name, ``{"CrI3": ..., "CrBr3": ..., "CrCl3": ...}`` (read-only).
#:
#: :meta hide-value:
MAGNETS = frozen_mapping({m.MATERIAL.name: m.MATERIAL for m in (cri3, crbr3, crcl3)})


def _magnet(magnet):
    if isinstance(magnet, str):
        if magnet not in MAGNETS:
            raise ValueError(f"unknown material {magnet!r}: magnet must be one of {tuple(sorted(MAGNETS))} or a "
                             "MonolayerFerromagnet")
        return MAGNETS[magnet]
    if not isinstance(magnet, MonolayerFerromagnet):
        raise TypeError(f"magnet must be a material name or a MonolayerFerromagnet, got {type(magnet).__name__}")
    return magnet


def anisotropy_per_nb_site(magnet, source="monolayer"):
    """Anisotropy ``K`` of a monolayer magnet in meV per Nb site of NbSe2.

    Parameters
    ----------
    magnet : str or MonolayerFerromagnet
        ``"CrI3"``, ``"CrBr3"``, ``"CrCl3"`` or a preset.
    source : {"monolayer", "bulk"}
        ``"monolayer"``: single-ion (many-body theory) plus dipolar term;
        ``"bulk"``: the measured bulk anisotropy (CrI3 only; ``None`` otherwise).

    Returns
    -------
    float or None
        ``K`` (meV per Nb site); ``None`` for ``"bulk"`` where no measurement is given.

    Raises
    ------
    TypeError
        ``magnet`` neither a name nor a preset, or a non-string ``source``.
    ValueError
        An unknown material or ``source``.

    Examples
    --------
    >>> round(anisotropy_per_nb_site("CrI3"), 4), anisotropy_per_nb_site("CrBr3", "bulk") is None
    (0.0719, True)
    >>> anisotropy_per_nb_site("CrCl3") < 0          # easy plane
    True
    """
    m = _magnet(magnet)
    check_choice(source, "source", ("monolayer", "bulk"))
    if source == "monolayer":
        value = m.anisotropy_per_cr
    else:
        value = m.bulk_anisotropy_per_cr
        if value is None:
            return None
    return m.per_site(value, nbse2.LATTICE_CONSTANT)


def moment_per_nb_site(magnet):
    """Saturation magnetization of the monolayer per Nb site (mu_B).

    Parameters
    ----------
    magnet : str or MonolayerFerromagnet
        ``"CrI3"``, ``"CrBr3"``, ``"CrCl3"`` or a preset.

    Returns
    -------
    float
        Moment per Nb site (mu_B).

    Raises
    ------
    TypeError
        ``magnet`` neither a name nor a preset.
    ValueError
        An unknown material.

    Examples
    --------
    >>> round(moment_per_nb_site("CrI3"), 3)           # 3 mu_B per Cr, 2 (a_NbSe2/a_CrI3)^2 Cr per Nb
    1.521
    """
    return _magnet(magnet).moment_per_site(nbse2.LATTICE_CONSTANT)
