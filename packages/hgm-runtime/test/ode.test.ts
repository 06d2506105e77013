import { describe, expect, it } from 'vitest';
import { Dop853, dop853, type OdeRhs } from '../src/ode.ts';
import { solveOdex } from '../src/odex.ts';
import { IntegrationError } from '@holonomic-ntk/core';

/** Right-hand side of the linear system y' = A(t) y, with A written row-major by `matrix(t, out)`. */
function linearRhs(matrix: (t: number, out: Float64Array) => void, n: number): OdeRhs {
  const a = new Float64Array(n * n);
  return (t, y, dy) => {
    matrix(t, a);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j]! * y[j]!;
      dy[i] = s;
    }
  };
}

const rotation = (omega: number) =>
  linearRhs((_t, a) => {
    a[0] = 0;
    a[1] = -omega;
    a[2] = omega;
    a[3] = 0;
  }, 2);

const solvers = {
  dop853: (f: OdeRhs, t0: number, y0: number[], t1: number) => dop853(f, t0, y0, t1, { rtol: 1e-13, atol: 1e-13 }),
  odex: (f: OdeRhs, t0: number, y0: number[], t1: number) => solveOdex(f, t0, y0, t1, { rtol: 1e-13, atol: 1e-13 }),
};

describe.each(Object.entries(solvers))("%s on y' = A y (tolerance 1e-12 absolute, rtol = atol = 1e-13)", (_name, solve) => {
  it('rotation: y(t) = exp(tA) y0 over several turns, forward and backward', () => {
    for (const [omega, t1] of [
      [1, 10],
      [3, -4],
      [0.25, 7.5],
    ] as const) {
      const { y } = solve(rotation(omega), 0, [1, 0.5], t1);
      const c = Math.cos(omega * t1);
      const s = Math.sin(omega * t1);
      expect(Math.abs(y[0]! - (c * 1 - s * 0.5))).toBeLessThan(1e-12);
      expect(Math.abs(y[1]! - (s * 1 + c * 0.5))).toBeLessThan(1e-12);
    }
  });

  it("scalar exponential y' = λ y (relative 1e-12)", () => {
    for (const lambda of [1, -2, 0.3]) {
      const f: OdeRhs = (_t, y, dy) => {
        dy[0] = lambda * y[0]!;
      };
      const { y } = solve(f, 0, [1], 2);
      expect(Math.abs(y[0]! / Math.exp(2 * lambda) - 1)).toBeLessThan(1e-12);
    }
  });

  it("time-dependent linear system y' = [[0, t], [-t, 0]] y: rotation by t²/2 (1e-12)", () => {
    const f = linearRhs((t, a) => {
      a[0] = 0;
      a[1] = t;
      a[2] = -t;
      a[3] = 0;
    }, 2);
    const { y } = solve(f, 0, [1, 0], 3);
    expect(Math.abs(y[0]! - Math.cos(4.5))).toBeLessThan(1e-12);
    expect(Math.abs(y[1]! + Math.sin(4.5))).toBeLessThan(1e-12);
  });

  it("nonlinear y' = -y², y = 1/(1+t) (relative 1e-12)", () => {
    const { y } = solve(
      (_t, y, dy) => {
        dy[0] = -y[0]! * y[0]!;
      },
      0,
      [1],
      9,
    );
    expect(Math.abs(y[0]! * 10 - 1)).toBeLessThan(1e-12);
  });
});

describe('DOP853 specifics', () => {
  it('dense output interpolates the rotation between steps (1e-11)', () => {
    const { dense, stats } = dop853(rotation(1), 0, [1, 0], 6, { rtol: 1e-13, atol: 1e-13, dense: true });
    expect(stats.naccept).toBeGreaterThan(3);
    for (let t = 0; t <= 6; t += 0.0371) {
      const y = dense!.evaluate(t);
      expect(Math.abs(y[0]! - Math.cos(t))).toBeLessThan(1e-11);
      expect(Math.abs(y[1]! - Math.sin(t))).toBeLessThan(1e-11);
    }
    const back = dop853(rotation(1), 0, [1, 0], -2, { rtol: 1e-13, dense: true }).dense!;
    expect(Math.abs(back.evaluate(-1.3)[1]! - Math.sin(-1.3))).toBeLessThan(1e-11);
    expect(() => back.evaluate(0.5)).toThrow(RangeError);
  });

  it('error scales like the tolerance (8th order control works)', () => {
    const errAt = (tol: number) => Math.abs(dop853(rotation(1), 0, [1, 0], 20, { rtol: tol, atol: tol }).y[0]! - Math.cos(20));
    expect(errAt(1e-6)).toBeLessThan(1e-4);
    expect(errAt(1e-9)).toBeLessThan(1e-7);
    expect(errAt(1e-6)).toBeGreaterThan(errAt(1e-11));
  });

  it('one workspace solves many problems; stats count work', () => {
    const solver = new Dop853(2);
    const r1 = solver.solve(rotation(1), 0, [1, 0], 1);
    const r2 = solver.solve(rotation(1), 0, [1, 0], 1);
    expect(r2.y).toEqual(r1.y);
    expect(r1.stats.nfev).toBe(2 + 12 * r1.stats.naccept + 11 * r1.stats.nreject); // f(t0), HINIT probe, 11 stages + FSAL
  });

  it('throws IntegrationError at a pole instead of returning garbage', () => {
    // y' = y², y(0) = 1 blows up at t = 1.
    expect(() =>
      dop853(
        (_t, y, dy) => {
          dy[0] = y[0]! * y[0]!;
        },
        0,
        [1],
        2,
      ),
    ).toThrow(IntegrationError);
  });
});
