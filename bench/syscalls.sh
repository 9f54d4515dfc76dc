#!/usr/bin/env bash
# System calls per proxied request: counts, not timings, so a busy machine gives the same figures as a quiet one.
#
#   bench/syscalls.sh [REQUESTS_SECONDS]      # default 5
#
# Starts one nginx backend (as bench/compare.sh's, `master_process off`) and the proxy from lb-core's compiled
# classes (ProxyMain, no supervisor, checks off, access log off, the other settings the defaults) in front of it,
# warms the JIT with `wrk -t1 -c8` for 10 s, then runs `strace -c -f -p PROXY_PID` around a second, measured wrk run
# and divides every call count by the requests wrk made. Under strace the C2 compiler thread keeps working after the
# warm-up: the gettid calls in the count are its (strace -k shows), not the request path's. Loopback only (ports
# 19311-19313), everything under nice and timeout, nothing left running afterwards. Needs nginx, wrk and strace
# (apt-get install nginx wrk strace).
# Knobs: SYSCALLS_CONNECTIONS (8), SYSCALLS_WARMUP (seconds, 10), SYSCALLS_RESULTS (a directory to keep; default a
# temporary one, removed), SYSCALLS_HEADER (an extra wrk header, e.g. "Connection: close").
set -euo pipefail

seconds=${1:-5}
connections=${SYSCALLS_CONNECTIONS:-8}
warmup=${SYSCALLS_WARMUP:-10}
proxy_port=19311 backend_port=19312 admin_port=19313
root=$(cd "$(dirname "$0")/.." && pwd)
work=${SYSCALLS_RESULTS:-$(mktemp -d /tmp/rebound-syscalls.XXXXXX)}
mkdir -p "$work/backend/tmp"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -n "${SYSCALLS_RESULTS:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

for tool in nginx wrk strace; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || { echo "missing: $tool" >&2; exit 1; }
done

(cd "$root" && nice -n 19 ./mvnw -B -q -pl lb-core compile dependency:build-classpath \
    -Dmdep.outputFile="$work/classpath.txt" >"$work/build.log" 2>&1) || { cat "$work/build.log" >&2; exit 1; }

cat >"$work/backend/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $work/backend/nginx.pid;
error_log $work/backend/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $work/backend/tmp; proxy_temp_path $work/backend/tmp; fastcgi_temp_path $work/backend/tmp;
    uwsgi_temp_path $work/backend/tmp; scgi_temp_path $work/backend/tmp;
    server {
        listen 127.0.0.1:$backend_port;
        location / { return 200 "This is backend1\n"; }
    }
}
EOF
nice -n 19 /usr/sbin/nginx -p "$work/backend" -c "$work/backend/nginx.conf" >"$work/backend.log" 2>&1 &
pids+=($!)

cat >"$work/rebound.conf" <<EOF
rebound {
  bind = "127.0.0.1:$proxy_port"
  servers = [ { name = backend1, address = "127.0.0.1:$backend_port", check = off } ]
  admin.bind = "127.0.0.1:$admin_port"
  access-log = off
}
EOF
nice -n 19 java -cp "$root/lb-core/target/classes:$(cat "$work/classpath.txt")" io.rebound.proxy.ProxyMain \
    --config "$work/rebound.conf" >"$work/proxy.log" 2>&1 &
proxy=$!
pids+=("$proxy")

for _ in $(seq 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$proxy_port/" 2>/dev/null && break
    sleep 0.1
done
curl -fsS -o /dev/null "http://127.0.0.1:$proxy_port/"

header=()
[ -z "${SYSCALLS_HEADER:-}" ] || header=(-H "$SYSCALLS_HEADER")
nice -n 19 timeout $((warmup + 30)) wrk -t1 -c"$connections" -d"${warmup}s" "${header[@]}" \
    "http://127.0.0.1:$proxy_port/" >"$work/warmup.txt"

strace -c -f -p "$proxy" -o "$work/strace.txt" 2>"$work/strace.log" &
tracer=$!
pids+=("$tracer")
sleep 1
nice -n 19 timeout $((seconds + 30)) wrk -t1 -c"$connections" -d"${seconds}s" "${header[@]}" \
    "http://127.0.0.1:$proxy_port/" >"$work/wrk.txt"
kill -INT "$tracer"
wait "$tracer" 2>/dev/null || true

requests=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
echo "requests: $requests (wrk -t1 -c$connections -d${seconds}s${SYSCALLS_HEADER:+ -H '$SYSCALLS_HEADER'})"
grep -E 'Non-2xx|Socket errors' "$work/wrk.txt" || true
awk -v n="$requests" '
    $1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" { name = $NF; calls = $4; total += calls;
        printf "%-16s %10d calls %8.3f per request\n", name, calls, calls / n }
    END { printf "%-16s %10d calls %8.3f per request\n", "total", total, total / n }
' "$work/strace.txt"
