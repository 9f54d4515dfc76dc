#!/usr/bin/env bash
# Rebound beside HAProxy and nginx on this machine, in one run, with equivalent settings:
#
#   bench/compare.sh [ROUNDS]        ROUNDS measured rounds, default 5, after one warm-up round that is discarded
#
# Installs what is missing (Debian's haproxy, nginx, wrk; Java 17; builds the distribution when packaging/target has
# none), starts three backends on loopback (one nginx process each, `master_process off`, so that one can be killed
# alone; each answers `This is backendN`), and in front of them, each on its own loopback port and under its restart
# mechanism: HAProxy and nginx in a `while ...; do PROXY; sleep 0.1; done` loop (systemd's Restart=always with
# RestartSec=100ms), Rebound under its supervisor (`bin/rebound run --config FILE`, the launcher's defaults).
# Then it prints three tables:
#   1. throughput and latency: `wrk -t1 -c32 -d5s --latency` in two profiles, keep-alive and `Connection: close`
#      from the clients; the targets take turns within each round, in a rotating order, because the machine is shared
#      and noisy. Per target: requests/s (median and min-max over the rounds), median p50 and p99, errors (socket
#      errors and non-2xx/3xx answers, summed), the median of the per-round ratios to HAProxy (requests/s and p99),
#      CPU time per request of the proxy's processes (Rebound: the proxy child, not the supervisor; nginx: master and
#      workers) and their peak RSS (VmHWM, summed over the processes). `direct` is wrk against one backend: the
#      ceiling no proxy can pass.
#   2. backend kill: under `wrk -t1 -c16 -d14s`, `kill -9` backend2 after 3 s and start it again 5 s later; failed
#      requests and the time from its restart to the first client request it is sent (health checks excluded).
#   3. proxy kill: bench/Probe.java sends a GET on a new connection every 10 ms while the proxy is killed with
#      `kill -9` (all of its processes) BENCH_KILLS times, 3 s apart; per kill the failed (and refused) probes and the
#      outage (bench/drill-summary.sh), median and max over the kills.
#
# Equivalent settings: 2 threads or processes per proxy (the machine's cores), round robin, health checks every 1 s
# on GET /health (rise 2, fall 3, timeout 500 ms; nginx has no active checks: max_fails=1 fail_timeout=2s), pooled
# keep-alive connections to the backends, retries on another server (HAProxy: retries 2, option redispatch 1,
# retry-on conn-failure empty-response; nginx: proxy_next_upstream error timeout, 3 tries), X-Forwarded-For on, and
# access logs off in all three (a log line per request measures the disk, not the proxy).
#
# The backends, the proxies' configurations and restart mechanisms are in bench/bench-lib.sh (shared with
# bench/hostile.sh, which runs hostile clients against the same setup).
#
# Loopback only (ports 19101-19114, which must be free); every load is bounded in count and time; about 7 minutes
# with the defaults. Leaves nothing running, also on Ctrl-C or failure. Logs and raw figures stay in the directory
# printed at the start. Environment: BENCH_SECONDS (wrk duration, 5), BENCH_CONNECTIONS (wrk -c, 32), BENCH_KILLS
# (proxy kills per proxy, 6), BENCH_PROFILES (of "keep-alive close", both by default), BENCH_PHASES (which of "throughput backend-kill proxy-kill" to run, all by default),
# BENCH_STANDBY=1 (Rebound runs a warm standby proxy, rebound.supervisor.standby = 1; the proxy kill then kills the
# main proxy, as `rebound status` names it, and waits for the new standby before the next kill; meant with
# BENCH_PHASES=proxy-kill, since two proxies share the cores in the throughput phase),
# BENCH_JFR=FILE (the Rebound proxy records a JFR profile into FILE, written when it stops; the figures then include
# the recording's cost; with BENCH_PHASES=throughput, as a proxy kill would lose it).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${BENCH_SECONDS:-5}
connections=${BENCH_CONNECTIONS:-32}
kills=${BENCH_KILLS:-6}
standby=${BENCH_STANDBY:-0}
phases=" ${BENCH_PHASES:-throughput backend-kill proxy-kill} "
profiles=${BENCH_PROFILES:-keep-alive close}
for value in "$rounds" "$seconds" "$connections" "$kills"; do
    case $value in
        '' | *[!0-9]* | 0) echo "usage: bench/compare.sh [ROUNDS] (ROUNDS, BENCH_SECONDS, BENCH_CONNECTIONS," \
            "BENCH_KILLS: positive integers)" >&2; exit 64 ;;
    esac
done

backend_ports=(19101 19102 19103)
haproxy_port=19110
nginx_port=19111
rebound_port=19112
rebound_admin_port=19113
supervisor_admin_port=19114
targets=(direct haproxy nginx rebound)

bench_name=bench/compare.sh
# shellcheck source=bench/bench-lib.sh
. bench/bench-lib.sh

bench_install wrk:wrk
PATH=$PATH:/usr/sbin
bench_dist
bench_require_free_ports "${backend_ports[@]}" $haproxy_port $nginx_port $rebound_port $rebound_admin_port \
    $supervisor_admin_port

work=$(mktemp -d /tmp/rebound-compare.XXXXXX)
say "logs and raw figures in $work"
started_at=$(now_ms)

# ---- leaving nothing running ----

load=

cleanup() {
    trap - EXIT INT TERM
    touch "$work/stop"
    if [ -n "$load" ]; then
        # timeout(1) passes TERM on to the wrk or probe it runs.
        kill -TERM "$load" 2>/dev/null || true
        sleep 0.5
        kill -KILL "$load" 2>/dev/null || true
    fi
    stop_loop "$haproxy_loop"
    stop_loop "$nginx_loop"
    stop_rebound
    for pid in "${backend_pid[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The configurations and helpers are bench/bench-lib.sh's; BENCH_JFR adds to Rebound's.
if [ -n "${BENCH_JFR:-}" ]; then
    rebound_extra="supervisor.child-jvm-options = \${rebound.supervisor.child-jvm-options} [
      \"-XX:StartFlightRecording=filename=$BENCH_JFR,settings=profile,dumponexit=true\"]"
fi

# requests rps p50_us p99_us errors, from wrk --latency output
parse_wrk() {
    awk '
        function us(v) {
            if (v ~ /us$/) return v + 0
            if (v ~ /ms$/) return v * 1000
            if (v ~ /s$/) return v * 1000000
            if (v ~ /m$/) return v * 60000000
            return v + 0
        }
        $1 == "50%" { p50 = us($2) }
        $1 == "99%" { p99 = us($2) }
        / requests in / { requests = $1 }
        /Socket errors:/ { gsub(",", ""); errors += $4 + $6 + $8 + $10 }
        /Non-2xx or 3xx responses:/ { errors += $NF }
        /^Requests\/sec:/ { rps = $2 }
        END { printf "%d %.0f %.0f %.0f %d\n", requests, rps, p50, p99, errors }' "$1"
}

# ---- start everything ----

command -v javac >/dev/null || fail "javac not found"
mkdir -p "$work/probe"
javac -d "$work/probe" bench/Probe.java

for n in 1 2 3; do start_backend "$n"; done
for n in 1 2 3; do await "backend$n" 10 answers "${backend_ports[$((n - 1))]}"; done
write_haproxy_conf
write_nginx_conf
write_rebound_conf
restart_loop haproxy haproxy -db -f "$work/haproxy.cfg"
haproxy_loop=$!
restart_loop nginx nginx -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf"
nginx_loop=$!
start_rebound
for target in haproxy nginx rebound; do
    await "$target serving all three backends" 60 rotates "$(port_of "$target")"
done
say "backends, HAProxy $(haproxy -v | head -n 1 | awk '{ print $3 }'), nginx $(nginx -v 2>&1 | sed 's|.*/||')" \
    "and Rebound $(basename "$dist" | sed 's/^rebound-//') are up"

# ---- 1. throughput and latency ----

wrk_command() {
    local profile=$1 port=$2
    local header=""
    [ "$profile" = keep-alive ] || header=" -H 'Connection: close'"
    echo "wrk -t1 -c$connections -d${seconds}s --latency$header http://127.0.0.1:$port/"
}

run_load() {
    local profile=$1 port=$2 out=$3
    local header=()
    [ "$profile" = keep-alive ] || header=(-H 'Connection: close')
    timeout $((seconds + 30)) wrk -t1 -c"$connections" -d"${seconds}s" --latency "${header[@]}" \
        "http://127.0.0.1:$port/" >"$out" 2>&1 || true
}

results="$work/throughput.tsv"
: >"$results"
case $phases in *" throughput "*) ;; *) rounds=-1 ;; esac
for round in $(seq 0 "$rounds"); do
    say "round $round of $rounds$([ "$round" != 0 ] || echo ' (warm-up, discarded)')"
    for profile in $profiles; do
        for k in 0 1 2 3; do
            target=${targets[$(( (k + round) % 4 ))]}
            port=$(port_of "$target")
            pids=$(proxy_pids "$target" | tr '\n' ' ')
            # shellcheck disable=SC2086
            before=$(cpu_ticks $pids)
            out="$work/wrk-$profile-$round-$target.txt"
            run_load "$profile" "$port" "$out"
            # shellcheck disable=SC2086
            after=$(cpu_ticks $pids)
            # shellcheck disable=SC2086
            rss=$(peak_rss_kb $pids)
            read -r requests rps p50 p99 errors < <(parse_wrk "$out")
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$profile" "$round" "$target" "$requests" "$rps" \
                "$p50" "$p99" "$errors" $((after - before)) "$rss" >>"$results"
            sleep 0.5
        done
    done
done

print_throughput() {
    awk -F '\t' -v tck="$(getconf CLK_TCK)" -v profile="$1" '
        function median(list, n,    i, j, t, a) {
            n = split(list, a, " ")
            for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        function lo(list,    n, a, i, m) { n = split(list, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 < m + 0) m = a[i]; return m }
        function hi(list,    n, a, i, m) { n = split(list, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 > m + 0) m = a[i]; return m }
        $1 != profile || $2 == 0 { next }
        { rows[NR] = $0; if ($3 == "haproxy") { hrps[$2] = $5; hp99[$2] = $7 } }
        END {
            for (r in rows) {
                split(rows[r], f, "\t"); t = f[3]
                rps[t] = rps[t] " " f[5]; p50[t] = p50[t] " " f[6]; p99[t] = p99[t] " " f[7]; errors[t] += f[8]
                if (f[4] > 0 && t != "direct") cpu[t] = cpu[t] " " f[9] / tck * 1000000 / f[4]
                if (f[10] > rss[t]) rss[t] = f[10]
                if (hrps[f[2]] > 0) ratio[t] = ratio[t] " " f[5] / hrps[f[2]]
                if (hp99[f[2]] > 0) p99ratio[t] = p99ratio[t] " " f[7] / hp99[f[2]]
            }
            printf "%-9s %8s %17s %8s %8s %7s %9s %9s %11s %9s\n", "target", "req/s", "(min-max)", "p50 ms", "p99 ms",
                "errors", "req/s/HA", "p99/HA", "CPU us/req", "RSS MB"
            split("direct haproxy nginx rebound", order, " ")
            for (i = 1; i <= 4; i++) {
                t = order[i]
                if (rps[t] == "") continue
                printf "%-9s %8.0f %17s %8.2f %8.2f %7d %9.2f %9.2f %11s %9s\n", t, median(rps[t]),
                    sprintf("(%.0f-%.0f)", lo(rps[t]), hi(rps[t])), median(p50[t]) / 1000, median(p99[t]) / 1000,
                    errors[t], median(ratio[t]), median(p99ratio[t]),
                    t == "direct" ? "-" : sprintf("%.1f", median(cpu[t])), t == "direct" ? "-" : sprintf("%.0f", rss[t] / 1024)
            }
        }' "$results"
}

# ---- 2. backend kill ----

kill_results="$work/backend-kill.tsv"
: >"$kill_results"
for target in haproxy nginx rebound; do
    case $phases in *" backend-kill "*) ;; *) break ;; esac
    port=$(port_of "$target")
    await "$target serving all three backends" 30 rotates "$port"
    say "backend kill under $target"
    out="$work/backend-kill-$target.txt"
    timeout 44 wrk -t1 -c16 -d14s --latency "http://127.0.0.1:$port/" >"$out" 2>&1 &
    load=$!
    sleep 3
    kill -KILL "${backend_pid[2]}"
    sleep 5
    restarted=$(now_ms)
    start_backend 2 "$work/backend2-access-$target.log"
    wait "$load" || true
    load=
    read -r requests _ _ _ errors < <(parse_wrk "$out")
    first=$(awk '$2 != "/health" { printf "%.0f\n", $1 * 1000; exit }' "$work/backend2-access-$target.log" \
        2>/dev/null || true)
    back=$([ -n "$first" ] && echo $((first - restarted)) || echo "none within $(( ($(now_ms) - restarted) / 1000 )) s")
    printf '%s\t%s\t%s\t%s\n' "$target" "$requests" "$errors" "$back" >>"$kill_results"
done

# ---- 3. proxy kill ----

drill_results="$work/proxy-kill.tsv"
: >"$drill_results"
probe_seconds=$((kills * (standby == 0 ? 3 : 6) + 12))
[ "$probe_seconds" -le 600 ] || fail "BENCH_KILLS: $kills (expected: at most 196)"
for target in haproxy nginx rebound; do
    case $phases in *" proxy-kill "*) ;; *) break ;; esac
    port=$(port_of "$target")
    await "$target serving all three backends" 30 rotates "$port"
    say "proxy kill: $target, $kills kills"
    drills="$work/proxy-kill-$target.txt"
    : >"$drills"
    timeout $((probe_seconds + 90)) java -cp "$work/probe" Probe "$port" "$probe_seconds" >"$drills.probe" &
    load=$!
    sleep 2
    for i in $(seq 1 "$kills"); do
        await "$target restarted" 10 answers "$port"
        [ "$target" != rebound ] || await "Rebound's standby ready" 30 rebound_standby_ready
        pids=$(proxy_pids "$target" | tr '\n' ' ')
        [ -n "$pids" ] || fail "no $target process found"
        echo "drill $i: kill -9 $pids at $(now_ms)" >>"$drills"
        # shellcheck disable=SC2086
        kill -KILL $pids
        sleep 3
    done
    wait "$load" || true
    load=
    cat "$drills.probe" >>"$drills"
    bench/drill-summary.sh "$drills" >"$drills.summary"
    probes=$(awk '/^probes=/ { print }' "$drills.probe")
    awk -v target="$target" -v probes="$probes" '
        function median(list, n,    i, j, t, a) {
            n = split(list, a, " ")
            for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        function top(list,    n, a, i, m) { n = split(list, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 > m + 0) m = a[i]; return m }
        /^drill / {
            line = $0; gsub(",", "", line); split(line, f, " ")
            failed = failed " " f[4] + f[6]; slowest = slowest " " f[14]; outage = outage " " f[17]; n++
        }
        END { printf "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", target, n, median(failed), top(failed), median(outage),
            top(outage), median(slowest), top(slowest), probes }' "$drills.summary" >>"$drill_results"
done

# ---- report ----

echo
echo "Rebound vs HAProxy vs nginx, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average before the run" \
    "$(cut -d ' ' -f 1-3 /proc/loadavg) now; raw figures in $work"
echo "backends: 3 x nginx $(nginx -v 2>&1 | sed 's|.*/||') (one process each); HAProxy $(haproxy -v | head -n 1 |
    awk '{ print $3 }'); Rebound $(basename "$dist" | sed 's/^rebound-//') (bin/rebound run, launcher defaults)"
for profile in $profiles; do
    echo
    echo "Throughput, $profile: $(wrk_command "$profile" PORT), $rounds rounds after 1 warm-up;" \
        "medians over the rounds, errors summed"
    print_throughput "$profile"
done
echo
echo "Backend kill: wrk -t1 -c16 -d14s --latency http://127.0.0.1:PORT/; kill -9 backend2 at 3 s, started again" \
    "at 8 s"
printf '%-9s %9s %7s %s\n' target requests failed "restarted backend sent traffic after (ms)"
while IFS=$'\t' read -r target requests errors back; do
    printf '%-9s %9s %7s %s\n' "$target" "$requests" "$errors" "$back"
done <"$kill_results"
echo
echo "Proxy kill: java bench/Probe.java PORT $probe_seconds (GET on a new connection every 10 ms), $kills x kill -9" \
    "of the proxy's processes, 3 s apart; per kill (bench/drill-summary.sh), median / max"
printf '%-9s %5s %15s %15s %21s  %s\n' target kills "failed" "outage ms" "slowest answer ms" "probe totals"
while IFS=$'\t' read -r target n failed_med failed_max outage_med outage_max slow_med slow_max probes; do
    # drill-summary.sh sees only answers slower than 100 ms; 0 means every answer came within 100 ms.
    [ "$slow_med" != 0 ] || slow_med="<100"
    [ "$slow_max" != 0 ] && [ "$slow_max" != 0.0 ] || slow_max="<100"
    printf '%-9s %5s %15s %15s %21s  %s\n' "$target" "$n" "$failed_med / $failed_max" "$outage_med / $outage_max" \
        "$slow_med / $slow_max" "$probes"
done <"$drill_results"
echo
echo "whole run: $(( ($(now_ms) - started_at) / 1000 )) s"
