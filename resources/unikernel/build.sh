#!/usr/bin/env bash
# Builds the library OS and links one bootable image per benchmark:
#   resources/unikernel/build/<name>.elf   the linked image (symbols, for reading)
#   resources/unikernel/build/<name>.img   what QEMU boots (-kernel): the same bytes, flat, multiboot1
# for every benchmark of the catalogue the library OS can run (scripts/bench-list.ts --library-os).
# The benchmark sources (resources/bench/*.c) are compiled unchanged with musl-gcc.
# Usage: resources/unikernel/build.sh [OUT_DIR]      (also run by scripts/build-bench.sh)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$here/build}
# The library OS's own test program; the benchmarks come from the catalogue (below).
tests=(probe)

fail() {
  echo "error: $1" >&2
  echo "       fix: $2" >&2
  exit 1
}
command -v musl-gcc >/dev/null 2>&1 || fail "musl-gcc not found: the unikernel links the benchmarks against musl" \
  "apt-get install musl-tools"
command -v nasm >/dev/null 2>&1 || fail "nasm not found: the library OS's boot code is NASM assembly" "apt-get install nasm"
command -v gcc >/dev/null 2>&1 || fail "gcc not found" "apt-get install gcc"
# musl-gcc is a wrapper naming its specs file; musl's crt1.o and libc.a sit beside it.
specs=$(sed -n 's/.*-specs "\([^"]*\)".*/\1/p' "$(command -v musl-gcc)")
musl_lib=$(dirname "${specs:-/usr/lib/x86_64-linux-musl/musl-gcc.specs}")
[[ -f $musl_lib/libc.a && -f $musl_lib/crt1.o ]] || fail "musl's libc.a/crt1.o not found next to musl-gcc" \
  "apt-get install musl-dev"
libgcc=$(gcc -print-libgcc-file-name)
# The benchmarks the library OS can run, from the catalogue (src/shared/catalogue): those whose
# required capabilities it has (no fork: one address space; no network stack), so the list of
# benchmarks and what the library OS lacks are each said once (scripts/bench-list.ts).
tsx=$root/node_modules/tsx/dist/cli.mjs
[[ -f $tsx ]] || fail "node_modules/tsx not found: the benchmark list comes from the catalogue" "npm install (or npm ci)"
list=$(node "$tsx" "$root/scripts/bench-list.ts" --library-os) || fail "could not read the benchmark list from the catalogue" \
  "npm install, then run this script again"
mapfile -t benchmarks <<<"$list"
[[ ${#benchmarks[@]} -gt 0 && -n ${benchmarks[0]} ]] || fail "the catalogue lists no benchmark for the library OS" \
  "check LIBRARY_OS_CAPABILITIES in src/shared/platforms.ts"

# The kernel never touches SSE registers (-mgeneral-regs-only), so a system call keeps the
# program's vector state without saving it; no stack protector (it reads %fs before TLS exists).
kernel_cflags=(-std=gnu11 -O2 -ffreestanding -fno-pie -fno-stack-protector -mno-red-zone -mgeneral-regs-only
  -fno-asynchronous-unwind-tables -fno-builtin -Wall -Wextra -Werror)
# The benchmarks as on every other platform: -O2, static, with musl instead of glibc.
bench_cflags=(-O2 -static -fno-pie -Wall -Wextra)

obj=$out/obj
mkdir -p "$obj"
kernel_objs=("$obj/boot.o")
nasm -f elf64 -w+all -o "$obj/boot.o" "$here/kernel/boot.asm"
for src in "$here"/kernel/*.c; do
  o=$obj/kernel-$(basename "${src%.c}").o
  gcc "${kernel_cflags[@]}" -c -o "$o" "$src"
  kernel_objs+=("$o")
done

link_image() { # name source
  local name=$1 src=$2
  musl-gcc "${bench_cflags[@]}" -c -o "$obj/$name.o" "$src"
  printf 'const char los_program_name[] = "%s";\n' "$name" >"$obj/$name-name.c"
  gcc "${kernel_cflags[@]}" -c -o "$obj/$name-name.o" "$obj/$name-name.c"
  ld -nostdlib -static -no-pie --orphan-handling=error -z noexecstack --no-warn-rwx-segments -T "$here/kernel/linker.ld" \
    -o "$out/$name.elf.tmp" "${kernel_objs[@]}" "$obj/$name-name.o" \
    "$musl_lib/crt1.o" "$musl_lib/crti.o" "$obj/$name.o" \
    --start-group "$musl_lib/libc.a" "$libgcc" --end-group "$musl_lib/crtn.o"
  objcopy -O binary "$out/$name.elf.tmp" "$out/$name.img.tmp"
  mv -f "$out/$name.elf.tmp" "$out/$name.elf"
  mv -f "$out/$name.img.tmp" "$out/$name.img"
  echo "built $out/$name.img"
}

for name in "${benchmarks[@]}"; do link_image "$name" "$root/resources/bench/$name.c"; done
for name in "${tests[@]}"; do link_image "$name" "$here/tests/$name.c"; done
