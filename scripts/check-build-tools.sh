#!/usr/bin/env bash
# Checks the prerequisites of the native npm modules before `npm ci` (node-pty has no Linux
# prebuild: node-gyp compiles it, which needs python3, make and a C++ compiler, plus Node's
# headers). Names each missing tool and the command that installs it; exits 1 when one is missing.
set -uo pipefail

missing_pkgs=()
missing_what=()
need() { # need <command> <debian package> <what it is for>
  if ! command -v "$1" >/dev/null 2>&1; then
    missing_pkgs+=("$2")
    missing_what+=("$1 ($3; Debian/Ubuntu package $2)")
  fi
}
need python3 python3 "node-gyp runs gyp with it"
need make make "node-gyp builds with it"
# A C++ compiler: $CXX when the user chose one, g++ otherwise.
need "${CXX:-g++}" g++ "compiles node-pty's pty.cc"
need gcc gcc "compiles the benchmark binaries"

if [ ${#missing_pkgs[@]} -gt 0 ]; then
  echo "error: the native npm modules (node-pty) cannot be built; missing:" >&2
  for w in "${missing_what[@]}"; do echo "  - $w" >&2; done
  sudo_prefix=""
  [ "${EUID:-0}" -ne 0 ] && sudo_prefix="sudo "
  echo "install them with: ${sudo_prefix}apt-get install -y ${missing_pkgs[*]}" >&2
  echo "(or the equivalent on your distribution: build-essential / python3), then run setup again." >&2
  exit 1
fi

# Node's C headers: node-gyp downloads them from nodejs.org unless it is told where they are.
# Installed Node packages carry them next to the binary (<prefix>/include/node): print the
# folder so setup can pass it on (npm_config_nodedir) and no download is needed.
prefix="$(dirname "$(dirname "$(command -v node)")")"
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$prefix/include/node/node_version.h" ]; then
  echo "nodedir=$prefix"
fi
echo "build tools: python3, make, ${CXX:-g++} present" >&2
