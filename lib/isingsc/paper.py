"""The paper's own presets: its gap, its NbSe2 superconductor, the stack of its Figure 4.

Everything the paper fixes (and what we had to choose where it does not), in
one place:

* ``DELTA0_PAPER`` -- ``Delta0 = 1.8 Tc0`` with ``Tc0 = 3 K`` (App. B), in meV
  (defined in :mod:`isingsc.superconductor`, the engine's default);
* :func:`ising_superconductor` -- NbSe2 (Table I) at a given ``lambda_soc / Delta0``
  (the figures of Secs. III-IV use 150);
* :class:`Fig4Parameters` and :func:`fig4_stack` -- the F/S/F stack of Fig. 4:
  ``K1 = k1 chi_s(0) J^2``, ``K1 = 1.12 K2``, ``Ms1 = 1.12 Ms2`` and our choice
  ``J = 0.25 H_P``.

Units
-----
Energies in meV per Nb site, temperatures and fields in meV.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from ._validation import check_real
from .magnetism import FSFStack
from .materials.nbse2 import NbSe2
from .microscopic import stack_coupling
from .response import superconductor_response
from .superconductor import DELTA0_PAPER, IsingSuperconductor

__all__ = ["DELTA0_PAPER", "ising_superconductor", "Fig4Parameters", "fig4_stack"]


def ising_superconductor(lambda_over_delta0=150.0, delta0=DELTA0_PAPER):
    """The paper's NbSe2 superconductor at a given spin-orbit strength (cached).

    The arguments are checked and normalised (to ``float``) before the cache
    is consulted, so positional and keyword calls, ``150`` and ``150.0``, give
    the same object.

    Parameters
    ----------
    lambda_over_delta0 : float, optional
        ``lambda_soc / Delta0``; the figures of Secs. III-IV use 150.
    delta0 : float, optional
        Zero-temperature gap (meV); default App. B's ``1.8 x 3 K``.

    Returns
    -------
    IsingSuperconductor
        ``IsingSuperconductor(NbSe2().with_lambda_soc(lambda_over_delta0 * delta0), delta0)``,
        the same object for the same arguments.

    Raises
    ------
    TypeError
        A non-real ``lambda_over_delta0`` or ``delta0``.
    ValueError
        Either not finite and positive (``delta0`` in meV), or a ``lambda_soc`` or ``delta0`` the
        model or the engine cannot take.

    Examples
    --------
    >>> sc = ising_superconductor(150.0)
    >>> sc is ising_superconductor(lambda_over_delta0=150) is ising_superconductor(150, DELTA0_PAPER)
    True
    >>> round(sc.model.lambda_soc / sc.delta0, 6)
    150.0
    """
    lam = check_real(lambda_over_delta0, "lambda_over_delta0", positive=True)
    d0 = check_real(delta0, "delta0", unit="meV", positive=True)
    try:
        return _ising_superconductor(lam, d0)
    except ValueError as exc:
        raise ValueError(f"lambda_over_delta0 = {lam:g} with delta0 = {d0:g} meV: {exc}") from None


@lru_cache(maxsize=32)
def _ising_superconductor(lam, d0):
    return IsingSuperconductor(NbSe2().with_lambda_soc(lam * d0), d0)


@dataclass(frozen=True)
class Fig4Parameters:
    """The F/S/F stack of the paper's Figure 4, in absolute units.

    The paper fixes only ratios: ``lambda_soc = 150 Delta0``,
    ``K1 = k1 chi_s(T=0) J^2`` with ``k1`` = 1.05, 0.95, 0.85 for panels (a)-(c)
    [(d) as (c)], ``K1 = 1.12 K2`` and ``Ms1 = 1.12 Ms2 = 1.12 Ms``.  The
    exchange field is not given; it must stay below the Pauli limit
    ``H_P = Delta0/sqrt 2`` for the out-of-plane state to be superconducting.
    We take ``J = 0.25 H_P`` so that ``|J_tot| <= 2 J = 0.5 H_P``.

    Attributes
    ----------
    k1 : float
        ``K1 / (chi_s(0) J^2)``.
    k1_over_k2 : float
        ``K1 / K2`` (1.12).
    ms1_over_ms2 : float
        ``Ms1 / Ms2`` (1.12).
    lambda_over_delta0 : float
        ``lambda_soc / Delta0`` (150).
    j_over_hp : float
        ``J / H_P`` (0.25, our choice).
    ms2 : float
        ``Ms2 = Ms`` (1, so that ``H`` is the Zeeman energy of magnet 2 in meV per Nb site).

    Examples
    --------
    >>> P = Fig4Parameters(k1=0.95)
    >>> round(P.J / (P.superconductor.delta0 / math.sqrt(2)), 2)      # J / H_P
    0.25
    >>> round(P.K1 / P.energy_unit, 2), round(P.K1 / P.K2, 2)
    (0.95, 1.12)
    >>> P.stack(0.5 * P.response.tc0, "complete").coupling.chi_perp > 0
    True
    """

    k1: float = 1.05
    k1_over_k2: float = 1.12
    ms1_over_ms2: float = 1.12
    lambda_over_delta0: float = 150.0
    j_over_hp: float = 0.25
    ms2: float = 1.0

    def __post_init__(self):
        for name in ("k1_over_k2", "ms1_over_ms2", "lambda_over_delta0", "j_over_hp", "ms2"):
            object.__setattr__(self, name, check_real(getattr(self, name), name, positive=True))
        object.__setattr__(self, "k1", check_real(self.k1, "k1"))

    @property
    def superconductor(self):
        """The NbSe2 superconductor (:func:`ising_superconductor`).

        Examples
        --------
        >>> sc = Fig4Parameters().superconductor
        >>> sc is ising_superconductor(150.0), round(sc.model.lambda_soc / sc.delta0, 6)
        (True, 150.0)
        """
        return ising_superconductor(self.lambda_over_delta0)

    @property
    def response(self):
        """Its tabulated susceptibilities (:func:`~isingsc.response.superconductor_response`).

        Examples
        --------
        >>> P = Fig4Parameters()
        >>> P.response.superconductor is P.superconductor
        True
        """
        return superconductor_response(self.superconductor)

    @property
    def J(self):
        """Exchange field of one magnet in NbSe2 (meV), ``j_over_hp`` times ``H_P = Delta0/sqrt 2``.

        Examples
        --------
        >>> P = Fig4Parameters()
        >>> round(P.J, 6), round(P.J / (P.superconductor.delta0 / math.sqrt(2)), 6)     # meV, J / H_P
        (0.082261, 0.25)
        """
        return self.j_over_hp * self.superconductor.delta0 / math.sqrt(2.0)

    @property
    def energy_unit(self):
        """``chi_s(T=0) J^2`` (meV per Nb site), the paper's unit of anisotropy.

        Examples
        --------
        >>> P = Fig4Parameters()
        >>> bool(P.energy_unit == P.response.chi_s0 * P.J**2)
        True
        """
        return self.response.chi_s0 * self.J**2

    @property
    def field_unit(self):
        """``chi_s(0) J^2 / Ms`` (meV per Nb site per unit moment), the unit of ``H``.

        Examples
        --------
        >>> P = Fig4Parameters(ms2=2.0)
        >>> bool(P.field_unit == P.energy_unit / 2.0)
        True
        """
        return self.energy_unit / self.ms2

    @property
    def K1(self):
        """Anisotropy of magnet 1 (meV per Nb site), ``k1 chi_s(0) J^2``.

        Examples
        --------
        >>> P = Fig4Parameters(k1=0.85)
        >>> round(P.K1 / P.energy_unit, 12)
        0.85
        """
        return self.k1 * self.energy_unit

    @property
    def K2(self):
        """Anisotropy of magnet 2 (meV per Nb site), ``K1 / k1_over_k2``.

        Examples
        --------
        >>> P = Fig4Parameters()
        >>> round(P.K1 / P.K2, 12)
        1.12
        """
        return self.K1 / self.k1_over_k2

    @property
    def Ms1(self):
        """Saturation magnetization of magnet 1 (units of ``Ms``), ``ms1_over_ms2 * ms2``.

        Examples
        --------
        >>> Fig4Parameters().Ms1
        1.12
        """
        return self.ms1_over_ms2 * self.ms2

    def stack(self, T, coupling_form="complete", **table_options):
        """The :class:`~isingsc.magnetism.FSFStack` at temperature ``T`` (meV).

        Parameters
        ----------
        T : float
            Temperature (meV).
        coupling_form : {"complete", "paper", "microscopic", "bare"}, optional
            Default ``"complete"``; see :func:`~isingsc.microscopic.stack_coupling`.
        **table_options
            For ``"microscopic"``: options of :func:`~isingsc.microscopic.microscopic_table`.

        Returns
        -------
        FSFStack
            ``FSFStack(K1, K2, Ms1, ms2, J, coupling)`` with the superconductor-mediated
            coupling of ``coupling_form`` at ``T``.

        Raises
        ------
        TypeError
            A non-real ``T``, a non-string ``coupling_form``, or table options with a quadratic form.
        ValueError
            ``T`` negative, non-finite or above the response's tabulated range (meV), or an
            unknown ``coupling_form``.
        ConvergenceError
            A microscopic table whose engine solves cannot be established.

        Examples
        --------
        >>> P = Fig4Parameters(k1=0.95)
        >>> st = P.stack(0.5 * P.response.tc0)                   # coupling_form="complete"
        >>> st.J == P.J, round(st.K1 / st.K2, 2)
        (True, 1.12)
        >>> P.stack(0.5 * P.response.tc0, "bare").coupling is None
        True
        """
        T = check_real(T, "T", unit="meV", nonneg=True)     # checked for "bare" too (no table there)
        cpl = stack_coupling(self.response, T, self.J, coupling_form, **table_options)
        return FSFStack(self.K1, self.K2, self.Ms1, self.ms2, self.J, cpl)


def fig4_stack(k1, T, coupling_form="complete", **options):
    """The stack of the paper's Figure 4 with ``K1 = k1 chi_s(0) J^2`` at temperature ``T`` (meV).

    Shortcut for ``Fig4Parameters(k1=k1).stack(T, coupling_form, **options)``.

    Parameters
    ----------
    k1 : float
        ``K1 / (chi_s(0) J^2)`` (1.05, 0.95, 0.85 in panels (a)-(c)).
    T : float
        Temperature (meV), ``>= 0``.
    coupling_form : {"complete", "paper", "microscopic", "bare"}, optional
        Default ``"complete"``; see :func:`~isingsc.microscopic.stack_coupling`.
    **options
        For ``"microscopic"``: options of :func:`~isingsc.microscopic.microscopic_table`.

    Returns
    -------
    FSFStack

    Raises
    ------
    TypeError
        A non-real ``k1`` or ``T``, a non-string ``coupling_form``, or table options with a quadratic form.
    ValueError
        A non-finite ``k1``; ``T`` negative, non-finite or above the tabulated range (meV); an unknown
        ``coupling_form``.
    ConvergenceError
        A microscopic table whose engine solves cannot be established.

    Examples
    --------
    >>> st = fig4_stack(1.05, 0.0)
    >>> round(st.K1 / st.K2, 2), round(st.Ms1 / st.Ms2, 2)
    (1.12, 1.12)
    """
    return Fig4Parameters(k1=k1).stack(T, coupling_form, **options)

