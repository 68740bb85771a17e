#!/usr/bin/env python3
"""Make a synthetic township layer from the county layer, for benchmarks at township scale.

    $PEERS/venv/bin/python scripts/make-townships.py [COUNTIES] [--per-county N] [--seed S] [--out PATH]

(the venv scripts/peers-setup.sh makes, default PEERS=/work/peers: it has shapely and numpy)

China has about 41,000 townships (乡镇街道) but no free layer of them, so `zonemap report` cities × towns
is benchmarked on this stand-in: each county of COUNTIES (default bench-data/china-counties.geojson,
from scripts/fetch-china.py) is cut into about N cells (default 14: about 40,000 in all) by the
Voronoi diagram of random points inside it, clipped to the county. Neighbouring cells of a county
share their edges and the cells along its outline follow it, so a county's cells cover it exactly.
A fractional N gives floor(N) or ceil(N) cells a county, in turn, so that the total is about N × the
number of counties. The same input, N and seed always give the same file.

The cells are synthetic, not real boundaries. Nothing here is committed: bench-data/ is in .gitignore.
The output is a GeoJSON FeatureCollection in lon/lat with coordinates at full precision, carrying the
input's `datum` member (GCJ-02 for the Amap outlines) so that zonemap reads it as it reads the counties.
Properties: id (county adcode + "-" + two-digit index), name (county name + 第N片), county, province, city.
"""
import argparse, json, math, os, time

import numpy as np
import shapely
from shapely.geometry import mapping, shape

POLYGONAL = ("Polygon", "MultiPolygon")


def cell_counts(n, total):
    """How many cells each of `total` counties gets: floor(n) or ceil(n), summing to floor(n × total)."""
    return [max(1, math.floor((i + 1) * n) - math.floor(i * n)) for i in range(total)]


def seed_points(county, k, rng, batch=256, tries=1000):
    """Up to k points drawn uniformly inside `county` (rejection sampling in its bounding box)."""
    x0, y0, x1, y1 = county.bounds
    shapely.prepare(county)
    found = []
    for _ in range(tries):
        xy = rng.uniform((x0, y0), (x1, y1), size=(batch, 2))
        found.extend(xy[shapely.contains_xy(county, xy[:, 0], xy[:, 1])])
        if len(found) >= k:
            break
    return np.array(found[:k]).reshape(-1, 2)


def polygonal(geom):
    """The polygonal parts of geom as one Polygon or MultiPolygon (empty if there are none)."""
    if geom.geom_type in POLYGONAL:
        return geom
    polys = [p for p in shapely.get_parts(geom) if p.geom_type in POLYGONAL]
    parts = [q for p in polys for q in shapely.get_parts(p)]
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def cells(county, k, rng):
    """The county cut into at most k Voronoi cells, each clipped to it; and how many needed make_valid."""
    points = seed_points(county, k, rng)
    if len(points) < 2:
        return [county], 0
    x0, y0, x1, y1 = county.bounds
    margin = max(x1 - x0, y1 - y0)
    frame = shapely.box(x0 - margin, y0 - margin, x1 + margin, y1 + margin)
    diagram = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=frame, ordered=True)
    out, fixed = [], 0
    for piece in shapely.intersection(shapely.get_parts(diagram), county):
        piece = polygonal(piece)
        if not shapely.is_valid(piece):
            piece, fixed = polygonal(shapely.make_valid(piece)), fixed + 1
        if not piece.is_empty:
            out.append(piece)
    return out, fixed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("counties", nargs="?", default="bench-data/china-counties.geojson")
    ap.add_argument("--per-county", type=float, default=14, help="cells a county (default 14)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", default="bench-data/china-townships.geojson")
    a = ap.parse_args()
    start = time.perf_counter()
    with open(a.counties, encoding="utf-8") as f:
        fc = json.load(f)
    head = {"type": "FeatureCollection", **({"datum": fc["datum"]} if "datum" in fc else {})}
    written = fixed_total = 0
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"features":[\n')
        for feature, k in zip(fc["features"], cell_counts(a.per_county, len(fc["features"]))):
            p = feature["properties"]
            rng = np.random.default_rng([a.seed, int(p["adcode"])])
            pieces, fixed = cells(shape(feature["geometry"]), k, rng)
            fixed_total += fixed
            for j, piece in enumerate(pieces, 1):
                props = {"id": f"{p['adcode']}-{j:02d}", "name": f"{p['name']}第{j}片",
                         "county": p["name"], "province": p["province"], "city": p["city"]}
                f.write(("," if written else "") + json.dumps(
                    {"type": "Feature", "properties": props, "geometry": mapping(piece)},
                    ensure_ascii=False, separators=(",", ":")) + "\n")
                written += 1
        f.write("]}\n")
    print(f"{a.out}: {written} cells from {len(fc['features'])} counties, "
          f"{os.path.getsize(a.out) / 1e6:.1f} MB, {time.perf_counter() - start:.1f} s, "
          f"{fixed_total} made valid")


if __name__ == "__main__":
    main()
