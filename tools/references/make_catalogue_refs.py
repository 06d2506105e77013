#!/usr/bin/env python3
"""High-precision reference values for the dual activations of the activation catalogue (issue 11).

For (u, v) ~ N(0, Lambda), Lambda = [[a, c], [c, b]], computes
    kind 'sigma' : E[ sigma(u)  sigma(v)  ]
    kind 'dsigma': E[ sigma'(u) sigma'(v) ]      (sigma' = the a.e. derivative, no Dirac terms: the NTK's sigma')
for the activations of CATALOGUE below, on the grid of GRID_AB x GRID_RHO, every value by two independent methods.

Write u = sqrt(a) z1, v = sqrt(b) (rho z1 + s z2), s = sqrt(1 - rho^2), z1, z2 iid N(0, 1).  Every activation (and its
derivative) is a real sum of terms  coef * x^k * exp(alpha x^2 + lam x) * ind(x)  with ind in {1, Y(x - x0), Y(x0 - x)}
(complex coef and lam come in conjugate pairs, so the sum is real on the real line and analytic off it), plus, for
rect-erf, the term erf(x) Y(x).  Y is the Heaviside step.

Method A (the reported value; python-flint = Arb ball arithmetic, 256 bits or more, rigorous error bounds):
    1-D integral over z1 of  phi(z1) f(sqrt(a) z1) H(sqrt(b) rho z1, sqrt(b) s),  where
    H(m, tau) = E[f(m + tau Z)] is in closed form: for a term, completing the square in Z gives
        exp(.)/sqrt(p) * sum_j binom(k, j) x0^(k-j) sigma'^j I_j(t),   I_j(t) = int_t^oo (w - t)^j phi(w) dw,
    I_0 = erfc(t/sqrt 2)/2, I_1 = phi(t) - t I_0, I_j = (j-1) I_{j-2} - t I_{j-1} (t complex when lam is).
    At |rho| = 1 exactly (s = 0) H(m, 0) = f(m).
    The z1-range [-L, L] (L = 20 + the largest kink) is split at the kinks of f(sqrt(a) z1) (and, at |rho| = 1,
    of f(+-sqrt(b) z1)); on each piece the integrand is entire and acb.integral (adaptive Gauss-Legendre with
    error bounds from complex-ball evaluation) bisects by itself where the transition layer of width s/|rho|
    sits when |rho| -> 1.  Where the integrand cancels (oscillating activations at large variances: values down
    to e^-400 from integrands ~ 1) the pass is repeated with a higher goal, precision and L (value_A).  The only
    non-rigorous step is dropping |z1| > L (L is raised until that tail is far below the value).
    rect-erf sigma: for erf(x) Y(x), H = Phi(k) - 2 T(k, 1/(sqrt(2) tau)), k = sqrt(2) m / sqrt(1 + 2 tau^2),
    T = Owen's T function; its integral is taken last (Fubini; the z1-integral inside is then in closed form,
    erfY_dual_A).  --nested-owen evaluates T by a nested Arb integral inside the z1-integrand instead (slow).
Method B (the check; mpmath, 32 digits or as many more as the sum loses to cancellation; no code shared with A
beyond the term lists):
    'gauss' — activations without Heaviside factors (gauss, ugauss, gabor, sin, cos, cube, hermite2):
        the 2-D Gaussian integral in closed form (complete the square in (z1, z2), Isserlis moments).
    'line' — |rho| = 1 (Heaviside factors at 0): v = (c/a) u exactly, a 1-D Gaussian integral per pair of terms
        in closed form (erfc).
    'product' — c = 0 (Heaviside factors at 0): E[f(u)] E[f(v)], each in closed form.
    'polar' — otherwise, Heaviside factors at 0 only (elu, selu, leaky-relu, abs, rectpow:2/3, recos, resin2,
        rect-uexp, sin-relu, rect-erf): polar coordinates z = r (cos t, sin t); then u = sqrt(a) r cos t,
        v = sqrt(b) r cos(t - acos rho), the Heaviside factors select arcs of t, and the radial integral
        int_0^oo r^(n+1) exp(-beta r^2/2 + w r) dr is in closed form (erfc); for erf(x) Y(x) the radial
        integral int_0^oo r e^{-r^2/2} erf(al r) erf(be r) dr is in closed form (arctangents).  What is left is
        a 1-D Gauss-Legendre quadrature over the arcs of t.  Pairs of terms in which one is a Heaviside-free
        exponential (sin-relu's sin) are done in closed form by conditioning on the other variable instead.
    'apex' — step-shifted Y(u - 1): polar coordinates about the apex of the wedge {u > 1, v > 1} in the
        z-plane: P = e^{-|p|^2/2}/(2 pi) int_arc J_1(-p . e(t)) dt with J_1 in closed form: positive terms
        only, so exponentially small probabilities (down to 1e-43437) keep their relative accuracy; where the
        wedge's integrand would peak, P(u > 1) - P(u > 1, v < 1) (or u <-> v) instead.
digits = number of agreeing significant digits of A and B (capped at 25); the generator fails if any value has
fewer than 15, or if A's ball is wider than 1e-15 relative.  Values that are exactly 0 (an odd function at c = 0,
a function supported on x >= 0 at rho = -1, a closed form that is exactly 0) are written as "0"; there
digits = -log10(max(|A|, |B|) / scale), where scale = sqrt(E[f(u)^2] E[f(v)^2]) (Cauchy-Schwarz bound of the
value), and at least 16 are required.
A third route, where a textbook closed form exists (closed_form: arc-cosine kernels, Gaussian moments, ...), is
compared with A too (>= 15 digits required); it is reported, not written.

Grid: (a, b) in GRID_AB, rho in GRID_RHO; c = rho * sqrt(a*b) in IEEE doubles (as written to the JSON) and the
value is for exactly those doubles (rho recomputed in high precision).  At rho = +-1 the doubles are chosen so that
a*b = c^2 exactly, in exact arithmetic and in float64 (a*b and sqrt(a*b) exact): where the nominal pair does not
allow it ((0.01, 1), (0.1, 10), (100, 0.01)) the non-integer entry is moved by < 2e-6 relative (see singular_pair).

Usage:  python3 make_catalogue_refs.py [--out FILE] [--jobs N] [--acts elu,gauss,...] [--quick]
Needs:  pip install mpmath python-flint
"""
import argparse
import datetime
import json
import math
import os
import sys
import time
from fractions import Fraction as Fr

import flint
import mpmath as mp
from flint import acb, arb
from flint import ctx as fctx

GRID_AB = [(0.01, 0.01), (0.01, 1.0), (0.05, 0.05), (1.0, 1.0), (0.1, 10.0), (1.0, 100.0), (100.0, 100.0), (100.0, 0.01)]
GRID_RHO = [-1.0, -0.999, -0.99, -0.9, -0.5, 0.0, 0.3, 0.9, 0.99, 0.999, 1.0]
KINDS = ["sigma", "dsigma"]
MIN_DIGITS = 15          # nonzero values: agreeing significant digits of A and B
MIN_ZERO_DIGITS = 16     # exact zeros: |A|, |B| <= 1e-16 * scale
CAP = 25
A_PREC = 256             # bits of the Arb working precision
A_GOAL = 95              # bits of the relative accuracy goal of acb.integral (~ 28 digits)
B_DPS = 32               # mpmath working precision of method B
NESTED_OWEN = False      # rect-erf sigma by the nested Owen-T integral instead of erfY_dual_A (slow; --nested-owen)


# ----------------------------------------------------------------------------------------------------------------
# the catalogue: terms coef * x^k * exp(alpha x^2 + lam x) * ind(x)
class Term:
    """coef = (re, im, pipow): (re + i im) * pi^(pipow/2); lam = (re, im); ind in (None, '+', '-'): 1, Y(x-x0), Y(x0-x);
    kind 'erfY' = erf(x) Y(x) (coef real, nothing else used)."""

    def __init__(self, coef, k=0, alpha=Fr(0), lam=(Fr(0), Fr(0)), ind=None, x0=Fr(0), special=None):
        self.coef, self.k, self.alpha, self.lam, self.ind, self.x0, self.special = coef, k, Fr(alpha), lam, ind, Fr(x0), special

    def __repr__(self):
        return "Term(%s, k=%d, alpha=%s, lam=%s, ind=%s, x0=%s%s)" % (
            self.coef, self.k, self.alpha, self.lam, self.ind, self.x0, ", " + self.special if self.special else "")


def re_term(c, k=0, alpha=0, lam=0, ind=None, x0=0, pipow=0):
    """Re( c x^k exp(alpha x^2 + lam x) ) * ind, as one real term or a conjugate pair (c, lam complex: Python complex of
    small rationals given as (re, im) tuples or numbers)."""
    cr, ci = (Fr(c[0]), Fr(c[1])) if isinstance(c, tuple) else (Fr(c), Fr(0))
    lr, li = (Fr(lam[0]), Fr(lam[1])) if isinstance(lam, tuple) else (Fr(lam), Fr(0))
    if ci == 0 and li == 0:
        return [Term((cr, Fr(0), pipow), k, alpha, (lr, Fr(0)), ind, x0)]
    return [Term((cr / 2, ci / 2, pipow), k, alpha, (lr, li), ind, x0),
            Term((cr / 2, -ci / 2, pipow), k, alpha, (lr, -li), ind, x0)]


def terms(*groups):
    out = []
    for g in groups:
        out += g
    return out


I1 = (0, 1)  # the imaginary unit, for lam and coef
H = Fr(1, 2)
SL, SA = Fr(10507, 10000), Fr(16733, 10000)

CATALOGUE = {
    "elu": dict(
        formula="u*heaviside(u) + heaviside(-u)*(exp(u)-1)",
        dsigmaFormula="heaviside(u) + heaviside(-u)*exp(u)",
        sigma=terms(re_term(1, 1, ind="+"), re_term(1, 0, lam=1, ind="-"), re_term(-1, 0, ind="-")),
        dsigma=terms(re_term(1, 0, ind="+"), re_term(1, 0, lam=1, ind="-"))),
    "selu": dict(
        formula="10507/10000*(u*heaviside(u) + 16733/10000*heaviside(-u)*(exp(u)-1))",
        dsigmaFormula="10507/10000*(heaviside(u) + 16733/10000*heaviside(-u)*exp(u))",
        sigma=terms(re_term(SL, 1, ind="+"), re_term(SL * SA, 0, lam=1, ind="-"), re_term(-SL * SA, 0, ind="-")),
        dsigma=terms(re_term(SL, 0, ind="+"), re_term(SL * SA, 0, lam=1, ind="-"))),
    "leaky-relu": dict(
        formula="u*heaviside(u) + 1/10*u*heaviside(-u)",
        dsigmaFormula="heaviside(u) + 1/10*heaviside(-u)",
        sigma=terms(re_term(1, 1, ind="+"), re_term(Fr(1, 10), 1, ind="-")),
        dsigma=terms(re_term(1, 0, ind="+"), re_term(Fr(1, 10), 0, ind="-"))),
    "abs": dict(
        formula="u*heaviside(u) - u*heaviside(-u)",
        dsigmaFormula="heaviside(u) - heaviside(-u)",
        sigma=terms(re_term(1, 1, ind="+"), re_term(-1, 1, ind="-")),
        dsigma=terms(re_term(1, 0, ind="+"), re_term(-1, 0, ind="-"))),
    "step-shifted": dict(
        formula="heaviside(u-1)",
        dsigmaFormula="0",
        sigma=terms(re_term(1, 0, ind="+", x0=1)),
        dsigma=None),
    "rectpow:2": dict(
        formula="heaviside(u)*u^2",
        dsigmaFormula="2*u*heaviside(u)",
        sigma=terms(re_term(1, 2, ind="+")),
        dsigma=terms(re_term(2, 1, ind="+"))),
    "recos": dict(
        formula="heaviside(u)*cos(u)",
        dsigmaFormula="-heaviside(u)*sin(u)",
        sigma=terms(re_term(1, 0, lam=I1, ind="+")),
        dsigma=terms(re_term(I1, 0, lam=I1, ind="+"))),  # Re(i e^{iu}) = -sin u
    "resin2": dict(
        formula="heaviside(u)*sin(2*u)",
        dsigmaFormula="2*heaviside(u)*cos(2*u)",
        sigma=terms(re_term((0, -1), 0, lam=(0, 2), ind="+")),  # Re(-i e^{2iu}) = sin 2u
        dsigma=terms(re_term(2, 0, lam=(0, 2), ind="+"))),
    "rect-uexp": dict(
        formula="heaviside(u)*u*exp(-u)",
        dsigmaFormula="heaviside(u)*(1-u)*exp(-u)",
        sigma=terms(re_term(1, 1, lam=-1, ind="+")),
        dsigma=terms(re_term(1, 0, lam=-1, ind="+"), re_term(-1, 1, lam=-1, ind="+"))),
    "gauss": dict(
        formula="exp(-u^2/2)",
        dsigmaFormula="-u*exp(-u^2/2)",
        sigma=terms(re_term(1, 0, alpha=-H)),
        dsigma=terms(re_term(-1, 1, alpha=-H))),
    "ugauss": dict(
        formula="u*exp(-u^2/2)",
        dsigmaFormula="(1-u^2)*exp(-u^2/2)",
        sigma=terms(re_term(1, 1, alpha=-H)),
        dsigma=terms(re_term(1, 0, alpha=-H), re_term(-1, 2, alpha=-H))),
    "gabor": dict(
        formula="exp(-u^2/2)*cos(3*u)",
        dsigmaFormula="-u*exp(-u^2/2)*cos(3*u) - 3*exp(-u^2/2)*sin(3*u)",
        sigma=terms(re_term(1, 0, alpha=-H, lam=(0, 3))),
        dsigma=terms(re_term(-1, 1, alpha=-H, lam=(0, 3)), re_term((0, 3), 0, alpha=-H, lam=(0, 3)))),
    "sin": dict(
        formula="sin(u)",
        dsigmaFormula="cos(u)",
        sigma=terms(re_term((0, -1), 0, lam=I1)),
        dsigma=terms(re_term(1, 0, lam=I1))),
    "cos": dict(
        formula="cos(u)",
        dsigmaFormula="-sin(u)",
        sigma=terms(re_term(1, 0, lam=I1)),
        dsigma=terms(re_term(I1, 0, lam=I1))),
    "sin-relu": dict(
        formula="sin(u) + u*heaviside(u)",
        dsigmaFormula="cos(u) + heaviside(u)",
        sigma=terms(re_term((0, -1), 0, lam=I1), re_term(1, 1, ind="+")),
        dsigma=terms(re_term(1, 0, lam=I1), re_term(1, 0, ind="+"))),
    "rect-erf": dict(
        formula="erf(u)*heaviside(u)",
        # = 2/sqrt(pi)*exp(-u^2)*heaviside(u); the derive grammar has no pi, so the derivative is written with diff
        dsigmaFormula="diff(erf(u)*heaviside(u))",
        sigma=[Term((Fr(1), Fr(0), 0), ind="+", special="erfY")],
        dsigma=terms(re_term(2, 0, alpha=-1, ind="+", pipow=-1))),
    "cube": dict(
        formula="u^3",
        dsigmaFormula="3*u^2",
        sigma=terms(re_term(1, 3)),
        dsigma=terms(re_term(3, 2))),
    "hermite2": dict(
        formula="u^2-1",
        dsigmaFormula="2*u",
        sigma=terms(re_term(1, 2), re_term(-1, 0)),
        dsigma=terms(re_term(2, 1))),
    "rectpow:3": dict(
        formula="(u*heaviside(u))^3",
        dsigmaFormula="3*u^2*heaviside(u)",
        sigma=terms(re_term(1, 3, ind="+")),
        dsigma=terms(re_term(3, 2, ind="+"))),
}


def kinks_of(tl):
    return sorted({t.x0 for t in tl if t.ind is not None})


def active(tl, x):
    """the terms whose Heaviside factor is 1 at the (non-kink) real point x"""
    out = []
    for t in tl:
        if t.ind is None or (t.ind == "+" and x > t.x0) or (t.ind == "-" and x < t.x0):
            out.append(t)
    return out


def method_B_name(tl):
    if any(t.ind is not None and t.x0 != 0 for t in tl):
        return "apex"
    if all(t.ind is None for t in tl):
        return "gauss"
    return "polar"


# ----------------------------------------------------------------------------------------------------------------
# grid
def singular_pair(a, b):
    """(a, b, c) with a*b = c^2 exactly, in exact arithmetic and in float64, close to (a, b)."""
    if a == b or math.sqrt(a * b) ** 2 == a * b and Fr(math.sqrt(a * b)) ** 2 == Fr(a) * Fr(b):
        return a, b, math.sqrt(a * b)
    # keep the integer entry K (1, 10 or 100), move the other to K t^2 with t a short dyadic ~ sqrt(other/K)
    swap = not float(b).is_integer()
    K, other = (a, b) if swap else (b, a)
    K = int(K)
    odd = K
    while odd % 2 == 0:
        odd //= 2
    bits = (53 - (odd * odd).bit_length()) // 2
    t0 = math.sqrt(other / K)
    e = math.floor(math.log2(t0))
    t = Fr(round(t0 * 2 ** (bits - 1 - e)), 2 ** (bits - 1 - e))
    o, c = float(K * t * t), float(K * t)
    assert Fr(o) == K * t * t and Fr(c) == K * t
    a2, b2 = (float(K), o) if swap else (o, float(K))
    assert Fr(a2) * Fr(b2) == Fr(c) ** 2 and a2 * b2 == c * c and math.sqrt(a2 * b2) == c
    return a2, b2, c


def grid():
    out = []
    for a, b in GRID_AB:
        for r in GRID_RHO:
            if abs(r) == 1:
                a2, b2, c = singular_pair(a, b)
                out.append((a2, b2, r * c, r, (a, b)))
            else:
                out.append((a, b, r * math.sqrt(a * b), r, (a, b)))
    return out


def is_singular(a, b, c):
    return Fr(a) * Fr(b) == Fr(c) ** 2


# ----------------------------------------------------------------------------------------------------------------
# method A: Arb
def q_arb(q):
    return arb(q.numerator) / arb(q.denominator)


def coef_acb(t):
    re, im, pipow = t.coef
    c = acb(q_arb(re), q_arb(im))
    if pipow:
        c *= arb.pi().sqrt() ** pipow
    return c


class ArbTerm:
    def __init__(self, t):
        self.t = t
        self.c = coef_acb(t)
        self.k = t.k
        self.al = q_arb(t.alpha)
        self.lam = acb(q_arb(t.lam[0]), q_arb(t.lam[1]))
        self.x0 = q_arb(t.x0)
        self.special = t.special
        self.plain = t.alpha == 0 and t.lam == (0, 0)

    def point(self, x):
        if self.special == "erfY":
            return self.c * x.erf()
        v = self.c
        if self.k:
            v = v * x ** self.k
        if not self.plain:
            v = v * (self.al * x * x + self.lam * x).exp()
        return v


SQRT2 = None
INV_SQRT2PI = None


def arb_consts():
    global SQRT2, INV_SQRT2PI
    SQRT2 = arb(2).sqrt()
    INV_SQRT2PI = 1 / (2 * arb.pi()).sqrt()


def I_list(t, n):
    """I_j(t) = int_t^oo (w - t)^j phi(w) dw, j = 0..n (acb)"""
    I0 = (t / SQRT2).erfc() / 2
    out = [I0]
    if n >= 1:
        out.append((-t * t / 2).exp() * INV_SQRT2PI - t * I0)
    for j in range(2, n + 1):
        out.append((j - 1) * out[j - 2] - t * out[j - 1])
    return out


def gauss_moment(j):
    if j % 2:
        return 0
    r = 1
    for i in range(j - 1, 0, -2):
        r *= i
    return r


class ArbInner:
    """H(m, tau) = E[f(m + tau Z)] in closed form, for one term and a fixed tau > 0"""

    def __init__(self, at, tau):
        self.at, self.tau = at, tau
        if at.special == "erfY":
            self.q = (1 + 2 * tau * tau).sqrt()
            self.tcap = 1 / (SQRT2 * tau)
            return
        self.p = 1 - 2 * at.al * tau * tau
        self.sp = self.p.sqrt()
        self.sig = tau / self.sp
        self.binom = [math.comb(at.k, j) for j in range(at.k + 1)]

    def __call__(self, m):
        at, tau = self.at, self.tau
        if at.special == "erfY":
            return at.c * self.erfY(m)
        lin = 2 * at.al * m + at.lam          # q / tau
        expo = at.al * m * m + at.lam * m + tau * tau * lin * lin / (2 * self.p)
        M = m + tau * tau * lin / self.p
        k, sig = at.k, self.sig
        if at.t.ind is None:
            s = acb(0)
            for j in range(0, k + 1, 2):
                s += self.binom[j] * M ** (k - j) * sig ** j * gauss_moment(j)
        else:
            tt = (at.x0 - M) / sig
            if at.t.ind == "+":
                I = I_list(tt, k)
                sgn = 1
            else:
                I = I_list(-tt, k)
                sgn = -1
            s = acb(0)
            for j in range(k + 1):
                if at.t.x0 == 0 and j != k:
                    continue
                s += self.binom[j] * at.x0 ** (k - j) * (sgn * sig) ** j * I[j]
        return at.c * expo.exp() / self.sp * s

    def erfY(self, m):
        """E[Y(X) erf(X)], X ~ N(m, tau^2)  =  Phi(k) - 2 T(k, 1/(sqrt 2 tau)),  k = sqrt 2 m / sqrt(1 + 2 tau^2)"""
        k = SQRT2 * m / self.q
        Phi = (-k / SQRT2).erfc() / 2
        h2 = k * k / 2
        mag = abs(Phi).abs_upper() if Phi.is_finite() else arb(1)
        if mag.is_zero():
            mag = arb(2) ** -1000
        f = lambda x, _an: (-h2 * (1 + x * x)).exp() / (1 + x * x)
        T = acb.integral(f, 0, self.tcap, rel_tol=arb(2) ** -(A_GOAL + 20), abs_tol=mag * arb(2) ** -(A_GOAL + 30))
        return Phi - T / arb.pi()


def arb_to_mpf(x):
    """midpoint of an arb as an exact mpmath number"""
    m = x.mid()
    if m.is_zero():
        return mp.mpf(0)
    man, e = m.man_exp()
    return mp.mpf((int(man), int(e)))


def pieces(kpts, L):
    """consecutive pieces of [-L, L] between the kinks kpts (arb balls; their exact midpoints are the split points)"""
    pts = [arb(-L), arb(L)] + [k.mid() for k in kpts if -L < float(k.mid()) < L]
    pts.sort(key=lambda x: float(x))
    out = []
    for p, q in zip(pts, pts[1:]):
        if float(q) - float(p) > 1e-12:
            out.append((p, q))
    return out


def integrate_pieces(func_for_piece, pcs, abs_tol=None, goal=A_GOAL):
    """sum over pieces of acb.integral; func_for_piece(zmid) -> integrand or None (identically 0 there)"""
    funcs = []
    M = arb(0)
    for p, q in pcs:
        g = func_for_piece((float(p) + float(q)) / 2)
        if g is None:
            continue
        funcs.append((p, q, g))
        # magnitude estimate: samples clustered at both ends, and uniform
        for i in range(17):
            w = i / 16.0
            for z in (p + (q - p) * w ** 3, q - (q - p) * w ** 3, p + (q - p) * w):
                v = g(acb(z.mid()), False)
                if v.is_finite():
                    x = abs(v).abs_upper()
                    if x > M:
                        M = x
    if not funcs:
        return arb(0), arb(0)
    if M.is_zero():
        M = arb(2) ** -100000
    # an absolute tolerance far below every sampled integrand value; the relative goal decides
    if abs_tol is None:
        abs_tol = M * arb(2) ** -(A_GOAL + 40)
    tot = acb(0)
    for p, q, g in funcs:
        r = acb.integral(g, p, q, rel_tol=arb(2) ** -goal, abs_tol=abs_tol,
                         eval_limit=2_000_000)
        tot += r
    return tot.real, M


def z_kinks(tl, scale):
    """z (arb) where scale*z crosses a kink of tl; scale an arb"""
    return [q_arb(x0) / scale for x0 in kinks_of(tl)]


def zmax(kz):
    return max([abs(float(z.mid())) for z in kz] + [0.0])


def value_A(tl, a, b, c, zero_expected=False):
    """E[f(u) f(v)] by method A (an arb ball).  When the pieces cancel (oscillating integrands ~ 1, values down to
    e^-400), the first pass misses the relative goal, because acb.integral's goals are relative to the size of the
    integrand, not of the integral: redo it with the goal raised by the bits lost and the precision to match."""
    prec, tol, goal, L = A_PREC, None, A_GOAL, 20
    for _ in range(10):
        r, M = _value_A(tl, a, b, c, prec, tol, goal, L)
        if zero_expected:
            return r
        if not r.contains(0):
            acc = r.rel_accuracy_bits()
            # |z1| > L is dropped: the tail, < M e^{-L^2/2} (times polynomial factors), must stay below the goal
            Lneed = math.sqrt(max(0.0, 2 * (float((M / abs(r.mid())).log()) + (A_GOAL + 20) * math.log(2) + 40)))
            if acc >= A_GOAL - 5 and Lneed <= L:
                return r
            if acc < A_GOAL - 5:
                goal += A_GOAL - acc + 10
            tol = abs(r.mid()) * arb(2) ** -(A_GOAL + 10)
            L = max(L, math.ceil(Lneed))
        else:  # the value is below the error: at least 128 more bits
            goal += 128
            tol = r.rad() * arb(2) ** -128
            L = max(L, math.ceil(math.sqrt(2 * goal * math.log(2) + 80)))
        prec = max(prec, goal + 128)
    return r


def _value_A(tl, a, b, c, prec, abs_tol, goal, L0):
    """one pass of method A over [-L, L], L = L0 + the largest kink in z1; returns (ball, sampled max of the
    integrand)"""
    fctx.prec = prec
    arb_consts()
    ats = [ArbTerm(t) for t in tl]
    sa, sb = math.sqrt(a), math.sqrt(b)
    Aa, Ab, Ac = arb(a), arb(b), arb(c)
    ra, rb = Aa.sqrt(), Ab.sqrt()
    if is_singular(a, b, c):
        sgn = 1 if c > 0 else -1
        kz = z_kinks(tl, ra) + z_kinks(tl, sgn * rb)
        L = L0 + zmax(kz)

        def for_piece(zm):
            au = [x for x in ats if x.t in active(tl, Fr(sa * zm))]
            av = [x for x in ats if x.t in active(tl, Fr(sgn * sb * zm))]
            if not au or not av:
                return None

            def g(z, _an):
                fu = sum((x.point(ra * z) for x in au), acb(0))
                fv = sum((x.point(sgn * rb * z) for x in av), acb(0))
                return (-z * z / 2).exp() * INV_SQRT2PI * fu * fv
            return g
        return integrate_pieces(for_piece, pieces(kz, L), abs_tol, goal)
    rho = Ac / (Aa * Ab).sqrt()
    s = (1 - rho * rho).sqrt()
    tau = rb * s
    brho = rb * rho
    if len(ats) == 1 and ats[0].special == "erfY" and not NESTED_OWEN:
        return erfY_dual_A(ats[0].c, ra, brho, tau, L0, abs_tol, goal)
    inners = [ArbInner(x, tau) for x in ats]
    kz = z_kinks(tl, ra)
    L = L0 + zmax(kz)
    if c != 0:
        kz = kz + z_kinks(tl, brho)  # centres of the transition layers (not needed, helps)

    def for_piece(zm):
        au = [x for x in ats if x.t in active(tl, Fr(sa * zm))]
        if not au:
            return None

        def g(z, _an):
            fu = sum((x.point(ra * z) for x in au), acb(0))
            m = brho * z
            h = sum((inn(m) for inn in inners), acb(0))
            return (-z * z / 2).exp() * INV_SQRT2PI * fu * h
        return g
    return integrate_pieces(for_piece, pieces(kz, L), abs_tol, goal)


def erfY_dual_A(coef, ra, brho, tau, L0, abs_tol, goal):
    """E[f(u) f(v)], f = coef erf(x) Y(x), |rho| < 1: the outer integral over z1 > 0 of
    phi(z1) erf(sqrt(a) z1) H(m, tau), H = Phi(kap z1) - 2 T(kap z1, a0) (kap = sqrt 2 sqrt(b) rho / sqrt(1 + 2 tau^2),
    a0 = 1/(sqrt 2 tau)), with the Owen-T part integrated over its own variable x in [0, a0] last (Fubini, positive
    integrand): int_0^oo phi(z) erf(sqrt(a) z) e^{-kap^2 (1 + x^2) z^2 / 2} dz = atan(sqrt(a/p)) / (sqrt(2 pi) sqrt(pi p)),
    p = (1 + kap^2 (1 + x^2)) / 2.  Two Arb integrals of analytic integrands (log and sqrt checked for analyticity)."""
    kap = SQRT2 * brho / (1 + 2 * tau * tau).sqrt()
    a0 = 1 / (SQRT2 * tau)
    L = L0
    I = acb(0, 1)

    def g1(z, _an):
        return (-z * z / 2).exp() * INV_SQRT2PI * (ra * z).erf() * (-(kap * z) / SQRT2).erfc() / 2

    def g2(x, an):
        q = 1 + x * x
        p = (1 + kap * kap * q) / 2
        sp = p.sqrt(analytic=an)
        y = ra / sp
        at = I / 2 * ((1 - I * y).log(analytic=an) - (1 + I * y).log(analytic=an))
        return at / (sp * q)
    tol = abs_tol if abs_tol is not None else arb(2) ** -(goal + 60)
    p1 = acb.integral(g1, 0, L, rel_tol=arb(2) ** -goal, abs_tol=tol, eval_limit=2_000_000)
    p2 = acb.integral(g2, 0, a0, rel_tol=arb(2) ** -goal, abs_tol=tol, eval_limit=2_000_000)
    r = coef * coef * (p1 - p2 / (SQRT2 * arb.pi() ** 2))
    return r.real, arb(1)


def second_moment_A(tl, a):
    """E[f(u)^2], u ~ N(0, a) (Arb), for the scale of zeros"""
    fctx.prec = A_PREC
    arb_consts()
    ats = [ArbTerm(t) for t in tl]
    sa = math.sqrt(a)
    ra = arb(a).sqrt()
    kz = z_kinks(tl, ra)
    L = 20 + zmax(kz)

    def for_piece(zm):
        au = [x for x in ats if x.t in active(tl, Fr(sa * zm))]
        if not au:
            return None

        def g(z, _an):
            fu = sum((x.point(ra * z) for x in au), acb(0))
            return (-z * z / 2).exp() * INV_SQRT2PI * fu * fu
        return g
    return integrate_pieces(for_piece, pieces(kz, L))[0]


# ----------------------------------------------------------------------------------------------------------------
# method B: mpmath
def q_mp(q):
    return mp.mpf(q.numerator) / q.denominator


def coef_mp(t):
    re, im, pipow = t.coef
    c = mp.mpc(q_mp(re), q_mp(im))
    if pipow:
        c *= mp.sqrt(mp.pi) ** pipow
    return c


def lam_mp(t):
    return mp.mpc(q_mp(t.lam[0]), q_mp(t.lam[1]))


_MASS = [mp.mpf(0)]  # sum of |integrand| * length (or of |terms| of a closed form): the scale cancellation is measured against


def quad_rel(f, pts, split=False):
    """sum of Gauss-Legendre quadratures over [pts[i], pts[i+1]], each relative to the integrand's size there
    (mpmath's own stopping rule is absolute); with split, a piece on which a one-signed integrand varies by more
    than e^4 is bisected first (the apex integrand can have an exponential peak at an end of its arc)"""
    tot = mp.mpf(0)
    for p, q in zip(pts, pts[1:]):
        if q > p:
            tot += _quad_piece(f, p, q, 0 if split else 99)
    return tot


def _quad_piece(f, p, q, depth):
    ws = [mp.mpf(i) / 8 for i in range(9)]
    vals = [f(p + (q - p) * w) for w in ws]
    if depth < 40 and (all(v > 0 for v in vals) or all(v < 0 for v in vals)):
        lg = [mp.log(abs(v)) for v in vals]
        if max(lg) - min(lg) > 4:
            m = (p + q) / 2
            return _quad_piece(f, p, m, depth + 1) + _quad_piece(f, m, q, depth + 1)
    M = max(abs(v) for v in vals)
    _MASS[0] += M * (q - p)
    if M == 0:
        M = mp.mpf(1)
    v, err = mp.quad(lambda x: f(x) / M, [p, q], method="gauss-legendre", error=True, maxdegree=10)
    if err > mp.mpf(10) ** (-(mp.mp.dps - 6)):
        raise RuntimeError("quad_rel did not converge on [%s, %s]: err %s" % (mp.nstr(p, 8), mp.nstr(q, 8), mp.nstr(err, 3)))
    return v * M


def mp_I_list(t, n):
    """I_j(t), j = 0..n, with guard digits against the cancellation for Re t >> 0"""
    extra = 15 + int(2 * (n + 2) * math.log10(1 + float(abs(t))))
    with mp.extradps(extra):
        t = +t
        I0 = mp.erfc(t / mp.sqrt(2)) / 2
        out = [I0]
        if n >= 1:
            out.append(mp.exp(-t * t / 2) / mp.sqrt(2 * mp.pi) - t * I0)
        for j in range(2, n + 1):
            out.append((j - 1) * out[j - 2] - t * out[j - 1])
    return [+x for x in out]


def J_radial(n, beta, w):
    """int_0^oo r^n exp(-beta r^2 / 2 + w r) dr  =  beta^(-(n+1)/2) sqrt(2 pi) e^{y^2/2} I_n(-y),  y = w / sqrt(beta)"""
    sb = mp.sqrt(beta)
    y = w / sb
    extra = 15 + int(2 * (n + 2) * math.log10(1 + float(abs(y))))
    with mp.extradps(extra):
        I = mp_I_list(-y, n)[n]
        r = sb ** (-(n + 1)) * mp.sqrt(2 * mp.pi) * mp.exp(y * y / 2) * I
    return +r


def B_polar(tl, a, b, c):
    a, b, c = mp.mpf(a), mp.mpf(b), mp.mpf(c)
    rho = c / mp.sqrt(a * b)
    rho = max(min(rho, mp.mpf(1)), mp.mpf(-1))
    s = mp.sqrt(1 - rho * rho)
    th = mp.acos(rho)
    sa, sb = mp.sqrt(a), mp.sqrt(b)
    ts = [(t, coef_mp(t), lam_mp(t), q_mp(t.alpha)) for t in tl]
    hp = mp.pi / 2
    bps = sorted([-hp, th - hp, hp, th + hp, 3 * hp])

    def sided(t, cs):
        return t.ind is None or (t.ind == "+" and cs > 0) or (t.ind == "-" and cs < 0)

    # pairs with a Heaviside-free factor: in closed form (2-D Gaussian, or conditioning on the other variable)
    total = mp.mpf(0)
    closed = set()
    for i, x in enumerate(ts):
        for j, y in enumerate(ts):
            v = _pair_closed(x, y, a, b, c)
            if v is not None:
                total += v
                _MASS[0] += abs(v)
                closed.add((i, j))
    polar = mp.mpf(0)
    for p, q in zip(bps, bps[1:]):
        if not q > p:
            continue
        mid = (p + q) / 2
        cu, cv = mp.cos(mid), mp.cos(mid - th)
        pairs = [(x, y) for i, x in enumerate(ts) for j, y in enumerate(ts)
                 if (i, j) not in closed and sided(x[0], cu) and sided(y[0], cv)]
        if not pairs:
            continue

        def integrand(ph, pairs=pairs):
            cph, sph = mp.cos(ph), mp.sin(ph)
            cu = cph
            cv = rho * cph + s * sph
            U, V = sa * cu, sb * cv
            tot = mp.mpc(0)
            for (t1, c1, l1, a1), (t2, c2, l2, a2) in pairs:
                if t1.special == "erfY":
                    assert t2.special == "erfY"
                    al, be = U, V
                    pa, pb = mp.mpf(1) / 2 + al * al, mp.mpf(1) / 2 + be * be
                    rad = (2 * al / mp.sqrt(mp.pi) * mp.atan(be / mp.sqrt(pa)) / mp.sqrt(mp.pi * pa) +
                           2 * be / mp.sqrt(mp.pi) * mp.atan(al / mp.sqrt(pb)) / mp.sqrt(mp.pi * pb))
                    tot += c1 * c2 * rad
                    continue
                n = 1 + t1.k + t2.k
                beta = 1 - 2 * a1 * U * U - 2 * a2 * V * V
                w = l1 * U + l2 * V
                tot += c1 * c2 * U ** t1.k * V ** t2.k * J_radial(n, beta, w)
            return tot.real
        polar += quad_rel(integrand, [p, q])
    return total + polar / (2 * mp.pi)


def _pair_closed(x, y, a, b, c):
    """E[T1(u) T2(v)] in closed form when T1 or T2 has no Heaviside factor and is a pure exponential c e^{lam x}
    (or both have none): conditioning on the other variable, u | v ~ N(c v / b, (ab - c^2)/b); None otherwise"""
    (t1, c1, l1, a1), (t2, c2, l2, a2) = x, y
    if t1.special or t2.special:
        return None
    if t1.ind is None and t2.ind is None:
        return _gauss_pair(x, y, a, b, c)
    if t1.ind is None and t1.k == 0 and a1 == 0:
        full, fl, half, hv, other = c1, l1, (t2, c2, l2, a2), b, a
    elif t2.ind is None and t2.k == 0 and a2 == 0:
        full, fl, half, hv, other = c2, l2, (t1, c1, l1, a1), a, b
    else:
        return None
    th_, ch, lh, ah = half
    cond_var = (a * b - c * c) / hv
    side = 1 if th_.ind == "+" else -1
    assert th_.x0 == 0
    return (full * mp.exp(fl * fl * cond_var / 2) * ch * _half_line(th_.k, ah, lh + fl * c / hv, hv, side)).real


def B_apex(tl, a, b, c):
    """P(u > x0, v > x0) for the single term Y(x - x0), x0 > 0, by polar coordinates about the apex"""
    assert len(tl) == 1 and tl[0].ind == "+" and tl[0].k == 0 and tl[0].alpha == 0 and tl[0].lam == (0, 0)
    cf = coef_mp(tl[0]).real
    x0 = q_mp(tl[0].x0)
    a, b, c = mp.mpf(a), mp.mpf(b), mp.mpf(c)
    sa, sb = mp.sqrt(a), mp.sqrt(b)
    if a * b == c * c:
        if c > 0:  # z > x0/sqrt(a) and z > x0/sqrt(b)
            return cf * cf * mp.erfc(max(x0 / sa, x0 / sb) / mp.sqrt(2)) / 2
        return mp.mpf(0)  # z > x0/sqrt(a) and -z > x0/sqrt(b): impossible for x0 > 0
    rho = c / mp.sqrt(a * b)
    s = mp.sqrt(1 - rho * rho)
    th = mp.acos(rho)
    p1 = x0 / sa
    p2 = (x0 / sb - rho * p1) / s
    pp = p1 * p1 + p2 * p2
    hp = mp.pi / 2

    def integrand(ph):
        y = -(p1 * mp.cos(ph) + p2 * mp.sin(ph))
        return J_radial(1, mp.mpf(1), y)

    def ymax(lo, hi):
        return max(-(p1 * mp.cos(lo + (hi - lo) * i / 32) + p2 * mp.sin(lo + (hi - lo) * i / 32)) for i in range(33))

    def wedge(lo, hi):
        return mp.exp(-pp / 2) / (2 * mp.pi) * quad_rel(integrand, [lo, hi], split=True)
    # P(u > x0, v > x0) is the wedge W++ (directions with cos t > 0, cos(t - th) > 0 seen from the apex p), or
    # P(u > x0) - W+-, or P(v > x0) - W-+.  Where W++ holds directions towards the origin, its integrand J_1 has an
    # exponential peak; take the representation whose arc has the smallest max of y = -p.e(t) (no cancellation:
    # the subtracted wedge is then the small part).
    cands = [(ymax(th - hp, hp), "++"), (ymax(-hp, th - hp), "+-"), (ymax(hp, th + hp), "-+")]
    best = min(cands, key=lambda x: x[0])[1]
    if best == "++" or cands[0][0] < 2:
        v = wedge(th - hp, hp)
    else:
        with mp.extradps(10):
            if best == "+-":
                v = mp.erfc(p1 / mp.sqrt(2)) / 2 - wedge(-hp, th - hp)
            else:
                v = mp.erfc(x0 / sb / mp.sqrt(2)) / 2 - wedge(hp, th + hp)
    _MASS[0] = abs(v)  # positive integrands (the complement subtracts the smaller part): nothing cancels
    return cf * cf * v


def B_gauss(tl, a, b, c):
    """E[f(u) f(v)] for terms without Heaviside factors: closed-form 2-D Gaussian integral"""
    ts = [(t, coef_mp(t), lam_mp(t), q_mp(t.alpha)) for t in tl]
    tot = mp.mpf(0)
    for x in ts:
        for y in ts:
            v = _gauss_pair(x, y, a, b, c)
            tot += v
            _MASS[0] += abs(v)
    return tot


def _gauss_pair(x, y, a, b, c):
    """Re E[T1(u) T2(v)] for two Heaviside-free terms: complete the square in (z1, z2), Isserlis moments"""
    (t1, c1, la1, al1), (t2, c2, la2, al2) = x, y
    a, b, c = mp.mpf(a), mp.mpf(b), mp.mpf(c)
    rho = c / mp.sqrt(a * b)
    rho = max(min(rho, mp.mpf(1)), mp.mpf(-1))
    s = mp.sqrt(1 - rho * rho)
    l1 = (mp.sqrt(a), mp.mpf(0))
    l2 = (mp.sqrt(b) * rho, mp.sqrt(b) * s)
    # exponent -1/2 z^T Q z + w^T z
    Q = [[(1 if i == j else 0) - 2 * al1 * l1[i] * l1[j] - 2 * al2 * l2[i] * l2[j] for j in range(2)] for i in range(2)]
    det = Q[0][0] * Q[1][1] - Q[0][1] * Q[1][0]
    Qi = [[Q[1][1] / det, -Q[0][1] / det], [-Q[1][0] / det, Q[0][0] / det]]
    w = [la1 * l1[i] + la2 * l2[i] for i in range(2)]
    mu = [Qi[i][0] * w[0] + Qi[i][1] * w[1] for i in range(2)]
    quad = w[0] * mu[0] + w[1] * mu[1]
    pref = mp.exp(quad / 2) / mp.sqrt(det)
    m1 = l1[0] * mu[0] + l1[1] * mu[1]
    m2 = l2[0] * mu[0] + l2[1] * mu[1]

    def cov(x, y):
        return sum(x[i] * Qi[i][j] * y[j] for i in range(2) for j in range(2))
    S11, S12, S22 = cov(l1, l1), cov(l1, l2), cov(l2, l2)
    k1, k2 = t1.k, t2.k
    # centred moments E[X^i Y^j] (Isserlis / Stein recursion)
    mom = {}
    for i in range(k1 + 1):
        for j in range(k2 + 1):
            if i == 0 and j == 0:
                mom[i, j] = mp.mpf(1)
            elif i == 0:
                mom[i, j] = (j - 1) * S22 * mom[0, j - 2] if j >= 2 else mp.mpf(0)
            else:
                v = (i - 1) * S11 * mom[i - 2, j] if i >= 2 else mp.mpf(0)
                if j >= 1:
                    v += j * S12 * mom[i - 1, j - 1]
                mom[i, j] = v
    e = mp.mpc(0)
    for i in range(k1 + 1):
        for j in range(k2 + 1):
            e += math.comb(k1, i) * math.comb(k2, j) * m1 ** (k1 - i) * m2 ** (k2 - j) * mom[i, j]
    return (c1 * c2 * pref * e).real


def _half_line(n, A, B, a, side):
    """E[x^n e^{A x^2 + B x} Y(side x)], x ~ N(0, a), side = +-1, in closed form"""
    beta = 1 / a - 2 * A
    v = J_radial(n, beta, side * B) / mp.sqrt(2 * mp.pi * a)
    return v if side > 0 or n % 2 == 0 else -v


def _on_side(t, side, k=1):
    """is the Heaviside factor (at 0) of t equal to 1 at the points k * x, sign(x) = side?"""
    if t.ind is None:
        return True
    sg = side * (1 if k > 0 else -1)
    return (t.ind == "+" and sg > 0) or (t.ind == "-" and sg < 0)


def B_line(tl, a, b, c):
    """|rho| = 1: v = (c/a) u exactly, E[f(u) f(k u)] over u ~ N(0, a) term by term in closed form"""
    a, b, c = mp.mpf(a), mp.mpf(b), mp.mpf(c)
    k = c / a
    ts = [(t, coef_mp(t), lam_mp(t), q_mp(t.alpha)) for t in tl]
    tot = mp.mpc(0)
    for t1, c1, l1, a1 in ts:
        for t2, c2, l2, a2 in ts:
            for side in (1, -1):
                if _on_side(t1, side) and _on_side(t2, side, k):
                    x = c1 * c2 * k ** t2.k * _half_line(t1.k + t2.k, a1 + a2 * k * k, l1 + l2 * k, a, side)
                    tot += x
                    _MASS[0] += abs(x)
    return tot.real


def B_product(tl, a, b, c):
    """c = 0: E[f(u)] E[f(v)], each term by term in closed form"""
    assert c == 0
    ts = [(t, coef_mp(t), lam_mp(t), q_mp(t.alpha)) for t in tl]

    def mean(var):
        tot, mass = mp.mpc(0), mp.mpf(0)
        for t, c1, l1, a1 in ts:
            for side in (1, -1):
                if _on_side(t, side):
                    x = c1 * _half_line(t.k, a1, l1, mp.mpf(var), side)
                    tot += x
                    mass += abs(x)
        return tot.real, mass
    (ma, sa), (mb, sb) = mean(a), mean(b)
    _MASS[0] += sa * sb
    return ma * mb


def value_B(tl, a, b, c):
    """method B at B_DPS digits, redone with as many more digits as the sum lost to cancellation (the oscillating
    integrands of recos, resin2, sin-relu at large variances: values ~ e^-50 from integrands ~ 1)"""
    kind = method_B_name(tl)
    if kind == "polar" and not any(t.special for t in tl):
        if is_singular(a, b, c):
            kind = "line"
        elif c == 0:
            kind = "product"
    fn = {"gauss": B_gauss, "polar": B_polar, "apex": B_apex, "line": B_line, "product": B_product}[kind]
    dps = B_DPS
    while True:
        with mp.workdps(dps):
            _MASS[0] = mp.mpf(0)
            v = fn(tl, a, b, c)
            lost = 0 if v == 0 or _MASS[0] == 0 else max(0, int(mp.ceil(mp.log10(_MASS[0] / abs(v)))))
        need = B_DPS + lost + 4 if lost > 8 else B_DPS
        if need <= dps or v == 0 or dps >= 320:
            return v, kind, dps
        dps = min(32 * math.ceil((need + 6) / 32), 320)  # multiples of 32: mpmath caches its nodes per precision


# ----------------------------------------------------------------------------------------------------------------
def pointwise_mp(tl, x):
    x = mp.mpf(x)
    v = mp.mpc(0)
    for t in tl:
        if not (t.ind is None or (t.ind == "+" and x > q_mp(t.x0)) or (t.ind == "-" and x < q_mp(t.x0))):
            continue
        if t.special == "erfY":
            v += coef_mp(t) * mp.erf(x)
        else:
            v += coef_mp(t) * x ** t.k * mp.exp(q_mp(t.alpha) * x * x + lam_mp(t) * x)
    assert abs(v.imag) <= mp.mpf(10) ** (-mp.mp.dps + 5) * (1 + abs(v))
    return v.real


def is_odd(tl):
    with mp.workdps(30):
        for x in ("0.37", "1.3", "2.9", "0.05"):
            f1, f2 = pointwise_mp(tl, x), pointwise_mp(tl, "-" + x)
            if abs(f1 + f2) > mp.mpf(10) ** -25 * (abs(f1) + abs(f2)):
                return False
    return True


def supported_on_positive(tl):
    return all(t.ind == "+" and t.x0 >= 0 for t in tl)


def formula_to_mp(text):
    """evaluate a formula of the derive grammar (as used in CATALOGUE) with mpmath (validation only)"""
    import re
    if text.startswith("diff("):
        inner = formula_to_mp(text[5:-1])
        return lambda x: mp.diff(inner, x)
    py = text.replace("^", "**")
    py = re.sub(r"(\d+)/(\d+)", r"mpf(\1)/\2", py)
    env = {"mpf": mp.mpf, "exp": mp.exp, "sin": mp.sin, "cos": mp.cos, "erf": mp.erf,
           "heaviside": lambda y: mp.mpf(1) if y > 0 else mp.mpf(0)}
    return lambda x: eval(py, dict(env, u=mp.mpf(x)))


def validate_catalogue(acts):
    """the term lists against the formula strings, and dsigma against the derivative of sigma"""
    bad = []
    with mp.workdps(30):
        xs = ["-3.7", "-1.9", "-0.8", "-0.25", "0.3", "0.55", "0.93", "1.41", "2.2", "4.1"]
        for name in acts:
            e = CATALOGUE[name]
            fs, fd = formula_to_mp(e["formula"]), formula_to_mp(e["dsigmaFormula"])
            for x in xs:
                x = mp.mpf(x)
                v = pointwise_mp(e["sigma"], x)
                if abs(v - fs(x)) > mp.mpf(10) ** -25 * (1 + abs(v)):
                    bad.append((name, "sigma", x, v, fs(x)))
                d = pointwise_mp(e["dsigma"], x) if e["dsigma"] else mp.mpf(0)
                num = mp.diff(lambda y: pointwise_mp(e["sigma"], y), x)
                if abs(d - num) > mp.mpf(10) ** -20 * (1 + abs(d)) or abs(d - fd(x)) > mp.mpf(10) ** -15 * (1 + abs(d)):
                    bad.append((name, "dsigma", x, d, num, fd(x)))
    return bad


def closed_form(name, kind, a, b, c):
    """a third route where a textbook closed form exists (arc-cosine kernels, Gaussian moments, Price / Bussgang);
    None elsewhere.  Only a check: it is not written to the file."""
    a, b, c = mp.mpf(a), mp.mpf(b), mp.mpf(c)
    rho = c / mp.sqrt(a * b) if a * b != c * c else mp.sign(c)
    rho = max(min(rho, mp.mpf(1)), mp.mpf(-1))
    t, sab = mp.acos(rho), mp.sqrt(a * b)
    S, C, P = mp.sin(t), mp.cos(t), mp.pi - t
    J1 = S + P * C
    J2 = 3 * S * C + P * (1 + 2 * C * C)
    J3 = 15 * S - 11 * S ** 3 + P * (9 * S * S * C + 15 * C ** 3)
    absabs = 2 * sab / mp.pi * (mp.sqrt(1 - rho * rho) + rho * mp.asin(rho))
    sgnsgn = 2 / mp.pi * mp.asin(rho)
    D = (1 + a) * (1 + b) - c * c
    al = mp.mpf(1) / 10
    p, q = (1 + al) / 2, (1 - al) / 2
    table = {
        ("abs", "sigma"): lambda: absabs,
        ("abs", "dsigma"): lambda: sgnsgn,
        ("leaky-relu", "sigma"): lambda: p * p * c + q * q * absabs,
        ("leaky-relu", "dsigma"): lambda: p * p + q * q * sgnsgn,
        ("rectpow:2", "sigma"): lambda: a * b * J2 / (2 * mp.pi),
        ("rectpow:2", "dsigma"): lambda: 4 * sab * J1 / (2 * mp.pi),
        ("rectpow:3", "sigma"): lambda: sab ** 3 * J3 / (2 * mp.pi),
        ("rectpow:3", "dsigma"): lambda: 9 * a * b * J2 / (2 * mp.pi),
        ("sin", "sigma"): lambda: mp.exp(-(a + b) / 2) * mp.sinh(c),
        ("sin", "dsigma"): lambda: mp.exp(-(a + b) / 2) * mp.cosh(c),
        ("cos", "sigma"): lambda: mp.exp(-(a + b) / 2) * mp.cosh(c),
        ("cos", "dsigma"): lambda: mp.exp(-(a + b) / 2) * mp.sinh(c),
        ("cube", "sigma"): lambda: 9 * a * b * c + 6 * c ** 3,
        ("cube", "dsigma"): lambda: 9 * (a * b + 2 * c * c),
        ("hermite2", "sigma"): lambda: (a - 1) * (b - 1) + 2 * c * c,
        ("hermite2", "dsigma"): lambda: 4 * c,
        ("gauss", "sigma"): lambda: 1 / mp.sqrt(D),
        ("gauss", "dsigma"): lambda: c / D ** mp.mpf(1.5),
    }
    if (name, kind) == ("step-shifted", "sigma") and c == 0:
        return mp.erfc(1 / mp.sqrt(2 * a)) * mp.erfc(1 / mp.sqrt(2 * b)) / 4
    f = table.get((name, kind))
    return f() if f else None


def digits_rel(x, y):
    if x == y:
        return CAP
    d = abs(x - y) / max(abs(x), abs(y))
    return CAP if d == 0 else int(min(CAP, math.floor(-mp.log10(d))))


_S_CACHE = {}


def second_moment(name, kind, tl, a):
    key = (name, kind, a)
    if key not in _S_CACHE:
        _S_CACHE[key] = second_moment_A(tl, a)
    return _S_CACHE[key]


def compute_one(task):
    name, kind, a, b, c, rnom = task
    tl = CATALOGUE[name][kind]
    t0 = time.time()
    B, mB, dpsB = value_B(tl, a, b, c)
    tB = time.time() - t0
    sing = is_singular(a, b, c)
    why_zero = None
    if c == 0 and is_odd(tl):
        why_zero = "odd function, c = 0"
    elif sing and c < 0 and supported_on_positive(tl):
        why_zero = "supported on x >= 0, rho = -1"
    elif B == 0 and mB in ("gauss", "line", "product"):
        why_zero = "closed form is 0"
    A = value_A(tl, a, b, c, zero_expected=why_zero is not None)
    tA = time.time() - t0 - tB
    with mp.workdps(40):
        Am, Ar = arb_to_mpf(A), arb_to_mpf(A.rad())
        Sa, Sb = second_moment(name, kind, tl, a), second_moment(name, kind, tl, b)
        scale = mp.sqrt(arb_to_mpf(Sa) * arb_to_mpf(Sb))
        rho_hp = mp.mpf(c) / mp.sqrt(mp.mpf(a) * mp.mpf(b)) if not sing else mp.mpf(1 if c > 0 else -1)
        if why_zero:
            err = max(abs(Am) + Ar, abs(B))
            dig = CAP if err == 0 else int(min(CAP, math.floor(-mp.log10(err / scale))))
            value, cert = "0", None
            ok = dig >= MIN_ZERO_DIGITS and A.contains(0)
        else:
            dig = digits_rel(Am, B)
            cert = CAP if Ar == 0 else int(min(CAP, math.floor(-mp.log10(Ar / abs(Am))))) if Am != 0 else 0
            value = mp.nstr(Am, CAP, min_fixed=-5, max_fixed=6, strip_zeros=False)
            ok = dig >= MIN_DIGITS and cert >= MIN_DIGITS and not A.contains(0)
    with mp.workdps(50):
        cf = closed_form(name, kind, a, b, c)
        cfd = None
        if cf is not None:
            if why_zero:
                cfd = CAP if cf == 0 else int(min(CAP, math.floor(-mp.log10(abs(cf) / scale))))
            else:
                cfd = digits_rel(Am, cf)
            ok = ok and cfd >= (MIN_ZERO_DIGITS if why_zero else MIN_DIGITS)
    with mp.workdps(40):
        return {
            "activation": name, "kind": kind, "a": a, "c": c, "b": b, "rho": rnom,
            "rhoExact": mp.nstr(rho_hp, 25), "value": value, "digits": dig,
            "scale": mp.nstr(scale, 17), "zero": why_zero,
            "methodB": mB, "dpsB": dpsB, "certifiedDigitsA": cert, "ok": ok,
            "valueB": mp.nstr(B, 25), "secondsA": round(tA, 2), "secondsB": round(tB, 2), "closedFormDigits": cfd,
        }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--out", default=os.path.join(root, "test", "fixtures", "catalogue_dual_refs.json"))
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--acts", default=",".join(CATALOGUE))
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--quick", action="store_true", help="every 5th grid point, for testing; writes nothing unless --out")
    ap.add_argument("--nested-owen", action="store_true",
                    help="rect-erf sigma, method A: nested Owen-T integral in the inner expectation (slow, a cross-check)")
    opts = ap.parse_args()
    global NESTED_OWEN
    NESTED_OWEN = opts.nested_owen
    acts = opts.acts.split(",")
    for a in acts:
        if a not in CATALOGUE:
            sys.exit("unknown activation " + a)
    bad = validate_catalogue(acts)
    if bad:
        for x in bad:
            print("CATALOGUE MISMATCH", x)
        sys.exit(2)
    print("catalogue formulas and term lists agree (sigma, dsigma = d sigma/du) at 10 points each", flush=True)
    g = grid()
    if opts.quick:
        g = g[::5]
    tasks = [(n, k, a, b, c, r) for n in acts for k in opts.kinds.split(",") if CATALOGUE[n][k] for (a, b, c, r, _nom) in g]
    t0 = time.time()
    res = []
    if opts.jobs > 1:
        from multiprocessing import Pool
        with Pool(opts.jobs) as pool:
            it = pool.imap_unordered(compute_one, tasks)
            for r in it:
                res.append(r)
                report(r)
    else:
        for tk in tasks:
            r = compute_one(tk)
            res.append(r)
            report(r)
    order = {(t[0], t[1], t[2], t[3], t[4]): i for i, t in enumerate(tasks)}
    res.sort(key=lambda r: order[(r["activation"], r["kind"], r["a"], r["b"], r["c"])])
    elapsed = time.time() - t0
    fails = [r for r in res if not r["ok"]]
    print("total %d values in %.0f s; min digits %d; failing: %d" % (len(res), elapsed, min(r["digits"] for r in res), len(fails)))
    summary, third = {}, {}
    for r in res:
        s = summary.setdefault(r["activation"], {})
        s[r["kind"]] = min(s.get(r["kind"], CAP), r["digits"])
        if r["closedFormDigits"] is not None:
            s = third.setdefault(r["activation"], {})
            s[r["kind"]] = min(s.get(r["kind"], CAP), r["closedFormDigits"])
    for n, s in summary.items():
        print("  %-13s min digits %s%s" % (n, s, "; closed form vs A: %s" % third[n] if n in third else ""))
    if fails:
        for r in fails:
            print("FAIL", r)
        sys.exit(1)
    out = {
        "generator": "tools/references/make_catalogue_refs.py",
        "command": "python3 tools/references/make_catalogue_refs.py" + (" --acts " + opts.acts if opts.acts != ",".join(CATALOGUE) else ""),
        "date": datetime.date.today().isoformat(),
        "mpmath": mp.__version__,
        "python-flint": flint.__version__,
        "kinds": {"sigma": "E[sigma(u) sigma(v)]", "dsigma": "E[sigma'(u) sigma'(v)], sigma' the a.e. derivative (no Dirac terms)"},
        "covariance": "(u, v) ~ N(0, [[a, c], [c, b]]); a, b, c are exact float64 values",
        "methods": {
            "A": "Arb (python-flint) 256 bits or more: 1-D integral over z1 of phi(z1) f(sqrt(a) z1) H(sqrt(b) rho z1, sqrt(b) s) "
                 "with H(m, tau) = E[f(m + tau Z)] in closed form, pieces split at the kinks, acb.integral with error bounds",
            "B": "mpmath, 32 digits or more (as many as the sum loses to cancellation); methodB = gauss: closed-form "
                 "2-D Gaussian integral; polar: polar coordinates in (z1, z2), closed-form radial integral, "
                 "Gauss-Legendre over the arcs the Heaviside factors select (pairs of terms with a Heaviside-free "
                 "exponential: closed form by conditioning); line: |rho| = 1, v = (c/a) u, closed-form 1-D Gaussian "
                 "integral; product: c = 0, E[f(u)] E[f(v)] in closed form; apex: polar coordinates about the apex of "
                 "the wedge {u > 1, v > 1}",
        },
        "fields": {
            "value": "method A's value, 25 significant digits, or \"0\" when the value is exactly 0 (see zero)",
            "digits": "significant digits on which A and B agree (capped at 25); for an exact zero, "
                      "-log10(max(|A|, |B|) / scale)",
            "rho": "the grid's nominal rho", "rhoExact": "c / sqrt(a b) in high precision",
            "scale": "sqrt(E[f(u)^2] E[f(v)^2]), the Cauchy-Schwarz bound of |value|",
            "zero": "why the value is exactly 0, or null",
            "certifiedDigitsA": "relative radius of A's Arb ball, in digits (capped at 25; null for zeros)",
            "methodB": "which method B",
        },
        "closedFormCheck": {
            "what": "a third route, not in the values: textbook closed forms (arc-cosine kernels J1..J3, "
                    "E|u||v|, (2/pi) asin rho, Gaussian moments, e^{-(a+b)/2} sinh/cosh c; step-shifted at c = 0) "
                    "against A, 50 digits; minimum agreeing digits per activation and kind",
            "minDigits": third,
        },
        "activations": {},
    }
    keep = ("kind", "a", "c", "b", "rho", "rhoExact", "value", "digits", "scale", "zero", "certifiedDigitsA", "methodB")
    for n in acts:
        e = CATALOGUE[n]
        out["activations"][n] = {
            "formula": e["formula"], "dsigmaFormula": e["dsigmaFormula"],
            "points": [{k: r[k] for k in keep} for r in res if r["activation"] == n],
        }
    if opts.quick and opts.out == ap.get_default("out"):
        print("--quick: not writing", opts.out)
        return 0
    with open(opts.out, "w") as fh:
        fh.write(dumps(out))
    print("wrote", opts.out)
    return 0


def dumps(out):
    """the JSON text: metadata indented, one point per line"""
    acts = out["activations"]
    head = {k: v for k, v in out.items() if k != "activations"}
    text = json.dumps(head, indent=1, ensure_ascii=False)[:-2] + ',\n "activations": {\n'
    blocks = []
    for name, e in acts.items():
        pts = ",\n".join("    " + json.dumps(p, ensure_ascii=False) for p in e["points"])
        blocks.append('  %s: {\n   "formula": %s,\n   "dsigmaFormula": %s,\n   "points": [\n%s\n   ]\n  }' % (
            json.dumps(name), json.dumps(e["formula"]), json.dumps(e["dsigmaFormula"]), pts))
    text += ",\n".join(blocks) + "\n }\n}\n"
    json.loads(text)
    return text


def report(r):
    print("%-13s %-6s a=%-8.6g b=%-8.6g rho=%-7g value=%-32s d=%2d cert=%-4s %-5s A %5.2fs B %5.2fs%s" % (
        r["activation"], r["kind"], r["a"], r["b"], r["rho"], r["value"], r["digits"], r["certifiedDigitsA"],
        r["methodB"], r["secondsA"], r["secondsB"], "" if r["ok"] else "  <-- FAIL"), flush=True)


if __name__ == "__main__":
    sys.exit(main())
