#!/usr/bin/env bash
# Fails (and lists the files) when any C source differs from what .clang-format produces.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files -co --exclude-standard -- '*.c' '*.h' '*.c.in' 2>/dev/null || find src include tests fuzz bench -name '*.[ch]')
bad=()
for f in $files; do
    [ -f "$f" ] || continue
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
        bad+=("$f")
    fi
done
if [ ${#bad[@]} -gt 0 ]; then
    echo "not formatted by .clang-format (run: make format):"
    printf '  %s\n' "${bad[@]}"
    exit 1
fi
echo "format ok ($(echo "$files" | wc -w) files)"
