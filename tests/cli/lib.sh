# lib.sh - helpers shared by the CLI test scripts (sourced, not run; not a test itself).
# Expects $tmp (a scratch directory) and $fails (a counter) in the sourcing script.

# check NAME EXPECTED_EXIT COMMAND... : runs the command, output in $tmp/out and $tmp/err.
check() {
    local name=$1 want=$2
    shift 2
    set +e
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    set -e
    if [ "$got" != "$want" ]; then
        echo "FAIL $name: exit $got, expected $want"
        sed 's/^/  out: /' "$tmp/out" | head -20
        sed 's/^/  err: /' "$tmp/err" | head -20
        fails=$((fails + 1))
    else
        echo "ok   $name"
    fi
}

# contains NAME FILE TEXT : FILE must contain TEXT literally.
contains() {
    if ! grep -qF -- "$3" "$2"; then
        echo "FAIL $1: '$3' not in $2:"
        sed 's/^/  /' "$2" | head -20
        fails=$((fails + 1))
    fi
}
