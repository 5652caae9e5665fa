# The README's commands. `make run` and `make test` work on a fresh Debian 12 machine as root:
# they install what is missing (Debian packages, the npm grammar) before building.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
APT_PACKAGES = build-essential cmake pkg-config git python3 neovim \
  libasio-dev nlohmann-json3-dev libtree-sitter-dev libyaml-cpp-dev libspdlog-dev doctest-dev \
  libre2-dev libtomlplusplus-dev libcli11-dev libzip-dev zlib1g-dev

.PHONY: all deps build run test test-e2e bench clean

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

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# Only the VS Code end-to-end test (also part of `make test`): the .vsix in code-server.
test-e2e: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L e2e-vscode

bench: build
	python3 bench/run_bench.py --mlaudit $(BUILD_DIR)/mlaudit

clean:
	rm -rf $(BUILD_DIR)
