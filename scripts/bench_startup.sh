#!/usr/bin/env bash
# Start-up of the whole `tamim` process (issue #18): `tamim --help`, and `tamim status 2021/243` on the
# demo's registry (a command that opens the registry and prints a few lines), for two release binaries in
# the same run (hyperfine, no shell, 20 warm-up runs, 300 runs each). Usage:
#   scripts/bench_startup.sh BASELINE_BIN NEW_BIN
# Prints a markdown table: median, min, mean ± σ per command and binary.
set -euo pipefail
base=${1:?baseline binary}
new=${2:?new binary}
command -v hyperfine >/dev/null || { apt-get install -y hyperfine >/dev/null; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$new" --registry "$dir/r" --output "$dir/o" demo >/dev/null
run() {
  local name=$1; shift
  hyperfine -N --warmup 20 --runs 300 --export-json "$dir/$name.json" \
    -n "baseline $name" "$base $*" -n "new $name" "$new $*" >/dev/null
  python3 - "$dir/$name.json" <<'PY'
import json, sys, statistics
r = json.load(open(sys.argv[1]))["results"]
for x in r:
    t = x["times"]
    print(f"| {x['command']} | {statistics.median(t)*1000:.2f} ms | {min(t)*1000:.2f} ms | {statistics.mean(t)*1000:.2f} ± {statistics.pstdev(t)*1000:.2f} ms |")
PY
}
echo "| command | median | min | mean ± σ |"
echo "|---|---|---|---|"
run help --help
LANG=tr_TR.UTF-8 run status --registry "$dir/r" status 2021/243
