#!/usr/bin/env python3
"""Independent reference figures for zonemap's `dissolve` (union of polygons grouped by a field).

    pip install geographiclib shapely prcoords pyogrio  # checked: geographiclib 2.1, shapely 2.2
                                                        # (GEOS 3.14), prcoords 1.0, pyogrio 0.13
    python3 scripts/dissolve_reference.py PATH FIELD [--layer NAME] [--where KEY=VALUE]
                                          [--as-drawn] [--as-written] > figures.json

    # the figures the tests take:
    python3 scripts/dissolve_reference.py ../shared/data/realworld/jiangsu-south-cgcs2000.gpkg city --layer districts
    python3 scripts/dissolve_reference.py bench-data/china-counties.geojson province
    python3 scripts/dissolve_reference.py data/jiangsu-south-districts.geojson city --where level=district
    # a peer's dissolved output, counted as written (no union, no datum move):
    python3 scripts/dissolve_reference.py /tmp/ms-prov.geojson province --as-drawn --as-written

Conventions, as in scripts/reference_areas.py (README "What the figures mean"):
- Areas are GeographicLib's (Karney 2013) geodesic polygon areas on WGS-84: each edge the
  geodesic between its two vertices, holes subtracted. Nothing here shares code with zonemap.
- GeoJSON files whose top-level `datum` member says "GCJ-02" are first moved to WGS-84, as
  zonemap does on load, with prcoords' iterative inverse (`gcj_wgs_bored`, iterated to 1e-12°).
  `--as-drawn` skips that move (to compare with a peer that unions the numbers as written).
  Other formats (GeoPackage, …) are read with pyogrio and their lon/lat taken as WGS-84
  (CGCS2000 agrees with it to centimetres).
- Topology is decided on the outlines as drawn: GEOS (shapely.union_all, OverlayNG) unions each
  group's members in lon/lat as they are after the datum move (straight lines between vertices),
  and each resulting piece is measured with GeographicLib.

Per group, in order of the value's first appearance: members, parts (polygons), holes (interior
rings), vertices (sum over every ring of len(coords) - 1, the closing vertex not counted), the
union's geodesic area (km²) and the sum of its members' areas (km²; more than the union's where
members overlap, equal otherwise). "hole_list" gives every hole of the union: area (km²), vertices,
lon/lat box, the member whose own hole it is ("hole_of_member", compared as rings by GEOS
`equals`) and the features of the whole layer (any group) lying in it, with the share of the
hole's area each covers ("filled_by": an enclave of another group, or nothing: a hole in the
layer). "gaps" are the holes that are no member's hole: ground enclosed by the group's members
but in none of them.
`--as-written` counts each group's geometries as they are in the file (no union): for a layer
that is already dissolved, e.g. a peer's output.
"""
import argparse
import json
import os
import sys

import prcoords
import shapely
from geographiclib.geodesic import Geodesic
from shapely.geometry import Polygon, shape

G = Geodesic.WGS84

# Iterate prcoords' inverse to 1e-12° rather than its default 1e-5°.
sys.modules[prcoords.gcj_wgs_bored.__module__].PRC_EPS = 1e-12


def ring_area(ring):
    p = G.Polygon()
    for lon, lat, *_ in ring[:-1]:
        p.AddPoint(lat, lon)
    return abs(p.Compute(False, True)[2])


def polygons(geom):
    """The polygons of a Polygon, MultiPolygon or GeometryCollection (anything else dropped)."""
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        return [p for g in geom.geoms for p in polygons(g)]
    return []


def area_m2(geom):
    return sum(ring_area(list(p.exterior.coords)) - sum(ring_area(list(h.coords)) for h in p.interiors)
               for p in polygons(geom))


_moved = {}  # a vertex shared by neighbours is moved once (same result, half the time)


def gcj_to_wgs(coords):
    """Nested GeoJSON coordinates moved from GCJ-02 to WGS-84."""
    if isinstance(coords[0], (int, float)):
        key = (coords[0], coords[1])
        if key not in _moved:
            wgs = prcoords.gcj_wgs_bored((coords[1], coords[0]))
            _moved[key] = [wgs.lon, wgs.lat]
        return _moved[key]
    return [gcj_to_wgs(c) for c in coords]


def load(path, layer, as_drawn):
    """[(properties, shapely geometry)] and a note of the datum handling."""
    if path.lower().endswith((".geojson", ".json")):
        fc = json.load(open(path, encoding="utf-8"))
        datum = fc.get("datum")
        move = datum == "GCJ-02" and not as_drawn
        out = []
        for f in fc["features"]:
            g = f["geometry"]
            if g is not None and move:
                g = dict(g, coordinates=gcj_to_wgs(g["coordinates"]))
            out.append((f["properties"] or {}, shape(g) if g is not None else None))
        note = ("GCJ-02, moved to WGS-84 (prcoords gcj_wgs_bored, 1e-12°)" if move
                else f"{datum or 'none given'}, numbers as written")
        return out, note
    import pyogrio
    df = pyogrio.read_dataframe(path, layer=layer)
    crs = df.crs.to_string() if df.crs is not None else "no CRS"
    props = df.drop(columns="geometry").to_dict("records")
    return list(zip(props, df.geometry.values)), f"{crs}, lon/lat taken as WGS-84"


def counts(geom):
    polys = polygons(geom)
    holes = sum(len(p.interiors) for p in polys)
    vertices = sum(len(p.exterior.coords) - 1 + sum(len(h.coords) - 1 for h in p.interiors)
                   for p in polys)
    return len(polys), holes, vertices


def label(props, field, i):
    return f"{props.get(field)}/{props.get('name', props.get('adcode', i))}"


def union_holes(union, members, names, layer, layer_tree, layer_names):
    """Every interior ring of the union: its area, lon/lat box, the member whose hole it is
    (None: a gap) and which features of the whole layer lie in it (share of the hole's area)."""
    member_holes, owner = [], []
    for m, name in zip(members, names):
        for p in polygons(m):
            for h in p.interiors:
                member_holes.append(Polygon(h))
                owner.append(name)
    tree = shapely.STRtree(member_holes) if member_holes else None
    out = []
    for p in polygons(union):
        for h in p.interiors:
            hole = Polygon(h)
            of = None
            if tree is not None:
                of = next((owner[i] for i in tree.query(hole) if hole.equals(member_holes[i])), None)
            hole_m2 = ring_area(list(h.coords))
            filled = []
            for i in layer_tree.query(hole):
                piece = layer[i].intersection(hole)
                if not piece.is_empty and piece.area > 0:
                    filled.append({"feature": layer_names[i],
                                   "share": round(area_m2(piece) / hole_m2, 6)})
            x0, y0, x1, y1 = hole.bounds
            out.append({"area_km2": round(hole_m2 / 1e6, 6),
                        "vertices": len(h.coords) - 1,
                        "lon": [round(x0, 6), round(x1, 6)], "lat": [round(y0, 6), round(y1, 6)],
                        "hole_of_member": of, "filled_by": filled})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path")
    ap.add_argument("field")
    ap.add_argument("--layer")
    ap.add_argument("--where", help="KEY=VALUE: only features whose property KEY is VALUE")
    ap.add_argument("--as-drawn", action="store_true", help="no GCJ-02 → WGS-84 move")
    ap.add_argument("--as-written", action="store_true", help="count the geometries, no union")
    a = ap.parse_args()

    features, datum = load(a.path, a.layer, a.as_drawn)
    read = len(features)
    if a.where:
        key, value = a.where.split("=", 1)
        features = [(pr, g) for pr, g in features if str(pr.get(key)) == value]
    invalid = [label(pr, a.field, i) for i, (pr, g) in enumerate(features) if g is not None and not g.is_valid]

    groups = {}
    for i, (pr, g) in enumerate(features):
        if g is not None and not g.is_empty:
            groups.setdefault(pr.get(a.field), []).append((label(pr, a.field, i), g))
    layer = [g for members in groups.values() for _, g in members]
    layer_names = [n for members in groups.values() for n, _ in members]
    layer_tree = shapely.STRtree(layer)

    out_groups, total_m2 = [], 0.0
    for value, named in groups.items():
        names = [n for n, _ in named]
        members = [g for _, g in named]
        union = (shapely.GeometryCollection(members) if a.as_written
                 else shapely.union_all(members))
        parts, holes, vertices = counts(union)
        union_m2 = area_m2(union)
        total_m2 += union_m2
        hole_list = [] if a.as_written else union_holes(union, members, names, layer, layer_tree,
                                                        layer_names)
        out_groups.append({
            "value": value,
            "members": len(members),
            "parts": parts,
            "holes": holes,
            "vertices": vertices,
            "area_km2": round(union_m2 / 1e6, 6),
            "members_area_km2": round(sum(area_m2(g) for g in members) / 1e6, 6),
            "gaps": [h for h in hole_list if h["hole_of_member"] is None],
            "hole_list": hole_list,
        })

    doc = {
        "source": a.path,
        "layer": a.layer,
        "field": a.field,
        "where": a.where,
        "datum": datum,
        "mode": "as written (no union)" if a.as_written else "shapely.union_all per group",
        "shapely": shapely.__version__,
        "geos": shapely.geos_version_string,
        "features_read": read,
        "features_used": len(features),
        "invalid_members": invalid,
        "groups": out_groups,
        "totals": {
            "groups": len(out_groups),
            "parts": sum(g["parts"] for g in out_groups),
            "holes": sum(g["holes"] for g in out_groups),
            "vertices": sum(g["vertices"] for g in out_groups),
            "gaps": sum(len(g["gaps"]) for g in out_groups),
            "area_km2": round(total_m2 / 1e6, 6),
        },
    }
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
