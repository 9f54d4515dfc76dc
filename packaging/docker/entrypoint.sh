#!/bin/sh
# PID 1 of Rebound's container: `rebound run` (the supervisor, which runs the proxy), and beside it keepalived when
# REBOUND_KEEPALIVED=1 or /etc/keepalived/keepalived.conf exists.
#
# SIGTERM (docker stop) or SIGINT: keepalived stops first, so its last advertisement (priority 0) hands the virtual
# address to the BACKUP at once; then the supervisor drains the proxy and the container exits with its code (0 after
# a graceful stop). When the supervisor ends by itself, keepalived is stopped too and the container exits, so the
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
/opt/rebound/bin/rebound run --config "$config" &
rebound=$!
keepalived --dont-fork --log-console --use-file "$keepalived_config" &
keepalived=$!

stop() {
    trap '' TERM INT
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
