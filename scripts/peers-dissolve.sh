#!/usr/bin/env bash
# Peers' times for `dissolve`: the 2,875 counties of bench-data/ unioned into 34 provinces
# (field `province`), each timed as a whole process from the command line (start-up, reading
# the file, the union, writing the result), as a user would run it:
#   mapshaper 0.7.70  -dissolve province                       GeoJSON in, GeoJSON out, 5 runs
#   geopandas         read_file + dissolve('province') + to_file (pyogrio, shapely 2 / GEOS), 5 runs
#   GDAL ogr2ogr      -dialect sqlite, SpatiaLite ST_Union ... GROUP BY province, GPKG in and out, 3 runs
# Each figure is the median with its range; run it with nothing else busy.
# The counts of what each peer wrote (groups, parts, holes, vertices) come from
#   python3 scripts/dissolve_reference.py OUT province --as-drawn --as-written
# and GEOS's own union from
#   python3 scripts/dissolve_reference.py bench-data/china-counties.geojson province --as-drawn
#
# Setup (once; kept out of the repository):
#   mkdir -p /work/peers && (cd /work/peers && npm install mapshaper@0.7.70)
#   pip install geopandas pyogrio shapely     # checked: geopandas 1.x, pyogrio 0.13, shapely 2.2
#   apt-get install gdal-bin                  # checked: GDAL 3.6.2, SpatiaLite 5.0.1, GEOS 3.11.1
# Needs bench-data/ from `python3 scripts/fetch-china.py`.
#
#   scripts/peers-dissolve.sh [mapshaper|geopandas|ogr2ogr ...]   # default: all three
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-/work/peers}
PY=${PY:-python3}
MAPSHAPER="$PEERS/node_modules/.bin/mapshaper"

# timed LABEL RUNS CMD...: runs CMD RUNS times, prints the median and the range in seconds.
timed() {
    local label=$1 runs=$2
    shift 2
    local times=()
    for _ in $(seq "$runs"); do
        local t0 t1
        t0=$(date +%s.%N)
        "$@" >/dev/null 2>&1
        t1=$(date +%s.%N)
        times+=("$(echo "$t1 - $t0" | bc)")
    done
    printf '%s\n' "${times[@]}" | sort -g | awk -v label="$label" -v n="$runs" '
        { t[NR] = $1 }
        END { printf "%s: median %.3f s (range %.3f–%.3f s over %d runs)\n", label, t[int((n + 1) / 2)], t[1], t[n], n }'
}

mapshaper_run() {
    "$MAPSHAPER" bench-data/china-counties.geojson -dissolve province -o /tmp/ms-prov.geojson
}

geopandas_run() {
    rm -f /tmp/gpd-prov.geojson
    "$PY" -c '
import geopandas as gpd
gpd.read_file("bench-data/china-counties.geojson").dissolve("province").to_file("/tmp/gpd-prov.geojson")
'
}

ogr2ogr_run() {
    rm -f /tmp/gdal-prov.gpkg
    ogr2ogr -dialect sqlite -nln provinces -nlt PROMOTE_TO_MULTI \
        -sql 'SELECT province, ST_Union(geom) AS geom FROM china_counties GROUP BY province' \
        /tmp/gdal-prov.gpkg bench-data/china-counties.gpkg
}

for peer in "${@:-mapshaper geopandas ogr2ogr}"; do
    for p in $peer; do
        case $p in
            mapshaper) timed "mapshaper $("$MAPSHAPER" -v) -dissolve province" 5 mapshaper_run ;;
            geopandas) timed "geopandas read_file + dissolve('province') + to_file" 5 geopandas_run ;;
            ogr2ogr) timed "ogr2ogr SpatiaLite ST_Union GROUP BY province" 3 ogr2ogr_run ;;
            *) echo "unknown peer $p" >&2; exit 2 ;;
        esac
    done
done
