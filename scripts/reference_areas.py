#!/usr/bin/env python3
"""Independent reference figures for zonemap's tests (tests/areas.rs, tests/coverage.rs).

    pip install geographiclib shapely
    python3 scripts/reference_areas.py

Areas are GeographicLib's (Karney 2013) geodesic polygon areas on WGS-84, edges as geodesics,
holes subtracted. For overlaps, both outlines are first densified along their geodesic edges
every 50 m with GeographicLib (so that crossing points found in lon/lat lie on the true edges),
intersected with shapely (GEOS), then measured with GeographicLib. Nothing here shares code
with zonemap.
"""
import json
from geographiclib.geodesic import Geodesic
from shapely.geometry import shape, mapping

G = Geodesic.WGS84


def ring_area(ring):
    p = G.Polygon()
    for lon, lat, *_ in ring[:-1]:
        p.AddPoint(lat, lon)
    return abs(p.Compute(False, True)[2])


def area_m2(geom):
    geom = mapping(geom) if not isinstance(geom, dict) else geom
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"] if geom["type"] == "MultiPolygon" else []
    if geom["type"] == "GeometryCollection":
        return sum(area_m2(g) for g in geom["geometries"])
    return sum(ring_area(p[0]) - sum(ring_area(h) for h in p[1:]) for p in polys)


def densify(geom, step=50.0):
    def ring(r):
        out = []
        for (x0, y0, *_), (x1, y1, *_) in zip(r, r[1:]):
            out.append((x0, y0))
            line = G.InverseLine(y0, x0, y1, x1)
            n = int(line.s13 // step) + 1
            for i in range(1, n):
                pos = line.Position(line.s13 * i / n)
                out.append((pos["lon2"], pos["lat2"]))
        out.append(tuple(r[-1][:2]))
        return out
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    return shape({"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in polys]})


towns = json.load(open("data/suzhou-gaoxin/towns.geojson"))["features"]
zones = json.load(open("data/suzhou-gaoxin/zones.geojson"))["features"]
print("// towns: (code, name, area m²)")
for f in towns:
    print(f'("{f["properties"]["code"]}", "{f["properties"]["name"]}", {area_m2(f["geometry"]):.3f}),')
print("// zones: (name, area m²)")
for f in zones:
    print(f'("{f["properties"]["name"]}", {area_m2(f["geometry"]):.3f}),')
print("// overlaps of 太湖科学城 with towns: (town, m²)")
city = densify(next(f for f in zones if f["properties"]["name"] == "太湖科学城")["geometry"])
for f in towns:
    inter = city.intersection(densify(f["geometry"]))
    if not inter.is_empty and inter.area > 0:
        print(f'("{f["properties"]["name"]}", {area_m2(inter):.3f}),')

# The made-up scenario of tests/coverage.rs: lon/lat rectangles whose edges are geodesics.
def rect(x0, y0, x1, y1):
    return {"type": "Polygon", "coordinates": [[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]]}

units = {"A": rect(120.0, 31.0, 120.1, 31.1), "B": rect(120.1, 31.0, 120.2, 31.1),
         "C": rect(120.3, 31.0, 120.4, 31.1), "D": rect(120.0, 31.2, 120.1, 31.3),
         "F": rect(120.5, 31.0, 120.6, 31.1)}
zones = {"Z1": rect(120.0, 31.0, 120.15, 31.1), "Z2": rect(120.15, 31.0, 120.2, 31.1),
         "Z3": rect(120.0, 31.2, 120.1, 31.3), "Z4": rect(120.05, 31.2, 120.1, 31.3),
         "Z5": rect(120.3, 31.0, 120.35, 31.1)}
dz = {k: densify(v) for k, v in zones.items()}
print("// scenario: zone × unit overlaps (m²), then covered area per unit, then Z3 ∩ Z4")
for z, zg in dz.items():
    for u, ug in units.items():
        inter = zg.intersection(densify(ug))
        if inter.area > 1e-12:
            print(f'("{z}", "{u}", {area_m2(inter):.3f}),')
from shapely.ops import unary_union
for u, ug in units.items():
    cover = unary_union(list(dz.values())).intersection(densify(ug))
    print(f'("{u}", {area_m2(cover) if not cover.is_empty else 0.0:.3f}),')
print(f'Z3∩Z4 {area_m2(dz["Z3"].intersection(dz["Z4"])):.3f}')
