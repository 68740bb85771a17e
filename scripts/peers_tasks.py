#!/usr/bin/env python3
"""The geopandas side of scripts/peers-table.sh: one task per run, as a user would script it.

    python3 scripts/peers_tasks.py load|areas|validate|report|dissolve|export

Reads bench-data/ (from `python3 scripts/fetch-china.py`) with pyogrio; geodesic areas with
pyproj's Geod (GeographicLib's algorithm); overlays and unions in shapely 2 (GEOS).
"""
import os
import sys

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench-data")
COUNTIES = os.path.join(DATA, "china-counties.geojson")
CITIES = os.path.join(DATA, "china-cities.geojson")


def read(path):
    import geopandas as gpd
    return gpd.read_file(path, engine="pyogrio")


def geodesic_km2(geoms):
    from pyproj import Geod
    geod = Geod(ellps="WGS84")
    return [abs(geod.geometry_area_perimeter(g)[0]) / 1e6 for g in geoms]


def main(task):
    if task == "load":
        print(len(read(COUNTIES)), "counties")
    elif task == "areas":
        counties = read(COUNTIES)
        print(sum(geodesic_km2(counties.geometry)), "km²")
    elif task == "validate":
        counties = read(COUNTIES)
        print(int((~counties.is_valid).sum()), "invalid")
    elif task == "report":
        import geopandas as gpd
        cities, counties = read(CITIES), read(COUNTIES)
        counties["unit"] = range(len(counties))
        cities["zone"] = range(len(cities))
        pieces = gpd.overlay(cities[["zone", "geometry"]], counties[["unit", "geometry"]],
                             how="intersection", keep_geom_type=True)
        pieces["km2"] = geodesic_km2(pieces.geometry)
        covered = pieces.groupby("unit")["km2"].sum()
        print(len(pieces), "pieces,", len(covered), "units covered")
    elif task == "dissolve":
        counties = read(COUNTIES)
        out = counties.dissolve("province")
        out.to_file("/tmp/peers-gpd-dissolve.geojson", engine="pyogrio")
        print(len(out), "groups")
    elif task == "export":
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        counties = read(COUNTIES)
        fig, ax = plt.subplots(figsize=(20, 15), dpi=100)
        counties.plot(ax=ax, column="province", categorical=True, edgecolor="#555555",
                      linewidth=0.2, legend=False)
        ax.set_axis_off()
        ax.set_title("中国 县级行政区")
        fig.savefig("/tmp/peers-gpd-export.png")
        print("wrote /tmp/peers-gpd-export.png")
    else:
        sys.exit(f"unknown task {task}")


if __name__ == "__main__":
    main(sys.argv[1])
