#!/usr/bin/env python3
"""Where the tooltip's bars start: for each band of pixel rows holding a solid run (>= MIN_RUN px)
of one of the given colours, the x of the run's first pixel. One grid means one x for every bar.
Usage: bar-columns.py TOOLTIP.png TOP_Y '#rrggbb' ['#rrggbb' ...]   (TOP_Y: first row below the bar)
Prints `bar_rows: N` and `bar_starts: X [X ...]` (distinct x values, sorted)."""
import os, sys
sys.path.insert(0, os.environ.get("HARNESS", os.path.join(os.path.dirname(__file__), "../../../shared/harness")))
from pngtool import read_png  # noqa: E402

MIN_RUN, TOL = 12, 30
path, top, colours = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
want = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in colours]
near = lambda p: any(all(abs(p[i] - q[i]) <= TOL for i in range(3)) for q in want)
w, h, px = read_png(path)
starts, bands, prev = [], 0, False
for y in range(top, h):
    row, run, first = px[y], 0, None
    for x in range(w):
        run = run + 1 if near(row[x]) else 0
        if run == MIN_RUN:
            first = x - MIN_RUN + 1
            break
    if first is not None and not prev:
        bands += 1
        starts.append(first)
    prev = first is not None
print(f"bar_rows: {bands}")
print("bar_starts: " + " ".join(str(x) for x in sorted(set(starts))))
