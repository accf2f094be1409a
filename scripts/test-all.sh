#!/usr/bin/env bash
# `npm test`: type check, lint + format check, unit + integration tests (Vitest), production build (next build + the compiled server), browser tests
# (Playwright against the Microsoft 365 sandbox), then one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
mkdir -p test-results
status=0

step() { printf '\n=== %s ===\n' "$1"; }

step "type check"
npx tsc --noEmit -p . || status=1

step "lint and format (biome)"
npx biome check . || status=1

step "unit and integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || status=1

step "production build"
npm run --silent build || { echo "build failed"; exit 1; }

step "two app instances on PostgreSQL (vitest, needs the build)"
npx vitest run --config vitest.instances.config.mts --reporter=default --reporter=json --outputFile.json=test-results/vitest-instances.json || status=1

step "browser tests (playwright)"
PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/playwright.json npx playwright test --reporter=list,json || status=1

node scripts/test-summary.mjs test-results/vitest.json test-results/vitest-instances.json test-results/playwright.json || status=1
exit $status
