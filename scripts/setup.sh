#!/usr/bin/env bash
# One-time setup on a fresh Debian/Ubuntu machine: system packages, npm dependencies,
# benchmark binaries, and the app build. Safe to run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need_node_major=20
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt "$need_node_major" ]; then
  echo "error: Node.js >= $need_node_major with npm is required (found: $(node -v 2>/dev/null || echo none))." >&2
  echo "       Install it from your distribution or nodejs.org, then run this again." >&2
  exit 1
fi

bash scripts/install-system-packages.sh
# The native modules' prerequisites, checked before npm ci so a missing compiler is named with
# the command that installs it (instead of a node-gyp error deep in npm's output).
nodedir_line="$(bash scripts/check-build-tools.sh)"
if [ -n "$nodedir_line" ]; then
  # Node's own headers are installed: node-gyp uses them instead of downloading them.
  export npm_config_nodedir="${nodedir_line#nodedir=}"
fi
# Electron's binary is fetched in its own step below, never by npm: a failed download must not
# fail the install (npm 11 skips its script anyway: package.json allowScripts).
if [ -f package-lock.json ]; then
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
else
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install --no-audit --no-fund
fi
# The desktop window's binary (honours ELECTRON_MIRROR); says so once and carries on if it cannot.
node scripts/fetch-electron.mjs
npm run build:bench
npm run build
echo "setup complete: start the app with 'npm start', run the tests with 'npm test'"
