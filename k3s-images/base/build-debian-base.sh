#!/usr/bin/env bash
# Builds the `debian:bookworm-slim` image from Debian packages (debootstrap + docker import), for
# machines that reach Debian's archive but no container registry (air-gapped runners, these build
# machines). The probe image's Dockerfile then builds unchanged: `FROM debian:bookworm-slim`.
# Idempotent: does nothing when the image already exists (pass --force to rebuild).
set -euo pipefail

IMAGE="${IMAGE:-debian:bookworm-slim}"
SUITE="${SUITE:-bookworm}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"

if [[ "${1:-}" != "--force" ]] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "base image $IMAGE already present"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }

root="$(mktemp -d /tmp/debian-base.XXXXXX)"
trap 'rm -rf "$root"' EXIT
start=$(date +%s)
echo "building $IMAGE from $SUITE packages (debootstrap --variant=minbase) ..."
debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" > "$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
rm -f "$root.log"
# What docker's slim images also drop: caches that only make the image bigger.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import --change 'CMD ["bash"]' - "$IMAGE" >/dev/null
echo "built $IMAGE in $(( $(date +%s) - start ))s"
