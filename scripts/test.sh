#!/usr/bin/env bash
# The whole test suite: lint, format check, typecheck, build, unit + integration (vitest,
# with real QEMU guests and a real Docker daemon), e2e (Playwright in Debian's Chromium).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p test-results

step() { printf '\n=== %s ===\n' "$*"; }

step "lint (eslint + prettier)"
npm run -s lint
step "typecheck"
npm run -s typecheck
step "benchmark binaries"
[ -x resources/bench/build/linpack ] || npm run -s build:bench
step "build (electron-vite)"
npm run -s build

step "docker daemon"
bash scripts/dockerd-up.sh
trap 'bash scripts/dockerd-down.sh' EXIT

status=0
rm -f test-results/vitest.json test-results/vitest-files.json test-results/playwright.json
step "unit + integration (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json \
  --reporter=./scripts/vitest-file-report.ts || status=1
step "e2e (playwright, chromium)"
# The Electron test needs a display: without one, run Playwright under a virtual X server
# where xvfb-run exists (the Electron spec skips with the reason otherwise).
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  xvfb-run -a npx playwright test || status=1
else
  npx playwright test || status=1
fi

BENCHVISOR_TEST_WALL_S=$SECONDS node scripts/test-summary.mjs test-results/vitest.json \
  test-results/playwright.json test-results/vitest-files.json || status=1
exit $status
