#!/bin/bash
# Runs every peer computation once, writes the outputs to out/, then the cross-checks.
# Usage (from anywhere):  bash tools/peers/run_all.sh
set -e
cd "$(dirname "$0")"
mkdir -p out
filter() { grep -v "redefining" || true; }
echo "== Singular ReLU (a)+(b)";   Singular -q singular/relu.sing 2>&1 | filter > out/singular_relu.txt;  tail -5 out/singular_relu.txt
echo "== Singular step";          Singular -q singular/step.sing 2>&1 | filter > out/singular_step.txt;  grep -i "rank" out/singular_step.txt
echo "== Singular ReSin (d)";     Singular -q singular/resin.sing 2>&1 | filter > out/singular_resin.txt; grep -E "RANK|TIME" out/singular_resin.txt
echo "== Singular ReSin' (extra)"; Singular -q singular/resin_dsigma.sing 2>&1 | filter > out/singular_resin_dsigma.txt; grep -E "RANK|TIME" out/singular_resin_dsigma.txt
echo "== Singular ReSin via integration (extra)"; Singular -q singular/resin_integration.sing 2>&1 | filter > out/singular_resin_integration.txt; grep -E "RANK|TIME" out/singular_resin_integration.txt
echo "== M2 ReLU (a)+(b)";        M2 --script m2/relu.m2 > out/m2_relu.txt 2>&1;   grep -E "expected|integrab|rank|TIME" out/m2_relu.txt
echo "== M2 ReSin (d)";           M2 --script m2/resin.m2 > out/m2_resin.txt 2>&1; grep -E "RANK|TIME|b-function" out/m2_resin.txt
echo "== cross-checks";           M2 --script m2/compare_with_singular.m2 | tee out/compare.txt
python3 check_annihilators.py | tee out/check_annihilators.txt
