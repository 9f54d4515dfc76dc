#!/usr/bin/env bash
# The pkill drill, measured: runs `rebound demo` (supervisor + proxy + three embedded backends), then N times
# `kill -9`s the proxy process and measures the time from the kill to the next successful proxied request
# (a new connection every 10 ms). Prints each drill and the median and max. Loopback only; leaves nothing running.
#
#   bench/recovery.sh [DRILLS]        (default 20; build first with ./mvnw -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
drills=${1:-20}
dist=$(ls -d packaging/target/rebound-*/ 2>/dev/null | head -n 1)
[ -n "$dist" ] || { echo "bench/recovery.sh: build first: ./mvnw -B -DskipTests package" >&2; exit 1; }
url=http://127.0.0.1:8080/
log=$(mktemp /tmp/rebound-recovery.XXXXXX.log)

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
proxy_pid() { pgrep -f 'io.rebound.proxy.ProxyMain' | head -n 1 || true; }
served() { curl -s --max-time 1 "$url" 2>/dev/null | grep -q '^This is apache'; }

"${dist}bin/rebound" demo >"$log" 2>&1 &
demo=$!
cleanup() {
    kill -TERM "$demo" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$demo" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$demo" 2>/dev/null || true
    pkill -KILL -f 'io.rebound.proxy.ProxyMain' 2>/dev/null || true
}
trap cleanup EXIT

deadline=$(( $(now_ms) + 60000 ))
until served; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "demo did not start; log: $log" >&2; exit 1; }
    sleep 0.1
done

results=()
for i in $(seq 1 "$drills"); do
    pid=$(proxy_pid)
    [ -n "$pid" ] || { echo "no proxy process found; log: $log" >&2; exit 1; }
    start=$(now_ms)
    kill -9 "$pid"
    failures=0
    until served; do
        failures=$((failures + 1))
        [ $(( $(now_ms) - start )) -lt 30000 ] || { echo "drill $i: no recovery within 30 s; log: $log" >&2; exit 1; }
        sleep 0.01
    done
    took=$(( $(now_ms) - start ))
    results+=("$took")
    printf 'drill %2d: killed pid %s, served again after %5d ms (%d failed probes)\n' "$i" "$pid" "$took" "$failures"
    # Space the kills: 5 starts within 10 s is a crash loop (start-limit-burst), which would lengthen the restart
    # delay on purpose, as systemd's start limit would.
    sleep 2.5
done

sorted=$(printf '%s\n' "${results[@]}" | sort -n)
count=${#results[@]}
median=$(echo "$sorted" | awk -v n="$count" 'NR == int((n + 1) / 2) { a = $1 } NR == int(n / 2) + 1 { b = $1 } END { print (n % 2 ? a : int((a + b) / 2)) }')
max=$(echo "$sorted" | tail -n 1)
echo "recovery after kill -9 of the proxy: drills=$count median=${median}ms max=${max}ms"
