# shellcheck shell=bash disable=SC2154 # the variables are the sourcing script's
# Shared by bench/compare.sh and bench/hostile.sh (source it after setting the variables below; it defines functions
# and a few defaults, and starts nothing): three nginx backends on loopback and HAProxy, nginx and Rebound in front of
# them with equivalent settings, each under its restart mechanism. The settings themselves are described at the top
# of bench/compare.sh.
#
# The sourcing script sets:
#   bench_name           its name, for messages (bench/compare.sh)
#   work                 the directory for configurations, logs and raw figures (after bench_require_free_ports)
#   backend_ports        array of the three backends' ports
#   haproxy_port nginx_port rebound_port rebound_admin_port supervisor_admin_port
#   standby              0 or 1 (rebound.supervisor.standby)
# and may set, before calling the config writers:
#   bench_maxconn        HAProxy's global maxconn and nginx's worker_connections (default 4096)
#   haproxy_global       extra lines of HAProxy's `global` section (default none)
#   backend_root_rules   extra rewrite-phase lines of the backends' `location /`, before its `return` (default none)
#   backend_locations    extra nginx `location` blocks of the backends' server (default none)
#   backend_servers      extra nginx `server` blocks of the backends (default none)
#                        (in these three, @N@ stands for the backend's number)
#   rebound_extra        extra lines inside Rebound's `rebound { }` block (default none)
#
#   bench_install [CMD:PACKAGE ...]  installs with apt-get the Debian packages whose command is missing: haproxy,
#                                    nginx and Java 17 always, the pairs given in addition
#   bench_dist                       sets $dist to packaging/target/rebound-*/, building it when missing
#   bench_require_free_ports PORT... exits when one of them is taken
#   restart_loop NAME CMD...         runs CMD again 100 ms after it ends (systemd's Restart=always, RestartSec=100ms)
#                                    until $work/stop or $work/NAME.stop exists; the loop's pid is $!; each start
#                                    appends a line to $work/NAME.starts
#   stop_loop PID                    kills the loop's processes until the loop ends (create a stop file first)
#   start_backend N [ACCESS_LOG]     starts backend N; its pid in backend_pid[N]
#   write_haproxy_conf write_nginx_conf write_rebound_conf
#   start_rebound / stop_rebound     the supervisor (`bin/rebound run`), pid in $supervisor
#   proxy_pids TARGET                the pids of the proxy's processes (haproxy, nginx: master and workers, rebound:
#                                    the proxy child, not the supervisor)
#   port_of TARGET, rotates PORT, answers PORT, await WHAT SECONDS CMD..., cpu_ticks PID..., peak_rss_kb PID...
bench_maxconn=${bench_maxconn:-4096}
haproxy_global=${haproxy_global:-}
backend_root_rules=${backend_root_rules:-}
backend_locations=${backend_locations:-}
backend_servers=${backend_servers:-}
rebound_extra=${rebound_extra:-}
declare -a backend_pid=()
haproxy_loop=
nginx_loop=
supervisor=

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
say() { printf '# %s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() { echo "$bench_name: $*" >&2; exit 1; }

bench_install() {
    local missing=() pair
    command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
    command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${pair%%:*}" ] || missing+=("${pair#*:}")
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    [ "$(id -u)" = 0 ] || fail "needs root to install ${missing[*]} (or install them first)"
    say "installing ${missing[*]}"
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}" >&2
    # Debian starts the packaged services (nginx on :80); the benchmarks run their own instances only.
    if [ -d /run/systemd/system ]; then
        for service in haproxy nginx; do
            case " ${missing[*]} " in *" $service "*) systemctl disable --now "$service" >&2 || true ;; esac
        done
    fi
}

# shellcheck disable=SC2012 # the distribution's directory name is plain
bench_dist() {
    dist=$(ls -d packaging/target/rebound-*/ 2>/dev/null | head -n 1 || true)
    if [ -z "$dist" ]; then
        say "building the distribution"
        ./mvnw -B -q -DskipTests package -pl packaging -am >&2
        dist=$(ls -d packaging/target/rebound-*/ | head -n 1)
    fi
}

bench_require_free_ports() {
    local port
    for port in "$@"; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            fail "port $port is in use; stop what listens there first"
        fi
    done
}

# ---- processes ----

descendants() {
    local child
    for child in $(pgrep -P "$1" || true); do
        echo "$child"
        descendants "$child"
    done
}

# A proxy kept running as systemd's Restart=always with RestartSec=100ms would: started again 100 ms after it exits.
restart_loop() {
    local name=$1
    shift
    ( while [ ! -e "$work/stop" ] && [ ! -e "$work/$name.stop" ]; do
          now_ms >>"$work/$name.starts"
          "$@" >>"$work/$name.log" 2>&1 || true
          sleep 0.1
      done ) 2>/dev/null &
}

stop_loop() {
    local loop=$1
    [ -n "$loop" ] || return 0
    for _ in $(seq 1 50); do
        kill -0 "$loop" 2>/dev/null || return 0
        # shellcheck disable=SC2046 # pids are words
        kill -KILL $(descendants "$loop") 2>/dev/null || true
        sleep 0.1
    done
    kill -KILL "$loop" 2>/dev/null || true
}

rebound_status() { timeout 10 "${dist}bin/rebound" status --config "$work/rebound.conf" 2>/dev/null || true; }
rebound_proxy_pid() {
    if [ "$standby" = 0 ]; then
        pgrep -f "io.rebound.proxy.ProxyMain --config $work/rebound.conf" | head -n 1 || true
    else
        rebound_status | awk '/Main PID:/ { print $3 }' | grep -E '^[0-9]+$' || true
    fi
}
rebound_standby_ready() { [ "$standby" = 0 ] || rebound_status | grep -q 'Standby: pid [0-9]* (ready'; }

start_rebound() {
    "${dist}bin/rebound" run --config "$work/rebound.conf" >>"$work/rebound.log" 2>&1 &
    supervisor=$!
}

# SIGTERM to the supervisor (it stops its proxy), SIGKILL after 10 s, then any proxy child left.
stop_rebound() {
    [ -n "$supervisor" ] || return 0
    kill -TERM "$supervisor" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$supervisor" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$supervisor" 2>/dev/null || true
    for _ in $(seq 1 20); do [ -n "$(pgrep -f "io.rebound.proxy.ProxyMain --config $work/rebound.conf")" ] || break
        sleep 0.1; done
    # shellcheck disable=SC2046
    kill -KILL $(pgrep -f "io.rebound.proxy.ProxyMain --config $work/rebound.conf") 2>/dev/null || true
    wait "$supervisor" 2>/dev/null || true
    supervisor=
}

# ---- configurations ----

# backend_conf N [ACCESS_LOG]: one nginx process answering `This is backendN` to every request; the access log
# (time in ms and path) only when given, for the backend-kill drill.
backend_conf() {
    local n=$1 log=${2:-} dir="$work/backend$1"
    mkdir -p "$dir/tmp"
    local logging="access_log off;"
    [ -z "$log" ] || logging="log_format at '\$msec \$uri'; access_log $log at;"
    cat >"$dir/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections $bench_maxconn; }
http {
    $logging
    default_type text/plain;
    keepalive_requests 1000000;
    client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;
    uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
    server {
        listen 127.0.0.1:${backend_ports[$((n - 1))]} backlog=1024;
        ${backend_locations//@N@/$n}
        location / {
            ${backend_root_rules//@N@/$n}
            return 200 "This is backend$n\n";
        }
    }
    ${backend_servers//@N@/$n}
}
EOF
}

start_backend() {
    local n=$1
    backend_conf "$n" "${2:-}"
    nginx -p "$work/backend$n" -e "$work/backend$n/error.log" -c "$work/backend$n/nginx.conf" \
        >>"$work/backend$n.log" 2>&1 &
    backend_pid[n]=$!
    disown "${backend_pid[n]}"   # killed on purpose: no "Killed" line from bash
}

write_haproxy_conf() {
    cat >"$work/haproxy.cfg" <<EOF
global
    nbthread 2
    maxconn $bench_maxconn
    $haproxy_global
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 30s
    timeout check 500ms
    retries 2
    option redispatch 1
    retry-on conn-failure empty-response
    option forwardfor
listen rebound-bench
    bind 127.0.0.1:$haproxy_port
    balance roundrobin
    option httpchk GET /health
    default-server check inter 1s rise 2 fall 3
    server backend1 127.0.0.1:${backend_ports[0]}
    server backend2 127.0.0.1:${backend_ports[1]}
    server backend3 127.0.0.1:${backend_ports[2]}
EOF
    haproxy -c -q -f "$work/haproxy.cfg" >&2 || fail "invalid $work/haproxy.cfg"
}

write_nginx_conf() {
    local dir="$work/nginx"
    mkdir -p "$dir/tmp"
    cat >"$dir/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections $bench_maxconn; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;
    uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
    upstream backends {
        server 127.0.0.1:${backend_ports[0]} max_fails=1 fail_timeout=2s;
        server 127.0.0.1:${backend_ports[1]} max_fails=1 fail_timeout=2s;
        server 127.0.0.1:${backend_ports[2]} max_fails=1 fail_timeout=2s;
        keepalive 32;
    }
    server {
        listen 127.0.0.1:$nginx_port backlog=1024;
        location / {
            proxy_pass http://backends;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 3;
        }
    }
}
EOF
    nginx -t -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" >&2 || fail "invalid $dir/nginx.conf"
}

write_rebound_conf() {
    cat >"$work/rebound.conf" <<EOF
rebound {
  bind = "127.0.0.1:$rebound_port"
  admin.bind = "127.0.0.1:$rebound_admin_port"
  servers = [
    { name = backend1, address = "127.0.0.1:${backend_ports[0]}" }
    { name = backend2, address = "127.0.0.1:${backend_ports[1]}" }
    { name = backend3, address = "127.0.0.1:${backend_ports[2]}" }
  ]
  check { path = "/health", interval = 1s, timeout = 500ms, rise = 2, fall = 3 }
  retries = 2
  access-log = off
  drain-timeout = 2s
  supervisor { admin.bind = "127.0.0.1:$supervisor_admin_port", standby = $standby }
  $rebound_extra
}
EOF
}

# ---- helpers ----

port_of() {
    case $1 in
        direct) echo "${backend_ports[0]}" ;;
        haproxy) echo "$haproxy_port" ;;
        nginx) echo "$nginx_port" ;;
        rebound) echo "$rebound_port" ;;
    esac
}

# The proxy's processes now: what is measured and what a proxy kill kills.
proxy_pids() {
    case $1 in
        haproxy) [ -z "$haproxy_loop" ] || pgrep -P "$haproxy_loop" -x haproxy || true ;;
        nginx) local master=
               [ -z "$nginx_loop" ] || master=$(pgrep -P "$nginx_loop" -x nginx || true)
               [ -z "$master" ] || { echo "$master"; pgrep -P "$master" || true; } ;;
        rebound) rebound_proxy_pid ;;
    esac
}

cpu_ticks() {
    local total=0 pid ticks
    for pid in "$@"; do
        ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
        total=$((total + ticks))
    done
    echo "$total"
}

peak_rss_kb() {
    local total=0 pid kb
    for pid in "$@"; do
        kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
        total=$((total + ${kb:-0}))
    done
    echo "$total"
}

# Succeeds when 6 requests to PORT were answered by all three backends.
rotates() {
    local bodies
    bodies=$(for _ in 1 2 3 4 5 6; do curl -s --max-time 1 "http://127.0.0.1:$1/" || true; done | sort -u)
    [ "$(echo "$bodies" | grep -c '^This is backend[123]$')" = 3 ]
}

await() {
    local what=$1 seconds=$2
    shift 2
    local deadline=$(( $(now_ms) + seconds * 1000 ))
    until "$@"; do
        [ "$(now_ms)" -lt "$deadline" ] || fail "$what not within $seconds s; logs in $work"
        sleep 0.2
    done
}

answers() { curl -s --max-time 1 "http://127.0.0.1:$1/" 2>/dev/null | grep -q '^This is backend'; }
