#!/usr/bin/env bash
# Fuzzes zonemap's readers with libFuzzer (cargo-fuzz, AddressSanitizer) for SECONDS each:
#     scripts/fuzz.sh SECONDS [TARGET...]     (targets: geojson project shapefile dbf gpkg; default all)
# Seeds are fuzz/corpus/TARGET/; findings go to fuzz/artifacts/TARGET/, each run's log to
# fuzz/logs/TARGET.log, and the exit status is non-zero if any target crashed. cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP=1 lets
# this stable toolchain build them (as checked on this machine).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/fuzz.sh SECONDS [TARGET...]}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v zonemap-fuzz))
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
export RUSTC_BOOTSTRAP=1
# One thread: each input is small, and a pool per input would cost more than the work.
export RAYON_NUM_THREADS=1
status=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t" fuzz/logs
  log="fuzz/logs/$t.log"
  # The corpus grows in a scratch copy; the seeds in git stay as they are.
  work=$(mktemp -d)
  cp -r "fuzz/corpus/$t/." "$work/"
  echo "== $t: $seconds s"
  if ! cargo fuzz run "$t" "$work" -- -max_total_time="$seconds" -rss_limit_mb=4096 \
      -max_len=262144 -print_final_stats=1 > "$log" 2>&1; then
    status=1
  fi
  grep -E "^(stat::|#[0-9]+ *DONE|SUMMARY)|panicked|ERROR" "$log" || true
  grep -q "ERROR: libFuzzer\|SUMMARY: AddressSanitizer\|panicked" "$log" && status=1
  rm -rf "$work"
done
exit $status
