"""The free-energy landscape on one quadrature, fast (private engine module).

:class:`Landscape` evaluates, for a fixed quadrature and fixed ``(T, J, theta)``,

    f(delta) = delta^2 <K> + <F(delta) - F_n>          (meV per site)
    g(delta) = df/d(delta^2) = <K> + <G(delta)>        (1/meV per site)

for many trial gaps ``delta``, with ``K`` the pair kernel, ``F`` and ``G`` the
free-energy and gap-function densities of :mod:`isingsc.bdg` and ``F_n`` the
zero-field normal state.  Everything that does not depend on ``delta`` (the
kernel, the normal state, the ``delta``-free parts of the quartic's
coefficients) is computed once per node block; the per-``delta`` work writes
into preallocated block buffers (NumPy ufuncs with ``out=``), which on the
reference machine is several times faster than allocating temporaries.  The
formulas are those of :func:`isingsc.bdg.free_energy_and_gap_density` (tested
against it and against 4x4 diagonalisation).
"""
from __future__ import annotations

import threading

import numpy as np

from . import bdg

__all__ = ["Landscape", "RashbaLandscape"]


#: nodes per block: with preallocated work arrays large blocks amortise NumPy's per-call overhead;
#: at most 10000, so that OpenBLAS runs the block's dot products on one thread (its threads stall
#: on a busy machine)
BLOCK = 8192
#: nodes per chunk for kernels with NumPy temporaries (small arrays stay in the allocator's cache)
_CHUNK = 2048
#: floor of the exponent in ``x = exp(-|E|/T)``.  Below about -708 NumPy's ``exp`` leaves its vector path
#: (subnormal and underflowing results, ten to a hundred times slower per element), and most nodes of a
#: quadrature lie there at low temperature.  Raising the exponent to -700 changes nothing: ``1 + x`` is
#: 1.0 either way, and ``(T/2) log1p(x) < 1e-304 T`` is far below half an ulp of ``|E|/4 > 175 T``
#: that it is added to, so ``phi`` and ``phi'`` are the same floating-point numbers (tested).
EXP_FLOOR = -700.0
_POOL = threading.local()


def _buffers(m, count=24):
    """``count`` work arrays of length ``m`` from a per-thread pool (grown on demand, never shrunk)."""
    pool = getattr(_POOL, "arrays", None)
    if pool is None or pool[0].size < m or len(pool) < count:
        size = max(m, pool[0].size if pool else 0)
        pool = [np.empty(size) for _ in range(max(count, len(pool) if pool else 0))]
        _POOL.arrays = pool
    return [b[:m] for b in pool[:count]]


def _phi_slope(E, T, phi_acc, slope, tmp, first):
    """phi_acc (+)= phi(E); slope = phi'(E) = tanh(E/2T)/4 (in place).

    At ``T > 0`` both come from one exponential ``x = exp(-|E|/T)``: ``phi = |E|/4 + (T/2) log(1 + x)``
    and ``tanh(|E|/2T) = (1 - x)/(1 + x)``, so ``phi' = sign(E) [1/(2(1 + x)) - 1/4]`` (NumPy's
    ``tanh`` costs about twice its ``exp`` on the reference machine).  With ``phi_acc=None`` only the
    slope is computed (by the same operations: the same numbers).
    """
    if T == 0.0:
        if phi_acc is not None:
            np.abs(E, out=tmp)
            tmp *= 0.25
        np.sign(E, out=slope)
        slope *= 0.25
        if phi_acc is None:
            return
        if first:
            phi_acc[...] = tmp
        else:
            phi_acc += tmp
        return
    np.abs(E, out=tmp)
    np.multiply(tmp, -1.0 / T, out=slope)
    np.maximum(slope, EXP_FLOOR, out=slope)  # the same numbers, without exp's slow underflow path
    np.exp(slope, out=slope)  # x
    if phi_acc is not None:
        tmp *= 0.25
        if first:
            phi_acc[...] = tmp
        else:
            phi_acc += tmp
        np.log1p(slope, out=tmp)
        tmp *= 0.5 * T
        phi_acc += tmp
    slope += 1.0
    np.divide(0.5, slope, out=slope)
    slope -= 0.25
    np.copysign(slope, E, out=slope)


class Landscape:
    """f(delta) and g(delta) = df/d(delta^2) per site on quadrature ``q`` at fixed ``(T, J, theta)``.

    Parameters
    ----------
    q : BZQuadrature
    delta0 : float
        Zero-temperature gap (meV) of the pair kernel (fixes 1/g).
    T, J : float
        Temperature and exchange field (meV).
    theta : float
        Polar angle of the field (rad).

    Examples
    --------
    >>> import isingsc
    >>> sc = isingsc.IsingSuperconductor(isingsc.NbSe2())
    >>> land = Landscape(sc.quadrature(0.0), sc.delta0, 0.0, 0.0, 0.0)
    >>> g, f = land(sc.delta0)
    >>> abs(g) < 1e-12 * land.kernel  # the T = 0 gap equation holds at delta0
    True
    """

    def __init__(self, q, delta0, T, J, theta):
        self.T = float(T)
        self.J = float(J)
        self.theta = float(theta)
        self.case, jz, jx = bdg._field_case(J, theta)
        self.jz, self.jx = jz, jx
        J2 = self.J * self.J
        self.blocks = []
        kernel = 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            for s in range(0, q.size, BLOCK):
                a = np.asarray(q.xi_up[s:s + BLOCK])
                b = np.asarray(q.xi_down[s:s + BLOCK])
                w = np.asarray(q.weights[s:s + BLOCK])
                a2, b2 = a * a, b * b
                K = bdg._pair_kernel(a, b, delta0)
                kernel += float(np.dot(K, w))
                # base - F_n = sum of phi over the zero-field normal state
                C0 = 2.0 * (bdg._thermal_potential(a, T) + bdg._thermal_potential(b, T))
                blk = {"w": w, "C0": C0, "a2": a2, "b2": b2, "a": a, "b": b}
                if self.case == "x":
                    S = a2 + b2
                    ab = a * b
                    blk["S2"] = S - 2.0 * J2
                    blk["Q0"] = (ab - J2) ** 2
                    blk["D0"] = (a2 - b2) ** 2 + 4.0 * J2 * (a + b) ** 2
                    blk["P0"] = S + 2.0 * J2
                elif self.case == "general":
                    S = a2 + b2
                    blk["S2"] = S - 2.0 * J2
                    blk["p0"] = -(S + 2.0 * J2)
                    qc = -2.0 * jz * (a2 - b2)
                    blk["q"] = qc
                    blk["q2"] = qc * qc
                    blk["r0"] = a2 * b2 + J2 * J2 - jz * jz * S - 2.0 * jx * jx * a * b
                self.blocks.append(blk)
        self.kernel = kernel  # 1/g on this quadrature (1/meV per site)

    # ---------------------------------------------------------------- scalars
    def _chunks(self):
        """(a, b, w, C0) in chunks of 2048 nodes, for the kernels that allocate temporaries."""
        for blk in self.blocks:
            for s in range(0, blk["w"].size, _CHUNK):
                e = s + _CHUNK
                yield blk["a"][s:e], blk["b"][s:e], blk["w"][s:e], blk["C0"][s:e]

    def normal(self):
        """f_n(J) - f_n(0) per site (meV): the normal state in the field."""
        if self.J == 0.0:
            return 0.0
        total = 0.0
        for a, b, w, C0 in self._chunks():
            F = bdg._free_energy_density(a, b, 0.0, self.J, self.theta, self.T)
            total += float(np.dot(C0 + F - 0.5 * (a + b), w))
        return total

    def alpha(self):
        """Pair curvature alpha = 1/g - <chi_pair> (1/meV per site)."""
        total = 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            for a, b, w, _ in self._chunks():
                total += float(np.dot(bdg._pair_susceptibility_density(a, b, self.J, self.theta, self.T), w))
        return self.kernel - total

    # ---------------------------------------------------------------- f and g
    def __call__(self, delta):
        """``(g, f)`` at trial gap ``delta`` (meV): ``df/d(delta^2)`` (1/meV) and ``f`` (meV), per site."""
        return self._evaluate(delta, True)

    def gap_equation(self, delta):
        """``g(delta)`` alone (1/meV per site): the same number as ``self(delta)[0]``, without the free energy.

        The solvers locate the gap from the signs and values of ``g`` only; ``f`` is needed at the root.
        """
        return self._evaluate(delta, False)[0]

    def _evaluate(self, delta, with_f):
        delta = float(delta)
        if delta == 0.0:
            return self.alpha(), (self.normal() if with_f else None)
        d2 = delta * delta
        ff = gg = 0.0
        method = getattr(self, "_block_" + self.case)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for blk in self.blocks:
                m = blk["w"].size
                buf = _buffers(m)
                fsum, gsum = method(blk, d2, delta, buf, with_f)
                if with_f:
                    ff += fsum
                gg += gsum
        return self.kernel + gg, (d2 * self.kernel + ff if with_f else None)

    def _finish(self, blk, phi, G, buf):
        """<C0 - sum phi> and <G> for one block (``phi`` None: only <G>)."""
        w = blk["w"]
        if phi is None:
            return None, float(np.dot(G, w))
        np.subtract(blk["C0"], phi, out=phi)
        return float(np.dot(phi, w)), float(np.dot(G, w))

    def _block_zero(self, blk, d2, delta, buf, with_f=True):
        T = self.T
        Ea, Eb, phi, s1, s2, tmp = buf[:6]
        if not with_f:
            phi = None  # the gap equation only: no free-energy density
        np.add(blk["a2"], d2, out=Ea)
        np.sqrt(Ea, out=Ea)
        np.add(blk["b2"], d2, out=Eb)
        np.sqrt(Eb, out=Eb)
        _phi_slope(Ea, T, phi, s1, tmp, True)
        _phi_slope(Eb, T, phi, s2, tmp, False)
        if phi is not None:
            phi *= 2.0
        np.divide(s1, Ea, out=s1)
        np.divide(s2, Eb, out=s2)
        s1 += s2
        np.negative(s1, out=s1)
        return self._finish(blk, phi, s1, buf)

    def _block_z(self, blk, d2, delta, buf, with_f=True):
        T, j = self.T, self.J
        Ea, Eb, phi, s1, s2, tmp, x = buf[:7]
        if not with_f:
            phi = None  # the gap equation only: no free-energy density
        np.add(blk["a2"], d2, out=Ea)
        np.sqrt(Ea, out=Ea)
        np.add(blk["b2"], d2, out=Eb)
        np.sqrt(Eb, out=Eb)
        G = buf[7]
        np.add(Ea, j, out=x)
        _phi_slope(x, T, phi, s1, tmp, True)
        np.subtract(Ea, j, out=x)
        _phi_slope(x, T, phi, s2, tmp, False)
        s1 += s2
        np.divide(s1, Ea, out=G)
        np.add(Eb, j, out=x)
        _phi_slope(x, T, phi, s1, tmp, False)
        np.subtract(Eb, j, out=x)
        _phi_slope(x, T, phi, s2, tmp, False)
        s1 += s2
        np.divide(s1, Eb, out=s1)
        G += s1
        G *= -0.5
        return self._finish(blk, phi, G, buf)

    def _block_x(self, blk, d2, delta, buf, with_f=True):
        T, J2 = self.T, self.J * self.J
        Q, disc, ep, em, phi, s1, s2, tmp, u = buf[:9]
        if not with_f:
            phi = None  # the gap equation only: no free-energy density
        # Q = (ab - J^2)^2 + delta^2 (S - 2J^2) + delta^4, disc = sqrt(D0 + 16 J^2 delta^2)
        np.multiply(blk["S2"], d2, out=Q)
        Q += blk["Q0"]
        Q += d2 * d2
        np.maximum(Q, 0.0, out=Q)
        np.add(blk["D0"], 16.0 * J2 * d2, out=disc)
        np.sqrt(disc, out=disc)
        np.add(blk["P0"], 2.0 * d2, out=ep)
        ep += disc
        ep *= 0.5
        np.sqrt(ep, out=ep)
        np.sqrt(Q, out=em)
        np.divide(em, ep, out=em)
        np.divide(4.0 * J2, disc, out=u)
        _phi_slope(ep, T, phi, s1, tmp, True)
        _phi_slope(em, T, phi, s2, tmp, False)
        if phi is not None:
            phi *= 2.0
        # G = -[phi'(ep)/ep (1 + u) + phi'(em)/em (1 - u)]
        np.divide(s1, ep, out=s1)
        if T > 0:
            # phi'(em)/em -> 1/(8T) at em -> 0
            np.divide(s2, em, out=s2)
            np.copyto(s2, 1.0 / (8.0 * T), where=em < 1e-9 * T)
        else:
            np.divide(s2, em, out=s2)
            np.copyto(s2, 0.0, where=em == 0.0)
        np.subtract(s1, s2, out=tmp)
        tmp *= u
        s1 += s2
        s1 += tmp
        np.negative(s1, out=s1)
        return self._finish(blk, phi, s1, buf)

    def _block_general(self, blk, d2, delta, buf, with_f=True):
        T, J2 = self.T, self.J * self.J
        (p, r, t1, t2, m, y, s, qs, base, d1, dd2,
         E0, E1, E2, E3, phi, sl0, sl1, sl2, sl3, tmp, G, num, dp) = buf[:24]
        if not with_f:
            phi = None  # the gap equation only: no free-energy density
        # quartic coefficients: p = p0 - 2 delta^2, r = r0 + delta^2 (S - 2J^2) + delta^4
        np.subtract(blk["p0"], 2.0 * d2, out=p)
        np.multiply(blk["S2"], d2, out=r)
        r += blk["r0"]
        r += d2 * d2
        # resolvent cubic: m = sqrt(p^2/9 + 4r/3), qq = -(2/27) p^3 + (8/3) p r - q^2
        np.multiply(p, p, out=t1)
        np.multiply(t1, 1.0 / 9.0, out=m)
        np.multiply(r, 4.0 / 3.0, out=t2)
        m += t2
        np.maximum(m, 0.0, out=m)
        np.sqrt(m, out=m)
        np.multiply(t1, p, out=t1)
        t1 *= -2.0 / 27.0
        np.multiply(p, r, out=t2)
        t2 *= 8.0 / 3.0
        t1 += t2
        t1 -= blk["q2"]  # qq
        np.multiply(m, m, out=t2)
        t2 *= m
        t2 *= -2.0
        np.divide(t1, t2, out=t1)  # arg = -qq / (2 m^3); fmax/fmin also map NaN (m = 0) into [-1, 1]
        np.fmax(t1, -1.0, out=t1)
        np.fmin(t1, 1.0, out=t1)
        np.arccos(t1, out=t1)
        t1 *= 1.0 / 3.0
        np.cos(t1, out=t1)
        np.multiply(m, t1, out=y)
        y *= 2.0
        np.multiply(p, 2.0 / 3.0, out=t2)
        y -= t2
        np.maximum(y, 0.0, out=y)
        np.sqrt(y, out=s)
        np.maximum(s, 1e-300, out=t2)
        np.divide(blk["q"], t2, out=qs)
        qs *= 2.0
        np.multiply(p, -2.0, out=base)
        base -= y
        np.add(base, qs, out=d1)
        np.maximum(d1, 0.0, out=d1)
        np.sqrt(d1, out=d1)
        np.subtract(base, qs, out=dd2)
        np.maximum(dd2, 0.0, out=dd2)
        np.sqrt(dd2, out=dd2)
        # roots E0, E1 = (-s +- d1)/2, E2, E3 = (s +- d2)/2
        np.subtract(d1, s, out=E0)
        E0 *= 0.5
        np.add(d1, s, out=E1)
        E1 *= -0.5
        np.add(s, dd2, out=E2)
        E2 *= 0.5
        np.subtract(s, dd2, out=E3)
        E3 *= 0.5
        _phi_slope(E0, T, phi, sl0, tmp, True)
        _phi_slope(E1, T, phi, sl1, tmp, False)
        _phi_slope(E2, T, phi, sl2, tmp, False)
        _phi_slope(E3, T, phi, sl3, tmp, False)
        # G = -sum_n phi'(E_n) (2 E_n^2 - s_) / P'(E_n), |ratio| <= 1/(2 delta)
        s_ = blk["S2"]  # s_ = S - 2J^2 + 2 delta^2 (added below)
        bound = 0.5 / delta
        G.fill(0.0)
        d02, d03, d12, d13 = t1, t2, m, y  # reuse buffers
        np.subtract(E0, E2, out=d02)
        np.subtract(E0, E3, out=d03)
        np.subtract(E1, E2, out=d12)
        np.subtract(E1, E3, out=d13)
        for En, sl, f1, f2, f3, sign in ((E0, sl0, d1, d02, d03, 1.0), (E1, sl1, d1, d12, d13, -1.0),
                                         (E2, sl2, d02, d12, dd2, 1.0), (E3, sl3, d03, d13, dd2, -1.0)):
            np.multiply(f1, f2, out=dp)
            dp *= f3
            if sign < 0:
                np.negative(dp, out=dp)
            np.multiply(En, En, out=num)
            num *= 2.0
            num -= s_
            num -= 2.0 * d2
            np.divide(num, dp, out=num)
            np.fmax(num, -bound, out=num)  # |dE/d delta| <= 1 (also catches 0/0 at exact degeneracy)
            np.fmin(num, bound, out=num)
            num *= sl
            G -= num
        return self._finish(blk, phi, G, buf)


class RashbaLandscape:
    """f(delta) and g(delta) per site for a model with Rashba coupling, in a field ``J`` (meV).

    At each momentum a spin rotation takes the spin-orbit vector ``G`` to ``z``
    (singlet pairing is invariant), so the BdG problem is the Ising one with the
    helical bands ``xi_up, xi_down = E +- |G|`` and the field resolved along and
    across ``G``: ``J_z = J |cos|``, ``J_x = J sin`` with ``cos = G.J/(|G||J|)``.
    The field breaks the point-group symmetry of the integrand, so every wedge
    node is summed over its symmetry images (``cosines``, shape (images, nodes);
    the time-reversal partners repeat ``cos^2`` and are left out).

    Parameters
    ----------
    q : BZQuadrature
        Quadrature on the helical bands.
    cosines : ndarray
        ``G.J/(|G||J|)`` at the images of the nodes, shape (m, q.size).
    delta0, T, J : float
        Zero-temperature gap, temperature and field (meV).
    """

    def __init__(self, q, cosines, delta0, T, J):
        self.T, self.J = float(T), float(J)
        c = np.abs(np.asarray(cosines, float))
        self.jz = self.J * c
        self.jx = self.J * np.sqrt(np.maximum(1.0 - c * c, 0.0))
        self.m = c.shape[0]
        self.q = q
        self.delta0 = float(delta0)
        self.kernel = q._integrate(bdg._pair_kernel, self.delta0)

    def _sum(self, func):
        """<func(a, b, jz, jx)> per site, over nodes and images (each image weight 1/m)."""
        q, total = self.q, None
        for s in range(0, q.size, _CHUNK):
            e = s + _CHUNK
            a, b, w = q.xi_up[s:e], q.xi_down[s:e], q.weights[s:e] / self.m
            for i in range(self.m):
                out = func(a, b, self.jz[i, s:e], self.jx[i, s:e])
                part = tuple(float(np.dot(o, w)) for o in out) if isinstance(out, tuple) else float(np.dot(out, w))
                if total is None:
                    total = part
                elif isinstance(part, tuple):
                    total = tuple(x + y for x, y in zip(total, part))
                else:
                    total += part
        return total

    def normal(self):
        """f_n(J) - f_n(0) per site (meV)."""
        T = self.T
        with np.errstate(divide="ignore", invalid="ignore"):
            return self._sum(lambda a, b, jz, jx: bdg._general_normal_free_energy(a, b, jz, jx, T)
                             - bdg._free_energy_density(a, b, 0.0, 0.0, 0.0, T))

    def alpha(self):
        """Pair curvature alpha = 1/g - <chi_pair> (1/meV per site)."""
        T = self.T
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.kernel - self._sum(lambda a, b, jz, jx: bdg._general_pair_susceptibility(a, b, jz, jx, T))

    def __call__(self, delta):
        """``(g, f)`` at trial gap ``delta`` (meV)."""
        delta = float(delta)
        if delta == 0.0:
            return self.alpha(), self.normal()
        T, d2, d0 = self.T, delta * delta, self.delta0

        def fg(a, b, jz, jx):
            F, G = bdg._general_free_energy_and_gap(a, b, delta, jz, jx, T)
            K = bdg._pair_kernel(a, b, d0)
            return d2 * K + F - bdg._free_energy_density(a, b, 0.0, 0.0, 0.0, T), K + G

        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            f, g = self._sum(fg)
        return g, f
