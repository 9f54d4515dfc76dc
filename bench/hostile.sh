#!/usr/bin/env bash
# Hostile clients against Rebound, HAProxy and nginx, in one run, each proxy in front of the same three nginx
# backends with the settings of bench/compare.sh (set up by bench/bench-lib.sh):
#
#   bench/hostile.sh                                   defaults: 5 attacks x 3 proxies x about 47 s, about 12 minutes
#   HOSTILE_SECONDS=8 HOSTILE_CONNS=200 HOSTILE_IDLE=1000 HOSTILE_HEADS_CONNS=100 bench/hostile.sh   smoke, ~3.5 min
#   HOSTILE_TARGETS=rebound HOSTILE_ATTACKS="heads" bench/hostile.sh                                 one cell
#
# For every attack and every proxy (a fresh start of the proxy per attack, so that one attack's leftovers, such as a
# grown JVM heap, do not count in the next), the attacker runs for HOSTILE_SECONDS while a probe
# (bench/hostile-clients.py probe) sends a normal `GET /` on a new connection every 100 ms, each on its own thread,
# HOSTILE_SECONDS * 10 probes; a probe fails on a non-200, a connection error, or no complete answer within 2 s.
# The attacks (slowhttptest from Debian's package of that name; the others from bench/hostile-clients.py):
#   slowloris  slowhttptest -H -c CONNS -r RATE -i 10 -l SECONDS -p 2 -u http://127.0.0.1:PORT/
#   slow-body  slowhttptest -B -c CONNS -r RATE -i 10 -s 8192 -l SECONDS -p 2 -u http://127.0.0.1:PORT/
#   slow-read  slowhttptest -X -c CONNS -r RATE -w 512 -y 1024 -n 5 -z 32 -k 3 -l SECONDS -p 2
#              -u http://127.0.0.1:PORT/large      (the backends serve 1 MiB at /large)
#   idle       IDLE TCP connections opened (1 s connect timeout each) and held, nothing sent, until SECONDS
#   heads      ROUNDS rounds of HEADS_CONNS connections, each sending `GET / HTTP/1.1`, `Host: x` and then HEADS_KB KiB
#              of `X-Filler-N: <1000 chars>` header lines as fast as the proxy reads, never the blank line that ends
#              the head; a round ends when all was sent or refused (or nothing moved for 5 s), then its connections
#              are closed; at most SECONDS in all (the probes run SECONDS whatever the rounds take)
# Per attack one table, a row per proxy: probes sent, failed, p50 and p99 latency of all probes (a failed one counts
# with the time it took to fail), the proxy's RSS at the start and its peak (VmRSS of /proc/PID/status sampled every
# 200 ms, summed over the proxy's processes: HAProxy's one process, nginx's master and 2 workers, Rebound's proxy
# JVM (the child, pgrep -f io.rebound.proxy.ProxyMain); Rebound's supervisor JVM in its own column), restarts of the
# proxy during the attack (Rebound: `rebound status`, Restarts: N, with the reasons in the raw figures; HAProxy and
# nginx: how often their restart loop started them again), and what the attacker saw (slowhttptest: the most
# connections it had open at its 5-second reports, and its exit status; idle: connections opened and closed by the
# proxy; heads: per round, fully sent, closed by the proxy, and the answers). Under the table, the reasons of the
# failed probes.
#
# Settings (equivalent in the three; as bench/compare.sh, which names Debian's defaults where it departs from them):
#   all      2 threads or processes, round robin, health checks every 1 s (nginx: passive), retries on another
#            server, pooled keep-alive server connections, X-Forwarded-For, no access log; restarted 100 ms after
#            they end (HAProxy and nginx: a bash loop, as systemd's Restart=always RestartSec=100ms; Rebound: its
#            supervisor, `bin/rebound run --config FILE`, launcher and child JVM defaults: SerialGC, -Xmx512m,
#            -XX:+ExitOnOutOfMemoryError)
#   HAProxy  `maxconn 20000` (global; compare.sh has 4096, Debian's haproxy.cfg none), timeout client 60s (no
#            `timeout http-request`: Debian's haproxy.cfg has none either), HAProxy sizes its own fd limit from maxconn
#   nginx    `worker_processes 2; worker_connections 20000` (compare.sh 4096, Debian's nginx.conf 768), nginx's
#            defaults otherwise (client_header_timeout and client_body_timeout 60s, large_client_header_buffers 4 8k,
#            proxy_buffering on)
#   Rebound  reference.conf defaults (client-idle 60s, Undertow's header limits) but for the settings above
#   limits   `ulimit -n 65536` for this script, so for every proxy, backend, attacker and probe it starts. Where the
#            hard limit cannot be raised (a container without CAP_SYS_RESOURCE; 20000 on the development machine)
#            all run with the hard limit, and HAProxy, which by default refuses to start without 2 descriptors per
#            maxconn, gets `no strict-limits` (idle and slow clients take one descriptor each); the script says so
#   backends 3 x nginx as in bench/compare.sh (worker_connections 20000), plus 1 MiB of random bytes at /large, and a
#            POST answered only once its whole body has arrived (as an application reads its input; nginx buffers
#            it and passes it on to a sink on a unix socket); a bare `return 200` would answer at once, and a proxy
#            that streams bodies would then close the slow client's connection, which would measure nothing
#
# Environment (defaults in brackets):
#   HOSTILE_SECONDS [40]  attack and probe duration per proxy and attack
#   HOSTILE_CONNS [3000]  slowhttptest -c;  HOSTILE_RATE [300] slowhttptest -r (connections per second)
#   HOSTILE_IDLE [10000]  idle connections
#   HOSTILE_HEADS_CONNS [700], HOSTILE_HEADS_KB [900], HOSTILE_HEADS_ROUNDS [3]   the heads attack
#   HOSTILE_TARGETS ["haproxy nginx rebound"], HOSTILE_ATTACKS ["slowloris slow-body slow-read idle heads"]; the
#       attack `none` (probes only, no attacker) is there for a baseline
#   HOSTILE_RESULTS [/tmp/rebound-hostile-YYYYmmdd-HHMMSS]  where configurations, logs, raw probe lines
#       (probes-ATTACK-TARGET.txt: epoch ms, ok|failed, status, latency ms, detail), RSS samples, attacker output and
#       results.tsv go
# Installs what is missing (Debian's haproxy, nginx, slowhttptest, python3, curl; Java 17; builds the distribution
# when packaging/target has none). Loopback only (ports 19201-19214, which must be free); every attacker and probe runs
# under timeout(1) and is killed at the end of its attack; leaves nothing running, also on Ctrl-C or failure.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${HOSTILE_SECONDS:-40}
conns=${HOSTILE_CONNS:-3000}
rate=${HOSTILE_RATE:-300}
idle_conns=${HOSTILE_IDLE:-10000}
heads_conns=${HOSTILE_HEADS_CONNS:-700}
heads_kb=${HOSTILE_HEADS_KB:-900}
heads_rounds=${HOSTILE_HEADS_ROUNDS:-3}
targets=${HOSTILE_TARGETS:-haproxy nginx rebound}
attacks=${HOSTILE_ATTACKS:-slowloris slow-body slow-read idle heads}
work=${HOSTILE_RESULTS:-/tmp/rebound-hostile-$(date +%Y%m%d-%H%M%S)}
for value in "$seconds" "$conns" "$rate" "$idle_conns" "$heads_conns" "$heads_kb" "$heads_rounds"; do
    case $value in
        '' | *[!0-9]* | 0) echo "bench/hostile.sh: HOSTILE_SECONDS, HOSTILE_CONNS, HOSTILE_RATE, HOSTILE_IDLE," \
            "HOSTILE_HEADS_*: positive integers" >&2; exit 64 ;;
    esac
done
[ "$seconds" -le 600 ] || { echo "bench/hostile.sh: HOSTILE_SECONDS: at most 600" >&2; exit 64; }
for target in $targets; do
    case $target in haproxy | nginx | rebound) ;; *) echo "bench/hostile.sh: unknown target $target" >&2; exit 64 ;; esac
done
for attack in $attacks; do
    case $attack in
        none | slowloris | slow-body | slow-read | idle | heads) ;;
        *) echo "bench/hostile.sh: unknown attack $attack (slowloris slow-body slow-read idle heads none)" >&2
           exit 64 ;;
    esac
done

backend_ports=(19201 19202 19203)
haproxy_port=19210
nginx_port=19211
rebound_port=19212
rebound_admin_port=19213
supervisor_admin_port=19214
standby=0
bench_maxconn=20000
bench_name=bench/hostile.sh
# shellcheck source=bench/bench-lib.sh
. bench/bench-lib.sh

# Enough descriptors for 10,000 idle connections plus the probes and the server side, in every process started below.
if ! ulimit -n 65536 2>/dev/null; then
    ulimit -n "$(ulimit -Hn)"
    say "could not raise ulimit -n to 65536 (no CAP_SYS_RESOURCE here); it is $(ulimit -n), the hard limit"
fi
if [ "$(ulimit -n)" -lt $((2 * bench_maxconn + 100)) ]; then
    # HAProxy wants 2 descriptors per connection (client and server side) and by default refuses to start when it
    # cannot get them; idle and slow clients need one each, so it runs with what there is.
    haproxy_global="no strict-limits"
    say "HAProxy runs with \`no strict-limits\`: ulimit -n $(ulimit -n) is below 2 x maxconn $bench_maxconn"
fi
bench_install slowhttptest:slowhttptest python3:python3 curl:curl
PATH=$PATH:/usr/sbin
bench_dist
bench_require_free_ports "${backend_ports[@]}" $haproxy_port $nginx_port $rebound_port $rebound_admin_port \
    $supervisor_admin_port
mkdir -p "$work"
[ -z "$(ls -A "$work")" ] || fail "$work is not empty"
started_at=$(now_ms)

n_targets=$(wc -w <<<"$targets")
n_attacks=$(wc -w <<<"$attacks")
say "results in $work"
say "estimate: $n_attacks attacks x $n_targets proxies x about $((seconds + 7)) s =" \
    "about $(( (n_attacks * n_targets * (seconds + 7) + 59) / 60 )) min"

# ---- leaving nothing running ----

declare -a jobs_started=()   # attackers, probes, samplers of the current attack

stop_jobs() {
    local pid all=()
    for pid in "${jobs_started[@]}"; do
        all+=("$pid")
        # shellcheck disable=SC2207
        all+=($(descendants "$pid"))
    done
    [ ${#all[@]} -gt 0 ] || return 0
    # timeout(1) passes TERM on to what it runs; KILL whatever is left.
    kill -TERM "${all[@]}" 2>/dev/null || true
    for _ in $(seq 1 20); do
        local alive=0
        for pid in "${all[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" = 1 ] || break
        sleep 0.1
    done
    kill -KILL "${all[@]}" 2>/dev/null || true
    for pid in "${jobs_started[@]}"; do wait "$pid" 2>/dev/null || true; done
    jobs_started=()
}

stop_target() {
    case $1 in
        haproxy) touch "$work/haproxy.stop"; stop_loop "$haproxy_loop"; wait "$haproxy_loop" 2>/dev/null || true
                 rm -f "$work/haproxy.stop"; haproxy_loop= ;;
        nginx) touch "$work/nginx.stop"; stop_loop "$nginx_loop"; wait "$nginx_loop" 2>/dev/null || true
               rm -f "$work/nginx.stop"; nginx_loop= ;;
        rebound) stop_rebound ;;
    esac
}

cleanup() {
    trap - EXIT INT TERM
    touch "$work/stop"
    stop_jobs
    stop_loop "$haproxy_loop"
    stop_loop "$nginx_loop"
    stop_rebound
    for pid in "${backend_pid[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- backends and configurations ----

mkdir -p "$work/www"
head -c 1048576 /dev/urandom >"$work/www/large"
# /large: 1 MiB for the slow read; a POST answered once its whole body has arrived (see the top).
# shellcheck disable=SC2016 # nginx's variable
backend_root_rules='if ($request_method = POST) { rewrite ^ /.body last; }'
backend_locations="location = /large { root $work/www; default_type application/octet-stream; }
        location = /.body { internal; proxy_pass http://unix:$work/backend@N@/sink.sock; }"
backend_servers="server {
        listen unix:$work/backend@N@/sink.sock;
        location / { return 200 \"This is backend@N@\\n\"; }
    }"
for n in 1 2 3; do start_backend "$n"; done
for n in 1 2 3; do await "backend$n" 10 answers "${backend_ports[$((n - 1))]}"; done
write_haproxy_conf
write_nginx_conf
write_rebound_conf

start_target() {
    case $1 in
        haproxy) restart_loop haproxy haproxy -db -f "$work/haproxy.cfg"; haproxy_loop=$! ;;
        nginx) restart_loop nginx nginx -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf"
               nginx_loop=$! ;;
        rebound) start_rebound ;;
    esac
    await "$1 serving all three backends" 60 rotates "$(port_of "$1")"
}

# Restarts so far: Rebound's supervisor count, or the restart loop's starts after the first.
restarts() {
    case $1 in
        rebound) rebound_status | awk '/Restarts:/ { sub(/.*Restarts: */, ""); print; found = 1 }
                                       END { if (!found) print "?" }' ;;
        *) echo $(( $(wc -l <"$work/$1.starts") - 1 )) ;;
    esac
}

# Every 200 ms until FILE.done exists: epoch ms, VmRSS kB summed over the proxy's processes, and (Rebound) the
# supervisor's VmRSS kB.
sample_rss() {
    local target=$1 out=$2 pids kb sup
    while [ ! -e "$out.done" ]; do
        pids=$(proxy_pids "$target" | tr '\n' ' ')
        kb=0
        # shellcheck disable=SC2086
        [ -z "${pids// /}" ] || kb=$(for pid in $pids; do cat "/proc/$pid/status" 2>/dev/null || true; done |
            awk '/^VmRSS:/ { s += $2 } END { print s + 0 }')
        sup=-
        [ "$target" != rebound ] || [ -z "$supervisor" ] ||
            sup=$(awk '/^VmRSS:/ { print $2 }' "/proc/$supervisor/status" 2>/dev/null || echo 0)
        echo "$(now_ms) $kb $sup" >>"$out"
        sleep 0.2
    done
}

attacker_command() {
    local attack=$1 port=$2
    case $attack in
        slowloris) echo "slowhttptest -H -c $conns -r $rate -i 10 -l $seconds -p 2 -u http://127.0.0.1:$port/" ;;
        slow-body) echo "slowhttptest -B -c $conns -r $rate -i 10 -s 8192 -l $seconds -p 2 -u http://127.0.0.1:$port/" ;;
        slow-read) echo "slowhttptest -X -c $conns -r $rate -w 512 -y 1024 -n 5 -z 32 -k 3 -l $seconds -p 2" \
                        "-u http://127.0.0.1:$port/large" ;;
        idle) echo "python3 bench/hostile-clients.py idle $port $idle_conns $seconds" ;;
        heads) echo "python3 bench/hostile-clients.py heads $port $heads_conns $heads_kb $heads_rounds $seconds" ;;
        none) echo "sleep $seconds" ;;
    esac
}

# A short line of what the attacker saw, from its output.
attacker_summary() {
    local attack=$1 out=$2
    case $attack in
        slowloris | slow-body | slow-read)
            sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$out" | awk '
                /^connected:/ { if ($2 + 0 > max) max = $2 + 0 }
                /^closed:/ { closed = $2 }
                /^service available:/ { reports++; if ($3 == "NO") down++ }
                /^Exit status:/ { sub(/^Exit status: */, ""); status = $0 }
                END { printf "max connected %d, closed %d at the end, its probe down in %d/%d reports, %s\n",
                      max, closed, down, reports, status == "" ? "no exit status" : status }' ;;
        idle) awk '/still_open_at_end/ { sub(/^idle: /, ""); print }' "$out" ;;
        heads) awk '/^heads: round/ { sub(/^heads: /, ""); sub(/connected=[0-9]* /, ""); gsub(/ failed_to_connect=0/, "")
                                      sub(/ sent_mib=/, ", MiB "); printf "%s%s", sep, $0; sep = "; " }
                    /not started/ { printf "%s%s", sep, $0; sep = "; " } END { print "" }' "$out" ;;
        none) echo "-" ;;
    esac
}

results="$work/results.tsv"
: >"$results"

# ---- the attacks ----

say "backends up (nginx $(nginx -v 2>&1 | sed 's|.*/||')); HAProxy $(haproxy -v | head -n 1 | awk '{ print $3 }')," \
    "Rebound $(basename "$dist" | sed 's/^rebound-//'); ulimit -n $(ulimit -n)"
for attack in $attacks; do
    for target in $targets; do
        port=$(port_of "$target")
        cell="$attack-$target"
        say "$attack against $target: $(attacker_command "$attack" "$port")"
        start_target "$target"
        before=$(restarts "$target")
        sample_rss "$target" "$work/rss-$cell.txt" &
        sampler=$!
        jobs_started+=("$sampler")
        # shellcheck disable=SC2046 # the command is words
        timeout -k 5 $((seconds + 15)) $(attacker_command "$attack" "$port") >"$work/attacker-$cell.txt" 2>&1 &
        attacker=$!
        jobs_started+=("$attacker")
        timeout -k 5 $((seconds + 30)) python3 bench/hostile-clients.py probe "$port" "$seconds" \
            "$work/probes-$cell.txt" >"$work/probe-summary-$cell.txt" 2>&1 &
        probe=$!
        jobs_started+=("$probe")
        wait "$probe" || true
        wait "$attacker" || true
        sleep 2   # a crash at the very end is counted
        after=$(restarts "$target")
        [ "$target" != rebound ] || rebound_status >"$work/status-$cell.txt"
        touch "$work/rss-$cell.txt.done"
        stop_jobs
        stop_target "$target"
        read -r probes failed p50 p99 < <(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
            END { print v["probes"] + 0, v["failed"] + 0, v["p50_ms"], v["p99_ms"] }' "$work/probe-summary-$cell.txt")
        read -r rss_start rss_peak sup_peak < <(awk '
            NR == 1 { start = $2 } { if ($2 > peak) peak = $2; if ($3 != "-" && $3 > sup) sup = $3 }
            END { printf "%.0f %.0f %s\n", start / 1024, peak / 1024, $3 == "-" ? "-" : sprintf("%.0f", sup / 1024) }' \
            "$work/rss-$cell.txt")
        if [[ ${after%% *} =~ ^[0-9]+$ && ${before%% *} =~ ^[0-9]+$ ]]; then
            restarted=$(( ${after%% *} - ${before%% *} ))
        else
            restarted="?"
        fi
        if [ "$target" = rebound ] && [ "$restarted" != 0 ]; then
            # `rebound status`: Restarts: N (exit-code a, signal b, liveness c, not-ready d), since the supervisor
            # started, which is at the start of this attack
            restarted="$restarted ($(sed -n 's/.*(\(.*\)).*/\1/p' <<<"$after" | tr ',' '\n' |
                awk '$2 > 0 { printf "%s%s %s", sep, $1, $2; sep = "," }'))"
        fi
        reasons=$(awk '$2 == "failed" { print $5 }' "$work/probes-$cell.txt" 2>/dev/null |
            sed 's/:.*//; s/_[0-9.]*$//' | sort | uniq -c | sort -rn | awk '{ printf "%s%d x %s", sep, $1, $2; sep = ", " }')
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$attack" "$target" "$probes" "$failed" "$p50" "$p99" \
            "$rss_start" "$rss_peak" "$sup_peak" "$restarted" "$(attacker_summary "$attack" "$work/attacker-$cell.txt")" \
            "${reasons:--}" >>"$results"
        say "$attack against $target: $probes probes, $failed failed, restarts $restarted"
    done
done

# ---- report ----

echo
echo "Hostile clients: Rebound vs HAProxy vs nginx, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average" \
    "$(cut -d ' ' -f 1-3 /proc/loadavg) now; raw figures in $work"
core_jar=("$dist"lib/lb-core-*.jar)
echo "Rebound: $dist, lb-core jar of $(date -u -r "${core_jar[0]}" '+%Y-%m-%d %H:%M UTC')," \
    "tree at commit $(git rev-parse --short HEAD 2>/dev/null || echo '?') (uncommitted changes not shown);" \
    "HAProxy $(haproxy -v | head -n 1 | awk '{ print $3 }'), nginx $(nginx -v 2>&1 | sed 's|.*/||'), ulimit -n $(ulimit -n)"
echo "HOSTILE_SECONDS=$seconds HOSTILE_CONNS=$conns HOSTILE_RATE=$rate HOSTILE_IDLE=$idle_conns" \
    "HOSTILE_HEADS_CONNS=$heads_conns HOSTILE_HEADS_KB=$heads_kb HOSTILE_HEADS_ROUNDS=$heads_rounds; probes: GET / on" \
    "a new connection every 100 ms, failed = not 200 within 2 s; RSS: VmRSS every 200 ms, proxy processes (Rebound:" \
    "the proxy JVM; sup = its supervisor JVM)"
for attack in $attacks; do
    echo
    echo "$attack: $(attacker_command "$attack" PORT)"
    printf '%-8s %6s %6s %8s %8s %13s %6s %7s  %-8s  %s\n' target probes failed "p50 ms" "p99 ms" "RSS MB start" \
        peak "sup MB" restarts attacker
    awk -F '\t' -v attack="$attack" '$1 == attack {
        printf "%-8s %6s %6s %8s %8s %13s %6s %7s  %-8s  %s\n", $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 }' "$results"
    awk -F '\t' -v attack="$attack" '$1 == attack && $12 != "-" { printf "  failed probes, %s: %s\n", $2, $12 }' \
        "$results"
done
echo
echo "whole run: $(( ($(now_ms) - started_at) / 1000 )) s"
