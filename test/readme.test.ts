import { describe, expect, it } from 'vitest';
import { QQ, WeylAlgebra, operatorToLatex, operatorToText, parseOperator } from '@holonomic-ntk/weyl-algebra';

/** The example in README.md "Using the algebra", kept honest: same statements, the printed results asserted. */
describe('README example', () => {
  it('parses, multiplies and prints as the README says', () => {
    const D = new WeylAlgebra(QQ, ['x', 'y']);
    const p = parseOperator(D, 'dx*x - y*dy');
    expect(operatorToText(D, p)).toBe('x*dx - y*dy + 1');
    expect(operatorToLatex(D, p)).toBe('x \\partial_{x} - y \\partial_{y} + 1');
    const pp = D.mul(p, p);
    expect(D.eq(parseOperator(D, operatorToText(D, pp)), pp)).toBe(true);
  });
});
