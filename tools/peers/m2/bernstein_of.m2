-- Bernstein–Sato polynomial b_f(s) (globalBFunction) and Ann_{D[s]} f^s (AnnFs) of one polynomial, timed inside
-- Macaulay2. f and its variables from the environment: HGM_F (required), HGM_VARS (comma-separated, default x,y).
--   HGM_F='x^2+y^3' HGM_VARS='x,y' M2 --script tools/peers/m2/bernstein_of.m2
-- Used by packages/cli/bench/bernsteinList.mjs and to record the expected answers in
-- packages/restriction/test/fixtures/bernstein.json.
needsPackage "Dmodules";
sF = getenv "HGM_F"; sV = getenv "HGM_VARS";
if sF == "" then error "set HGM_F";
if sV == "" then sV = "x,y";
R = value("QQ[" | sV | "]");
f = value sF;
-- AnnFs first: a slow globalBFunction must not hide it behind the time limit.
t = elapsedTiming (A = AnnFs f);
print("ANNFS " | toString A_*);
print("STEP AnnFs s " | toString first t);
t = elapsedTiming (b = globalBFunction f);
print("B " | toString factor b);
print("STEP globalBFunction s " | toString first t);
