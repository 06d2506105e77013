export { fixtureJson as testdata } from '../../../test/support/fixtures.ts';
