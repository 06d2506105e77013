/**
 * An elementwise nonlinearity (neural_tangents/_src/stax/elementwise.py: the kernel of φ(z) for a centred Gaussian z
 * with the covariance of the state): nngp′ = E[σ(u)σ(v)], ntk′ = ntk·E[σ̇(u)σ̇(v)],
 * (u, v) ~ N(0, [[cov(x, p), nngp], [nngp, cov(x′, q)]]), for every pair of inputs and every kept pixel pair.
 *
 * All the off-diagonal entries of a layer — the input pairs × pixel pairs of nngp and the pixel pairs within each
 * input of cov — go to the provider in ONE call of `sigmaBatch` (and one of `dsigmaBatch`): the HGM's scattered batch
 * interpolates them from a few paths, whatever the number of distinct variances. Entries with ρ = 1 (a pixel with
 * itself) are evaluated once per distinct variance.
 */
import { type BuiltinActivation, DomainError, builtinActivation } from '@holonomic-ntk/core';
import { closedFormDual, closedFormFunctions } from '../../duals/closedForms.ts';
import type { ActivationFunctions, DualProvider } from '../../duals/dualProvider.ts';
import { type KernelState, type Layer, pixels, singleValue } from './types.ts';

/**
 * Options of {@link activation}: σ and σ̇ as functions for the finite network (`init`/`apply`/`vjp`), when the
 * activation is not a built-in one (a formula derived by a resolver, say).
 *
 * @example
 * ```ts
 * import { activation, gaussHermiteDual, type ActivationOptions } from '@holonomic-ntk/ntk';
 * const square = { name: 'square', sigma: { sigma: (u: number) => u * u, kinks: [] }, dsigma: { sigma: (u: number) => 2 * u, kinks: [] } };
 * const options: ActivationOptions = { functions: square };
 * activation(gaussHermiteDual(square, 10), options).apply!([], Float64Array.of(3)); // → Float64Array.of(9)
 * ```
 */
export interface ActivationOptions {
  functions?: ActivationFunctions;
}

/**
 * An elementwise nonlinearity, given by its dual: a closed-form name ('relu', 'erf', 'gelu', 'step', 'sin', 'cos',
 * 'exp', 'rectpow:<m>', 'leakyrelu:<α>', 'abrelu:<a>,<b>', 'abs', 'sign') or any DualProvider (HGM built-in or
 * derived, Gauss–Hermite, quadrature, Monte Carlo, Hermite series). A provider with `sigmaBatch`/`dsigmaBatch` gets
 * all off-diagonal entries of the layer in one call; otherwise they are evaluated one by one.
 *
 * @example
 * ```ts
 * import { activation, dense, hgmDual, serial } from '@holonomic-ntk/ntk';
 * const x = [[1, 0], [0.6, 0.8]];
 * const closed = serial(dense(), activation('relu'), dense()).kernelFn(x, null, 'ntk');
 * const hgm = serial(dense(), activation(hgmDual('relu')), dense()).kernelFn(x, null, 'ntk');
 * Math.abs(hgm.data[1]! - closed.data[1]!) < 1e-10; // → true
 * activation('tanh'); // throws DomainError
 * ```
 */
export function activation(dual: string | DualProvider, options: ActivationOptions = {}): Layer {
  const p = typeof dual === 'string' ? closedFormDual(dual) : dual;
  if (!p) {
    throw new DomainError(
      `no closed-form dual for '${dual as string}': pass a DualProvider, e.g. dualProvider('${dual as string}', 'hgm') or dualProvider('${dual as string}', 'gh:50')`,
    );
  }
  const name = `activation(${p.activation}, ${p.name})`;
  let fns: { f: (u: number) => number; df: (u: number) => number } | undefined;
  const functions = () => {
    if (fns) return fns;
    const spec: ActivationFunctions | BuiltinActivation | undefined = options.functions ?? closedFormFunctions(p.activation) ?? builtinActivation(p.activation);
    if (!spec) throw new DomainError(`${name}: no σ for the finite network; pass activation(provider, { functions })`);
    if (!spec.dsigma) throw new DomainError(`${name}: σ̇ of ${p.activation} is not a function (a step has σ̇ = δ); the finite network cannot use it`);
    const f = spec.sigma.sigma;
    const df = spec.dsigma.sigma;
    fns = { f, df };
    return fns;
  };
  return {
    name,
    kernel: (k) => activationKernel(p, k),
    init: (_normal, inShape) => ({ params: [], outShape: inShape }),
    apply(_params, x) {
      const { f } = functions();
      return singleValue(x, name).map(f);
    },
    vjp(_params, x, gy) {
      const { df } = functions();
      const v = singleValue(x, name);
      const g = singleValue(gy, name);
      return { gx: v.map((u, i) => df(u) * g[i]!), gparams: [] };
    },
  };
}

/** The kernel rule, for flat, diagonal-in-space and full spatial states (layout in KernelState). */
function activationKernel(p: DualProvider, k: KernelState): KernelState {
  const { n1, n2, same } = k;
  const P = pixels(k.shape);
  const diag = P > 1 && (k.diagonalSpatial ?? false);
  const S = diag || P === 1 ? P : P * P; // entries per input pair
  const varAt =
    diag || P === 1 ? (cov: Float64Array, i: number, p: number) => cov[i * P + p]! : (cov: Float64Array, i: number, p: number) => cov[(i * P + p) * P + p]!;
  const diagSigma = memo((x) => p.sigma(x, x, x));
  const diagDsigma = memo((x) => p.dsigma(x, x, x));

  // Entry lists: [cov2 of inputs j < n1 when same] [nngp] [cov2 of the other inputs] [cov1 when not same]. The first
  // two parts also need σ̇ (the NTK, and for same its diagonal input pairs, which are the covariances of one input).
  const full = !diag && P > 1;
  const offPerCov = full ? (P * (P - 1)) / 2 : 0;
  const nngpPairs = same ? (n1 * (2 * n2 - n1 - 1)) / 2 : n1 * n2;
  const covInputs = n2 + (same ? 0 : n1);
  const count = offPerCov * covInputs + nngpPairs * (P === 1 ? 1 : diag ? P : P * P);
  const A = new Float64Array(count);
  const C = new Float64Array(count);
  const B = new Float64Array(count);
  let m = 0;
  const push = (a: number, c: number, b: number) => {
    A[m] = a <= b ? a : b;
    B[m] = a <= b ? b : a;
    C[m++] = c;
  };
  const pushCov = (cov: Float64Array, i: number) => {
    const base = i * P * P;
    for (let q = 0; q < P; q++) for (let r = q + 1; r < P; r++) push(cov[base + q * P + q]!, cov[base + q * P + r]!, cov[base + r * P + r]!);
  };
  const covPrefix = same ? n1 : 0;
  if (full) for (let j = 0; j < covPrefix; j++) pushCov(k.cov2, j);
  const nngpStart = m;
  for (let i = 0; i < n1; i++) {
    for (let j = same ? i + 1 : 0; j < n2; j++) {
      const base = (i * n2 + j) * S;
      if (!full) for (let q = 0; q < P; q++) push(varAt(k.cov1, i, q), k.nngp[base + q]!, varAt(k.cov2, j, q));
      else for (let q = 0; q < P; q++) for (let r = 0; r < P; r++) push(varAt(k.cov1, i, q), k.nngp[base + q * P + r]!, varAt(k.cov2, j, r));
    }
  }
  const nngpEnd = m;
  if (full) {
    for (let j = covPrefix; j < n2; j++) pushCov(k.cov2, j);
    if (!same) for (let i = 0; i < n1; i++) pushCov(k.cov1, i);
  }
  if (m !== count) throw new Error(`internal: ${m} entries for ${count}`);
  // Entries at ρ = ±1 repeat exactly (blank pixels see only the bias; repeated pixels): each distinct one goes once.
  const { a: uA, c: uC, b: uB, back, prefix } = dedupeBoundary(A, C, B, nngpEnd);
  const sigU = p.sigmaBatch ? p.sigmaBatch(uA, uC, uB) : entryByEntry(p.sigma, uA, uC, uB);
  const dsigU = k.ntk
    ? p.dsigmaBatch
      ? p.dsigmaBatch(uA.subarray(0, prefix), uC.subarray(0, prefix), uB.subarray(0, prefix))
      : entryByEntry(p.dsigma, uA.subarray(0, prefix), uC.subarray(0, prefix), uB.subarray(0, prefix))
    : null;
  const sig = back ? Float64Array.from(back, (i) => sigU[i]!) : sigU;
  const dsig = dsigU && back ? Float64Array.from(back.subarray(0, nngpEnd), (i) => dsigU[i]!) : dsigU;

  // Covariances within each input.
  const covOut = (cov: Float64Array, inputs: number, from: number): { out: Float64Array; next: number } => {
    const out = new Float64Array(cov.length);
    let t = from;
    for (let i = 0; i < inputs; i++) {
      if (!full) {
        for (let q = 0; q < P; q++) out[i * P + q] = diagSigma(cov[i * P + q]!);
        continue;
      }
      const base = i * P * P;
      for (let q = 0; q < P; q++) {
        out[base + q * P + q] = diagSigma(cov[base + q * P + q]!);
        for (let r = q + 1; r < P; r++) {
          out[base + q * P + r] = sig[t]!;
          out[base + r * P + q] = sig[t++]!;
        }
      }
    }
    return { out, next: t };
  };
  let cov2: Float64Array;
  let cov1: Float64Array;
  if (full) {
    // cov2 entries are split in two runs around nngp: assemble them in order.
    const first = covOut(k.cov2.subarray(0, covPrefix * P * P), covPrefix, 0);
    const rest = covOut(k.cov2.subarray(covPrefix * P * P), n2 - covPrefix, nngpEnd);
    cov2 = new Float64Array(k.cov2.length);
    cov2.set(first.out, 0);
    cov2.set(rest.out, covPrefix * P * P);
    cov1 = same ? cov2.subarray(0, n1 * P * P) : covOut(k.cov1, n1, rest.next).out;
  } else {
    cov2 = covOut(k.cov2, n2, 0).out;
    cov1 = same ? cov2.subarray(0, n1 * S) : covOut(k.cov1, n1, 0).out;
  }

  const nngp = new Float64Array(n1 * n2 * S);
  const ntk = k.ntk ? new Float64Array(n1 * n2 * S) : null;
  let t = nngpStart;
  for (let i = 0; i < n1; i++) {
    for (let j = same ? i + 1 : 0; j < n2; j++) {
      const base = (i * n2 + j) * S;
      for (let e = 0; e < S; e++, t++) {
        nngp[base + e] = sig[t]!;
        if (ntk) ntk[base + e] = k.ntk![base + e]! * dsig![t]!;
      }
    }
  }
  if (same) {
    // Diagonal input pairs: the covariances of one input (ρ = 1 exactly at equal pixels); below: mirror images.
    let u = 0;
    for (let i = 0; i < n1; i++) {
      const base = (i * n2 + i) * S;
      nngp.set(cov2.subarray(i * S, (i + 1) * S), base);
      if (ntk) {
        const inNtk = k.ntk!;
        if (!full) {
          for (let q = 0; q < P; q++) ntk[base + q] = inNtk[base + q]! * diagDsigma(varAt(k.cov2, i, q));
        } else {
          for (let q = 0; q < P; q++) {
            ntk[base + q * P + q] = inNtk[base + q * P + q]! * diagDsigma(varAt(k.cov2, i, q));
            for (let r = q + 1; r < P; r++) {
              const d = dsig![u++]!;
              ntk[base + q * P + r] = inNtk[base + q * P + r]! * d;
              ntk[base + r * P + q] = inNtk[base + r * P + q]! * d;
            }
          }
        }
      }
      for (let j = 0; j < i; j++) {
        const src = (j * n2 + i) * S;
        const dst = (i * n2 + j) * S;
        if (!full) {
          for (let e = 0; e < S; e++) {
            nngp[dst + e] = nngp[src + e]!;
            if (ntk) ntk[dst + e] = ntk[src + e]!;
          }
        } else {
          for (let q = 0; q < P; q++) {
            for (let r = 0; r < P; r++) {
              nngp[dst + q * P + r] = nngp[src + r * P + q]!;
              if (ntk) ntk[dst + q * P + r] = ntk[src + r * P + q]!;
            }
          }
        }
      }
    }
  }
  return { ...k, cov1, cov2, nngp, ntk, gaussian: false };
}

/**
 * The entries with |ρ| ≥ 1 − 1e-9 that repeat exactly, removed: compact arrays (first occurrences, in order), the map
 * back from each entry to its compact index (null when nothing repeats) and the compact length of the first `end`
 * entries (every entry before `end` maps below it).
 */
function dedupeBoundary(
  A: Float64Array,
  C: Float64Array,
  B: Float64Array,
  end: number,
): { a: Float64Array; c: Float64Array; b: Float64Array; back: Int32Array | null; prefix: number } {
  const n = A.length;
  const seen = new Map<string, number>();
  let back: Int32Array | null = null;
  let u = 0;
  let prefix = end;
  for (let t = 0; t < n; t++) {
    if (t === end) prefix = u;
    const a = A[t]!;
    const b = B[t]!;
    const c = C[t]!;
    let j = -1;
    if (c * c >= a * b * (1 - 2e-9)) {
      const key = `${a},${c},${b}`;
      const hit = seen.get(key);
      if (hit === undefined) seen.set(key, u);
      else j = hit;
    }
    if (j >= 0 && !back) back = Int32Array.from({ length: n }, (_, i) => i);
    if (back) {
      if (j >= 0) back[t] = j;
      else {
        back[t] = u;
        A[u] = a;
        B[u] = b;
        C[u] = c;
      }
    }
    if (j < 0) u++;
  }
  if (end >= n) prefix = u;
  if (!back) return { a: A, c: C, b: B, back: null, prefix: end };
  return { a: A.subarray(0, u), c: C.subarray(0, u), b: B.subarray(0, u), back, prefix };
}

function entryByEntry(f: (a: number, c: number, b: number) => number, A: Float64Array, C: Float64Array, B: Float64Array): Float64Array {
  const out = new Float64Array(A.length);
  for (let t = 0; t < A.length; t++) out[t] = f(A[t]!, C[t]!, B[t]!);
  return out;
}

function memo(f: (x: number) => number): (x: number) => number {
  const seen = new Map<number, number>();
  return (x) => {
    let v = seen.get(x);
    if (v === undefined) seen.set(x, (v = f(x)));
    return v;
  };
}
