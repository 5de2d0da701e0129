# Everything runs on the Bun pinned in package.json (the `bun` npm package),
# so a machine with only Node and npm needs nothing else.
BUN := node_modules/.bin/bun
STAMP := node_modules/.install-stamp
# the workspace's tools beside the checkout (docker-check.sh, podman-socket.sh); SHARED=DIR elsewhere
SHARED ?= ../shared

.PHONY: run test typecheck install build smoke bench crash-test clean help image testcontainers-test

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/'

$(STAMP): package.json package-lock.json
	@# no install scripts: better-sqlite3 would compile SQLite with node-gyp although it ships the
	@# prebuilt addon we load (better-sqlite3/linux-x64); the one script we need is bun's, run below
	npm ci --no-audit --no-fund --ignore-scripts
	@$(BUN) --version >/dev/null 2>&1 || node node_modules/bun/install.js
	@$(BUN) --version >/dev/null
	@touch $(STAMP)

install: $(STAMP) ## install the pinned dependencies (npm ci)

run: $(STAMP) ## serve the sandbox (PORT, HOST, DATABASE_PATH, ADMIN_TOKEN, SEED, RATE_LIMIT, RESPONSE_CACHE, LOG_REQUESTS, REQUEST_LOG_SIZE)
	$(BUN) run src/cli.ts serve

test: $(STAMP) typecheck ## type-check, then run every test suite; ends with "N passed, M failed, K skipped" (each skipped suite named above it, with its reason)
	@$(BUN) test/run.ts

typecheck: $(STAMP) ## tsc --noEmit over src, db, test and bench
	@node_modules/.bin/tsc --noEmit -p tsconfig.json && echo "typecheck: ok"

build: $(STAMP) ## compile the single binary dist/lead-provider-sandbox (carries migrations, reference data, docs)
	@# plain --minify is known to break Elysia; these two are safe
	$(BUN) build --compile --minify-whitespace --minify-syntax src/cli.ts --outfile dist/lead-provider-sandbox
	@ls -l dist/lead-provider-sandbox | awk '{ printf "dist/lead-provider-sandbox: %.1f MB\n", $$5 / 1048576 }'

smoke: $(STAMP) ## build the binary in a temp folder, start it, call it, stop it (also part of `make test`)
	$(BUN) test test/smoke

clean: ## remove the default database and build output
	rm -rf data dist

bench: $(STAMP) ## seed 110k records + 1M declarations, measure with wrk against a bare Bun.serve ceiling (not part of `make test`)
	@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk) || (echo "error: wrk is needed (Debian: apt-get install wrk)"; exit 2)
	$(BUN) bench/run.ts $(BENCH_ARGS)

crash-test: $(STAMP) ## SIGKILL the server under write load 20 times; checks no acknowledged write is lost
	$(BUN) test/scripts/crash-test.ts --cycles $(or $(CYCLES),20)

image: ## build the container image with podman (../shared/tools/docker-check.sh) and keep it as localhost/lead-provider-sandbox:dev
	DOCKER_CHECK_KEEP_IMAGE=localhost/lead-provider-sandbox:dev bash $(SHARED)/tools/docker-check.sh .

testcontainers-test: $(STAMP) ## the Testcontainers module's test (clients/testcontainers) against podman's Docker API; needs root and `make image` first; not part of `make test`
	cd clients/testcontainers && npm ci --no-audit --no-fund --ignore-scripts --engine-strict=false >/dev/null
	@eval "$$(bash $(SHARED)/tools/podman-socket.sh start)" \
	  && for i in $$(seq 100); do curl -sf --unix-socket "$${DOCKER_HOST#unix://}" http://d/_ping >/dev/null 2>&1 && break; sleep 0.2; done \
	  && (cd clients/testcontainers && ../../$(BUN) test test/); \
	  code=$$?; bash $(SHARED)/tools/podman-socket.sh stop >/dev/null 2>&1; exit $$code
