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
# shellcheck source=debian-rootfs.sh
source "$HERE/debian-rootfs.sh"

# Every file of the recipe, in a fixed order: a change to any of them makes a new hash.
recipe_hash() { cat "$HERE"/build-apache-image.sh "$HERE"/debian-rootfs.sh "$HERE"/start-apache.sh \
                    "$HERE"/apache-rebound.conf | sha256sum | cut -c1-16; }

if [[ "${1:-}" == "--recipe-hash" ]]; then
  recipe_hash
  exit 0
fi
IMAGE="${1:-rebound-it/apache:bookworm}"

ROOTFS="$(mktemp -d /tmp/rebound-apache-rootfs.XXXXXX)"
cleanup() { rm -rf --one-file-system "$ROOTFS"; }
trap cleanup EXIT

debootstrap_rootfs "$ROOTFS" apache2

log "adding start-up script and Apache settings"
install -m 0755 "$HERE/start-apache.sh" "$ROOTFS/usr/local/bin/start-apache"
install -m 0644 "$HERE/apache-rebound.conf" "$ROOTFS/etc/apache2/conf-available/rebound.conf"
ln -sf ../conf-available/rebound.conf "$ROOTFS/etc/apache2/conf-enabled/rebound.conf"
slim_rootfs "$ROOTFS"

log "importing as $IMAGE"
tar -C "$ROOTFS" -c . | docker import \
  -c 'CMD ["/usr/local/bin/start-apache"]' \
  -c 'EXPOSE 80' \
  -c "LABEL $RECIPE_LABEL=$(recipe_hash)" \
  -m "Debian bookworm minbase + apache2 for the Rebound it-tests" \
  - "$IMAGE" > /dev/null
log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE") bytes)"
