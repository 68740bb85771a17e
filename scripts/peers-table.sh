#!/usr/bin/env bash
# README's benchmark table: zonemap, mapshaper, geopandas and GDAL side by side on the same
# tasks over the 2,875 Chinese counties (GeoJSON, 104 MB) and the 370 cities (48 MB), each a
# whole process from the command line as a user would run it, three runs each, in one sitting.
# Prints a Markdown table: each cell the median wall time with its range, then every command.
#
# Setup (once): scripts/peers-setup.sh (mapshaper from npm, geopandas & co. from PyPI, in
# $PEERS), `python3 scripts/fetch-china.py` for bench-data/, `cargo build --release`.
# Run with nothing else busy:  scripts/peers-table.sh
#
# What each tool does differs a little, and the notes under the table say how: zonemap moves
# the Amap outlines from GCJ-02 to WGS-84 and validates every polygon whenever it loads them;
# the peers take the coordinates as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-/work/peers}
PY=${PY:-$PEERS/venv/bin/python}
RUNS=${RUNS:-3}
ZM=target/release/zonemap
MS="$PEERS/node_modules/.bin/mapshaper"
C=bench-data/china-counties.geojson
T=bench-data/china-cities.geojson
for f in "$ZM" "$MS" "$PY" "$C" "$T"; do
    [ -e "$f" ] || { echo "missing $f: see the setup at the top of $0" >&2; exit 2; }
done
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
SQL_VALID='SELECT COUNT(*) FROM "china-counties" WHERE NOT ST_IsValid(geometry)'
SQL_UNION='SELECT province, ST_Union(geometry) AS geometry FROM "china-counties" GROUP BY province'

# cell CMD...: runs CMD RUNS times (output discarded; a failure stops the script) and prints
# "median s (min–max)".
cell() {
    local times=()
    for _ in $(seq "$RUNS"); do
        if ! /usr/bin/time -f "%e" "$@" >/dev/null 2>"$TMP/err"; then
            cat "$TMP/err" >&2
            echo "FAILED"
            return 1
        fi
        times+=("$(tail -1 "$TMP/err")")
    done
    printf '%s\n' "${times[@]}" | sort -g | awk -v n="$RUNS" '
        { t[NR] = $1 } END { printf "%.2f s (%.2f–%.2f)", t[int((n + 1) / 2)], t[1], t[n] }'
}

declare -a COMMANDS
row() { # row TASK ZONEMAP MAPSHAPER GEOPANDAS GDAL, each a command string or "-"
    local task=$1
    shift
    local cells=()
    for cmd in "$@"; do
        if [ "$cmd" = "-" ]; then
            cells+=("—")
        else
            cells+=("$(eval cell "$cmd")")
            COMMANDS+=("$task: \`$cmd\`")
        fi
    done
    echo "| $task | ${cells[0]} | ${cells[1]} | ${cells[2]} | ${cells[3]} |"
}

echo "| task | zonemap | mapshaper $("$MS" -v) | geopandas | GDAL $(ogrinfo --version | cut -d' ' -f2 | tr -d ,) |"
echo "|---|---|---|---|---|"
row "load the counties" \
    "$ZM check $C" \
    "$MS -i $C -info" \
    "$PY scripts/peers_tasks.py load" \
    "-"
row "geodesic area of each county" \
    "$ZM check --areas $C" \
    "$MS -i $C -each 'km2=this.area/1e6' -info" \
    "$PY scripts/peers_tasks.py areas" \
    "-"
row "validate every county" \
    "$ZM check $C" \
    "-" \
    "$PY scripts/peers_tasks.py validate" \
    "ogrinfo -q -dialect sqlite -sql '$SQL_VALID' $C"
row "report: cities × counties" \
    "$ZM report $T $C --format json --out $TMP/report.json" \
    "$MS -i $T $C combine-files -merge-layers force -mosaic -o $TMP/mosaic.json" \
    "$PY scripts/peers_tasks.py report" \
    "-"
row "dissolve the counties by province" \
    "$ZM dissolve $C --by province --out $TMP/provinces.geojson" \
    "$MS $C -dissolve province -o $TMP/ms-provinces.json" \
    "$PY scripts/peers_tasks.py dissolve" \
    "ogr2ogr -f GPKG $TMP/gdal-provinces.gpkg $C -dialect sqlite -sql '$SQL_UNION' -overwrite"
row "export a 2000×1500 map of the counties" \
    "$ZM export --size 2000x1500 --categories province --title 中国县级行政区 --out $TMP/zm.png $C" \
    "$MS -i $C -style fill=#ddd stroke=#555 -o $TMP/ms.svg" \
    "$PY scripts/peers_tasks.py export" \
    "-"
echo
echo "Commands ($RUNS runs each, $(date -u +%Y-%m-%d), $(nproc) cores):"
for c in "${COMMANDS[@]}"; do echo "- $c"; done
