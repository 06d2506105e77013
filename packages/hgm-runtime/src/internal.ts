/**
 * @holonomic-ntk/hgm-runtime/internal: what the sibling packages of this monorepo (tests and benches) need beyond
 * the public API. No semver promise; for the sibling packages.
 */
export { boundaryExpectation, gaussianExpectation2d } from './boundaryQuadrature.ts';
