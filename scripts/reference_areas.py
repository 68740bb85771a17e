#!/usr/bin/env python3
"""Independent reference figures for zonemap's tests.

    pip install geographiclib shapely prcoords  # checked: geographiclib 2.1, shapely 2.2, prcoords 1.0
    python3 scripts/reference_areas.py

Conventions (README "What the figures mean"):
- Areas are GeographicLib's (Karney 2013) geodesic polygon areas on WGS-84: each edge the
  geodesic between its two vertices, holes subtracted. Nothing here shares code with zonemap.
- Topology is decided on the outlines as drawn: GEOS (shapely) overlays the lon/lat
  coordinates as they are (straight lines between vertices), and each resulting piece is
  measured with GeographicLib. So an intersection's vertices are the inputs' vertices plus the
  points where the straight lines cross.

- Bundled files in GCJ-02 (their `datum` member says so) are first moved to WGS-84, as zonemap
  does on load, with prcoords' iterative inverse of the public GCJ-02 formula (`gcj_wgs_bored`,
  iterated here to 1e-12°, about 0.1 mm); zonemap's own inverse shares no code with it.

Each printed line names the figure a test uses; the tests say which line they take.
"""
import json
import os
import sys

import prcoords

from geographiclib.geodesic import Geodesic
from shapely import snap
from shapely.geometry import Polygon, shape, mapping
from shapely.ops import unary_union
from shapely import make_valid
from shapely.validation import explain_validity

G = Geodesic.WGS84
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIELD = os.path.join(ROOT, "tests", "data", "field")


def ring_area(ring):
    p = G.Polygon()
    for lon, lat, *_ in ring[:-1]:
        p.AddPoint(lat, lon)
    return abs(p.Compute(False, True)[2])


def area_m2(geom):
    geom = mapping(geom) if not isinstance(geom, dict) else geom
    if geom["type"] == "GeometryCollection":
        return sum(area_m2(g) for g in geom["geometries"])
    if geom["type"] == "Polygon":
        polys = [geom["coordinates"]]
    elif geom["type"] == "MultiPolygon":
        polys = geom["coordinates"]
    else:
        return 0.0
    return sum(ring_area(p[0]) - sum(ring_area(h) for h in p[1:]) for p in polys)


# Iterate prcoords' inverse to 1e-12° rather than its default 1e-5°.
sys.modules[prcoords.gcj_wgs_bored.__module__].PRC_EPS = 1e-12


def gcj_to_wgs(coords):
    """Nested GeoJSON coordinates moved from GCJ-02 to WGS-84."""
    if isinstance(coords[0], (int, float)):
        wgs = prcoords.gcj_wgs_bored((coords[1], coords[0]))
        return [wgs.lon, wgs.lat]
    return [gcj_to_wgs(c) for c in coords]


def load(path):
    """A file's features, in WGS-84: GCJ-02 files converted as zonemap converts them."""
    fc = json.load(open(path))
    if fc.get("datum") == "GCJ-02":
        for f in fc["features"]:
            f["geometry"]["coordinates"] = gcj_to_wgs(f["geometry"]["coordinates"])
    return fc["features"]


def data(rel):
    return load(os.path.join(ROOT, "data", rel))


towns = data("suzhou-gaoxin/towns.geojson")
zones = data("suzhou-gaoxin/zones.geojson")
print("// towns: (code, name, area m²)")
for f in towns:
    print(f'("{f["properties"]["code"]}", "{f["properties"]["name"]}", {area_m2(f["geometry"]):.3f}),')
print("// zones: (name, area m²)")
for f in zones:
    print(f'("{f["properties"]["name"]}", {area_m2(f["geometry"]):.3f}),')


def perimeter_m(geom):
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    total = 0.0
    for poly in polys:
        for ring in poly:
            for (x0, y0, *_), (x1, y1, *_) in zip(ring[:-1], ring[1:]):
                total += G.Inverse(y0, x0, y1, x1)["s12"]
    return total


print("// zones: (name, perimeter m, every ring)")
for f in zones:
    print(f'("{f["properties"]["name"]}", {perimeter_m(f["geometry"]):.3f}),')
print("// overlaps of 太湖科学城 with towns: (town, m²)")
city = shape(next(f for f in zones if f["properties"]["name"] == "太湖科学城")["geometry"])
for f in towns:
    inter = city.intersection(shape(f["geometry"]))
    if not inter.is_empty and inter.area > 0:
        print(f'("{f["properties"]["name"]}", {area_m2(inter):.3f}),')


# The made-up scenario of tests/coverage.rs: lon/lat rectangles.
def rect(x0, y0, x1, y1):
    return Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)])


print("// rectangles (m²)")
print(f"DEG_01_AT_31 {area_m2(rect(120.0, 31.0, 120.1, 31.1)):.3f}")
print(f"DEG_01_AT_312 {area_m2(rect(120.0, 31.2, 120.1, 31.3)):.3f}")
print(f"HALF_AT_312 {area_m2(rect(120.05, 31.2, 120.1, 31.3)):.3f}")
print(f"Z1_AREA {area_m2(rect(120.0, 31.0, 120.15, 31.1)):.3f}")
units = {"A": rect(120.0, 31.0, 120.1, 31.1), "B": rect(120.1, 31.0, 120.2, 31.1),
         "C": rect(120.3, 31.0, 120.4, 31.1), "D": rect(120.0, 31.2, 120.1, 31.3),
         "F": rect(120.5, 31.0, 120.6, 31.1)}
szones = {"Z1": rect(120.0, 31.0, 120.15, 31.1), "Z2": rect(120.15, 31.0, 120.2, 31.1),
          "Z3": rect(120.0, 31.2, 120.1, 31.3), "Z4": rect(120.05, 31.2, 120.1, 31.3),
          "Z5": rect(120.3, 31.0, 120.35, 31.1)}
print("// scenario: zone × unit overlaps (m²), then covered area per unit, then Z3 ∩ Z4")
for z, zg in szones.items():
    for u, ug in units.items():
        inter = zg.intersection(ug)
        if inter.area > 1e-12:
            print(f'("{z}", "{u}", {area_m2(inter):.3f}),')
all_zones = unary_union(list(szones.values()))
for u, ug in units.items():
    cover = all_zones.intersection(ug)
    print(f'("{u}", {area_m2(cover) if not cover.is_empty else 0.0:.3f}),')
print(f'Z3∩Z4 {area_m2(szones["Z3"].intersection(szones["Z4"])):.3f}')
# tests/coverage.rs, neighbours_are_skipped_only_when_they_cannot_reach_the_unit.
u1 = rect(120.05, 31.05, 120.2, 31.15)
east = rect(120.19, 31.0, 120.4, 31.2)
print(f"u1∩east {area_m2(u1.intersection(east)):.3f}")

print("// unions (m²): shapely unary_union of the outlines as drawn")
named = {f["properties"]["name"]: shape(f["geometry"]) for f in towns}
print(f'狮山街道+枫桥街道 {area_m2(unary_union([named["狮山街道"], named["枫桥街道"]])):.3f}')
districts = data("jiangsu-south-districts.geojson")
by_code = {f["properties"]["adcode"]: f for f in districts}
print(f'姑苏区+虎丘区 {area_m2(unary_union([shape(by_code[c]["geometry"]) for c in ("320508", "320505")])):.3f}')
suzhou9 = ["320505", "320506", "320507", "320508", "320509", "320581", "320582", "320583", "320585"]
print(f'苏州9区 {area_m2(unary_union([shape(by_code[c]["geometry"]) for c in suzhou9])):.3f}')
print("// district and city areas (m²)")
total = 0.0
for f in districts:
    a = area_m2(f["geometry"])
    if f["properties"]["level"] == "district":
        total += a
    print(f'("{f["properties"]["adcode"]}", "{f["properties"]["name"]}", {a:.3f}),')
print(f"22 districts {total:.3f}")

print("// field cases (../shared/data/field)")
bow = shape(load(os.path.join(FIELD, "04-bowtie-zones.geojson"))[0]["geometry"])
print(f"04 validity: {explain_validity(bow)}")
lobes = make_valid(bow)
print(f"04 lobes {[round(area_m2(g), 3) for g in lobes.geoms]} total {area_m2(lobes):.3f}")
parts = shape(load(os.path.join(FIELD, "12-multipolygon-overlapping-parts-zones.geojson"))[0]["geometry"])
print(f"12 validity: {explain_validity(parts)}")
print(f"12 union {area_m2(unary_union(list(parts.geoms))):.3f}")
t1, t2 = [shape(f["geometry"]) for f in load(os.path.join(FIELD, "13-shared-edge-sliver-units.geojson"))]
# 1 m at 31.3°N is about 1.05e-5° of longitude: GEOS snaps the east town onto the west one.
merged = unary_union([t1, snap(t2, t1, 1.05e-5)])
print(f"13 merged {merged.geom_type} {area_m2(merged):.3f}")
print(f"13 towns {area_m2(t1):.3f} {area_m2(t2):.3f}")
d1, d2 = [shape(f["geometry"]) for f in load(os.path.join(FIELD, "08-duplicate-ids-units.geojson"))]
print(f"08 towns {area_m2(d1):.3f} {area_m2(d2):.3f} union {area_m2(unary_union([d1, d2])):.3f}")
# 13, merged by hand: the east town's vertices within 1 m of the west town moved onto it (its
# corners onto the corners, the T-junction vertex onto the shared edge), then unioned.
t2_hand = Polygon([(120.4 if abs(x - 120.4) < 1.05e-5 else x, y) for x, y in t2.exterior.coords])
merged_hand = unary_union([t1, t2_hand])
print(f"13 merged by hand {merged_hand.geom_type} {area_m2(merged_hand):.3f}")

print("// repairs (m²): GEOS make_valid(method='structure'), as ST_MakeValid(g, 'method=structure')")
cases = {
    "spike": Polygon([(120.0, 31.0), (120.1, 31.0), (120.15, 31.05), (120.1, 31.0), (120.1, 31.1), (120.0, 31.1)]),
    "hole_outside": Polygon([(120.0, 31.0), (120.1, 31.0), (120.1, 31.1), (120.0, 31.1)],
                            [[(120.2, 31.2), (120.3, 31.2), (120.3, 31.3), (120.2, 31.3)]]),
    "hole_crossing": Polygon([(120.0, 31.0), (120.1, 31.0), (120.1, 31.1), (120.0, 31.1)],
                             [[(120.05, 31.05), (120.15, 31.05), (120.15, 31.15), (120.05, 31.15)]]),
    # ESRI's "inverted hole": the outer ring pinches at a vertex and runs round the hole
    # the other way.
    "inverted_hole": Polygon([(120.0, 31.0), (120.05, 31.0), (120.04, 31.04), (120.06, 31.04),
                              (120.05, 31.0), (120.1, 31.0), (120.1, 31.1), (120.0, 31.1)]),
    "loop_same_way": Polygon([(120.0, 31.0), (120.05, 31.0), (120.06, 31.04), (120.04, 31.04),
                              (120.05, 31.0), (120.1, 31.0), (120.1, 31.1), (120.0, 31.1)]),
    "figure_eight": Polygon([(120.0, 31.0), (120.1, 31.1), (120.1, 31.0), (120.0, 31.1)]),
}
for name, g in cases.items():
    fixed = make_valid(g, method="structure")
    print(f"{name}: {explain_validity(g)} -> {fixed.geom_type} {area_m2(fixed):.3f}")
from shapely.geometry import MultiPolygon
multi = {
    "nested_parts": MultiPolygon([rect(120.0, 31.0, 120.1, 31.1), rect(120.02, 31.02, 120.05, 31.05)]),
    "shared_edge": MultiPolygon([rect(120.0, 31.0, 120.1, 31.1), rect(120.1, 31.0, 120.2, 31.1)]),
    "island_in_lake": MultiPolygon([Polygon(rect(120.0, 31.0, 120.2, 31.2).exterior.coords,
                                            [rect(120.05, 31.05, 120.15, 31.15).exterior.coords]),
                                    rect(120.08, 31.08, 120.12, 31.12)]),
}
for name, g in multi.items():
    fixed = make_valid(g, method="structure")
    print(f"{name}: {explain_validity(g)} -> {fixed.geom_type} {area_m2(fixed):.3f}")

print("// field cases' units and shares")
u12 = shape(load(os.path.join(FIELD, "12-multipolygon-overlapping-parts-units.geojson"))[0]["geometry"])
print(f"12 unit {area_m2(u12):.3f} share {area_m2(unary_union(list(parts.geoms))) / area_m2(u12):.9f}")
u04 = shape(load(os.path.join(FIELD, "04-bowtie-units.geojson"))[0]["geometry"])
print(f"04 unit {area_m2(u04):.3f}")

print("// snapping thresholds (tests/topology.rs): squares 0.05° at 31°N, the east one moved east")
m_per_deg_lon = G.Inverse(31.0, 120.0, 31.0, 121.0)["s12"]
for gap_m in (0.9, 1.1):
    d = gap_m / m_per_deg_lon
    west = rect(120.0, 31.0, 120.05, 31.05)
    east = rect(120.05 + d, 31.0, 120.1 + d, 31.05)
    print(f"gap {gap_m} m = {d:.12f}° east: west {area_m2(west):.3f} east {area_m2(east):.3f}")

print("// a zone drawn with four long straight edges round four towns whose edges carry extra vertices")
towns4 = [rect(120.0 + 0.1 * i, 31.0, 120.1 + 0.1 * i, 31.1) for i in range(4)]
zone4 = rect(120.0, 31.0, 120.4, 31.1)
for i, t in enumerate(towns4):
    print(f"town {i} {area_m2(t):.3f} in zone {area_m2(zone4.intersection(t)):.3f}")
print(f"zone {area_m2(zone4):.3f} towns {sum(area_m2(t) for t in towns4):.3f}")

print("// coverage thresholds (tests/coverage.rs): 0.1° units at 31°N, each with its zones")
# A unit's share covered just under and just over the 0.1% tolerance, from each side: zones
# are strips from the unit's west edge (shares 0.09%, 0.11%) or the unit less such a strip
# (99.89%, 99.91%).
for k, (share, whole_less_strip) in enumerate([(0.0009, False), (0.0011, False), (0.0011, True), (0.0009, True)]):
    x0 = 120.0 + 0.2 * k
    unit = rect(x0, 31.0, x0 + 0.1, 31.1)
    w = round(0.1 * share, 12)
    zone = rect(x0 + w, 31.0, x0 + 0.1, 31.1) if whole_less_strip else rect(x0, 31.0, x0 + w, 31.1)
    inter = zone.intersection(unit)
    print(f"T{k} unit {area_m2(unit):.3f} zone x {zone.bounds[0]:.12f}..{zone.bounds[2]:.12f} "
          f"covered {area_m2(inter):.3f} share {area_m2(inter) / area_m2(unit):.9f}")
# The 1 m² noise floor: zones overlapping a unit's south-west corner by boxes of about 0.5 m²
# and 2 m² (lon/lat boxes 1 m × 0.5 m and 2 m × 1 m at 31°N), without snapping.
m_per_deg_lat = G.Inverse(31.0, 120.0, 32.0, 120.0)["s12"]
for name, (wx, hy) in {"N1": (1.0, 0.5), "N2": (2.0, 1.0)}.items():
    x0 = 121.0 if name == "N1" else 121.2
    unit = rect(x0, 31.0, x0 + 0.1, 31.1)
    dx, dy = round(wx / m_per_deg_lon, 12), round(hy / m_per_deg_lat, 12)
    zone = rect(x0 - 0.01, 31.0 - 0.01, x0 + dx, 31.0 + dy)
    print(f"{name} corner box {dx:.12f}° × {dy:.12f}°: overlap {area_m2(zone.intersection(unit)):.6f}")
# Snapping in the figures: a zone that is the unit moved 0.9 m or 1.1 m east.
for gap_m in (0.9, 1.1):
    d = round(gap_m / m_per_deg_lon, 12)
    unit = rect(121.4, 31.0, 121.5, 31.1)
    zone = rect(121.4 + d, 31.0, 121.5 + d, 31.1)
    print(f"S{gap_m} shift {d:.12f}°: unit {area_m2(unit):.3f} covered as drawn {area_m2(zone.intersection(unit)):.3f}")

print("// edits (tests/proposals.rs): splits of the 0.1° square at 31°N, a corner dragged out")
from shapely.geometry import LineString
from shapely.ops import split as shapely_split
square = rect(120.0, 31.0, 120.1, 31.1)
bent = LineString([(120.03, 30.99), (120.05, 31.05), (120.04, 31.11)])
parts = sorted(shapely_split(square, bent).geoms, key=lambda g: g.centroid.x)


def onto_geodesic_edges(part, whole):
    """README's split rule: a point where the cut crosses the zone's edge goes onto that edge's
    geodesic, at the same fraction of its length, so that the parts add up to the zone."""
    ring = list(whole.exterior.coords)
    edges = list(zip(ring[:-1], ring[1:]))
    out = []
    for x, y in part.exterior.coords:
        best = None
        for (ax, ay), (bx, by) in edges:
            dx, dy = bx - ax, by - ay
            t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
            d = ((x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2) ** 0.5
            if best is None or d < best[0]:
                best = (d, t, (ax, ay), (bx, by))
        d, t, (ax, ay), (bx, by) = best
        if d < 1e-7 and 1e-9 < t < 1 - 1e-9:
            line = G.InverseLine(ay, ax, by, bx)
            p = line.Position(t * line.s13)
            x, y = p["lon2"], p["lat2"]
        out.append((x, y))
    return Polygon(out)


parts = [onto_geodesic_edges(p, square) for p in parts]
print("split by the bent line, cut points on the geodesic edges (west, east): "
      + " ".join(f"{area_m2(p):.3f}" for p in parts) + f" sum {sum(area_m2(p) for p in parts):.3f}")
# Two roads, one after the other: each cut's points go onto the edges of what it cut.
road1 = LineString([(119.9, 31.07), (120.2, 31.07)])
north, rest = sorted((onto_geodesic_edges(p, square) for p in shapely_split(square, road1).geoms),
                     key=lambda g: -g.centroid.y)
road2 = LineString([(119.9, 31.03), (120.2, 31.03)])
middle, south = sorted((onto_geodesic_edges(p, rest) for p in shapely_split(rest, road2).geoms),
                       key=lambda g: -g.centroid.y)
sectors = [north, middle, south]
print("three sectors (north to south): " + " ".join(f"{area_m2(p):.3f}" for p in sectors))
grown = Polygon([(120.0, 31.0), (120.1, 31.0), (120.2, 31.2), (120.0, 31.1)])
print(f"corner (120.1, 31.1) dragged to (120.2, 31.2): {area_m2(grown):.3f}")

print("// holes a merge leaves (tests/proposals.rs): two 0.05° squares at 31°N, the west one")
print("// notched on its shared edge by w × h m, so that their union encloses the notch")
m_per_deg_lat31 = G.Inverse(31.0, 120.0, 31.0 + 1.0, 120.0)["s12"]
for w_m, h_m in ((5.0, 10.0), (10.0, 15.0)):
    w, h = round(w_m / m_per_deg_lon, 12), round(h_m / m_per_deg_lat31, 12)
    y0 = 31.02
    west = Polygon([(120.0, 31.0), (120.05, 31.0), (120.05, y0), (120.05 - w, y0),
                    (120.05 - w, y0 + h), (120.05, y0 + h), (120.05, 31.05), (120.0, 31.05)])
    east = rect(120.05, 31.0, 120.1, 31.05)
    union = unary_union([west, east])
    notch = rect(120.05 - w, y0, 120.05, y0 + h)
    print(f"notch {w_m} × {h_m} m = {w:.12f}° × {h:.12f}°: hole {area_m2(notch):.3f} m², "
          f"union with the hole {area_m2(union):.3f}, without {area_m2(Polygon(union.exterior)):.3f}")

print("// tests/areas.rs: a 0.2° square with a 0.1° hole near Suzhou, and a 1° square's perimeter")
print(f"outer {area_m2(rect(120.4, 31.2, 120.6, 31.4)):.3f} hole {area_m2(rect(120.45, 31.25, 120.55, 31.35)):.3f}")
perimeter = G.Polygon()
for lat, lon in ((31, 120), (31, 121), (32, 121), (32, 120)):
    perimeter.AddPoint(lat, lon)
print(f"1° square at 31–32°N: perimeter {perimeter.Compute(False, True)[1]:.6f} m")

print("// zone land in no unit (tests/coverage.rs): each bundled zone less the union of the towns")
print("// but 通安镇 that overlap it (GEOS difference on the coordinates, GeographicLib areas);")
print("// pieces under 1 m² are rounding")
others = [shape(t["geometry"]) for t in towns if t["properties"]["name"] != "通安镇"]
for z in zones:
    zg = shape(z["geometry"])
    cover = [t for t in others if t.intersects(zg)]
    rest = zg.difference(unary_union(cover)) if cover else zg
    pieces = [p for p in getattr(rest, "geoms", [rest]) if not p.is_empty and area_m2(p) >= 1.0]
    total = sum(area_m2(p) for p in pieces)
    print(f"outside {z['properties']['name']}: {total / 1e6:.6f} km² in {len(pieces)} piece(s)")

print("// shared boundaries decided without an overlay (tests/coverage.rs): town A, 0.1° at 31°N,")
print("// with zones that share its edges, cross it with no vertex inside, or cut it corner to corner")
town_a = rect(120.0, 31.0, 120.1, 31.1)
shared_cases = {
    "around": Polygon([(120.0, 31.0), (120.3, 30.9), (120.3, 31.2), (120.0, 31.1)]),
    "east": rect(120.1, 31.0, 120.2, 31.1),
    "strip": rect(119.9, 31.05, 120.2, 31.0501),
    "diagonal": Polygon([(120.0, 31.0), (120.1, 31.0), (120.1, 31.1)]),
}
for name, zone in shared_cases.items():
    print(f"A∩{name} {area_m2(town_a.intersection(zone)):.3f}")

print("// parts whose every vertex the zone has too (tests/coverage.rs): an island of the zone, the")
print("// same ring filling a hole of another zone, a triangle on three of a square zone's corners")
island = Polygon([(120.0, 31.0), (120.1, 31.0), (120.1, 31.1), (120.05, 31.12), (120.0, 31.1)])
from shapely.geometry import MultiPolygon
archipelago = MultiPolygon([rect(119.5, 30.5, 119.9, 30.9), island])
holed = Polygon(rect(119.9, 30.9, 120.2, 31.2).exterior.coords, [island.exterior.coords])
corners = Polygon([(120.0, 31.0), (120.1, 31.0), (120.1, 31.1)])
print(f"island∩archipelago {area_m2(island.intersection(archipelago)):.3f}")
print(f"island∩holed {area_m2(island.intersection(holed)):.3f}")
print(f"corners∩A {area_m2(corners.intersection(town_a)):.3f}")
print(f"island {area_m2(island):.3f} corners {area_m2(corners):.3f}")

print("// parts crossing only where a corner lies on an edge (tests/cli.rs): a 0.02° square and a kite")
print("// with two corners on its east side; the repair is their union")
kite = Polygon([(120.02, 31.005), (120.03, 31.01), (120.02, 31.015), (120.01, 31.01)])
square_k = rect(120.0, 31.0, 120.02, 31.02)
print(f"{explain_validity(MultiPolygon([square_k, kite]))}; union {area_m2(unary_union([square_k, kite])):.3f}")

print("// zone land in no unit hidden by units drawn over one another (tests/coverage.rs): zone Z is")
print("// a 0.02° square and a 0.01° island; town A is the square, town B its south half")
zone_z = MultiPolygon([rect(120.0, 31.0, 120.02, 31.02), rect(120.03, 31.0, 120.04, 31.01)])
towns_ab = unary_union([rect(120.0, 31.0, 120.02, 31.02), rect(120.0, 31.0, 120.02, 31.01)])
print(f"Z less A and B {area_m2(zone_z.difference(towns_ab)):.3f}")

print("// zone land in no unit with a vertex on a straight run of the zone's edge (tests/coverage.rs)")
zone_c = Polygon([(120.0, 30.9), (120.05, 30.9), (120.1, 30.9), (120.1, 31.02), (120.0, 31.02)])
print(f"outside with the vertex at 120.05°E {area_m2(zone_c.difference(town_a)):.3f}")
