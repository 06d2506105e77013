/**
 * @holonomic-ntk/restriction/internal: what the sibling packages of this monorepo need beyond the public API.
 * No semver promise; for the sibling packages (the `hgm` command), not for users.
 */
export { formulaKinks } from './annihilators/activationAnnihilator.ts';
