#!/bin/sh
# Benchvisor guest agent: a line protocol over a virtio-serial port.
#
# host -> guest                       guest -> host
#   RUN <id> <shell-quoted argv...>     OUT <id> <stdout line>   (0..n lines)
#                                       EXIT <id> <exit code>
#   KILL <id>                           (the RUN's EXIT follows, code 137)
#   PUT <id> <path> <base64 data>       EXIT <id> 0|1
#   PING <id>                           EXIT <id> 0
#                                       READY <protocol version> (once, at start)
#                                       ERR <id> <message>       (bad command)
# A bare program name in RUN means a benchmark binary in /bench. Its stderr
# goes to the serial console so the user sees progress live.
PORT="$1"
BENCH=/bench
STATE=/run/agent
PROTOCOL_VERSION=1
mkdir -p "$STATE"
exec 3<>"$PORT"

say() { printf '%s\n' "$*" >&3; }

run_job() {
  id=$1
  cmd=$2
  shift 2
  case "$cmd" in
    */*) ;;
    *) cmd="$BENCH/$cmd" ;;
  esac
  out="$STATE/$id.out"
  # Own session and process group so KILL also ends forked children.
  setsid "$cmd" "$@" >"$out" 2>/dev/console </dev/null &
  pid=$!
  echo "$pid" >"$STATE/$id.pid"
  wait "$pid"
  code=$?
  rm -f "$STATE/$id.pid"
  while IFS= read -r l || [ -n "$l" ]; do say "OUT $id $l"; done <"$out"
  rm -f "$out"
  say "EXIT $id $code"
}

say "READY $PROTOCOL_VERSION"
while IFS= read -r line <&3; do
  verb=${line%% *}
  rest=${line#"$verb"}
  rest=${rest# }
  id=${rest%% *}
  args=${rest#"$id"}
  args=${args# }
  case "$verb" in
    RUN)
      (eval "set -- $args" && run_job "$id" "$@") &
      ;;
    KILL)
      [ -f "$STATE/$id.pid" ] && kill -9 "-$(cat "$STATE/$id.pid")" 2>/dev/null
      ;;
    PUT)
      path=${args%% *}
      data=${args#"$path"}
      mkdir -p "${path%/*}"
      if printf '%s' "${data# }" | base64 -d >"$path"; then say "EXIT $id 0"; else say "EXIT $id 1"; fi
      ;;
    PING)
      say "EXIT $id 0"
      ;;
    *)
      say "ERR $id unknown command: $verb"
      ;;
  esac
done
