"""Fast evaluation of the spin-resolved bands and their gradients (private engine module).

The bands of :class:`isingsc.model.TriangularTMD` are a short Fourier series in
``alpha = kx a/2`` and ``beta = sqrt(3) ky a/2``,

    xi_s(k) = epsilon + sum_(n,m) [C_nm cos(n alpha + m beta) + s S_nm sin(n alpha + m beta)],

``s = +1`` for spin up, ``-1`` for spin down (time reversal), with
``C_nm = 2 t_j cos(phi_j)`` and ``S_nm = 2 t_j sign sin(phi_j)`` from the
neighbour shells of :mod:`isingsc.model`.  Instead of one ``cos`` per term and
spin (42 per momentum), :class:`BandEvaluator` computes ``cos``/``sin`` of
``alpha`` and ``beta`` once, builds ``cos(n alpha)``, ``sin(n alpha)``,
``cos(m beta)``, ``sin(m beta)`` by the Chebyshev recurrence and contracts them
with small coefficient matrices.  It also returns the gradient, which the
quadrature uses for Newton steps onto the Fermi surfaces and for the
``|d xi/dr|`` of the radial panels.  Energies in meV, momenta in 1/a.

Models whose class overrides ``dispersion`` get a generic evaluator that calls
it (gradients by central differences), so the engine never silently uses
other bands than the model's own.
"""
from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np

__all__ = ["BandEvaluator", "band_evaluator"]

SQRT3 = np.sqrt(3.0)


#: points per block of :meth:`BandEvaluator.bands` (work arrays come from a per-thread pool); small
#: enough that OpenBLAS computes the (7 x 5) @ (5 x BLOCK) contractions on one thread
BLOCK = 4096
_POOL = threading.local()


def _pool(m, na, nb):
    """Work arrays for one block of m points: Ca, Sa (na, m), Cb, Sb (nb, m), T (na, m), x, tmp (m)."""
    key = (na, nb)
    pools = getattr(_POOL, "pools", None)
    if pools is None:
        pools = _POOL.pools = {}
    buf = pools.get(key)
    if buf is None or buf[-1].size < m:
        n = max(m, buf[-1].size if buf else 0)
        buf = pools[key] = [np.empty((na, n)), np.empty((na, n)), np.empty((nb, n)), np.empty((nb, n)),
                            np.empty((max(na, nb), n)), np.empty(n), np.empty(n)]
    Ca, Sa, Cb, Sb, T, x, tmp = buf
    return Ca[:, :m], Sa[:, :m], Cb[:, :m], Sb[:, :m], T[:, :m], x[:m], tmp[:m]


class BandEvaluator:
    """Bands ``xi_up, xi_down`` (meV) and gradients (meV a) of a Fourier-series model.

    Parameters
    ----------
    epsilon : float
        Constant term (meV).
    terms : sequence of (n, m, C, S)
        ``C cos(n alpha + m beta) + s S sin(n alpha + m beta)`` (meV).
    """

    def __init__(self, epsilon, terms):
        terms = [(int(n), int(m), float(c), float(s)) for n, m, c, s in terms]
        self.epsilon = float(epsilon)
        self.n_max = max([abs(n) for n, *_ in terms] + [1])
        self.m_max = max([abs(m) for _, m, *_ in terms] + [1])
        shape = (self.n_max + 1, self.m_max + 1)
        # E = eps + sum Ecc[n, mu] cos(n a) cos(mu b) + Ess[n, mu] sin(n a) sin(mu b)
        # D = sum Dsc[n, mu] sin(n a) cos(mu b) + Dcs[n, mu] cos(n a) sin(mu b)
        Ecc, Ess, Dsc, Dcs = (np.zeros(shape) for _ in range(4))
        for n, m, c, s in terms:
            if n < 0:  # cos(-x) = cos(x), sin(-x) = -sin(x)
                n, m, s = -n, -m, -s
            mu, sg = abs(m), (1.0 if m >= 0 else -1.0)
            Ecc[n, mu] += c
            Ess[n, mu] -= sg * c
            Dsc[n, mu] += s
            Dcs[n, mu] += sg * s
        self._E = (Ecc, Ess)
        self._D = (Dsc, Dcs)
        self._has_odd = bool(np.any(Dsc) or np.any(Dcs))
        n = np.arange(shape[0])[:, None]
        mu = np.arange(shape[1])[None, :]
        # derivatives: d/dalpha and d/dbeta of the four products
        self._dE = (Ecc * n, Ess * n, Ecc * mu, Ess * mu)
        self._dD = (Dsc * n, Dcs * n, Dsc * mu, Dcs * mu)
        # non-zero rows of every coefficient matrix, for the contractions
        self._sparse = {}
        for M in self._E + self._D + self._dE + self._dD:
            rows = np.flatnonzero(M.any(axis=1))
            self._sparse[id(M)] = (rows, np.ascontiguousarray(M[rows]))

    # ----------------------------------------------------------------- helpers
    @staticmethod
    def _harmonics(x, n_max):
        """cos(j x), sin(j x) for j = 0..n_max, shape (n_max + 1, ...)."""
        c1, s1 = np.cos(x), np.sin(x)
        C = np.empty((n_max + 1,) + x.shape)
        S = np.empty_like(C)
        C[0], S[0] = 1.0, 0.0
        C[1], S[1] = c1, s1
        two_c = 2.0 * c1
        for j in range(2, n_max + 1):
            np.multiply(two_c, C[j - 1], out=C[j])
            C[j] -= C[j - 2]
            np.multiply(two_c, S[j - 1], out=S[j])
            S[j] -= S[j - 2]
        return C, S

    def _parts(self, kx, ky, gradient):
        kx, ky = np.broadcast_arrays(np.asarray(kx, float), np.asarray(ky, float))
        shape = kx.shape
        a = 0.5 * kx.reshape(-1)
        b = 0.5 * SQRT3 * ky.reshape(-1)
        Ca, Sa = self._harmonics(a, self.n_max)  # (n, N)
        Cb, Sb = self._harmonics(b, self.m_max)  # (mu, N)

        def contract(M, X, Y):  # sum_{n, mu} M[n, mu] X[n] Y[mu]
            rows, sub = self._sparse[id(M)]
            if rows.size == 0:
                return np.zeros(a.size)
            T = sub @ Y
            T *= X[rows]
            return T.sum(axis=0)

        Ecc, Ess = self._E
        E = self.epsilon + contract(Ecc, Ca, Cb) + contract(Ess, Sa, Sb)
        if self._has_odd:
            Dsc, Dcs = self._D
            D = contract(Dsc, Sa, Cb) + contract(Dcs, Ca, Sb)
        else:
            D = np.zeros_like(E)
        if not gradient:
            return shape, E, D, None
        e_na, e_sa, e_mb, e_sb = self._dE
        # dE/dalpha = sum -n Ecc sin(na) cos(mb) + n Ess cos(na) sin(mb)
        dE_da = -contract(e_na, Sa, Cb) + contract(e_sa, Ca, Sb)
        dE_db = -contract(e_mb, Ca, Sb) + contract(e_sb, Sa, Cb)
        d_na, d_ca, d_mb, d_cb = self._dD
        dD_da = contract(d_na, Ca, Cb) - contract(d_ca, Sa, Sb)
        dD_db = -contract(d_mb, Sa, Sb) + contract(d_cb, Ca, Cb)
        # chain rule: d alpha/d kx = 1/2, d beta/d ky = sqrt3/2
        grads = (0.5 * dE_da, 0.5 * SQRT3 * dE_db, 0.5 * dD_da, 0.5 * SQRT3 * dD_db)
        return shape, E, D, grads

    def _block_bands(self, kx, ky, up, dn):
        """Bands of one block into ``up``, ``dn`` (1D, same length), with pooled work arrays."""
        m = kx.size
        na, nb = self.n_max + 1, self.m_max + 1
        Ca, Sa, Cb, Sb, T, x, tmp = _pool(m, na, nb)
        np.multiply(kx, 0.5, out=x)
        self._harmonics_into(x, Ca, Sa)
        np.multiply(ky, 0.5 * SQRT3, out=x)
        self._harmonics_into(x, Cb, Sb)

        def contract_into(M, X, Y, out, first):  # out (+)= sum_{n, mu} M[n, mu] X[n] Y[mu]
            rows, sub = self._sparse[id(M)]
            if rows.size == 0:
                if first:
                    out.fill(0.0)
                return
            t = T[:rows.size]
            np.matmul(sub, Y, out=t)
            t *= X[rows]
            if first:
                np.sum(t, axis=0, out=out)
            else:
                np.sum(t, axis=0, out=tmp)
                out += tmp

        Ecc, Ess = self._E
        contract_into(Ecc, Ca, Cb, up, True)
        contract_into(Ess, Sa, Sb, up, False)
        up += self.epsilon
        if self._has_odd:
            Dsc, Dcs = self._D
            contract_into(Dsc, Sa, Cb, dn, True)
            contract_into(Dcs, Ca, Sb, dn, False)
            np.subtract(up, dn, out=tmp)  # E - D
            up += dn  # E + D
            dn[...] = tmp
        else:
            dn[...] = up

    @staticmethod
    def _harmonics_into(x, C, S):
        C[0].fill(1.0)
        S[0].fill(0.0)
        np.cos(x, out=C[1])
        np.sin(x, out=S[1])
        if C.shape[0] > 2:
            two_c = C[0]  # 2 cos(x), restored to 1 at the end
            np.multiply(C[1], 2.0, out=two_c)
            for j in range(2, C.shape[0]):
                np.multiply(two_c, C[j - 1], out=C[j])
                C[j] -= C[j - 2] if j > 2 else 1.0
                np.multiply(two_c, S[j - 1], out=S[j])
                S[j] -= S[j - 2]
            C[0].fill(1.0)

    # ------------------------------------------------------------------ public
    def bands(self, kx, ky):
        """``(xi_up, xi_down)`` (meV) at momenta ``kx, ky`` (1/a), broadcast together."""
        kx, ky = np.broadcast_arrays(np.asarray(kx, float), np.asarray(ky, float))
        shape = kx.shape
        kx, ky = kx.reshape(-1), ky.reshape(-1)
        up = np.empty(kx.size)
        dn = np.empty(kx.size)
        for s in range(0, kx.size, BLOCK):
            e = s + BLOCK
            self._block_bands(kx[s:e], ky[s:e], up[s:e], dn[s:e])
        return up.reshape(shape), dn.reshape(shape)

    def bands_and_gradients(self, kx, ky):
        """``xi_up, xi_down`` (meV) and their gradients ``(d/dkx, d/dky)`` (meV a).

        Returns
        -------
        up, down : ndarray
        grad_up, grad_down : tuple of two ndarray
        """
        shape, E, D, (Ex, Ey, Dx, Dy) = self._parts(kx, ky, True)
        r = lambda x: x.reshape(shape)  # noqa: E731
        return r(E + D), r(E - D), (r(Ex + Dx), r(Ey + Dy)), (r(Ex - Dx), r(Ey - Dy))


class GenericBandEvaluator:
    """Evaluator for a model with its own ``dispersion`` (gradients by central differences)."""

    def __init__(self, model):
        self.model = model

    def bands(self, kx, ky):
        return self.model.dispersion(kx, ky)

    def bands_and_gradients(self, kx, ky):
        kx, ky = np.broadcast_arrays(np.asarray(kx, float), np.asarray(ky, float))
        h = 1e-6
        up, dn = self.model.dispersion(kx, ky)
        ux1, dx1 = self.model.dispersion(kx + h, ky)
        ux0, dx0 = self.model.dispersion(kx - h, ky)
        uy1, dy1 = self.model.dispersion(kx, ky + h)
        uy0, dy0 = self.model.dispersion(kx, ky - h)
        s = 0.5 / h
        return up, dn, ((ux1 - ux0) * s, (uy1 - uy0) * s), ((dx1 - dx0) * s, (dy1 - dy0) * s)


@lru_cache(maxsize=128)
def band_evaluator(model):
    """The fastest exact evaluator of ``model``'s bands (cached per model).

    Parameters
    ----------
    model : isingsc.model.TriangularTMD
        Any model; subclasses that override ``dispersion`` are evaluated
        through it.

    Returns
    -------
    BandEvaluator or GenericBandEvaluator

    Examples
    --------
    >>> import numpy as np, isingsc
    >>> m = isingsc.NbSe2()
    >>> fast = band_evaluator(m).bands(np.array([0.3, 2.0]), np.array([1.1, -0.4]))
    >>> bool(np.allclose(fast, m.dispersion(np.array([0.3, 2.0]), np.array([1.1, -0.4])), rtol=0, atol=1e-11))
    True
    """
    from .model import _SHELLS, TriangularTMD

    if type(model).dispersion is not TriangularTMD.dispersion:
        return GenericBandEvaluator(model)
    terms = []
    for tj, phij, shell in zip(model.t, model.phi, _SHELLS):
        if tj == 0.0:
            continue
        for na, nb, sign in shell:
            # 2 t cos(x - s sign phi) = 2t cos(phi) cos(x) + s 2t sign sin(phi) sin(x)
            terms.append((na, nb, 2.0 * tj * np.cos(phij), 2.0 * tj * sign * np.sin(phij)))
    return BandEvaluator(model.epsilon, terms)
