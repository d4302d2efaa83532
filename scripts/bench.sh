#!/usr/bin/env bash
# `npm run bench [section...]`: Benchvisor's own performance figures (scripts/bench/*.ts).
# Starts a Docker daemon for the docker section when none answers (and stops only that one).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -x resources/bench/build/linpack ] || bash scripts/build-bench.sh
if bash scripts/dockerd-up.sh; then
  trap 'bash scripts/dockerd-down.sh' EXIT
else
  echo "bench: no Docker daemon; the docker section will say why it is skipped" >&2
fi
node --import tsx scripts/bench.ts "$@"
