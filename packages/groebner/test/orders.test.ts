import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { homogenizedWeightOrder } from '../src/internal.ts';

describe('the homogenized weight order of MATH.md §2', () => {
  const n = 2;
  const w = [-1, 0, 1, 0];
  const order = homogenizedWeightOrder(n, w);
  const mono = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 2 * n + 1, maxLength: 2 * n + 1 });

  it('is a total, multiplicative well-order (total degree first)', () => {
    fc.assert(
      fc.property(mono, mono, mono, (a, b, c) => {
        const ab = Math.sign(order.compare(a, b));
        if (ab === 0) expect(a).toEqual(b);
        expect(
          Math.sign(
            order.compare(
              a.map((e, i) => e + c[i]!),
              b.map((e, i) => e + c[i]!),
            ),
          ),
        ).toBe(ab);
        expect(order.compare(a, [0, 0, 0, 0, 0])).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('its linear sort key agrees with compare', () => {
    const key = order.linearKey!([5, 5, 5, 5, 5])!;
    const k = (m: number[]) => key.offset + m.reduce((s, e, i) => s + e * key.weights[i]!, 0);
    fc.assert(
      fc.property(mono, mono, (a, b) => {
        expect(Math.sign(k(a) - k(b))).toBe(Math.sign(order.compare(a, b)));
      }),
      { numRuns: 1000 },
    );
    // With a component slot there is no key (compare ignores the slot).
    expect(order.linearKey!([5, 5, 5, 5, 5, 3])).toBeNull();
  });

  it('ranks by total degree, then (−w,w)-weight, then less h', () => {
    // x∂x·h⁰ (degree 2, weight 0) ≻ x·h (degree 2, weight −1); ∂x² (weight 2) ≻ x∂x (weight 0) at degree 2.
    expect(order.compare([1, 0, 1, 0, 0], [1, 0, 0, 0, 1])).toBeGreaterThan(0);
    expect(order.compare([0, 0, 2, 0, 0], [1, 0, 1, 0, 0])).toBeGreaterThan(0);
    // Same degree and weight: less h wins (x∂x ≻ h²); ∂x·h (weight 1) ≻ x∂x (weight 0).
    expect(order.compare([1, 0, 1, 0, 0], [0, 0, 0, 0, 2])).toBeGreaterThan(0);
    expect(order.compare([0, 0, 1, 0, 1], [1, 0, 1, 0, 0])).toBeGreaterThan(0);
  });
});
