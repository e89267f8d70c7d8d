#!/usr/bin/env bash
# Incremental build times, interleaved between trees: for each round and each tree, touch one file of
# the core and rebuild, then one file of the CLI and rebuild; prints each time and the medians.
#   scripts/bench_build.sh ROUNDS TREE:TARGET_DIR:CORE_FILE:CLI_FILE ...
# e.g. scripts/bench_build.sh 5 /work/wt-base:/work/target-olddev:src/turkish/case.rs:src/cli/status.rs \
#                              /work/main:/work/main/target:crates/core/src/turkish/case.rs:src/cli/status.rs
# Each tree must have been built once (`cargo build`) with its target dir.
set -euo pipefail
rounds=$1; shift
declare -A times
for ((r = 1; r <= rounds; r++)); do
    for spec in "$@"; do
        IFS=: read -r tree target core cli <<<"$spec"
        for f in "$core" "$cli"; do
            touch "$tree/$f"
            start=$(date +%s.%N)
            (cd "$tree" && CARGO_TARGET_DIR=$target cargo build -q)
            t=$(echo "$(date +%s.%N) - $start" | bc)
            times["$tree $f"]+="$t "
            printf 'round %d  %-12s %-32s %6.2f s  (load %s)\n' "$r" "$(basename "$tree")" "$f" "$t" "$(cut -d' ' -f1 /proc/loadavg)"
        done
    done
done
echo
printf '%-12s %-32s %s\n' tree file "median (s)"
for spec in "$@"; do
    IFS=: read -r tree target core cli <<<"$spec"
    for f in "$core" "$cli"; do
        m=$(tr ' ' '\n' <<<"${times["$tree $f"]}" | grep . | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
        printf '%-12s %-32s %s\n' "$(basename "$tree")" "$f" "$m"
    done
done
