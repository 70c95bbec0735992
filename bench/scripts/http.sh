#!/usr/bin/env bash
# HTTP load comparison, all servers in one run on this machine: Squall, Netty, Vert.x, Tornado, Node
# (and nginx for the sleep test). Each server is pinned to CPU 0, the load generator to CPU 1.
#   plaintext:  wrk, 100 connections, "Hello, world"
#   pipelined:  h2load --h1, 100 connections, 16 requests in flight per connection
#   sleep:      h2load, N connections each sending one /sleep request answered after 1 s (N = 1000, 10000)
# Usage: bench/scripts/http.sh [seconds per load run]   (installs wrk, h2load, nginx, tornado if missing)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-10}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v h2load >/dev/null || need+=(nghttp2-client)
command -v nginx >/dev/null || need+=(nginx-light libnginx-mod-http-echo)
/usr/bin/python3 -c 'import tornado' 2>/dev/null || need+=(python3-tornado)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# 10,000 simultaneous connects must not overflow the kernel's accept queue (often capped at 4096);
# raise the cap for the run and put it back afterwards.
old_somaxconn=$(cat /proc/sys/net/core/somaxconn)
old_synbacklog=$(cat /proc/sys/net/ipv4/tcp_max_syn_backlog)
if sysctl -qw net.core.somaxconn=16384 net.ipv4.tcp_max_syn_backlog=16384 2>/dev/null; then
  trap 'sysctl -qw net.core.somaxconn=$old_somaxconn net.ipv4.tcp_max_syn_backlog=$old_synbacklog; kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
else
  echo "note: could not raise net.core.somaxconn; 10,000-connection runs may include SYN retries" >&2
fi
ulimit -n 20000 2>/dev/null || true
"$root/squall" bench micro -l >/dev/null   # builds the benchmark jar with the JDK 25 the build finds
java="$(cat "$root/examples/target/launch/java-home")/bin/java"
jar="$root/bench/target/benchmarks.jar"
jvm=(-Xms1g -Xmx1g --add-opens java.base/java.lang=ALL-UNNAMED -Djdk.trackAllThreads=false)

start_server() { # name port -> pid
  local name=$1 port=$2
  case $name in
    squall) exec taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.http.SquallHttpServer "$port" ;;
    netty)  exec taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.http.NettyHttpServer "$port" ;;
    vertx)  exec taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.http.VertxHttpServer "$port" ;;
    tornado) exec taskset -c 0 /usr/bin/python3 "$root/bench/peers/tornado_server.py" "$port" ;;
    node)   exec taskset -c 0 node "$root/bench/peers/node_server.js" "$port" ;;
    nginx)  mkdir -p "$work/nginx/tmp"
            sed -e "s#PORT#$port#" -e "s#PREFIX#$work/nginx#g" "$root/bench/peers/nginx.conf" > "$work/nginx/nginx.conf"
            exec taskset -c 0 nginx -c "$work/nginx/nginx.conf" ;;
  esac >"$work/$name.log" 2>&1 &
  echo $!
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # port pid: waits until the server started as pid listens
  for _ in $(seq 200); do
    kill -0 "$2" 2>/dev/null || { echo "server on port $1 exited:" >&2; cat "$work"/*.log >&2; return 1; }
    port_open "$1" && return 0
    sleep 0.05
  done
  echo "no server on port $1" >&2; return 1
}

cpu_ticks() { # utime+stime of a process and its children threads, in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}

server_pid() { # the real server process (nginx forks a worker; others are the started pid)
  if [ "$1" = nginx ]; then pgrep -P "$2" | head -1; else echo "$2"; fi
}

plaintext() { taskset -c 1 wrk -t1 -c100 -d"${secs}s" "http://127.0.0.1:$1/" | awk '/Requests\/sec/ {print $2}'; }
pipelined() { taskset -c 1 h2load --h1 -t1 -c100 -m16 -D "$secs" "http://127.0.0.1:$1/" | awk '/^finished in/ {print $4}'; }
sleepers() { taskset -c 1 h2load --h1 -t1 -c"$2" -n"$2" -m1 "http://127.0.0.1:$1/sleep" | awk '/^finished in/ {sub(/s,$/, "", $3); print $3}'; }

hz=$(getconf CLK_TCK)
printf '| server | plaintext req/s | vs Netty | pipelined (16) req/s | vs Netty | server CPU µs/req | 1,000 × sleep 1 s | 10,000 × sleep 1 s | peak RSS MB |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
declare -A plain pipe
port=19100
for name in netty squall vertx node tornado nginx; do
  port=$((port + 1))
  while port_open "$port"; do port=$((port + 1)); done   # skip ports something else holds
  pid=$(start_server "$name" "$port")
  wait_port "$port" "$pid"
  spid=$(server_pid "$name" "$pid")
  if [ "$name" != nginx ]; then
    taskset -c 1 wrk -t1 -c100 -d3s "http://127.0.0.1:$port/" >/dev/null   # warm-up (JIT)
    before=$(cpu_ticks "$spid")
    plain[$name]=$(plaintext "$port")
    after=$(cpu_ticks "$spid")
    cpu=$(awk -v t=$((after - before)) -v hz="$hz" -v r="${plain[$name]}" -v s="$secs" 'BEGIN { printf "%.1f", t / hz * 1e6 / (r * s) }')
    pipe[$name]=$(pipelined "$port")
  else
    plain[$name]=-; pipe[$name]=-; cpu=-
  fi
  s1=$(sleepers "$port" 1000)
  s10=$(sleepers "$port" 10000)
  rss=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$spid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  ratio() { [ "$1" = - ] && echo - || awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
  printf '| %s | %s | %s | %s | %s | %s | %s s | %s s | %s |\n' "$name" "${plain[$name]}" "$(ratio "${plain[$name]}" "${plain[netty]}")" \
    "${pipe[$name]}" "$(ratio "${pipe[$name]}" "${pipe[netty]}")" "$cpu" "$s1" "$s10" "$rss"
done
