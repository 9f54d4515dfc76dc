#!/usr/bin/env bash
# Prepares this machine for the whole test suite (idempotent; run as root; safe to run again):
#   - a Docker engine for the it-tests: uses the one that answers, else installs Debian's docker.io and starts dockerd
#   - the images of the it-tests, built locally from Debian packages: rebound-it/apache:bookworm (the backends),
#     rebound-it/systemd:bookworm (a systemd machine with Java, for the distribution's systemd unit) and
#     rebound/base:bookworm (Java and keepalived: the base of Rebound's own image, which the drills of a pair and of a
#     Swarm group complete with the distribution Maven built, see packaging/docker/)
#   - Debian's prometheus (promtool for the metrics tests, the server for the scrape drill)
#   - systemd (systemd-analyze verify for the unit file test)
#   - dnsmasq-base (a real DNS server for the tests of servers by name in lb-core)
#   - chromium and chromium-driver (headless Chromium for the supervisor's status page test, StatusPageBrowserTest)
#   - strace (counts the proxy's epoll_ctl calls in lb-core's KeepAliveSystemCallsProcessTest)
# Nothing is pulled from a container registry.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APACHE_IMAGE="rebound-it/apache:bookworm"
SYSTEMD_IMAGE="rebound-it/systemd:bookworm"
BASE_IMAGE="rebound/base:bookworm"
DOCKERD_LOG="/var/log/rebound-dockerd.log"
DOCKERD_WAIT_SECONDS=60

log() { echo "[setup-test-env] $*"; }

APT_UPDATED=no
apt_install() {
  if [[ "$APT_UPDATED" == no ]]; then
    log "apt-get update"
    apt-get update -qq
    APT_UPDATED=yes
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" > /dev/null
}

docker_answers() { docker info > /dev/null 2>&1; }

ensure_docker() {
  if command -v docker > /dev/null && docker_answers; then
    log "Docker engine answers: using it ($(docker version -f '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    return
  fi
  if ! command -v dockerd > /dev/null; then
    apt_install docker.io
  fi
  if ! pgrep -x dockerd > /dev/null; then
    log "starting dockerd in the background (log: $DOCKERD_LOG)"
    # Its own session: it outlives this script and whatever process group ran it (CI's, a terminal's).
    setsid nohup dockerd >> "$DOCKERD_LOG" 2>&1 < /dev/null &
  else
    log "dockerd is running but does not answer yet; waiting for it"
  fi
  local waited=0
  until docker_answers; do
    if (( waited >= DOCKERD_WAIT_SECONDS )); then
      log "Docker engine did not answer within ${DOCKERD_WAIT_SECONDS}s; last lines of $DOCKERD_LOG:"
      tail -n 30 "$DOCKERD_LOG" >&2 || true
      exit 1
    fi
    sleep 1
    waited=$(( waited + 1 ))
  done
  log "Docker engine answers after ${waited}s ($(docker version -f '{{.Server.Version}}'))"
}

# ensure_image IMAGE RECIPE: builds IMAGE with RECIPE unless an image of the same recipe hash exists.
ensure_image() {
  local image=$1 recipe=$2 wanted built old_id
  wanted="$("$recipe" --recipe-hash)"
  built="$(docker image inspect -f '{{index .Config.Labels "io.rebound.it.recipe"}}' "$image" 2>/dev/null || true)"
  if [[ "$built" == "$wanted" ]]; then
    log "image $image exists (recipe $wanted)"
    return
  fi
  old_id="$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)"
  if [[ -n "$old_id" ]]; then
    log "image $image was built from another recipe (${built:-none}); rebuilding"
  fi
  command -v debootstrap > /dev/null || apt_install debootstrap
  log "building image $image from recipe $wanted (about a minute)"
  "$recipe" "$image"
  if [[ -n "$old_id" ]]; then
    # The replaced image is untagged now; remove it unless a container still uses it.
    docker image rm "$old_id" > /dev/null 2>&1 || log "kept the replaced image $old_id (still in use)"
  fi
}

ensure_prometheus() {
  if command -v prometheus > /dev/null && command -v promtool > /dev/null; then
    log "prometheus and promtool present"
    return
  fi
  # The tests start their own Prometheus on a free loopback port with a scrape config of their own.
  apt_install prometheus
  log "prometheus $(prometheus --version 2>&1 | head -n1 | awk '{print $3}') installed"
}

ensure_systemd_analyze() {
  if command -v systemd-analyze > /dev/null; then
    log "systemd-analyze present"
    return
  fi
  apt_install systemd
}

ensure_dnsmasq() {
  if command -v dnsmasq > /dev/null || [[ -x /usr/sbin/dnsmasq ]]; then
    log "dnsmasq present"
    return
  fi
  # Only the binary: the tests start it on a free loopback port with a hosts file of their own.
  apt_install dnsmasq-base
}

ensure_chromium() {
  if command -v chromium > /dev/null && command -v chromedriver > /dev/null; then
    log "chromium and chromedriver present"
    return
  fi
  # The browser test points Selenium at /usr/bin/chromium and /usr/bin/chromedriver: nothing is downloaded at test time.
  apt_install chromium chromium-driver
}

ensure_strace() {
  if command -v strace > /dev/null; then
    log "strace present"
    return
  fi
  apt_install strace
}

ensure_docker
ensure_image "$APACHE_IMAGE" "$REPO/it-tests/docker/build-apache-image.sh"
ensure_image "$SYSTEMD_IMAGE" "$REPO/it-tests/docker/build-systemd-image.sh"
ensure_image "$BASE_IMAGE" "$REPO/packaging/docker/build-base-image.sh"
ensure_prometheus
ensure_systemd_analyze
ensure_dnsmasq
ensure_chromium
ensure_strace
log "done"
