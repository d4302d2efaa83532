#!/usr/bin/env bash
# Stops the Docker daemon that dockerd-up.sh started (and nothing else).
set -euo pipefail

STATE_DIR="${BENCHVISOR_DOCKERD_DIR:-/tmp/benchvisor-dockerd}"
PID_FILE="$STATE_DIR/dockerd.pid"
# dockerd stops its containers first; give it that long before SIGKILL.
STOP_SECONDS=30

if [ ! -f "$PID_FILE" ]; then
  echo "dockerd-down: no pid file ($PID_FILE): we started no daemon, nothing to stop"
  exit 0
fi
pid="$(cat "$PID_FILE")"
if ! kill -0 "$pid" 2>/dev/null; then
  echo "dockerd-down: dockerd (pid $pid) is not running any more"
  rm -f "$PID_FILE"
  exit 0
fi
if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != "dockerd" ]; then
  echo "dockerd-down: pid $pid is not dockerd (stale pid file); not touching it" >&2
  rm -f "$PID_FILE"
  exit 0
fi
echo "dockerd-down: stopping dockerd (pid $pid)"
kill -TERM "$pid"
for _ in $(seq 1 "$((STOP_SECONDS * 4))"); do
  if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$PID_FILE"
    echo "dockerd-down: stopped"
    exit 0
  fi
  sleep 0.25
done
echo "dockerd-down: dockerd did not stop within ${STOP_SECONDS}s; killing it" >&2
kill -KILL "$pid" 2>/dev/null || true
rm -f "$PID_FILE"
