#!/usr/bin/env python3
"""zonemap's validation of polygons whose holes touch, against GEOS's.

    pip install shapely   # checked: shapely 2.2 (GEOS 3.14)
    cargo build --release
    python3 scripts/holes-vs-geos.py SEED [ZONEMAP]

Makes 3,000 random polygons (SEED picks them): a square shell on a grid of eighths of a degree
(exact in binary, so that points on edges are exactly on them) with one to four triangular or
quadrilateral holes whose corners are grid points, so that holes touch the shell and each other
at points, along edges and in chains. Only polygons GEOS calls valid or "Interior is
disconnected" are kept. `zonemap check` reads them all from one GeoJSON file; a polygon
agrees when both call it valid, or both say its interior is cut in pieces. Prints the
disagreements (the first five in full) and a count of each kind:
(GEOS disconnected, zonemap "hole cuts the polygon in pieces", zonemap another fault).
"""
import json
import random
import re
import subprocess
import sys
import tempfile

from shapely.geometry import Polygon
from shapely.validation import explain_validity

random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
zonemap = sys.argv[2] if len(sys.argv) > 2 else "target/release/zonemap"
N = 6


def point(x, y):
    return (120 + x / 8, 31 + y / 8)


features, verdicts = [], []
while len(features) < 3000:
    shell = [point(0, 0), point(N, 0), point(N, N), point(0, N), point(0, 0)]
    holes = []
    for _ in range(random.randint(1, 4)):
        corners = [(random.randint(0, N), random.randint(0, N)) for _ in range(random.choice([3, 4]))]
        holes.append([point(*c) for c in corners] + [point(*corners[0])])
    why = explain_validity(Polygon(shell, holes))
    if not (why == "Valid Geometry" or why.startswith("Interior is disconnected")):
        continue
    if any(Polygon(h).area == 0 or not Polygon(h).is_valid for h in holes):
        continue
    features.append({"type": "Feature", "properties": {"name": f"p{len(features)}"},
                     "geometry": {"type": "Polygon", "coordinates": [shell] + holes}})
    verdicts.append(why)

with tempfile.NamedTemporaryFile("w", suffix=".geojson", delete=False) as f:
    json.dump({"type": "FeatureCollection", "features": features}, f)
out = subprocess.run([zonemap, "check", f.name], capture_output=True, text=True, check=True).stdout
found = {}
for line in out.splitlines():
    m = re.search(r"feature (\d+) .*invalid geometry: (.*?); repaired", line)
    if m:
        found[int(m.group(1))] = m.group(2)
kinds, shown = {}, 0
for i, why in enumerate(verdicts):
    geos = why.startswith("Interior is disconnected")
    cut = "hole cuts the polygon in pieces" in found.get(i, "")
    other = i in found and not cut
    kinds[(geos, cut, other)] = kinds.get((geos, cut, other), 0) + 1
    if geos != (cut or other) and shown < 5:
        shown += 1
        print("DISAGREE", i, why, "|", found.get(i), features[i]["geometry"]["coordinates"][1:])
print("(GEOS disconnected, zonemap cut, zonemap other fault): count", kinds)
