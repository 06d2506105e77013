"""SciPy peer of regressionSolvers.ts: the same kernel regression on the same matrices (read from raw float64 files).

usage: python3 regressionSolvers.py DIR N NTEST REG ETA TIMES [REPS]
  DIR/k.f64 (N×N), DIR/ks.f64 (NTEST×N), DIR/y.f64 (N): kernel, test kernel, targets; f0 = 0.
Writes DIR/scipy_inf.f64 (t = ∞ test predictions) and DIR/scipy_t.f64 (per time: N train then NTEST test), and
prints one JSON line of timings. Run it with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (the machine notes).
"""
import json
import sys
import time

import numpy as np
import scipy
import scipy.linalg as sl

d, n, nt, reg, eta = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
times = [float(t) for t in sys.argv[6].split(',')] if len(sys.argv) > 6 and sys.argv[6] else []
k = np.fromfile(f'{d}/k.f64').reshape(n, n)
ks = np.fromfile(f'{d}/ks.f64').reshape(nt, n)
y = np.fromfile(f'{d}/y.f64')
k[np.diag_indices(n)] += reg
out = {'numpy': np.__version__, 'scipy': scipy.__version__}

reps = int(sys.argv[7]) if len(sys.argv) > 7 else 1
fac, sol, cpu = [], [], []
for _ in range(reps):
    a = k.copy()
    c0 = time.process_time()
    t0 = time.perf_counter()
    c = sl.cho_factor(a, lower=True, overwrite_a=True, check_finite=False)
    t1 = time.perf_counter()
    alpha = sl.cho_solve(c, y, check_finite=False)
    test_inf = ks @ alpha
    t2 = time.perf_counter()
    cpu.append(time.process_time() - c0)
    fac.append(t1 - t0)
    sol.append(t2 - t1)
out['cho_factor'] = float(np.median(fac))
out['cho_solve+Ks'] = float(np.median(sol))
out['cho_cpu'] = float(np.median(cpu))  # CPU seconds of the process (all threads), factor + solve + Ks
test_inf.tofile(f'{d}/scipy_inf.f64')
del a, c

if times:
    t0 = time.perf_counter()
    w, v = sl.eigh(k, check_finite=False)
    t1 = time.perf_counter()
    w = np.maximum(w, 0)
    r_hat = v.T @ (-y)
    res = []
    for t in times:
        s = eta * t / n
        em1 = np.expm1(-w * s)
        inv = np.where(w > 0, em1 / np.where(w > 0, w, 1), 0)
        res.append(v @ (em1 * r_hat))
        res.append(ks @ (v @ (inv * r_hat)))
    t2 = time.perf_counter()
    out['eigh'] = t1 - t0
    out['eigh_times'] = t2 - t1
    np.concatenate(res).tofile(f'{d}/scipy_t.f64')
print(json.dumps(out))
