#!/usr/bin/env bash
# Proves the README's two commands on a minimal Debian 12 (not part of `npm test`: it downloads
# a Debian base system and every apt/npm package, which takes a while).
#
#   1. debootstrap --variant=minbase bookworm from the host's own Debian mirror
#   2. docker import of that root filesystem (nothing else preinstalled)
#   3. Node 20 copied in from the host (binary, headers, npm) and the committed tree (git archive)
#   4. inside: `bash scripts/setup.sh` then the unit test project (`npx vitest run --project unit`)
#
# Needs root, debootstrap, docker and git. The container uses the host network (--network host)
# to reach the apt mirror and the npm registry; a TLS proxy's CA the host trusts is passed in. Prints each phase's time; exits with the result
# of the container's commands. Everything it makes (folder, image, container) is removed at exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SUITE=bookworm
# The first Debian archive the host's apt uses (deb822 or one-line format), else deb.debian.org.
mirror() {
  local uri
  uri="$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' |
    grep -v -- '-security' | head -n1 || true)"
  [ -z "$uri" ] && uri="$(grep -hE '^deb\s' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' |
    grep -v -- '-security' | head -n1 || true)"
  echo "${uri:-http://deb.debian.org/debian}"
}
for tool in debootstrap docker git node; do
  command -v "$tool" >/dev/null || { echo "error: $tool is required" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "error: debootstrap needs root" >&2; exit 2; }
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" = 20 ] || { echo "error: the host's Node is $node_major, this check copies Node 20" >&2; exit 2; }

stamp="$(date +%s)-$$"
work="$(mktemp -d "${TMPDIR:-/tmp}/benchvisor-fresh-debian.XXXXXX")"
image="benchvisor-fresh-debian:$stamp"
container="benchvisor-fresh-debian-$stamp"
cleanup() {
  docker rm -f "$container" >/dev/null 2>&1 || true
  docker rmi -f "$image" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
t0=$SECONDS
phase() { echo "== [$((SECONDS - t0)) s] $*"; }

MIRROR="$(mirror)"
phase "debootstrap --variant=minbase $SUITE from $MIRROR"
debootstrap --variant=minbase "$SUITE" "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
  { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
# debootstrap mounts nothing with minbase inside a chroot we leave; the image is the files only.
phase "docker import"
tar -C "$work/rootfs" -c . | docker import - "$image" >/dev/null
rm -rf "$work/rootfs"

phase "copy Node $(node -v) and the committed tree ($(git rev-parse --short HEAD))"
prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
mkdir -p "$work/node/bin" "$work/node/include" "$work/node/lib/node_modules"
cp "$prefix/bin/node" "$work/node/bin/node"
cp -r "$prefix/include/node" "$work/node/include/node"
cp -r "$prefix/lib/node_modules/npm" "$work/node/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/node/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/node/bin/npx"
mkdir -p "$work/src"
git archive HEAD | tar -x -C "$work/src"

# The README's two commands; `npm test`'s unit project stands for the second (the integration
# and e2e projects need a Docker daemon and a browser session of their own).
inside='set -e; cd /src
echo "== packages preinstalled: $(dpkg-query -W | wc -l) (debootstrap minbase)"
start=$SECONDS; bash scripts/setup.sh; echo "== setup took $((SECONDS - start)) s"
start=$SECONDS; npx vitest run --project unit; echo "== unit project took $((SECONDS - start)) s"'
# The host's network trust, not a package: where HTTPS goes through a TLS proxy with its own CA
# (NODE_EXTRA_CA_CERTS or npm's cafile on the host), npm inside needs that CA too.
ca="${NODE_EXTRA_CA_CERTS:-$(npm config get cafile 2>/dev/null || true)}"
ca_env=()
if [ -n "$ca" ] && [ "$ca" != null ] && [ -f "$ca" ]; then
  cp "$ca" "$work/host-ca.crt"
  ca_env=(-e NODE_EXTRA_CA_CERTS=/etc/host-ca.crt -e npm_config_cafile=/etc/host-ca.crt)
fi
docker create --name "$container" --network host -e CI=1 "${ca_env[@]}" "$image" \
  /bin/bash -c "$inside" >/dev/null
docker cp "$work/node/." "$container:/usr/local/"
[ -f "$work/host-ca.crt" ] && docker cp "$work/host-ca.crt" "$container:/etc/host-ca.crt"
docker cp "$work/src" "$container:/src"
phase "run setup and the unit project in the container"
set +e
docker start -a "$container"
rc=$?
set -e
phase "done: exit $rc"
exit "$rc"
