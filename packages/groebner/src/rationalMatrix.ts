import { DomainError, type RationalFunction, type RationalFunctionField } from '@holonomic-ntk/weyl-algebra';

/** Exact matrices over Q(x): the arithmetic Pfaffian systems need (products, derivatives, inverse). */
export type RMatrix = RationalFunction[][];

export function matMul(F: RationalFunctionField, A: RMatrix, B: RMatrix): RMatrix {
  return A.map((row) =>
    B[0]!.map((_, j) => {
      let s = F.zero;
      for (let k = 0; k < row.length; k++) if (!F.isZero(row[k]!) && !F.isZero(B[k]![j]!)) s = F.add(s, F.mul(row[k]!, B[k]![j]!));
      return s;
    }),
  );
}

export function matAdd(F: RationalFunctionField, A: RMatrix, B: RMatrix): RMatrix {
  return A.map((row, i) => row.map((a, j) => F.add(a, B[i]![j]!)));
}

export function matSub(F: RationalFunctionField, A: RMatrix, B: RMatrix): RMatrix {
  return A.map((row, i) => row.map((a, j) => F.sub(a, B[i]![j]!)));
}

export function matDiff(F: RationalFunctionField, A: RMatrix, v: string): RMatrix {
  return A.map((row) => row.map((a) => F.diff(a, v)));
}

export function isZeroMatrix(F: RationalFunctionField, A: RMatrix): boolean {
  return A.every((row) => row.every((a) => F.isZero(a)));
}

/** Inverse by Gauss–Jordan with exact pivots; DomainError if singular. */
export function matInverse(F: RationalFunctionField, A: RMatrix): RMatrix {
  const n = A.length;
  const M = A.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? F.one : F.zero))]);
  for (let c = 0; c < n; c++) {
    // The simplest nonzero pivot keeps the expressions small.
    let p = -1;
    for (let r = c; r < n; r++) {
      if (F.isZero(M[r]![c]!)) continue;
      if (p < 0 || F.toString(M[r]![c]!).length < F.toString(M[p]![c]!).length) p = r;
    }
    if (p < 0) throw new DomainError('the matrix is singular over Q(x): the chosen basis does not span the quotient module');
    [M[c], M[p]] = [M[p]!, M[c]!];
    const inv = F.div(F.one, M[c]![c]!);
    M[c] = M[c]!.map((a) => F.mul(a, inv));
    for (let r = 0; r < n; r++) {
      if (r === c || F.isZero(M[r]![c]!)) continue;
      const f = M[r]![c]!;
      M[r] = M[r]!.map((a, j) => F.sub(a, F.mul(f, M[c]![j]!)));
    }
  }
  return M.map((row) => row.slice(n));
}
