#!/usr/bin/env bash
# `npm run bench [section...]`: Benchvisor's own performance figures (scripts/bench/*.ts).
# Starts a Docker daemon for the docker section when none answers (and stops only that one).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -x resources/bench/build/linpack ] || bash scripts/build-bench.sh
# Stop the daemon at exit only when this run started it: dockerd-down.sh stops whatever daemon
# the shared pid file names, and a daemon that already answered belongs to someone else.
pid_file="${BENCHVISOR_DOCKERD_DIR:-/tmp/benchvisor-dockerd}/dockerd.pid"
pid_before=$(cat "$pid_file" 2>/dev/null || true)
if up=$(bash scripts/dockerd-up.sh); then
  echo "$up"
  pid_after=$(cat "$pid_file" 2>/dev/null || true)
  if [[ -n $pid_after && $pid_after != "$pid_before" ]] && ! grep -q 'nothing started' <<<"$up"; then
    trap 'bash scripts/dockerd-down.sh' EXIT
  fi
else
  echo "bench: no Docker daemon; the docker section will say why it is skipped" >&2
fi
node --import tsx scripts/bench.ts "$@"
