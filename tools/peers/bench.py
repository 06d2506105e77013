#!/usr/bin/env python3
"""Wall-clock timings of the peer scripts (several runs each).
Run from tools/peers:   python3 bench.py [runs]      (default 5 runs; ReSin scripts 3 runs)
Prints, per script: whole-process wall clock (min / median / max over the runs, including
interpreter start-up and library loading) and the median of every internal 'TIME ...' step
reported by the script itself (Singular: rtimer, ms; M2: elapsedTiming, s)."""
import re, statistics, subprocess, sys, time

runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
SCRIPTS = [
    ("Singular ReLU (a)+(b)", ["Singular", "-q", "singular/relu.sing"], runs),
    ("Singular step", ["Singular", "-q", "singular/step.sing"], runs),
    ("M2 ReLU (a)+(b)", ["M2", "--script", "m2/relu.m2"], runs),
    ("Singular ReSin (d)", ["Singular", "-q", "singular/resin.sing"], max(1, min(runs, 3))),
    ("M2 ReSin (d)", ["M2", "--script", "m2/resin.m2"], max(1, min(runs, 3))),
    ("Singular ReSin integration", ["Singular", "-q", "singular/resin_integration.sing"], max(1, min(runs, 3))),
    ("Singular ReSin' (Y cos)", ["Singular", "-q", "singular/resin_dsigma.sing"], max(1, min(runs, 3))),
]
lines = []
for name, cmd, n in SCRIPTS:
    walls, steps = [], {}
    for _ in range(n):
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True).stdout
        walls.append(time.perf_counter() - t0)
        for m in re.finditer(r"TIME ([^:]+?) (ms|s):\s*([0-9.eE+-]+)", out):
            val = float(m.group(3)) / (1000.0 if m.group(2) == "ms" else 1.0)
            steps.setdefault(m.group(1).strip(), []).append(val)
    lines.append("%-24s runs=%d  wall min/median/max = %.2f / %.2f / %.2f s" % (
        name, n, min(walls), statistics.median(walls), max(walls)))
    for k, v in steps.items():
        lines.append("    %-40s median %.3f s  (min %.3f, max %.3f)" % (k, statistics.median(v), min(v), max(v)))
    print("\n".join(lines[-(1 + len(steps)):]), flush=True)
open("out/timings.txt", "w").write("\n".join(lines) + "\n")
