#!/usr/bin/env bash
# Builds the systemd image of the it-tests: a Debian machine booting systemd as PID 1, with a Java runtime, on which
# SystemdServiceIT installs the packaged distribution and its systemd unit exactly as an operator would, then runs the
# reference drills through systemctl (pkill of the proxy, kill of the supervisor, stop, an invalid config).
#
# Usage: build-systemd-image.sh [IMAGE]   (default rebound-it/systemd:bookworm)
#        build-systemd-image.sh --recipe-hash   prints the hash of this recipe (image label io.rebound.it.recipe)
# Needs: root, debootstrap, a Docker engine. Takes about a minute the first time.
# The container needs --cap-add SYS_ADMIN, seccomp unconfined, tmpfs on /run and /run/lock and /sys/fs/cgroup
# (--privileged does not work on this kind of machine); the test sets them.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RECIPE_LABEL="io.rebound.it.recipe"
log() { echo "[build-systemd-image] $*"; }
# shellcheck source=debian-rootfs.sh
source "$HERE/debian-rootfs.sh"

recipe_hash() { cat "$HERE"/build-systemd-image.sh "$HERE"/debian-rootfs.sh | sha256sum | cut -c1-16; }

if [[ "${1:-}" == "--recipe-hash" ]]; then
  recipe_hash
  exit 0
fi
IMAGE="${1:-rebound-it/systemd:bookworm}"

ROOTFS="$(mktemp -d /tmp/rebound-systemd-rootfs.XXXXXX)"
cleanup() { rm -rf --one-file-system "$ROOTFS"; }
trap cleanup EXIT

# systemd-sysv makes systemd /sbin/init; dbus lets systemctl talk to it; curl and procps are the operator's tools
# of the drills (curl, pgrep, pkill, ps).
debootstrap_rootfs "$ROOTFS" systemd,systemd-sysv,dbus,openjdk-17-jre-headless,curl,procps
# Units that have no business in a test container and only slow the boot down.
for unit in systemd-timesyncd.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer \
            dpkg-db-backup.timer; do
  ln -sf /dev/null "$ROOTFS/etc/systemd/system/$unit"
done
slim_rootfs "$ROOTFS"

log "importing as $IMAGE"
tar -C "$ROOTFS" -c . | docker import \
  -c 'CMD ["/sbin/init"]' \
  -c "LABEL $RECIPE_LABEL=$(recipe_hash)" \
  -m "Debian bookworm minbase + systemd + OpenJDK 17 for the Rebound it-tests" \
  - "$IMAGE" > /dev/null
log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE") bytes)"
