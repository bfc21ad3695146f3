#!/usr/bin/env bash
# Builds an offline stand-in for node:20-bookworm-slim when no registry can be reached:
# a minimal Debian bookworm (debootstrap --variant=minbase, from Debian's apt mirror) plus this
# machine's `node` binary, imported as a local image. Reused when the image already exists.
#
#   docker/make-test-base-image.sh [image]        (default mosaic-test-base:bookworm)
#
# Env: MOSAIC_DEBIAN_MIRROR (default http://deb.debian.org/debian), MOSAIC_REBUILD_BASE=1 to rebuild.
set -euo pipefail

image="${1:-mosaic-test-base:bookworm}"
mirror="${MOSAIC_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
log() { printf '[test-base] %s\n' "$*" >&2; }

if [ "${MOSAIC_REBUILD_BASE:-}" != 1 ] && docker image inspect "$image" >/dev/null 2>&1; then
  log "$image already exists; reusing it"
  exit 0
fi

node_bin="$(command -v node)"
# The binary must be a real file (not a version-manager shim) and dynamically linked against glibc only.
node_bin="$(readlink -f "$node_bin")"
root="$(mktemp -d -t mosaic-base.XXXXXX)"
cleanup() { rm -rf "$root"; }
trap cleanup EXIT

t0=$SECONDS
log "debootstrap --variant=minbase bookworm from $mirror (a few minutes)"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 || {
  tail -n 20 "$root.debootstrap.log" >&2
  exit 1
}
rm -f "$root.debootstrap.log"
log "debootstrap took $((SECONDS - t0))s"

install -m 0755 "$node_bin" "$root/usr/local/bin/node"
# Keep the image small: apt lists, caches and docs are not needed to run node.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/usr/share/doc/* "$root"/usr/share/man/*

t1=$SECONDS
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  - "$image" >/dev/null
log "imported $image in $((SECONDS - t1))s ($(docker image inspect -f '{{.Size}}' "$image") bytes, node $("$node_bin" --version))"
