#!/usr/bin/env bash
# Runs every libFuzzer target (built by the fuzz preset) for FUZZ_SECONDS each, then
# minimises each corpus back to the inputs that add coverage, keeping the hand-written
# seed_* files and the crash-* regressions. Used by `make fuzz`. A crash stops the run and
# leaves the reproducer in build/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
art=build/fuzz/artifacts
mkdir -p "$art"
for bin in build/fuzz/fuzz/fuzz_*; do
    name=$(basename "$bin")
    name=${name#fuzz_}
    corpus=fuzz/corpus/$name
    mkdir -p "$corpus"
    echo "== $name: fuzzing for ${seconds}s"
    "$bin" -max_total_time="$seconds" -max_len=4096 -artifact_prefix="$art/$name-" "$corpus" \
        2>"$art/$name.log" || { tail -30 "$art/$name.log"; exit 1; }
    grep -E "^Done" "$art/$name.log" || true
    merged=$(mktemp -d)
    "$bin" -merge=1 -use_counters=0 "$merged" "$corpus" 2>>"$art/$name.log"
    find "$corpus" -maxdepth 1 -type f ! -name 'seed_*' ! -name 'crash-*' -delete
    cp -n "$merged"/* "$corpus"/ 2>/dev/null || true
    rm -rf "$merged"
    echo "   corpus: $(find "$corpus" -type f | wc -l) files"
done
