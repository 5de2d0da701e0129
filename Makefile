# Everything runs on the Bun pinned in package.json (the `bun` npm package),
# so a machine with only Node and npm needs nothing else.
BUN := node_modules/.bin/bun
STAMP := node_modules/.install-stamp

.PHONY: run test install build smoke bench crash-test clean help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/'

$(STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@# the bun package links its binary in a postinstall script; redo it if scripts were skipped
	@$(BUN) --version >/dev/null 2>&1 || node node_modules/bun/install.js
	@$(BUN) --version >/dev/null
	@touch $(STAMP)

install: $(STAMP) ## install the pinned dependencies (npm ci)

run: $(STAMP) ## serve the sandbox (PORT, HOST, DATABASE_PATH, ADMIN_TOKEN, SEED, RATE_LIMIT)
	$(BUN) run src/cli.ts serve

test: $(STAMP) ## run every test suite; ends with "N passed, M failed"
	@$(BUN) test/run.ts

clean: ## remove the default database and build output
	rm -rf data dist
