#!/usr/bin/env bash
# Installs the peers that scripts/peers-table.sh compares zonemap with, from the npm registry
# and PyPI, into $PEERS (default /work/peers), outside the repository:
#   mapshaper 0.7.70                                       npm
#   geopandas, pyogrio, shapely, pyproj, matplotlib        PyPI, in the venv $PEERS/venv
# GDAL's command-line tools (ogrinfo, ogr2ogr with SpatiaLite) and GNU time come from apt:
#   apt-get install gdal-bin time python3-venv nodejs npm
# Idempotent: run it again and it only checks what is there.
set -euo pipefail
PEERS=${PEERS:-/work/peers}
mkdir -p "$PEERS"
if [ ! -x "$PEERS/node_modules/.bin/mapshaper" ]; then
    (cd "$PEERS" && npm install --no-audit --no-fund mapshaper@0.7.70)
fi
if [ ! -x "$PEERS/venv/bin/python" ]; then
    python3 -m venv "$PEERS/venv"
fi
"$PEERS/venv/bin/pip" install --quiet 'geopandas>=1,<2' pyogrio shapely pyproj matplotlib
"$PEERS/node_modules/.bin/mapshaper" -v
"$PEERS/venv/bin/python" -c 'import geopandas, pyogrio, shapely, pyproj, matplotlib
print("geopandas", geopandas.__version__, "pyogrio", pyogrio.__version__, "GDAL", pyogrio.__gdal_version_string__,
      "shapely", shapely.__version__, "GEOS", shapely.geos_version_string, "pyproj", pyproj.__version__,
      "matplotlib", matplotlib.__version__)'
ogrinfo --version
