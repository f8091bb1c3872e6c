"""Units: the library's meV, and the kelvin and tesla a laboratory speaks.

Every energy of the library is in meV with ``k_B = 1``, so temperatures are
in meV too: ``sc.gap(3)`` is the gap at 3 meV (35 K), not at 3 K.  Convert
with :func:`kelvin` (kelvin to meV) and :func:`in_kelvin` (meV to kelvin).

Fields are energies as well.  The exchange field ``J`` a magnet induces in
the superconductor is the Zeeman energy of an electron (moment one): a
magnetic field ``B`` gives ``J = mu_B B``.  The applied field ``H`` of a
:class:`~isingsc.magnetism.FSFStack` enters as ``-H Ms cos(...)``: with the
moments ``Ms`` in Bohr magnetons per Nb site (e.g.
:func:`~isingsc.materials.moment_per_nb_site`) ``H`` is ``mu_B B`` as well, and
with the paper's ``Ms = 1`` it is ``m mu_B B`` for a magnet of ``m`` Bohr
magnetons per Nb site.  :func:`field_to_tesla` and :func:`tesla_to_field`
convert, with that moment as ``moment``.

Constants
---------
``KELVIN`` -- one kelvin in meV (``k_B``); ``MU_B`` -- the Bohr magneton in meV per tesla.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_array, check_real
from .materials._base import MU_B
from .superconductor import KELVIN

__all__ = ["KELVIN", "MU_B", "kelvin", "in_kelvin", "field_to_tesla", "tesla_to_field"]


def _out(x):
    return float(x) if np.ndim(x) == 0 else x


def kelvin(T):
    """Temperatures in kelvin as the library's meV (``k_B = 1``).

    Parameters
    ----------
    T : float or array_like
        Temperatures (K), ``>= 0``.

    Returns
    -------
    float or ndarray
        ``T k_B`` (meV).

    Raises
    ------
    TypeError
        ``T`` is not real.
    ValueError
        ``T`` is negative or not finite.

    Examples
    --------
    >>> import isingsc
    >>> round(kelvin(3.0), 6)                        # the paper's Tc0 = 3 K
    0.25852
    >>> sc = isingsc.ising_superconductor(150.0)
    >>> sc.gap(kelvin(1.0)) > 0.99 * sc.delta0         # 1 K, deep in the superconducting state
    True
    """
    return _out(check_array(T, "T", unit="K", nonneg=True) * KELVIN)


def in_kelvin(T):
    """Temperatures in meV (the library's unit) in kelvin.

    Parameters
    ----------
    T : float or array_like
        Temperatures (meV), ``>= 0``.

    Returns
    -------
    float or ndarray
        ``T / k_B`` (K).

    Raises
    ------
    TypeError
        ``T`` is not real.
    ValueError
        ``T`` is negative or not finite.

    Examples
    --------
    >>> import isingsc
    >>> round(in_kelvin(isingsc.ising_superconductor(150.0).tc0), 3)     # the model's Tc0 (App. B input: 3 K)
    3.061
    """
    return _out(check_array(T, "T", unit="meV", nonneg=True) / KELVIN)


def field_to_tesla(H, moment=1.0):
    """A field in the library's energy units (meV per unit moment) in tesla.

    ``B = H / (moment mu_B)``: ``H`` is the Zeeman energy (meV) of a moment
    ``moment`` (Bohr magnetons) in the field ``B``.

    Parameters
    ----------
    H : float or array_like
        Field (meV): an exchange field ``J`` (``moment = 1``, an electron), or the
        applied field ``H`` of a stack whose ``Ms`` stands for ``moment`` Bohr
        magnetons per Nb site.
    moment : float, optional
        The moment (mu_B) that a unit ``Ms`` stands for; 1 if the stack's
        ``Ms`` are already in Bohr magnetons per Nb site.

    Returns
    -------
    float or ndarray
        ``B`` (T), the sign of ``H``.

    Raises
    ------
    TypeError
        ``H`` or ``moment`` is not real.
    ValueError
        ``moment <= 0``, or a value that is not finite.

    Examples
    --------
    The Pauli limit ``H_P = Delta0/sqrt(2)`` of the paper's NbSe2 as a magnetic field acting on the
    electrons' spin:

    >>> import math, isingsc
    >>> round(field_to_tesla(isingsc.DELTA0_PAPER / math.sqrt(2)), 2)
    5.68
    >>> round(field_to_tesla(1.0, moment=1.521), 3)     # 1 meV per Nb site on CrI3 (1.521 mu_B per Nb site)
    11.358
    >>> float(tesla_to_field(field_to_tesla(0.3))) == 0.3
    True
    """
    m = check_real(moment, "moment", unit="mu_B", positive=True)
    return _out(check_array(H, "H", unit="meV") / (m * MU_B))


def tesla_to_field(B, moment=1.0):
    """A magnetic field in tesla as the library's field (meV per unit moment): ``H = moment mu_B B``.

    Parameters
    ----------
    B : float or array_like
        Magnetic field (T).
    moment : float, optional
        The moment (mu_B) that a unit ``Ms`` stands for (see :func:`field_to_tesla`).

    Returns
    -------
    float or ndarray
        ``H`` (meV).

    Raises
    ------
    TypeError
        ``B`` or ``moment`` is not real.
    ValueError
        ``moment <= 0``, or a value that is not finite.

    Examples
    --------
    >>> round(tesla_to_field(1.0), 6)          # mu_B B for 1 T (meV)
    0.057884
    """
    m = check_real(moment, "moment", unit="mu_B", positive=True)
    return _out(check_array(B, "B", unit="T") * (m * MU_B))
