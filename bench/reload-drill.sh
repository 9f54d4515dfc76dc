#!/usr/bin/env bash
# The reload drill: runs `rebound demo` (supervisor + proxy + three embedded backends on 127.0.0.1:8080-8083)
# under a keep-alive load from wrk, and runs `rebound reload` RELOADS times, 3 s apart: each starts a new proxy on the
# supervisor's listening socket and drains the old one. Prints each reload's outcome and wrk's summary, whose
# "Socket errors" and "Non-2xx" lines are the figures that must stay absent. Loopback only; leaves nothing running.
#
#   bench/reload-drill.sh [RELOADS] [CONNECTIONS]   defaults 10 and 32; needs wrk (apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
reloads=${1:-10}
connections=${2:-32}
command -v wrk > /dev/null || { echo "bench/reload-drill.sh: needs wrk: apt-get install -y wrk" >&2; exit 1; }
# shellcheck source=bench/demo-lib.sh
. bench/demo-lib.sh
demo_require_build bench/reload-drill.sh
demo_require_free_ports bench/reload-drill.sh
url=$demo_url
log=$(mktemp /tmp/rebound-reload-drill.XXXXXX.log)
wrk_out=$(mktemp /tmp/rebound-reload-wrk.XXXXXX.txt)

demo_start "$log"
load=
cleanup() {
    [ -z "$load" ] || kill "$load" 2>/dev/null || true
    demo_stop
}
trap cleanup EXIT
demo_await_served bench/reload-drill.sh "$log"

duration=$(( reloads * 3 + 6 ))
echo "wrk -t1 -c$connections -d${duration}s (keep-alive) against $url; $reloads reloads, 3 s apart; demo log: $log"
wrk -t1 -c"$connections" -d"${duration}s" --latency "$url" > "$wrk_out" 2>&1 &
load=$!
sleep 3
failed=0
for i in $(seq 1 "$reloads"); do
    started=$(date +%s%N)
    if outcome=$("${dist}bin/rebound" reload 2>&1); then
        echo "reload $i: $(( ($(date +%s%N) - started) / 1000000 )) ms: $outcome"
    else
        failed=$(( failed + 1 ))
        echo "reload $i FAILED: $outcome"
    fi
    sleep 3
done
wait "$load" || true
load=
echo "--- wrk"
cat "$wrk_out"
echo "--- reloads failed: $failed of $reloads; supervisor: $("${dist}bin/rebound" status | grep -E 'Reloads|Restarts' | tr -s ' ' | tr '\n' ';')"
