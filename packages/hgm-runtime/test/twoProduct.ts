/**
 * Test-side exact arithmetic, written independently of src/exactProducts.ts so the closed-form references do not
 * share code with what they check.
 */

/** x·y = p + e exactly (Dekker's product with Veltkamp splitting; JavaScript has no fma). */
export function twoProduct(x: number, y: number): [number, number] {
  const p = x * y;
  const split = (v: number): [number, number] => {
    const t = 134217729 * v;
    const hi = t - (t - v);
    return [hi, v - hi];
  };
  const [xh, xl] = split(x);
  const [yh, yl] = split(y);
  return [p, xh * yh - p + xh * yl + xl * yh + xl * yl];
}
