/**
 * The WebAssembly SIMD kernels of the blocked Cholesky (src/regression/wasmSimd.ts): the emitted module is
 * reproducible and valid, each kernel equals its scalar counterpart (ragged shapes, odd lengths, offsets and
 * strides), the SIMD factorisation equals the scalar one, keeps the strict upper triangle, refuses indefinite
 * matrices and honours an abort, and the scalar path takes over where WebAssembly SIMD is unavailable.
 */
import { mulberry32 } from '@holonomic-ntk/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DomainError } from '@holonomic-ntk/core';
import { choleskyInPlace, SIMD_MIN_N, solveLowerRows } from '../src/regression/cholesky.ts';
import { subMulTransposed } from '../src/regression/denseKernels.ts';
import { applyQ, applyQTransposed, tridiagonalizeInPlace } from '../src/regression/symmetricEigen.ts';
import { simdInstance, simdKernelsOf, simdModule, simdModuleBytes } from '../src/regression/wasmSimd.ts';

const rng = mulberry32(20261203);
const uniform = () => 2 * rng() - 1;

/** A random SPD matrix B·Bᵀ/n + I (row-major, n × n). */
function spd(n: number): Float64Array {
  const b = Float64Array.from({ length: n * n }, uniform);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += b[i * n + k]! * b[j * n + k]!;
      a[i * n + j] = a[j * n + i] = s / n + (i === j ? 1 : 0);
    }
  return a;
}

function maxRel(x: Float64Array, y: Float64Array): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < y.length; i++) {
    d = Math.max(d, Math.abs(x[i]! - y[i]!));
    m = Math.max(m, Math.abs(y[i]!));
  }
  return d / m;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('the emitted module', () => {
  it('is reproducible (the same bytes on every call), valid, and small enough for synchronous compilation anywhere', () => {
    for (const fma of [false, true]) {
      const a = simdModuleBytes({ fma });
      expect(simdModuleBytes({ fma })).toEqual(a);
      expect(a.length).toBeLessThan(4096); // browsers compile ≤ 4 KiB synchronously on the main thread
      expect(Array.from(a.subarray(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    }
    // Node 20 has WebAssembly SIMD; relaxed SIMD (the FMA variant) only behind a flag there, so it may or may not validate.
    const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(wasm.validate(simdModuleBytes())).toBe(true);
    expect(simdModule()).not.toBeNull();
    for (const tile of [
      [1, 1],
      [2, 4],
      [3, 4],
      [4, 4],
    ] as const)
      expect(wasm.validate(simdModuleBytes({ tile }))).toBe(true);
  });

  it.each([[[3, 4]], [[2, 4]], [[1, 1]], [[4, 2]]] as const)('gemmNT (tile %j) equals the scalar C −= A·Bᵀ on ragged shapes, odd lengths, offsets', (tile) => {
    const k = simdKernelsOf(simdModuleBytes({ tile }), 16);
    const v = new Float64Array(k.memory.buffer);
    for (const [m, p, kk] of [
      [1, 1, 1],
      [5, 7, 9],
      [3, 4, 96],
      [7, 13, 95],
      [2, 3, 0],
      [13, 5, 2],
    ] as const) {
      const [as, bs, cs] = [kk + 3, kk + 1, p + 5];
      const [ao, bo, co] = [1, 4001, 20003]; // odd offsets: unaligned 16-byte loads
      v.fill(0);
      for (let i = 0; i < m * as; i++) v[ao + i] = uniform();
      for (let i = 0; i < p * bs; i++) v[bo + i] = uniform();
      for (let i = 0; i < m * cs; i++) v[co + i] = uniform();
      const ref = v.slice();
      subMulTransposed(ref, co, cs, ref, ao, as, ref, bo, bs, m, p, kk);
      k.gemmNT(co * 8, cs * 8, ao * 8, as * 8, bo * 8, bs * 8, m, p, kk);
      expect(maxRel(v, ref), `${m}×${p}×${kk}`).toBeLessThan(1e-14);
    }
  });

  it('trsmRows equals the scalar panel solve, including a ragged last row and a panel of odd width', () => {
    const n = 41;
    const k = simdInstance(n * n * 8)!;
    const v = new Float64Array(k.memory.buffer, 0, n * n);
    for (const [jb, je] of [
      [0, 7],
      [3, 20],
      [10, 11],
    ] as const) {
      v.set(Float64Array.from({ length: n * n }, uniform));
      for (let j = jb; j < je; j++) v[j * n + j] = 2 + rng();
      const ref = v.slice();
      for (let i = je; i < n; i++)
        for (let j = jb; j < je; j++) {
          let s = ref[i * n + j]!;
          for (let q = jb; q < j; q++) s -= ref[i * n + q]! * ref[j * n + q]!;
          ref[i * n + j] = s / ref[j * n + j]!;
        }
      k.trsmRows(0, n * 8, 0, n * 8, jb, je, je, n);
      expect(maxRel(v, ref), `${jb}..${je}`).toBeLessThan(1e-13);
    }
  });
});

describe('Householder tridiagonalisation with the SIMD kernels', () => {
  it('symvRows equals A·v from the lower triangle (odd and even lengths)', () => {
    const n = 23;
    const k = simdInstance((n * n + 2 * n) * 8)!;
    const mem = k.memory.buffer;
    const a = new Float64Array(mem, 0, n * n);
    const v = new Float64Array(mem, n * n * 8, n);
    const p = new Float64Array(mem, (n * n + n) * 8, n);
    a.set(spd(n));
    for (const m0 of [0, 1, 2, 20, 22]) {
      v.set(Float64Array.from({ length: n }, uniform));
      p.fill(0);
      k.symvRows(0, n * 8, m0, n, n * n * 8, (n * n + n) * 8);
      for (let i = m0; i < n; i++) {
        let s = 0;
        for (let j = m0; j < n; j++) s += a[Math.max(i, j) * n + Math.min(i, j)]! * v[j - m0]!;
        expect(Math.abs(p[i - m0]! - s), `m0 = ${m0}, row ${i}`).toBeLessThan(1e-13 * n);
      }
    }
  });

  it.each([
    [130, 32],
    [75, 8],
    [161, 16],
  ])('n = %i, block %i: the same T and reflectors as the scalar reduction (1e-10), Qᵀ·A·Q = T (1e-12)', (n, blockSize) => {
    const a = spd(n);
    const scalar = a.slice();
    const simd = a.slice();
    const ts = tridiagonalizeInPlace(scalar, n, { blockSize, kernels: 'scalar' });
    const tv = tridiagonalizeInPlace(simd, n, { blockSize, kernels: 'simd' });
    expect(tv.a).toBe(simd); // in place: the caller's array holds the reflectors
    // Another summation order: the reflectors differ by rounding, amplified a little by the reduction.
    expect(maxRel(simd, scalar)).toBeLessThan(1e-10);
    expect(maxRel(tv.d, ts.d)).toBeLessThan(1e-10);
    expect(maxRel(tv.e, ts.e)).toBeLessThan(1e-10);
    // Qᵀ·A·Q = T through the stored reflectors: for a random z, Qᵀ(A(Qz)) = T z.
    const z = Float64Array.from({ length: n }, uniform);
    const qz = z.slice();
    applyQ(tv, qz);
    const aqz = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) aqz[i] = aqz[i]! + a[i * n + j]! * qz[j]!;
    applyQTransposed(tv, aqz);
    const tz = Float64Array.from(z, (zi, i) => tv.d[i]! * zi + (i > 0 ? tv.e[i - 1]! * z[i - 1]! : 0) + (i + 1 < n ? tv.e[i]! * z[i + 1]! : 0));
    expect(maxRel(aqz, tz)).toBeLessThan(1e-12);
  });
});

describe('Cholesky with the SIMD kernels', () => {
  it.each([
    [1, 96, 128],
    [2, 96, 128],
    [97, 96, 128],
    [130, 96, 128],
    [131, 17, 5],
    [200, 33, 64],
    [257, 64, 31],
  ])('n = %i, block %i, tile %i: equals the scalar factor (1e-12); the strict upper triangle is untouched', (n, blockSize, tile) => {
    const a = spd(n);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = 1000 + i - j; // a marker, never read
    const scalar = a.slice();
    const simd = a.slice();
    choleskyInPlace(scalar, n, { blockSize, tile, kernels: 'scalar' });
    choleskyInPlace(simd, n, { blockSize, tile, kernels: 'simd' });
    expect(maxRel(simd, scalar)).toBeLessThan(1e-12);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(simd[i * n + j]).toBe(1000 + i - j);
  });

  it.each([
    [150, 20, 96],
    [131, 17, 32],
    [200, 1, 64],
  ])('solveLowerRows, n = %i, %i right-hand sides, block %i: equals the scalar solve (1e-12)', (n, m, blockSize) => {
    const l = spd(n);
    choleskyInPlace(l, n, { kernels: 'scalar' });
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) l[i * n + j] = Number.NaN; // the upper triangle is never read
    const b = Float64Array.from({ length: m * n }, uniform);
    const scalar = b.slice();
    const simd = b.slice();
    solveLowerRows(l, n, scalar, m, { blockSize, kernels: 'scalar' });
    solveLowerRows(l, n, simd, m, { blockSize, kernels: 'simd' });
    expect(maxRel(simd, scalar)).toBeLessThan(1e-12);
  });

  it("'auto' takes SIMD from SIMD_MIN_N on (same factor as scalar)", () => {
    const n = SIMD_MIN_N + 5;
    const a = spd(n);
    const auto = a.slice();
    const scalar = a.slice();
    choleskyInPlace(auto, n);
    choleskyInPlace(scalar, n, { kernels: 'scalar' });
    expect(maxRel(auto, scalar)).toBeLessThan(1e-12);
  });

  it('an indefinite matrix is refused with a DomainError naming diagReg, the input untouched above the failing panel', () => {
    const n = 150;
    const a = spd(n);
    a[140 * n + 140] = -5;
    const copy = a.slice();
    expect(() => choleskyInPlace(copy, n, { kernels: 'simd' })).toThrow(DomainError);
    expect(() => choleskyInPlace(a.slice(), n, { kernels: 'simd' })).toThrow(/not positive definite.*diagReg/);
    expect(copy).toEqual(a); // the factor is copied back only on success
  });

  it('reports progress per panel and stops with an AbortError when aborted', () => {
    const n = 300;
    const a = spd(n);
    const seen: number[] = [];
    choleskyInPlace(a.slice(), n, { kernels: 'simd', onProgress: (p) => seen.push(p.done) });
    expect(seen).toEqual([96, 192, 288]);
    const ac = new AbortController();
    expect(() => choleskyInPlace(a.slice(), n, { kernels: 'simd', signal: ac.signal, onProgress: () => ac.abort() })).toThrow(
      expect.objectContaining({ name: 'AbortError' }),
    );
  });

  it('without WebAssembly (or without SIMD) the scalar kernels factor the matrix', async () => {
    const n = 140;
    const a = spd(n);
    const want = a.slice();
    choleskyInPlace(want, n, { kernels: 'scalar' });
    for (const stub of [undefined, { validate: () => false }]) {
      vi.resetModules();
      vi.stubGlobal('WebAssembly', stub);
      const fresh = await import('../src/regression/cholesky.ts');
      const wasm = await import('../src/regression/wasmSimd.ts');
      expect(wasm.simdModule()).toBeNull();
      const got = a.slice();
      fresh.choleskyInPlace(got, n, { kernels: 'simd' });
      expect(got).toEqual(want); // the scalar path exactly
      vi.unstubAllGlobals();
    }
  });
});
