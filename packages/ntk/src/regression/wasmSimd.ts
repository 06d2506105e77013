/**
 * WebAssembly SIMD (f64x2) kernels of the dense solvers: the product C −= A·Bᵀ (gemmNT: the trailing updates of the
 * blocked Cholesky and of the Householder reduction, and the blocked triangular solve), the triangular solve of one
 * diagonal block (trsmRows) and the symmetric product of the Householder reduction (symvRows). The module (≈ 3 KB)
 * is emitted by the small assembler below at first use: no toolchain, no build step, nothing fetched, no generated
 * file to keep in sync, so the library stays browser-neutral. Where WebAssembly SIMD is missing
 * (`WebAssembly.validate` refuses the bytes) the callers keep the scalar TypeScript kernels (denseKernels.ts). With
 * `fma: true` the products use `f64x2.relaxed_madd` (relaxed SIMD: Node ≥ 22, or Node 20 with
 * --experimental-wasm-relaxed-simd); it is used only where the engine validates it.
 *
 * Layout: every matrix is row-major in the module's one memory; all offsets and strides are in bytes. The kernels
 * run along contiguous rows (dot products over k), as the scalar ones do.
 */

// ---------- a minimal WebAssembly binary assembler ----------

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/** The instructions used here (core and SIMD opcodes of the WebAssembly 2.0 binary format). */
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)],
  brIf: (d: number) => [0x0d, ...uleb(d)],
  get: (l: number) => [0x20, ...uleb(l)],
  set: (l: number) => [0x21, ...uleb(l)],
  tee: (l: number) => [0x22, ...uleb(l)],
  f64Load: (offset = 0) => [0x2b, 3, ...uleb(offset)],
  f64Store: (offset = 0) => [0x39, 3, ...uleb(offset)],
  i32: (c: number) => [0x41, ...sleb(c)],
  i32GeS: [0x4e],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32And: [0x71],
  i32Shl: [0x74],
  f64Add: [0xa0],
  f64Sub: [0xa1],
  f64Mul: [0xa2],
  f64Div: [0xa3],
  v128Load: (offset = 0) => [0xfd, ...uleb(0), 3, ...uleb(offset)],
  v128Zero: [0xfd, ...uleb(12), ...new Array<number>(16).fill(0)],
  f64x2Lane: (lane: number) => [0xfd, ...uleb(33), lane],
  v128Store: (offset = 0) => [0xfd, ...uleb(11), 3, ...uleb(offset)],
  f64x2Splat: [0xfd, ...uleb(20)],
  f64x2Add: [0xfd, ...uleb(240)],
  f64x2Mul: [0xfd, ...uleb(242)],
  f64x2RelaxedMadd: [0xfd, ...uleb(263)],
};

/** One function body under construction: typed parameters, extra locals, and the instruction bytes. */
class Body {
  readonly code: number[] = [];
  readonly extra: number[] = [];
  constructor(readonly params: number[]) {}
  local(type: number): number {
    this.extra.push(type);
    return this.params.length + this.extra.length - 1;
  }
  emit(...parts: (number | number[])[]): this {
    for (const p of parts) typeof p === 'number' ? this.code.push(p) : this.code.push(...p);
    return this;
  }
  /** for (i = from; i < limit; i += step) body — `limit` pushes an i32; the body sees `br` depths shifted by 2. */
  forLt(i: number, from: number[], limit: number[], step: number[], body: () => void): void {
    this.emit(from, op.set(i), op.block, op.loop, op.get(i), limit, op.i32GeS, op.brIf(1));
    body();
    this.emit(op.get(i), step, op.i32Add, op.set(i), op.br(0), op.end, op.end);
  }
  bytes(): number[] {
    // Locals grouped by runs of one type.
    const groups: number[][] = [];
    for (let k = 0; k < this.extra.length; ) {
      let e = k;
      while (e < this.extra.length && this.extra[e] === this.extra[k]) e++;
      groups.push([...uleb(e - k), this.extra[k]!]);
      k = e;
    }
    const body = [...vec(groups), ...this.code, ...op.end];
    return [...uleb(body.length), ...body];
  }
}

// ---------- the kernels ----------

/**
 * One register tile of C −= A·Bᵀ: rows pa[0..MR) of A against rows pb[0..NR) of B over kk entries (kv bytes in
 * pairs, then an odd last entry when kk is odd), subtracted from C at pc[r] + col (bytes).
 */
function microTile(f: Body, fma: boolean, pa: number[], pb: number[], pc: number[], col: number, kk: number, kv: number, k: number): void {
  const acc = pa.map(() => pb.map(() => f.local(V128)));
  const va = pa.map(() => f.local(V128));
  const vb = f.local(V128);
  for (const row of acc) for (const x of row) f.emit(op.v128Zero, op.set(x));
  f.forLt(k, op.i32(0), op.get(kv), op.i32(16), () => {
    pa.forEach((p, r) => f.emit(op.get(p), op.get(k), op.i32Add, op.v128Load(), op.set(va[r]!)));
    pb.forEach((p, c) => {
      f.emit(op.get(p), op.get(k), op.i32Add, op.v128Load(), op.set(vb));
      pa.forEach((_, r) => {
        const x = acc[r]![c]!;
        if (fma) f.emit(op.get(va[r]!), op.get(vb), op.get(x), op.f64x2RelaxedMadd, op.set(x));
        else f.emit(op.get(x), op.get(va[r]!), op.get(vb), op.f64x2Mul, op.f64x2Add, op.set(x));
      });
    });
  });
  const s = f.local(F64);
  pa.forEach((a, r) =>
    pb.forEach((b, c) => {
      const x = acc[r]![c]!;
      f.emit(op.get(x), op.f64x2Lane(0), op.get(x), op.f64x2Lane(1), op.f64Add, op.set(s));
      // Odd kk: the last product, at byte kv of both rows.
      f.emit(op.get(kk), op.i32(1), op.i32And, op.if);
      f.emit(op.get(s), op.get(a), op.get(kv), op.i32Add, op.f64Load(), op.get(b), op.get(kv), op.i32Add, op.f64Load(), op.f64Mul, op.f64Add, op.set(s));
      f.emit(op.end);
      // C[r][col + c] −= s
      f.emit(op.get(pc[r]!), op.get(col), op.i32Add, op.get(pc[r]!), op.get(col), op.i32Add, op.f64Load(c * 8), op.get(s), op.f64Sub, op.f64Store(c * 8));
    }),
  );
}

/**
 * gemmNT(c, cs, a, as, b, bs, m, p, kk): C[i][j] −= Σ_{k<kk} A[i][k]·B[j][k] for i < m, j < p (offsets and row
 * strides in bytes). Tiles of MR × NR, then the ragged last columns (MR × 1) and rows (1 × NR, 1 × 1).
 */
function gemmNT(fma: boolean, MR: number, NR: number): Body {
  const f = new Body([I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const [c, cs, a, as, b, bs, m, p, kk] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [i, j, k, kv, col] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  // kv = (kk & ~1) · 8: the bytes done in pairs.
  f.emit(op.get(kk), op.i32(-2), op.i32And, op.i32(3), op.i32Shl, op.set(kv));
  const rowsOf = (mr: number) => {
    const pa = Array.from({ length: mr }, () => f.local(I32));
    const pc = Array.from({ length: mr }, () => f.local(I32));
    return { pa, pc };
  };
  const block = (mr: number, fromRow: number[]) => {
    const { pa, pc } = rowsOf(mr);
    const rowLimit = [...op.get(m), ...op.i32(mr - 1), ...op.i32Sub];
    f.forLt(i, fromRow, rowLimit, op.i32(mr), () => {
      pa.forEach((x, r) => f.emit(op.get(a), op.get(i), op.i32(r), op.i32Add, op.get(as), op.i32Mul, op.i32Add, op.set(x)));
      pc.forEach((x, r) => f.emit(op.get(c), op.get(i), op.i32(r), op.i32Add, op.get(cs), op.i32Mul, op.i32Add, op.set(x)));
      for (const nr of NR === 1 ? [1] : [NR, 1]) {
        const pb = Array.from({ length: nr }, () => f.local(I32));
        const from = nr === NR ? op.i32(0) : op.get(j); // the ragged columns go on from where the wide tiles stopped
        f.forLt(j, from, [...op.get(p), ...op.i32(nr - 1), ...op.i32Sub], op.i32(nr), () => {
          pb.forEach((x, q) => f.emit(op.get(b), op.get(j), op.i32(q), op.i32Add, op.get(bs), op.i32Mul, op.i32Add, op.set(x)));
          f.emit(op.get(j), op.i32(3), op.i32Shl, op.set(col));
          microTile(f, fma, pa, pb, pc, col, kk, kv, k);
        });
      }
    });
  };
  block(MR, op.i32(0));
  if (MR > 1) block(1, op.get(i));
  return f;
}

/**
 * trsmRows(x, xs, l, ls, jb, je, r0, r1): for rows i in [r0, r1) and j = jb … je−1, X[i][j] = (X[i][j] −
 * Σ_{jb≤k<j} X[i][k]·L[j][k]) / L[j][j] (offsets and row strides in bytes): the triangular solve X·L11ᵀ = B of one
 * diagonal block — the Cholesky panel (X = L = the matrix being factored) or the rows of right-hand sides of
 * solveLowerRows — two rows at a time (they share the loads of row j of L).
 */
function trsmRows(fma: boolean): Body {
  const f = new Body([I32, I32, I32, I32, I32, I32, I32, I32]);
  const [xo, xs, lo, ls, jb, je, r0, r1] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [i, j, k, kv, rowJ, base, diag] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const rows = (mr: number, from: number[]) => {
    const pr = Array.from({ length: mr }, () => f.local(I32));
    const acc = pr.map(() => f.local(V128));
    const sum = pr.map(() => f.local(F64));
    const v = f.local(V128);
    f.forLt(i, from, [...op.get(r1), ...op.i32(mr - 1), ...op.i32Sub], op.i32(mr), () => {
      // pr[r] = x + (i + r)·xs + jb·8: row i + r from column jb
      pr.forEach((x, r) =>
        f.emit(op.get(xo), op.get(i), op.i32(r), op.i32Add, op.get(xs), op.i32Mul, op.i32Add, op.get(jb), op.i32(3), op.i32Shl, op.i32Add, op.set(x)),
      );
      f.forLt(j, op.get(jb), op.get(je), op.i32(1), () => {
        // rowJ = l + j·ls + jb·8; diag = (j − jb)·8 (bytes from column jb to column j); kv = diag & ~15
        f.emit(op.get(lo), op.get(j), op.get(ls), op.i32Mul, op.i32Add, op.get(jb), op.i32(3), op.i32Shl, op.i32Add, op.set(rowJ));
        f.emit(op.get(j), op.get(jb), op.i32Sub, op.i32(3), op.i32Shl, op.tee(diag), op.i32(-16), op.i32And, op.set(kv));
        for (const x of acc) f.emit(op.v128Zero, op.set(x));
        f.forLt(k, op.i32(0), op.get(kv), op.i32(16), () => {
          f.emit(op.get(rowJ), op.get(k), op.i32Add, op.v128Load(), op.set(v));
          pr.forEach((x, r) => {
            if (fma) f.emit(op.get(x), op.get(k), op.i32Add, op.v128Load(), op.get(v), op.get(acc[r]!), op.f64x2RelaxedMadd, op.set(acc[r]!));
            else f.emit(op.get(acc[r]!), op.get(x), op.get(k), op.i32Add, op.v128Load(), op.get(v), op.f64x2Mul, op.f64x2Add, op.set(acc[r]!));
          });
        });
        pr.forEach((x, r) => {
          f.emit(op.get(acc[r]!), op.f64x2Lane(0), op.get(acc[r]!), op.f64x2Lane(1), op.f64Add, op.set(sum[r]!));
          // An odd count: the entry at byte kv.
          f.emit(op.get(diag), op.i32(8), op.i32And, op.if);
          f.emit(
            op.get(sum[r]!),
            op.get(x),
            op.get(kv),
            op.i32Add,
            op.f64Load(),
            op.get(rowJ),
            op.get(kv),
            op.i32Add,
            op.f64Load(),
            op.f64Mul,
            op.f64Add,
            op.set(sum[r]!),
          );
          f.emit(op.end);
          // A[i + r][j] = (A[i + r][j] − sum) / A[j][j]
          f.emit(op.get(x), op.get(diag), op.i32Add, op.set(base));
          f.emit(
            op.get(base),
            op.get(base),
            op.f64Load(),
            op.get(sum[r]!),
            op.f64Sub,
            op.get(rowJ),
            op.get(diag),
            op.i32Add,
            op.f64Load(),
            op.f64Div,
            op.f64Store(),
          );
        });
      });
    });
  };
  rows(2, op.get(r0));
  rows(1, op.get(i));
  return f;
}

/**
 * symvRows(a, s, m0, n, v, p): p += A[m0:, m0:]·v from the lower triangle (offset of A and row stride s, v and p
 * offsets, all in bytes; p holds n − m0 entries, indexed from m0): row i adds A[i][m0..i]·v to p_i and, by symmetry,
 * v_i·A[i][j] to p_j for j < i — one pass over each row (the symmetric product of the Householder reduction).
 */
function symvRows(fma: boolean): Body {
  const f = new Body([I32, I32, I32, I32, I32, I32]);
  const [a, s, m0, n, v, p] = [0, 1, 2, 3, 4, 5];
  const [i, j, kv, row, ii, vi] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32), f.local(I32), f.local(F64)];
  const [acc, vi2, x, sum] = [f.local(V128), f.local(V128), f.local(V128), f.local(F64)];
  f.forLt(i, op.get(m0), op.get(n), op.i32(1), () => {
    // row = a + i·s + m0·8; ii = (i − m0)·8; vi = v[ii]; kv = ii & ~15
    f.emit(op.get(a), op.get(i), op.get(s), op.i32Mul, op.i32Add, op.get(m0), op.i32(3), op.i32Shl, op.i32Add, op.set(row));
    f.emit(op.get(i), op.get(m0), op.i32Sub, op.i32(3), op.i32Shl, op.tee(ii), op.i32(-16), op.i32And, op.set(kv));
    f.emit(op.get(v), op.get(ii), op.i32Add, op.f64Load(), op.tee(vi), op.f64x2Splat, op.set(vi2), op.v128Zero, op.set(acc));
    f.forLt(j, op.i32(0), op.get(kv), op.i32(16), () => {
      f.emit(op.get(row), op.get(j), op.i32Add, op.v128Load(), op.set(x));
      if (fma) f.emit(op.get(x), op.get(v), op.get(j), op.i32Add, op.v128Load(), op.get(acc), op.f64x2RelaxedMadd, op.set(acc));
      else f.emit(op.get(acc), op.get(x), op.get(v), op.get(j), op.i32Add, op.v128Load(), op.f64x2Mul, op.f64x2Add, op.set(acc));
      // p[j..j+2] += vi·x
      f.emit(op.get(p), op.get(j), op.i32Add);
      if (fma) f.emit(op.get(vi2), op.get(x), op.get(p), op.get(j), op.i32Add, op.v128Load(), op.f64x2RelaxedMadd);
      else f.emit(op.get(p), op.get(j), op.i32Add, op.v128Load(), op.get(vi2), op.get(x), op.f64x2Mul, op.f64x2Add);
      f.emit(op.v128Store());
    });
    // sum = A[i][i]·vi + both lanes
    f.emit(
      op.get(row),
      op.get(ii),
      op.i32Add,
      op.f64Load(),
      op.get(vi),
      op.f64Mul,
      op.get(acc),
      op.f64x2Lane(0),
      op.f64Add,
      op.get(acc),
      op.f64x2Lane(1),
      op.f64Add,
      op.set(sum),
    );
    // An odd count (i − m0): the entry at byte kv.
    f.emit(op.get(ii), op.i32(8), op.i32And, op.if);
    f.emit(op.get(sum), op.get(row), op.get(kv), op.i32Add, op.f64Load(), op.get(v), op.get(kv), op.i32Add, op.f64Load(), op.f64Mul, op.f64Add, op.set(sum));
    f.emit(
      op.get(p),
      op.get(kv),
      op.i32Add,
      op.get(p),
      op.get(kv),
      op.i32Add,
      op.f64Load(),
      op.get(vi),
      op.get(row),
      op.get(kv),
      op.i32Add,
      op.f64Load(),
      op.f64Mul,
      op.f64Add,
      op.f64Store(),
    );
    f.emit(op.end);
    // p[ii] += sum
    f.emit(op.get(p), op.get(ii), op.i32Add, op.get(p), op.get(ii), op.i32Add, op.f64Load(), op.get(sum), op.f64Add, op.f64Store());
  });
  return f;
}

/**
 * The module's bytes: memory (exported as `memory`, 1 page, grown by the caller), `gemmNT`, `trsmRows`, `symvRows`.
 * `tile` is the register tile of gemmNT (rows × columns). 2 × 4 by default: 8 accumulators and 2 + 1 operand
 * registers of the 16 xmm; in A/B runs of the Cholesky at n = 2000 by CPU time it beat 2×2, 2×3, 2×5, 2×6, 1×4,
 * 3×4, 4×3 and 4×4 by 5–25 % (larger tiles spill; unrolling the k loop by 2 or 4 was 10–15 % slower too).
 */
export function simdModuleBytes(options: { fma?: boolean; tile?: readonly [number, number] } = {}): Uint8Array {
  const fma = options.fma ?? false;
  const [mr, nr] = options.tile ?? [2, 4];
  const funcs = [gemmNT(fma, mr, nr), trsmRows(fma), symvRows(fma)];
  const names = ['gemmNT', 'trsmRows', 'symvRows'];
  const types = funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec([])]);
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(3, vec(funcs.map((_, k) => uleb(k)))),
    ...section(5, vec([[0x00, ...uleb(1)]])),
    ...section(7, vec([[...name('memory'), 0x02, 0], ...names.map((n, k) => [...name(n), 0x00, ...uleb(k)])])),
    ...section(10, vec(funcs.map((f) => f.bytes()))),
  ];
  return Uint8Array.from(bytes);
}

/**
 * The part of the WebAssembly JS API used here, typed locally: the project's type libraries (ES2022 + Node 20's)
 * do not declare the WebAssembly globals, and this module must not pull in the DOM's.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasmApi = (): WasmApi | undefined => {
  const w = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  return typeof w === 'object' && w !== null ? w : undefined;
};

/** The exports of an instance of {@link simdModuleBytes}. */
export interface SimdKernels {
  memory: WasmMemory;
  gemmNT(c: number, cs: number, a: number, as: number, b: number, bs: number, m: number, p: number, kk: number): void;
  trsmRows(x: number, xs: number, l: number, ls: number, jb: number, je: number, r0: number, r1: number): void;
  symvRows(a: number, s: number, m0: number, n: number, v: number, p: number): void;
}

let compiled: { module: object; fma: boolean } | null | undefined;

/**
 * The compiled module (relaxed-SIMD FMA where the engine validates it, else plain SIMD), or null where WebAssembly
 * SIMD is unavailable. Compiled once; each caller instantiates its own (so its memory is freed with it).
 */
export function simdModule(): { module: object; fma: boolean } | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  const wasm = wasmApi();
  try {
    if (wasm) {
      for (const fma of [true, false]) {
        const bytes = simdModuleBytes({ fma });
        if (wasm.validate(bytes)) {
          compiled = { module: new wasm.Module(bytes), fma };
          break;
        }
      }
    }
  } catch {
    compiled = null;
  }
  return compiled;
}

/** An instance of a compiled module (or of bytes from {@link simdModuleBytes}), its memory grown to `pages` pages. */
export function simdKernelsOf(module: object | Uint8Array, pages = 1): SimdKernels {
  const wasm = wasmApi()!;
  const exports = new wasm.Instance(module instanceof Uint8Array ? new wasm.Module(module) : module, {}).exports as SimdKernels;
  if (pages > 1) exports.memory.grow(pages - 1);
  return exports;
}

/** A fresh instance with memory for at least `bytes` bytes, or null (no SIMD, or the memory cannot grow so far). */
export function simdInstance(bytes: number): SimdKernels | null {
  const m = simdModule();
  if (!m) return null;
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  if (pages > 65536) return null;
  try {
    return simdKernelsOf(m.module, pages);
  } catch {
    return null; // RangeError: the engine would not grow the memory this far
  }
}
