#!/usr/bin/env bash
# Builds the Apache image of the it-tests from Debian packages, without pulling from any registry:
# debootstrap a minimal bookworm root with apache2, add the start-up script, `docker import` the tree.
#
# Usage: build-apache-image.sh [IMAGE]   (default rebound-it/apache:bookworm)
#        build-apache-image.sh --recipe-hash   prints the hash of this recipe, which the image carries as label
#                                             io.rebound.it.recipe (dev/setup-test-env.sh rebuilds on a change)
# Needs: root, debootstrap, a Docker engine. Takes about a minute the first time.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RECIPE_LABEL="io.rebound.it.recipe"
log() { echo "[build-apache-image] $*"; }

# Every file of the recipe, in a fixed order: a change to any of them makes a new hash.
recipe_hash() { cat "$HERE"/build-apache-image.sh "$HERE"/start-apache.sh "$HERE"/apache-rebound.conf \
                | sha256sum | cut -c1-16; }

if [[ "${1:-}" == "--recipe-hash" ]]; then
  recipe_hash
  exit 0
fi
IMAGE="${1:-rebound-it/apache:bookworm}"

# The Debian mirror this machine's apt already uses (deb822 .sources or one-line sources.list).
debian_mirror() {
  local uri
  uri="$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' \
         | grep -v -- '-security' | head -n1 || true)"
  if [[ -z "$uri" ]]; then
    uri="$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
           | grep -v -- '-security' | awk '{for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' \
           | head -n1 || true)"
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

ROOTFS="$(mktemp -d /tmp/rebound-apache-rootfs.XXXXXX)"
cleanup() { rm -rf --one-file-system "$ROOTFS"; }
trap cleanup EXIT

MIRROR="$(debian_mirror)"
log "debootstrap bookworm (minbase + apache2) from $MIRROR into $ROOTFS"
debootstrap --variant=minbase --include=apache2 bookworm "$ROOTFS" "$MIRROR" > "$ROOTFS.debootstrap.log" 2>&1 || {
  log "debootstrap failed; last lines of $ROOTFS.debootstrap.log:"; tail -n 30 "$ROOTFS.debootstrap.log"; exit 1; }
rm -f "$ROOTFS.debootstrap.log"

log "adding start-up script and Apache settings"
install -m 0755 "$HERE/start-apache.sh" "$ROOTFS/usr/local/bin/start-apache"
install -m 0644 "$HERE/apache-rebound.conf" "$ROOTFS/etc/apache2/conf-available/rebound.conf"
ln -sf ../conf-available/rebound.conf "$ROOTFS/etc/apache2/conf-enabled/rebound.conf"
# Smaller image: no package caches or lists are needed at run time.
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/doc/* \
       "$ROOTFS"/usr/share/man/*

log "importing as $IMAGE"
tar -C "$ROOTFS" -c . | docker import \
  -c 'CMD ["/usr/local/bin/start-apache"]' \
  -c 'EXPOSE 80' \
  -c "LABEL $RECIPE_LABEL=$(recipe_hash)" \
  -m "Debian bookworm minbase + apache2 for the Rebound it-tests" \
  - "$IMAGE" > /dev/null
log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE") bytes)"
