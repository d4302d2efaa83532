#!/usr/bin/env bash
# Builds the benchmark binaries (resources/bench/*.c) as static executables into
# resources/bench/build/. Static, so the same files run natively, in a FROM-scratch
# container and in the minimal QEMU guest. Usage: scripts/build-bench.sh [OUT_DIR]
# Environment: CC (default cc), BENCH_CFLAGS (default -O2).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

src_dir=resources/bench
out_dir=${1:-$src_dir/build}
cc=${CC:-cc}
# -O2 as the brief asks; warnings on so our own code stays clean.
cflags=(${BENCH_CFLAGS:--O2} -static -Wall -Wextra)
# The catalogue (src/shared/catalogue) is the only list of benchmarks: "<id> <libs...>" per line.
if ! bench_list=$(node node_modules/tsx/dist/cli.mjs scripts/bench-list.ts); then
  echo "error: could not read the benchmark list from the catalogue (run npm install first)" >&2
  exit 1
fi

if ! command -v "$cc" >/dev/null 2>&1; then
  echo "error: no C compiler ('$cc') found: the benchmarks are built from C sources." >&2
  echo "       fix: apt-get install gcc libc6-dev   (or set CC to your compiler)" >&2
  exit 1
fi

mkdir -p "$out_dir"
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
printf '#include <stdio.h>\nint main(void){puts("ok");return 0;}\n' >"$probe_dir/probe.c"
if ! "$cc" -static -o "$probe_dir/probe" "$probe_dir/probe.c" >"$probe_dir/log" 2>&1; then
  echo "error: '$cc' cannot link static binaries (no static C library):" >&2
  sed 's/^/       /' "$probe_dir/log" >&2
  echo "       fix: apt-get install libc6-dev" >&2
  exit 1
fi

while read -r name libs; do
  [ -n "$name" ] || continue
  # shellcheck disable=SC2086 # libs is a space-separated list of linker flags
  "$cc" "${cflags[@]}" -o "$out_dir/$name.tmp" "$src_dir/$name.c" $libs
  mv -f "$out_dir/$name.tmp" "$out_dir/$name"
  echo "built $out_dir/$name"
done <<<"$bench_list"

# Host tools (run on the host, never copied into a platform): httpload, the nginx benchmark's
# load client (src/main/benchmarks/nginx/httpLoad.ts starts it).
for name in httpload; do
  "$cc" "${cflags[@]}" -o "$out_dir/$name.tmp" "$src_dir/$name.c" -lm
  mv -f "$out_dir/$name.tmp" "$out_dir/$name"
  echo "built $out_dir/$name"
done

# The unikernel images (resources/unikernel/build/<name>.img): the same sources linked with
# our library OS through musl. Optional here: without musl-gcc/nasm the other platforms still
# work, and `benchvisor doctor` names the fix.
if command -v musl-gcc >/dev/null 2>&1 && command -v nasm >/dev/null 2>&1; then
  bash resources/unikernel/build.sh
else
  echo "warning: unikernel images not built (needs musl-gcc and nasm): apt-get install musl-tools nasm" >&2
fi
