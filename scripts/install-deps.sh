#!/usr/bin/env bash
# Installs the Debian packages medallion needs to build, test and benchmark.
# Idempotent: prints what it installs and does nothing when all is present.
# Usage: scripts/install-deps.sh [--bench]   (--bench adds the benchmark tools)
set -euo pipefail

packages=(
    build-essential make cmake ninja-build pkg-config git   # build
    clang libclang-rt-14-dev clang-format              # fuzzers (libFuzzer) and the format check
    libcmocka-dev                                      # unit tests
    libjson-c-dev                                      # JSON-lines reader
    libyaml-dev                                        # contracts and project config (YAML)
    libxxhash-dev                                      # hashing (hash tables, dictionaries)
    libssl-dev                                         # libcrypto: md5/sha256 SQL functions
    libcurl4-openssl-dev                               # alerts: webhooks (HTTP) and email (SMTP)
    libzstd-dev libsnappy-dev zlib1g-dev liblz4-dev    # Parquet page codecs
    nodejs                                             # test oracles (DuckDB via npm)
    time                                               # /usr/bin/time for peak RSS
)
if [ "${1:-}" = "--bench" ]; then
    packages+=(hyperfine)
fi
# npm ships inside NodeSource's nodejs; Debian's own nodejs needs the separate npm package.
if ! command -v npm >/dev/null 2>&1; then
    packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: need root to install packages (run as root or with sudo)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=300 update -qq
apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}"
