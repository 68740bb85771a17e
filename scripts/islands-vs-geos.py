#!/usr/bin/env python3
"""zonemap's validation of MultiPolygons with islands in holes, against GEOS's.

    pip install shapely   # checked: shapely 2.2 (GEOS 3.14)
    cargo build --release
    python3 scripts/islands-vs-geos.py SEED [ZONEMAP]

Makes 3,000 random MultiPolygons (SEED picks them) on a grid of eighths of a degree (exact in
binary): a square part with one or two triangular or quadrilateral holes, and one or two more
parts, four in five with their corners among the grid points in or on the first hole (islands
in a lake, often with corners on its shore), the rest anywhere. `zonemap check` reads them from
one GeoJSON file. Prints how many polygons fall in each of (GEOS valid, zonemap valid), and the
first few where zonemap calls invalid what GEOS calls valid.
"""
import json
import random
import re
import subprocess
import sys
import tempfile

from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.validation import explain_validity

random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
zonemap = sys.argv[2] if len(sys.argv) > 2 else "target/release/zonemap"
N = 6


def point(x, y):
    return (120 + x / 8, 31 + y / 8)


def ring(corners):
    return [point(*c) for c in corners] + [point(*corners[0])]


def random_ring(choices):
    return ring([random.choice(choices) for _ in range(random.choice([3, 4]))])


grid = [(x, y) for x in range(N + 1) for y in range(N + 1)]
features, verdicts = [], []
while len(features) < 3000:
    shell = ring([(0, 0), (N, 0), (N, N), (0, N)])
    holes = [random_ring(grid) for _ in range(random.randint(1, 2))]
    lake = Polygon(holes[0])
    shore = [c for c in grid if lake.covers(Point(point(*c)))]
    if len(shore) < 3:
        continue
    islands = [random_ring(shore if random.random() < 0.8 else grid)
               for _ in range(random.randint(1, 2))]
    if any(Polygon(r).area == 0 or not Polygon(r).is_valid for r in holes + islands):
        continue
    shape = MultiPolygon([Polygon(shell, holes)] + [Polygon(i) for i in islands])
    features.append({"type": "Feature", "properties": {"name": f"m{len(features)}"},
                     "geometry": {"type": "MultiPolygon",
                                  "coordinates": [[shell] + holes] + [[i] for i in islands]}})
    verdicts.append(explain_validity(shape))

with tempfile.NamedTemporaryFile("w", suffix=".geojson", delete=False) as f:
    json.dump({"type": "FeatureCollection", "features": features}, f)
out = subprocess.run([zonemap, "check", f.name], capture_output=True, text=True, check=True).stdout
invalid = {int(m.group(1)): m.group(2) for m in
           re.finditer(r"feature (\d+) .*invalid geometry: (.*?); (?:repaired|its rings)", out)}
kinds, shown = {}, 0
for i, why in enumerate(verdicts):
    key = (why == "Valid Geometry", i not in invalid)
    kinds[key] = kinds.get(key, 0) + 1
    if key == (True, False) and shown < 5:
        shown += 1
        print("GEOS valid, zonemap:", invalid[i], features[i]["geometry"]["coordinates"])
print("(GEOS valid, zonemap valid): count", kinds)
