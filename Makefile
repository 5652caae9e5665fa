# The README's commands. `make run` and `make test` work on a fresh Debian 12 machine as root:
# they install what is missing (Debian packages, the npm grammar) before building.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
APT_PACKAGES = build-essential cmake pkg-config git python3 neovim \
  libasio-dev nlohmann-json3-dev libtree-sitter-dev libyaml-cpp-dev libspdlog-dev doctest-dev \
  libre2-dev libtomlplusplus-dev libcli11-dev libzip-dev zlib1g-dev \
  clang-14 libclang-rt-14-dev
# The sanitized build (ASan + UBSan, and libFuzzer's coverage): one clang tree for both
# `make test-asan` and `make fuzz`.
ASAN_BUILD_DIR ?= build-asan
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
# Any report ends the process with SIGABRT, so no runner can mistake it for an exit status
# it expects (the server's 1 after `exit` without `shutdown`, `check`'s 1 on findings).
SANITIZER_ENV = ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1:detect_stack_use_after_return=0 \
  UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 MLAUDIT_TEST_TIMEOUT_SCALE=3

.PHONY: all deps build build-asan run test test-asan fuzz test-e2e bench clean

all: build

# Installs only what is missing, so it is cheap to repeat.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@# npm may come with another nodejs build (nodesource bundles it): install Debian's only if absent.
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	@if [ ! -f node_modules/tree-sitter-python/src/parser.c ] || [ ! -f node_modules/tree-sitter-javascript/src/parser.c ] || \
	    [ ! -f node_modules/tree-sitter-typescript/tsx/src/parser.c ]; then \
	  echo "Installing the tree-sitter grammars: Python, JavaScript, TypeScript (package-lock.json)"; \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	fi
	@# Microsoft's SARIF Multitool for the SARIF test (tests/sarif/package-lock.json).
	@if [ ! -f tests/sarif/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool ]; then \
	  echo "Installing the SARIF Multitool (tests/sarif/package-lock.json)"; \
	  (cd tests/sarif && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error); \
	fi

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The main job: audit the bundled example workspaces.
run: build
	@echo "== mlaudit check examples/research-project"
	@$(BUILD_DIR)/mlaudit check examples/research-project --fail-on never
	@echo
	@echo "== mlaudit check examples/clean-project"
	@$(BUILD_DIR)/mlaudit check examples/clean-project --fail-on never
	@echo
	@echo "== mlaudit audit examples/research-project (full report: $(BUILD_DIR)/research-project-audit.md)"
	@$(BUILD_DIR)/mlaudit audit examples/research-project -o $(BUILD_DIR)/research-project-audit.md
	@$(BUILD_DIR)/mlaudit audit examples/research-project --format json | python3 scripts/maturity_summary.py

# The normal suite, then the same suite under the sanitizers with a short run of every fuzz
# target (test-asan): CI's verdict is both (the last lines are test-asan's ctest summary).
test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory test-asan

build-asan: deps
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(ASAN_BUILD_DIR) -DCMAKE_BUILD_TYPE=Debug -DMLAUDIT_FUZZ=ON >/dev/null
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)

# The whole suite against the sanitized binary, and each fuzz target for MLAUDIT_FUZZ_SECONDS
# (ctest label `fuzz`, after replaying fuzz/regressions/). The VS Code test is left out: it
# downloads code-server and drives a browser, minutes that exercise the same server binary the
# other end-to-end tests already run under the sanitizers.
# stress.hostile and stress.soak measure memory (300 MB, no growth): under ASan's shadow memory
# and quarantine those figures mean nothing, and their 20,000-file and 10,000-edit runs would
# take most of CI's time; they run in the normal build. stress.lifecycle and stress.secrets do run.
# `packaging` compresses the 60+ MB instrumented binary into a .deb and a .tar.gz: minutes of
# cpack that test packaging, not memory safety (it runs in the normal build).
test-asan: build-asan
	cd $(ASAN_BUILD_DIR) && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS) -LE e2e-vscode -E '^(stress\.(hostile|soak)|packaging)$$'

# Every fuzz target for FUZZ_SECONDS (FUZZ_JOBS at a time), one summary line each.
fuzz: build-asan
	python3 fuzz/run_fuzz.py --fuzz-dir $(ASAN_BUILD_DIR)/fuzz --corpus-root $(ASAN_BUILD_DIR)/fuzz-corpus \
	  --seconds $(FUZZ_SECONDS) --jobs $(FUZZ_JOBS)

# Only the VS Code end-to-end test (also part of `make test`): the .vsix in code-server.
test-e2e: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L e2e-vscode

bench: build
	python3 bench/run_bench.py --mlaudit $(BUILD_DIR)/mlaudit

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR)
