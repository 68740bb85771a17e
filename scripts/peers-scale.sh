#!/usr/bin/env bash
# mapshaper's overlap mosaic of the 370 cities with each units file of `cargo bench --bench
# scale` (the counties, then the synthetic townships of scripts/make-townships.py), each a whole
# process from the command line, GeoJSON in and out:
#   mapshaper -i CITIES UNITS combine-files -merge-layers force -mosaic -o OUT
# This is only the mosaic (the pieces where cities and units overlap), not the coverage figures
# `zonemap report` derives from it. Prints the median wall time with its range over three runs
# and the median peak resident memory (GNU time's %M).
#
# Setup (once; kept out of the repository): mkdir -p /work/peers && (cd /work/peers && npm
# install mapshaper@0.7.70); apt-get install time. Run with nothing else busy:
#   scripts/peers-scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-/work/peers}
MAPSHAPER="$PEERS/node_modules/.bin/mapshaper"
OUT=$(mktemp --suffix .json)
trap 'rm -f "$OUT"' EXIT
for units in china-counties.geojson china-towns-10k.geojson china-townships.geojson; do
    [ -f "bench-data/$units" ] || { echo "bench-data/$units is missing: skipped" >&2; continue; }
    for _ in 1 2 3; do
        /usr/bin/time -f "%e %M" "$MAPSHAPER" -i bench-data/china-cities.geojson "bench-data/$units" \
            combine-files -merge-layers force -mosaic -o "$OUT" 2>&1 >/dev/null | tail -1
    done > "$OUT.runs"
    peak=$(sort -g -k2 "$OUT.runs" | awk 'NR == 2 { print $2 }')
    sort -g "$OUT.runs" | awk -v units="$units" -v peak="$peak" '
        { t[NR] = $1 }
        END {
            printf "mapshaper -mosaic, cities × %s: median %.2f s (range %.2f–%.2f), peak %.0f MB\n",
                units, t[2], t[1], t[3], peak / 1000
        }'
    rm -f "$OUT.runs"
done
