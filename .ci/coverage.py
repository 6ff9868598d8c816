#!/usr/bin/env python3
"""Line and branch coverage of kernel/ from coverlet's cobertura files.

usage: coverage.py LABEL REPORT.md DIR...   (every coverage.cobertura.xml under the DIRs)
Writes a per-C-file table (each kernel/*.cs ports one C file) to REPORT.md and prints one
total line: 'coverage LABEL: lines L/T (P%), branches B/BT (Q%)'.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET


def main():
    label, report, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    lines = {}      # file -> {line: hits}
    branches = {}   # file -> {line: (covered, total)}
    for d in dirs:
        for path in glob.glob(os.path.join(d, "**", "coverage.cobertura.xml"), recursive=True):
            root = ET.parse(path).getroot()
            sources = [s.text or "" for s in root.iter("source")]
            for cls in root.iter("class"):
                name = cls.get("filename", "")
                full = name if os.path.isabs(name) or not sources else os.path.join(sources[0], name)
                norm = full.replace("\\", "/")
                at = norm.rfind("/kernel/")
                if at < 0:
                    continue
                key = norm[at + 1:]
                fl = lines.setdefault(key, {})
                fb = branches.setdefault(key, {})
                for ln in cls.iter("line"):
                    n = int(ln.get("number"))
                    fl[n] = max(fl.get(n, 0), int(ln.get("hits", "0")))
                    cc = ln.get("condition-coverage")
                    if ln.get("branch") == "True" and cc and "(" in cc:
                        cov, tot = cc[cc.index("(") + 1:cc.index(")")].split("/")
                        old = fb.get(n, (0, int(tot)))
                        fb[n] = (max(old[0], int(cov)), int(tot))
    rows = []
    tl = tc = tb = tbc = 0
    for key in sorted(lines):
        l_tot = len(lines[key])
        l_cov = sum(1 for h in lines[key].values() if h > 0)
        b_tot = sum(t for _, t in branches[key].values())
        b_cov = sum(c for c, _ in branches[key].values())
        tl += l_tot; tc += l_cov; tb += b_tot; tbc += b_cov
        rows.append((key, l_cov, l_tot, b_cov, b_tot))
    pct = lambda a, b: (100.0 * a / b) if b else 100.0
    with open(report, "w") as f:
        f.write(f"# kernel/ coverage: {label}\n\n| file | lines | % | branches | % |\n|---|---|---|---|---|\n")
        for key, lc, lt, bc, bt in rows:
            f.write(f"| {key} | {lc}/{lt} | {pct(lc, lt):.1f} | {bc}/{bt} | {pct(bc, bt):.1f} |\n")
        f.write(f"| total | {tc}/{tl} | {pct(tc, tl):.1f} | {tbc}/{tb} | {pct(tbc, tb):.1f} |\n")
    print(f"coverage {label}: lines {tc}/{tl} ({pct(tc, tl):.1f}%), branches {tbc}/{tb} ({pct(tbc, tb):.1f}%) - per file: {report}")


if __name__ == "__main__":
    main()
