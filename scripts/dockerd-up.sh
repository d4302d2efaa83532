#!/usr/bin/env bash
# Starts a Docker daemon when none answers (CI and test setup; DESIGN.md §7).
# Records what it started in a pid file so that dockerd-down.sh stops only that.
#   BENCHVISOR_DOCKERD_DIR   state folder (pid file, log)   default /tmp/benchvisor-dockerd
#   BENCHVISOR_DOCKERD_WAIT  seconds to wait for the socket  default 40
# Storage driver: the daemon's default (overlay2) first; when the daemon does not
# come up with it, the script retries with --storage-driver=vfs (slow but works anywhere).
set -euo pipefail

STATE_DIR="${BENCHVISOR_DOCKERD_DIR:-/tmp/benchvisor-dockerd}"
PID_FILE="$STATE_DIR/dockerd.pid"
LOG_FILE="$STATE_DIR/dockerd.log"
WAIT_SECONDS="${BENCHVISOR_DOCKERD_WAIT:-40}"

daemon_answers() {
  docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

if ! command -v docker >/dev/null 2>&1 || ! command -v dockerd >/dev/null 2>&1; then
  echo "dockerd-up: docker is not installed (apt-get install docker.io)" >&2
  exit 1
fi

if daemon_answers; then
  echo "dockerd-up: a Docker daemon already answers (server $(docker version --format '{{.Server.Version}}')); nothing started"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "dockerd-up: no daemon answers and starting dockerd needs root (try: sudo $0)" >&2
  exit 1
fi

mkdir -p "$STATE_DIR"

start_daemon() {
  # $@: extra dockerd arguments. setsid detaches it from our process group.
  echo "dockerd-up: starting dockerd --bridge=none --iptables=false $* (log: $LOG_FILE)"
  setsid dockerd --bridge=none --iptables=false "$@" >>"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  local pid
  pid="$(cat "$PID_FILE")"
  for _ in $(seq 1 "$((WAIT_SECONDS * 4))"); do
    if daemon_answers; then
      echo "dockerd-up: daemon up (pid $pid, storage driver $(docker info --format '{{.Driver}}'))"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "dockerd-up: dockerd exited; last log lines:" >&2
      tail -n 5 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      return 1
    fi
    sleep 0.25
  done
  echo "dockerd-up: dockerd did not answer within ${WAIT_SECONDS}s; stopping it" >&2
  kill "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
  return 1
}

if start_daemon; then exit 0; fi
echo "dockerd-up: retrying with --storage-driver=vfs" >&2
if start_daemon --storage-driver=vfs; then exit 0; fi
echo "dockerd-up: could not start a Docker daemon (see $LOG_FILE)" >&2
exit 1
