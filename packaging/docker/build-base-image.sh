#!/usr/bin/env bash
# Builds Rebound's container base image from Debian packages, without pulling from any registry: debootstrap a
# minimal bookworm root with a Java runtime and keepalived, `docker import` the tree. The
# distribution goes on top with packaging/docker/Dockerfile (`docker build`, FROM this local image, nothing pulled),
# because Maven builds the tarball and it changes with every build while this base rarely does.
#
# Usage: build-base-image.sh [IMAGE]          (default rebound/base:bookworm)
#        build-base-image.sh --recipe-hash    prints the hash of this recipe, which the image carries as label
#                                             io.rebound.it.recipe (dev/setup-test-env.sh rebuilds on a change)
# Needs: root, debootstrap, a Docker engine. Takes a minute or two the first time.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOTFS_LIB="$HERE/../../it-tests/docker/debian-rootfs.sh"
RECIPE_LABEL="io.rebound.it.recipe"
log() { echo "[build-base-image] $*"; }
# shellcheck source=../../it-tests/docker/debian-rootfs.sh
source "$ROOTFS_LIB"

recipe_hash() { cat "$HERE"/build-base-image.sh "$ROOTFS_LIB" | sha256sum | cut -c1-16; }

if [[ "${1:-}" == "--recipe-hash" ]]; then
  recipe_hash
  exit 0
fi
IMAGE="${1:-rebound/base:bookworm}"

ROOTFS="$(mktemp -d /tmp/rebound-base-rootfs.XXXXXX)"
cleanup() { rm -rf --one-file-system "$ROOTFS"; }
trap cleanup EXIT

# keepalived for a pair of machines sharing a virtual address; procps and iproute2 are the operator's tools (ps,
# pkill, ip addr) and what the drills use inside the container.
debootstrap_rootfs "$ROOTFS" openjdk-17-jre-headless,keepalived,procps,iproute2
mkdir -p "$ROOTFS/etc/rebound"
slim_rootfs "$ROOTFS"

log "importing as $IMAGE"
tar -C "$ROOTFS" -c . | docker import \
  -c 'ENV PATH=/opt/rebound/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'EXPOSE 8080' \
  -c "LABEL $RECIPE_LABEL=$(recipe_hash)" \
  -m "Debian bookworm minbase + OpenJDK 17 JRE + keepalived: the base of Rebound's image" \
  - "$IMAGE" > /dev/null
log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE") bytes)"
