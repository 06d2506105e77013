#!/usr/bin/env python3
"""Numerical sanity check of the restriction ideals computed by the peers.

g(X) = int_{R^2} sigma(u1) sigma(u2) exp(u^T X u) du  (X negative definite; this is
F(y=0, x) for the integral representation F(y,x) = int sigma sigma exp(y.u + u^T X u) du
whose annihilator contains the images of Ann(sigma) under u -> dy, du -> -(y + 2 X dy)).
Derivatives: dx11 <-> u1^2, dx12 <-> 2 u1 u2, dx22 <-> u2^2 under the integral, so for an
operator P = sum c_a(x) dx^a (normally ordered, as printed by Singular/M2)
    P g = int sigma sigma (sum c_a(x) u^(a)) exp(u^T X u) du.
We report |P g| / sum_a |c_a(x) dx^a g| at two points X; ~1e-14 means P annihilates g.
Run from tools/peers (after singular/*.sing):  python3 check_annihilators.py
"""
import numpy as np
import sympy as sp

x11, x12, x22, dx11, dx12, dx22 = sp.symbols("x11 x12 x22 dx11 dx12 dx22")
SIG = {
    "relu": lambda u: np.where(u > 0, u, 0.0),
    "step": lambda u: np.where(u > 0, 1.0, 0.0),
    "resin": lambda u: np.where(u > 0, np.sin(u), 0.0),
    "resin_dsigma": lambda u: np.where(u > 0, np.cos(u), 0.0),
}

# Gauss-Legendre grid on the quadrant [0, 14]^2 (all sigma vanish for u < 0)
edges = [0, 1, 2.5, 4.5, 7, 10, 14]
xg, wg = np.polynomial.legendre.leggauss(40)
nodes, wts = [], []
for lo, hi in zip(edges[:-1], edges[1:]):
    nodes.append((hi - lo) / 2 * xg + (hi + lo) / 2)
    wts.append((hi - lo) / 2 * wg)
nodes, wts = np.concatenate(nodes), np.concatenate(wts)
U1, U2 = np.meshgrid(nodes, nodes, indexing="ij")
W2 = np.outer(wts, wts)


def check(name, polys, Lam):
    X = -0.5 * np.linalg.inv(np.array(Lam))
    base = SIG[name](U1) * SIG[name](U2) * np.exp(X[0, 0] * U1**2 + 2 * X[0, 1] * U1 * U2 + X[1, 1] * U2**2) * W2
    xs = {x11: X[0, 0], x12: X[0, 1], x22: X[1, 1]}
    worst = 0.0
    for P in polys:
        tot, scale = 0.0, 0.0
        for (a11, a12, a22), coeff in sp.Poly(P, dx11, dx12, dx22).terms():
            c = float(coeff.subs(xs))
            m = np.sum(base * U1 ** (2 * a11 + a12) * U2 ** (a12 + 2 * a22)) * 2.0**a12
            tot += c * m
            scale += abs(c * m)
        worst = max(worst, abs(tot) / scale)
    return worst


def load(fname):
    txt = open(fname).read().replace("\n", "")
    return [sp.sympify(p) for p in txt.split(",")]


if __name__ == "__main__":
    pts = [[[1.0, 0.3], [0.3, 1.5]], [[0.7, -0.5], [-0.5, 2.0]]]
    for name in ("relu", "step", "resin", "resin_dsigma"):
        polys = load("out/singular_%s_resIdeal.txt" % name)
        r = max(check(name, polys, L) for L in pts)
        print("%-12s %2d generators: max relative residual |Pg|/sum|terms| = %.1e" % (name, len(polys), r))
    # negative controls: the '+1' generator applied to the ReLU integral, and '+2' to the step one
    bad = [2 * x11 * dx11 + x12 * dx12 + 1]
    print("control: 2*x11*dx11+x12*dx12+1 on ReLU g : %.1e (should be O(1))" % max(check("relu", bad, L) for L in pts))
    bad = [2 * x11 * dx11 + x12 * dx12 + 2]
    print("control: 2*x11*dx11+x12*dx12+2 on step g : %.1e (should be O(1))" % max(check("step", bad, L) for L in pts))
