/**
 * `npm run tour`: a tour of the algebra engine, on real inputs — operators parsed and multiplied in the Weyl algebra,
 * printed as text and LaTeX; the transfer rule of MATH.md §5; a Gröbner basis and the Pfaffian system of the
 * Heaviside-step NTK ideal with its integrability check; a numeric sanity check against the closed form.
 */
import { QQ, Rational, WeylAlgebra, operatorToLatex, operatorToText, parseOperator, parseOperators } from '@holonomic-ntk/weyl-algebra';
import { RationalWeylIdeal, groebnerBasis, isIntegrable, pfaffianSystem } from '@holonomic-ntk/groebner';

const line = (s = '') => console.log(s);
const t0 = performance.now();

line('1. The Weyl algebra D = Q⟨x, y, ∂x, ∂y⟩, products read left to right');
const D = new WeylAlgebra(QQ, ['x', 'y']);
for (const text of ['dx*x', 'dx^2*x^2', '(x*dx+y*dy)*(dx*x-1)', 'dy*y^3*dx']) {
  const p = parseOperator(D, text);
  line(`   ${text.padEnd(22)} = ${operatorToText(D, p)}`);
  line(`   ${''.padEnd(22)}   LaTeX: ${operatorToLatex(D, p)}`);
}

line('\n2. In D^(h) the relation is ∂x·x = x·∂x + h²');
const Dh = new WeylAlgebra(QQ, ['x'], { homogenizer: 'h' });
line(`   dx^2*x^2 = ${operatorToText(Dh, parseOperator(Dh, 'dx^2*x^2'))}`);

line('\n3. The transfer rule (MATH.md §5): u ↦ ∂y1, ∂u ↦ −(y1 + 2x11∂y1 + 2x12∂y2), applied to ReLU’s u∂u − 1');
const Du = new WeylAlgebra(QQ, [
  { x: 'u', d: 'du' },
  { x: 'v', d: 'dv' },
]);
const T = new WeylAlgebra(QQ, ['y1', 'y2', 'x11', 'x12', 'x22']);
const iota = Du.homomorphism(T, {
  u: parseOperator(T, 'dy1'),
  v: parseOperator(T, 'dy2'),
  du: parseOperator(T, '-(y1+2*x11*dy1+2*x12*dy2)'),
  dv: parseOperator(T, '-(y2+2*x12*dy1+2*x22*dy2)'),
});
line(`   ι(u*du-1) = ${operatorToText(T, iota(parseOperator(Du, 'u*du-1')))}`);

line('\n4. The Heaviside-step NTK ideal in x11, x12, x22: Gröbner basis (grevlex)');
const X = new WeylAlgebra(QQ, ['x11', 'x12', 'x22']);
const ideal = parseOperators(X, '2*x11*dx11+x12*dx12+1; x12*dx12+2*x22*dx22+1; 4*dx11*dx22-dx12^2');
for (const g of groebnerBasis(X, ideal)) line(`   ${operatorToText(X, g)}`);

line('\n5. Over R = Q(x)⟨∂⟩: rank, standard monomials, the Pfaffian system for the basis [1, dx12]');
const I = RationalWeylIdeal.compute(X, ideal);
line(`   holonomic rank ${I.rank}`);
const sys = pfaffianSystem(I, parseOperators(X, '1, dx12'));
sys.variables.forEach((v, i) => {
  line(`   P_${v} =`);
  for (const row of sys.matrices[i]!) line(`      [ ${row.map((e) => sys.field.toString(e)).join(' ,  ')} ]`);
});
line(`   integrable (exact check ∂j Pi − ∂i Pj + Pi Pj − Pj Pi = 0): ${isIntegrable(sys)}`);

line('\n6. A numeric check: P_x12 against the closed form f = (π − arccos(x12/√(x11x22))) / (2√(x11x22 − x12²))');
const f = (a: number, c: number, b: number) => (Math.PI - Math.acos(c / Math.sqrt(a * b))) / (2 * Math.sqrt(a * b - c * c));
const [a, c, b] = [-1.3, 0.4, -0.8];
const h = 1e-5;
const F = [f(a, c, b), (f(a, c + h, b) - f(a, c - h, b)) / (2 * h)];
const dF = [(f(a, c + h, b) - f(a, c - h, b)) / (2 * h), (f(a, c + h, b) - 2 * f(a, c, b) + f(a, c - h, b)) / (h * h)];
const P = sys.matrices[1]!.map((row) => row.map((e) => sys.field.evaluateNumber(e, [a, c, b])));
const pred = P.map((row) => row[0]! * F[0]! + row[1]! * F[1]!);
line(`   dF/dx12 by finite differences: [${dF.map((v) => v.toFixed(6)).join(', ')}]`);
line(`   P_x12 · F                    : [${pred.map((v) => v.toFixed(6)).join(', ')}]`);
void Rational;
line(`\nDone in ${((performance.now() - t0) / 1000).toFixed(2)} s.`);
