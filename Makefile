# medallion - the two commands a new engineer needs, plus a few conveniences.
#   make demo    install what is missing, build (release), run the demonstration job
#   make test    install what is missing, build the dev preset (ASan+UBSan), run CTest
#   make bench   build release and compare against DuckDB (not part of make test)
.PHONY: all demo test bench deps npm-deps build-dev build-release format fuzz clean

all: build-release

deps:
	@scripts/install-deps.sh

# The npm oracles (DuckDB, hyparquet) pinned by package-lock.json; re-run only when the lock changes.
node_modules/.package-lock.json: package-lock.json | deps
	npm ci --no-audit --no-fund --loglevel=error

npm-deps: node_modules/.package-lock.json

build-dev: deps
	cmake --preset dev
	cmake --build --preset dev

build-release: deps
	cmake --preset release
	cmake --build --preset release

test: build-dev npm-deps
	ctest --preset dev

demo: build-release
	@scripts/demo.sh

bench: deps npm-deps
	@scripts/install-deps.sh --bench
	@bench/run.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

# Runs every fuzzer for FUZZ_SECONDS each (clang + libFuzzer) and minimises fuzz/corpus/.
FUZZ_SECONDS ?= 60
fuzz: deps
	cmake --preset fuzz
	cmake --build --preset fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

clean:
	rm -rf build
