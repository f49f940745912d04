#!/usr/bin/env python3
"""Evaluate an admixture fit (Q, P) on a PLINK 1 fileset by the ADMIXTURE definition, and optionally its Q error.

    loglik = sum over non-missing (sample i, variant j) of  g log h + (2 - g) log(1 - h),  h = sum_k Q[i,k] P[j,k]

g is the count of .bim allele 1 (column 5; .bed code 00 = two copies), and P[j,k] the frequency of that allele,
which is what genomap and fastmixture both write. h is clamped to [1e-15, 1 - 1e-15] only to keep log finite.

Usage: admix_loglik.py --bfile PREFIX --q FILE --p FILE [--truth-q FILE]
Prints "loglik <value>" and, with --truth-q, "q_rmse <value>" (after the best column permutation) and
"permutation <columns of the fit matched to truth columns 1..K>".
Q/P files: whitespace tables of numbers; leading non-numeric columns (FID IID) are skipped.
Needs numpy only (Debian python3-numpy).
"""
import argparse
import itertools
import sys

import numpy as np


def read_matrix(path):
    rows = []
    with open(path) as f:
        for line in f:
            fields = line.split()
            if not fields or fields[0].startswith("#"):
                continue
            vals = []
            for x in fields:
                try:
                    vals.append(float(x))
                except ValueError:
                    if vals:
                        raise SystemExit(f"{path}: non-numeric field '{x}'")
            if vals:
                rows.append(vals)
    if not rows:
        raise SystemExit(f"{path}: no numeric rows")
    widths = {len(r) for r in rows}
    if len(widths) != 1:
        raise SystemExit(f"{path}: rows of different widths {sorted(widths)}")
    return np.array(rows, dtype=np.float64)


def count_lines(path):
    with open(path) as f:
        return sum(1 for line in f if line.strip())


def loglik(prefix, q, p, chunk=4096):
    n = count_lines(prefix + ".fam")
    m = count_lines(prefix + ".bim")
    if q.shape[0] != n:
        raise SystemExit(f"Q has {q.shape[0]} rows but {prefix}.fam has {n} samples")
    if p.shape[0] != m:
        raise SystemExit(f"P has {p.shape[0]} rows but {prefix}.bim has {m} variants")
    if q.shape[1] != p.shape[1]:
        raise SystemExit(f"Q has {q.shape[1]} columns but P has {p.shape[1]}")
    row_bytes = (n + 3) // 4
    raw = np.fromfile(prefix + ".bed", dtype=np.uint8)
    if raw.size < 3 or raw[0] != 0x6C or raw[1] != 0x1B or raw[2] != 0x01:
        raise SystemExit(f"{prefix}.bed: not a variant-major PLINK 1 .bed")
    if raw.size != 3 + row_bytes * m:
        raise SystemExit(f"{prefix}.bed: size does not match .fam/.bim")
    bed = raw[3:].reshape(m, row_bytes)
    # .bed 2-bit codes -> allele-1 count; -1 = missing
    recode = np.array([2, -1, 1, 0], dtype=np.int8)
    shifts = np.array([0, 2, 4, 6], dtype=np.uint8)
    total = 0.0
    for a in range(0, m, chunk):
        b = min(m, a + chunk)
        codes = (bed[a:b, :, None] >> shifts) & 3  # (rows, bytes, 4)
        g = recode[codes.reshape(b - a, row_bytes * 4)[:, :n]].astype(np.float64)
        h = np.clip(p[a:b] @ q.T, 1e-15, 1.0 - 1e-15)  # (rows, n)
        ok = g >= 0
        total += float(np.sum(np.where(ok, g * np.log(h) + (2.0 - g) * np.log1p(-h), 0.0)))
    return total


def best_rmse(q, truth):
    if q.shape != truth.shape:
        raise SystemExit(f"Q is {q.shape} but truth Q is {truth.shape}")
    k = q.shape[1]
    best = None
    for perm in itertools.permutations(range(k)):
        r = float(np.sqrt(np.mean((q[:, perm] - truth) ** 2)))
        if best is None or r < best[0]:
            best = (r, perm)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bfile", required=True)
    ap.add_argument("--q", required=True)
    ap.add_argument("--p", required=True)
    ap.add_argument("--truth-q")
    a = ap.parse_args()
    q = read_matrix(a.q)
    p = read_matrix(a.p)
    print(f"loglik {loglik(a.bfile, q, p):.6f}")
    if a.truth_q:
        r, perm = best_rmse(q, read_matrix(a.truth_q))
        print(f"q_rmse {r:.6f}")
        print("permutation " + ",".join(str(c + 1) for c in perm))


if __name__ == "__main__":
    sys.exit(main())
