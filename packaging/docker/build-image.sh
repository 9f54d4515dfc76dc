#!/usr/bin/env bash
# Builds Rebound's image from the distribution tarball on the local base image (build-base-image.sh), offline:
# `docker build` of packaging/docker/Dockerfile with the tarball as the only file of its context.
#
# Usage: build-image.sh [IMAGE [TARBALL [BASE]]]
#   IMAGE    default rebound/rebound:<version>
#   TARBALL  default packaging/target/rebound-<version>.tar.gz (./mvnw -B -DskipTests package builds it)
#   BASE     default rebound/base:bookworm
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "[build-image] $*"; }

TARBALL="${2:-}"
if [[ -z "$TARBALL" ]]; then
  TARBALL="$(ls "$HERE"/../target/rebound-*.tar.gz 2>/dev/null | head -n1 || true)"
fi
if [[ -z "$TARBALL" || ! -f "$TARBALL" ]]; then
  log "no distribution tarball ${TARBALL:-in packaging/target}: build it first (./mvnw -B -DskipTests package)"
  exit 1
fi
NAME="$(basename "$TARBALL" .tar.gz)"
VERSION="${NAME#rebound-}"
IMAGE="${1:-rebound/rebound:$VERSION}"
BASE="${3:-rebound/base:bookworm}"
if ! docker image inspect "$BASE" > /dev/null 2>&1; then
  log "no base image $BASE: build it with $HERE/build-base-image.sh (or dev/setup-test-env.sh)"
  exit 1
fi

CONTEXT="$(mktemp -d /tmp/rebound-image-context.XXXXXX)"
cleanup() { rm -rf "$CONTEXT"; }
trap cleanup EXIT
cp "$HERE/Dockerfile" "$CONTEXT/Dockerfile"
cp "$TARBALL" "$CONTEXT/$NAME.tar.gz"
cp "$HERE/entrypoint.sh" "$CONTEXT/entrypoint.sh"

log "building $IMAGE from $NAME.tar.gz on $BASE"
docker build --pull=false -q --build-arg "BASE=$BASE" --build-arg "VERSION=$VERSION" -t "$IMAGE" "$CONTEXT" > /dev/null
log "built $IMAGE"
