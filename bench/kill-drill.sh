#!/usr/bin/env bash
# The kill -9 drill, measured from the client's side: runs `rebound demo` (supervisor + proxy + three
# embedded backends on 127.0.0.1:8080-8083), starts bench/Probe.java (a GET on a new connection every 10 ms, each on its
# own thread), and `kill -9`s the proxy DRILLS times, 3 s apart (more often would be a crash loop on purpose). Prints the
# probe's summary: refused connections, failed requests and latencies. Loopback only; leaves nothing running.
#
#   bench/kill-drill.sh [DRILLS] [SHARE] [STANDBY]
#       DRILLS   default 20
#       SHARE    on (default) or off (rebound.supervisor.share-listener; off = each proxy binds :8080 itself)
#       STANDBY  0 (default) or 1 (rebound.supervisor.standby: a second proxy serves the same socket; the drill kills
#                the main one, as `rebound status` names it, and waits for the new standby before the next kill)
set -euo pipefail
cd "$(dirname "$0")/.."
drills=${1:-20}
share=${2:-on}
standby=${3:-0}
# shellcheck source=bench/demo-lib.sh
. bench/demo-lib.sh
demo_require_build bench/kill-drill.sh
demo_require_free_ports bench/kill-drill.sh
log=$(mktemp /tmp/rebound-kill-drill.XXXXXX.log)

proxy_pid() { "${dist}bin/rebound" status 2>/dev/null | awk '/Main PID:/ { print $3 }' | grep -E '^[0-9]+$' || true; }
standby_ready() { "${dist}bin/rebound" status 2>/dev/null | grep -q 'Standby: pid [0-9]* (ready'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

CONFIG_FORCE_rebound_supervisor_share__listener=$share CONFIG_FORCE_rebound_supervisor_standby=$standby \
    demo_start "$log"
probe=
cleanup() {
    [ -z "$probe" ] || kill "$probe" 2>/dev/null || true
    demo_stop
}
trap cleanup EXIT

demo_await_served bench/kill-drill.sh "$log"
deadline=$(( $(now_ms) + 60000 ))
if [ "$standby" != 0 ]; then
    until standby_ready; do
        [ "$(now_ms)" -lt "$deadline" ] || { echo "no ready standby; log: $log" >&2; exit 1; }
        sleep 0.2
    done
fi

seconds=$(( drills * (standby == 0 ? 3 : 6) + 3 ))
java bench/Probe.java 8080 "$seconds" > "$log.probe" &
probe=$!
sleep 2
for i in $(seq 1 "$drills"); do
    pid=$(proxy_pid)
    [ -n "$pid" ] || { echo "no proxy process found; log: $log" >&2; exit 1; }
    echo "drill $i: kill -9 $pid at $(now_ms)"
    kill -9 "$pid"
    sleep 3
    if [ "$standby" != 0 ]; then
        for _ in $(seq 1 50); do standby_ready && break; sleep 0.2; done
    fi
done
wait "$probe"
probe=
echo "share-listener=$share standby=$standby drills=$drills (supervisor log: $log)"
cat "$log.probe"
