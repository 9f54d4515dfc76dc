#!/bin/sh
# PID 1 of Rebound's container: `rebound run` (the supervisor, which runs the proxy), and beside it keepalived when
# REBOUND_KEEPALIVED=1 or /etc/keepalived/keepalived.conf exists.
#
# SIGTERM (docker stop) or SIGINT: keepalived stops first, so its last advertisement (priority 0) hands the virtual
# address to the BACKUP at once; then the supervisor drains the proxy and the container exits with its code (0 after
# a graceful stop). Connections the proxy accepted on the virtual address before the handover would lose their answer
# when keepalived removes the address (the kernel can no longer send from it), so the address stays on `lo` while the
# proxy drains: local, but not announced by ARP when the kernel is told to answer ARP only for addresses of the asking
# interface (net.ipv4.conf.all.arp_ignore=1, arp_announce=2; a container: --sysctl). Without those settings it is
# left out: a stopping machine must not answer ARP for an address the other one now holds. When the supervisor ends by itself, keepalived is stopped too and the container exits, so the
# address moves and Docker or Swarm restarts the container.
#
# Environment: REBOUND_CONFIG (default /etc/rebound/rebound.conf), REBOUND_KEEPALIVED (1: start keepalived),
# KEEPALIVED_CONFIG (default /etc/keepalived/keepalived.conf), and the launcher's (REBOUND_JAVA_OPTS, JAVA_HOME).
set -u

config=${REBOUND_CONFIG:-/etc/rebound/rebound.conf}
keepalived_config=${KEEPALIVED_CONFIG:-/etc/keepalived/keepalived.conf}

if [ "${REBOUND_KEEPALIVED:-}" != 1 ] && [ ! -f "$keepalived_config" ]; then
    # Nothing beside it: the supervisor becomes PID 1 and takes the signals itself.
    exec /opt/rebound/bin/rebound run --config "$config"
fi

# After `docker kill` the pid files of the last run are still there, and keepalived refuses to start while one is.
rm -f /run/keepalived.pid /run/vrrp.pid /run/checkers.pid /var/run/keepalived.pid
# The machine's own addresses: any other global address at stop time is one keepalived added.
own_addresses=$(ip -4 -o addr show scope global | awk '{print $4}')
/opt/rebound/bin/rebound run --config "$config" &
rebound=$!
keepalived --dont-fork --log-console --use-file "$keepalived_config" &
keepalived=$!

# Keeps each virtual address this machine holds on lo until the container ends (see above), if ARP is set up for it.
keep_virtual_addresses_local() {
    arp_ignore=$(cat /proc/sys/net/ipv4/conf/all/arp_ignore 2>/dev/null || echo 0)
    arp_announce=$(cat /proc/sys/net/ipv4/conf/all/arp_announce 2>/dev/null || echo 0)
    if [ "$arp_ignore" -lt 1 ] || [ "$arp_announce" -lt 2 ]; then
        echo "rebound-entrypoint: arp_ignore=$arp_ignore arp_announce=$arp_announce: connections open on the virtual" \
            "address end with it (set net.ipv4.conf.all.arp_ignore=1 and arp_announce=2 to let them finish)" >&2
        return
    fi
    for address in $(ip -4 -o addr show scope global | awk '{print $4}'); do
        case " $(echo $own_addresses) " in
            *" $address "*) ;;
            *) ip addr add "${address%/*}/32" dev lo 2>/dev/null \
                   && echo "rebound-entrypoint: ${address%/*} stays on lo while the proxy drains" >&2 ;;
        esac
    done
}

stop() {
    trap '' TERM INT
    keep_virtual_addresses_local
    kill -TERM "$keepalived" 2>/dev/null
    wait "$keepalived"
    kill -TERM "$rebound" 2>/dev/null
    wait "$rebound"
    exit $?
}
trap stop TERM INT

wait "$rebound"
code=$?
echo "rebound-entrypoint: the supervisor exited with $code; stopping keepalived" >&2
trap '' TERM INT
kill -TERM "$keepalived" 2>/dev/null
wait "$keepalived"
exit "$code"
