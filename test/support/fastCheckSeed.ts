import fc from 'fast-check';

// Property tests draw from one seed so that a CI run is reproducible: a run that fails fails again with the same
// counterexample, and a commit cannot land or fail by chance. To explore new random cases, run
// `HGM_FC_SEED=random npm test` (fast-check then draws a seed per property and prints it on failure), or pin the
// printed seed with `HGM_FC_SEED=<n>`.
const requested = process.env['HGM_FC_SEED'] ?? '20261203';
if (requested !== 'random') {
  const seed = Number(requested);
  if (!Number.isSafeInteger(seed)) throw new Error(`HGM_FC_SEED must be an integer or "random", got "${requested}"`);
  fc.configureGlobal({ seed });
}
