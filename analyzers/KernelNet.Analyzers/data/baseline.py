#!/usr/bin/env python3
"""Adds the KN0011 and KN0012 errors of a build log (stdin) to the baselines.

Usage: dotnet build kernel/KernelNet.Kernel.csproj 2>&1 | python3 baseline.py
KN0011 "F (path) leaves out C, which the 6.18 body calls" becomes the row
path, F, C of callees-baseline.tsv; KN0012 "M takes the sk_buff 'p' without
saying who owns it" in kernel/x.cs becomes kernel/x.cs, M, p of
skb-ownership-baseline.tsv. Existing rows are kept; the files stay sorted.
"""
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
files = {
    "KN0011": (os.path.join(here, "callees-baseline.tsv"), "# path\tfunction\tcallee: omissions KN0011 tolerates (docs/analyzers/KN0011.md)\n",
               re.compile(r"error KN0011: (\w+) \(([^)]+)\) leaves out (\w+), which the 6\.18 body calls"), lambda m: (m.group(2), m.group(1), m.group(3))),
    "KN0012": (os.path.join(here, "skb-ownership-baseline.tsv"), "# file\tmethod\tparameter: methods taking an skb without [Consumes]/[Borrows] that KN0012 tolerates (docs/analyzers/KN0012.md)\n",
               re.compile(r"(kernel/[^(]+\.cs)\(\d+,\d+\): error KN0012: (\w+) takes the sk_buff '(@?\w+)' without saying who owns it"), lambda m: (m.group(1), m.group(2), m.group(3).lstrip("@"))),
}
rows = {k: set() for k in files}
for k, (out, _, _, _) in files.items():
    if os.path.exists(out):
        rows[k] = {tuple(l.rstrip("\n").split("\t")) for l in open(out) if l.strip() and not l.startswith("#")}
for line in sys.stdin:
    for k, (_, _, pattern, row) in files.items():
        m = pattern.search(line)
        if m:
            rows[k].add(row(m))
for k, (out, header, _, _) in files.items():
    with open(out, "w") as fh:
        fh.write(header)
        for r in sorted(rows[k]):
            fh.write("\t".join(r) + "\n")
    print(len(rows[k]), "rows in", out)
