"""The general (Rashba) path against a brute-force uniform grid with the full complex 4x4 BdG matrix.

Setting: NbSe2 bands with lambda_soc = 20 Delta0 and Rashba alpha_R = 10 Delta0 (Delta0 = 0.4653 meV),
T = 0.5 Tc0, J = 0.5 H_P at theta = 0.7, phi = 0.4; the free energy f_sn at the fixed gap
Delta* = gap(T, J, theta, phi).  Reference: the engine at Resolution().refined(2).  The brute force
diagonalises [[h(k) + J.s, D i s_y], [h.c., -(h(-k) + J.s)*]] with numpy.linalg.eigvalsh at every point
of an nk x nk grid (in batches); its error oscillates with nk like the Ising benchmark's.

Run: .venv/bin/python benchmarks/rashba_vs_bruteforce.py [--nk 1024 2048 3072 4096]
"""
from __future__ import annotations

import argparse
import math
import time

import numpy as np

import isingsc
import isingsc.quadrature
from isingsc import bdg
from isingsc.model import reciprocal_vectors

SY = np.array([[0, -1j], [1j, 0]])


def brute_f(model, nk, d, T, J, theta, phi, delta0, chunk=1 << 18):
    """f_sn per site (meV) by batched complex 4x4 diagonalisation on the uniform nk x nk grid."""
    b1, b2 = reciprocal_vectors()
    Jv = J * np.array([math.sin(theta) * math.cos(phi), math.sin(theta) * math.sin(phi), math.cos(theta)])
    Z = Jv[0] * np.array([[0, 1], [1, 0]]) + Jv[1] * SY + Jv[2] * np.diag([1, -1])
    total = 0.0
    v = np.arange(nk) / nk
    rows = max(1, chunk // nk)
    for i0 in range(0, nk, rows):
        u = np.arange(i0, min(nk, i0 + rows)) / nk
        kx = (u[:, None] * b1[0] + v[None, :] * b2[0]).ravel()
        ky = (u[:, None] * b1[1] + v[None, :] * b2[1]).ravel()
        h, hm = model.bloch_hamiltonian(kx, ky), model.bloch_hamiltonian(-kx, -ky)
        H = np.zeros((kx.size, 4, 4), complex)
        H[:, :2, :2] = h + Z
        H[:, 2:, 2:] = -(hm + Z).conj()
        H[:, :2, 2:] = d * 1j * SY
        H[:, 2:, :2] = (d * 1j * SY).conj().T
        ep, em = model.bands(kx, ky)
        Fs = 0.5 * (ep + em) - bdg.thermal_potential(np.linalg.eigvalsh(H), T).sum(-1)
        G = d * d * bdg.pair_kernel(ep, em, delta0) + Fs - bdg.free_energy_density(ep, em, 0, 0, 0, T)
        total += float(np.sum(G))
    return total / nk ** 2


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nk", type=int, nargs="+", default=[1024, 2048, 3072, 4096])
    args = p.parse_args(argv)
    d0 = isingsc.DELTA0_PAPER
    model = isingsc.NbSe2().with_lambda_soc(20 * d0).with_alpha_R(10 * d0)
    ref = isingsc.IsingSuperconductor(model, d0, resolution=isingsc.Resolution().refined(2))
    T, J, theta, phi = 0.5 * ref.tc0, 0.5 * d0 / math.sqrt(2), 0.7, 0.4
    dstar = ref.gap(T, J, theta, phi)
    f_ref = ref.free_energy_landscape(dstar, T, J, theta, phi)
    best = np.inf
    for _ in range(3):
        isingsc.quadrature.clear_caches()
        t0 = time.perf_counter()
        s = isingsc.IsingSuperconductor(model, d0)
        f_eng = s.free_energy_landscape(dstar, T, J, theta, phi)
        best = min(best, time.perf_counter() - t0)
    print(f"reference f_sn(Delta* = {dstar:.6f} meV) = {f_ref:.10e} meV; engine (cold, best of 3): "
          f"{best * 1e3:.1f} ms, rel. error {f_eng / f_ref - 1:+.1e}")
    for nk in args.nk:
        t0 = time.perf_counter()
        f = brute_f(model, nk, dstar, T, J, theta, phi, d0)
        dt = time.perf_counter() - t0
        print(f"brute nk={nk:5d}: {dt:7.1f} s, rel. error {f / f_ref - 1:+.2e}, {dt / nk**2 * 1e6:.2f} us per k-point, "
              f"speed-up {dt / best:.0f}x")


if __name__ == "__main__":
    main()
