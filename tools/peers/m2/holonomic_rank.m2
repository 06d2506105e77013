-- Issue 16's holonomic-rank benchmark, the Macaulay2 side (packages/groebner/bench/holonomicRank.ts runs it):
-- holonomicRank of two GKZ systems, the first call and the median of HGM_N calls (default 7), seconds.
needsPackage "Dmodules";
n = value (if getenv "HGM_N" == "" then "7" else getenv "HGM_N");
med = L -> (S := sort L; S#(floor(#S / 2)));
for A in {matrix{{1,1,1,1},{0,1,3,4}}, matrix{{1,1,1},{0,1,2}}} do (
  J := gkz(A, {1/2, 1/3});
  ts := for i from 1 to n list first elapsedTiming holonomicRank J;
  print("M2 " | toString A | ": rank " | toString holonomicRank J | "; first " | toString (ts#0) | " s; median " | toString med ts | " s")
);
