# Shared by the drills that run `rebound demo` (source it; it defines functions and sets nothing else):
#   demo_require_build NAME    sets $dist to the built distribution, or exits naming the build command
#   demo_require_free_ports NAME   exits when a demo port (8080-8083, 8404, 8405) is taken
#   demo_start LOG             starts `rebound demo` in the background (environment passed on), sets $demo
#   demo_await_served NAME LOG waits up to 60 s for the demo's first answer
#   demo_stop                  SIGTERM to the demo, SIGKILL after 10 s
# Loopback only.
demo_url=http://127.0.0.1:8080/

demo_require_build() {
    dist=$(ls -d packaging/target/rebound-*/ 2>/dev/null | head -n 1)
    [ -n "$dist" ] || { echo "$1: build first: ./mvnw -B -DskipTests package" >&2; exit 1; }
}

demo_require_free_ports() {
    local port
    for port in 8080 8081 8082 8083 8404 8405; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$1: port $port is in use; stop what listens there first" >&2
            exit 1
        fi
    done
}

demo_served() { curl -s --max-time 1 "$demo_url" 2>/dev/null | grep -q '^This is apache'; }

demo_start() {
    "${dist}bin/rebound" demo >"$1" 2>&1 &
    demo=$!
}

demo_await_served() {
    local _
    for _ in $(seq 1 600); do demo_served && return 0; sleep 0.1; done
    echo "$1: the demo did not serve within 60 s; log: $2" >&2
    exit 1
}

demo_stop() {
    [ -n "${demo:-}" ] || return 0
    kill -TERM "$demo" 2>/dev/null || true
    local _
    for _ in $(seq 1 100); do kill -0 "$demo" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$demo" 2>/dev/null || true
}
