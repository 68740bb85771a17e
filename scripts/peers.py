#!/usr/bin/env python3
"""The peers' figures the benchmarks are compared with, measured on this machine.

    pip install pyogrio geopandas shapely pyproj   # checked: pyogrio 0.10, shapely 2.2, pyproj 3.7
    python3 scripts/peers.py read        # pyogrio (GDAL) reads the counties into geopandas
    python3 scripts/peers.py validate    # shapely 2 (GEOS) is_valid over the counties
    python3 scripts/peers.py transform   # pyproj (PROJ) moves every county vertex to EPSG:4528

Needs bench-data/ from `python3 scripts/fetch-china.py`. Each figure is the median of five runs,
printed with its range; run it with nothing else busy.
"""
import os
import sys
import time

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench-data")


def timed(label, fn, runs=5):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    times.sort()
    print(f"{label}: median {times[runs // 2]:.3f} s (range {times[0]:.3f}–{times[-1]:.3f} s over {runs} runs)")
    return result


def read():
    import pyogrio
    for name in ("china-counties.geojson", "china-counties.shp", "china-counties.gpkg"):
        path = os.path.join(DATA, name)
        df = timed(f"pyogrio.read_dataframe {name}", lambda: pyogrio.read_dataframe(path))
        print(f"  {len(df)} features")


def validate():
    import pyogrio
    import shapely
    df = pyogrio.read_dataframe(os.path.join(DATA, "china-counties.gpkg"))
    geoms = df.geometry.values
    valid = timed("shapely.is_valid over the counties", lambda: shapely.is_valid(geoms))
    print(f"  {int((~valid).sum())} invalid")


def transform():
    import numpy as np
    import pyogrio
    import shapely
    from pyproj import Transformer
    df = pyogrio.read_dataframe(os.path.join(DATA, "china-counties.gpkg"))
    coords = shapely.get_coordinates(df.geometry.values)
    print(f"  {len(coords)} vertices")
    t = Transformer.from_crs(4490, 4528, always_xy=True)
    timed("pyproj EPSG:4490 → EPSG:4528, every vertex", lambda: t.transform(coords[:, 0], coords[:, 1]))
    back = Transformer.from_crs(4528, 4490, always_xy=True)
    x, y = t.transform(coords[:, 0], coords[:, 1])
    timed("pyproj EPSG:4528 → EPSG:4490, every vertex", lambda: back.transform(np.asarray(x), np.asarray(y)))


if __name__ == "__main__":
    {"read": read, "validate": validate, "transform": transform}[sys.argv[1] if len(sys.argv) > 1 else "read"]()
