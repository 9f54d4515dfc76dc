# Shared steps of the it-tests image recipes (sourced, not run): a minimal Debian bookworm root from this machine's
# apt mirror with debootstrap, slimmed, then `docker import`ed. Nothing is pulled from a container registry.
# The sourcing script sets HERE and RECIPE_LABEL and defines log().

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

# debootstrap_rootfs DIR PACKAGES: minbase bookworm plus the comma-separated PACKAGES into DIR.
debootstrap_rootfs() {
  local dir=$1 packages=$2 mirror
  mirror="$(debian_mirror)"
  log "debootstrap bookworm (minbase + $packages) from $mirror into $dir"
  debootstrap --variant=minbase --include="$packages" bookworm "$dir" "$mirror" > "$dir.debootstrap.log" 2>&1 || {
    log "debootstrap failed; last lines of $dir.debootstrap.log:"; tail -n 30 "$dir.debootstrap.log"; exit 1; }
  rm -f "$dir.debootstrap.log"
}

# slim_rootfs DIR: no package caches, lists or documentation are needed at run time.
slim_rootfs() {
  rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/* "$1"/usr/share/doc/* "$1"/usr/share/man/*
}
