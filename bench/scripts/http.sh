#!/usr/bin/env bash
# HTTP load comparison, all servers in one run on this machine: Squall, Netty on its native epoll
# transport (netty-epoll, the reference of the "vs Netty" columns) and on NIO (netty-nio), Vert.x,
# Tornado, Node (and nginx for the sleep test). Each server is pinned to CPU 0, the load generator to CPU 1.
#   plaintext:  wrk, 100 connections, "Hello, world"
#   pipelined:  h2load --h1, 100 connections, 16 requests in flight per connection
#   sleep:      h2load, N connections each sending one /sleep request answered after 1 s (N = 1000, 10000)
# All servers are started first and stay up (idle while another one is measured); every measurement is
# repeated in ROUNDS rounds that take the servers in turn, so that a slower minute of this shared machine
# hits every server alike, and each cell of the table is the median of the rounds. Before the rounds,
# every server gets the same warm-up (JIT): each load once, unmeasured.
# Usage: [ROUNDS=3] bench/scripts/http.sh [seconds per load run]   (installs wrk, h2load, nginx, tornado if missing)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-10}
rounds=${ROUNDS:-3}
work=$(mktemp -d)
restore_sysctl=:
declare -A pid
cleanup() {
  for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done
  $restore_sysctl
  rm -rf "$work"
}
trap cleanup EXIT

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v h2load >/dev/null || need+=(nghttp2-client)
command -v nginx >/dev/null || need+=(nginx-light libnginx-mod-http-echo)
/usr/bin/python3 -c 'import tornado' 2>/dev/null || need+=(python3-tornado)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# 10,000 simultaneous connects must not overflow the kernel's accept queue (often capped at 4096), and
# the rounds open 11,000 connections per server each: let the client reuse its ports in TIME_WAIT. The
# settings are put back afterwards.
old_sysctl=$(sysctl -n net.core.somaxconn net.ipv4.tcp_max_syn_backlog net.ipv4.tcp_tw_reuse | paste -sd' ')
if sysctl -qw net.core.somaxconn=16384 net.ipv4.tcp_max_syn_backlog=16384 net.ipv4.tcp_tw_reuse=1 2>/dev/null; then
  read -r old_somaxconn old_synbacklog old_twreuse <<<"$old_sysctl"
  restore_sysctl="sysctl -qw net.core.somaxconn=$old_somaxconn net.ipv4.tcp_max_syn_backlog=$old_synbacklog net.ipv4.tcp_tw_reuse=$old_twreuse"
else
  echo "note: could not change kernel settings; 10,000-connection runs may include SYN retries" >&2
fi
ulimit -n 20000 2>/dev/null || true
"$root/squall" bench micro -l >/dev/null   # builds the benchmark jar with the JDK 25 the build finds
java="$(cat "$root/examples/target/launch/java-home")/bin/java"
jar="$root/bench/target/benchmarks.jar"
jvm=(-Xms1g -Xmx1g --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -Djdk.trackAllThreads=false)

. "$root/bench/scripts/peers.sh"

cpu_ticks() { # utime+stime of a process and its children threads, in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}

plaintext() { taskset -c 1 wrk -t1 -c100 -d"${secs}s" "http://127.0.0.1:$1/" | awk '/Requests\/sec/ {print $2}'; }
pipelined() { taskset -c 1 h2load --h1 -t1 -c100 -m16 -D "$secs" "http://127.0.0.1:$1/" | awk '/^finished in/ {print $4}'; }
sleepers() { taskset -c 1 h2load --h1 -t1 -c"$2" -n"$2" -m1 "http://127.0.0.1:$1/sleep" | awk '/^finished in/ {sub(/s,$/, "", $3); print $3}'; }

ratio() { [ "$1" = - ] && echo - || awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

servers=(netty-epoll netty-nio squall vertx node tornado nginx)
declare -A port spid plain pipe cpu s1 s10
next=19100
for name in "${servers[@]}"; do
  next=$((next + 1))
  while port_open "$next"; do next=$((next + 1)); done   # skip ports something else holds
  port[$name]=$next
  pid[$name]=$(start_server "$name" "$next")
  wait_port "$next" "${pid[$name]}"
  spid[$name]=$(server_pid "$name" "${pid[$name]}")
done
http_servers=(netty-epoll netty-nio squall vertx node tornado)   # nginx only takes part in the sleep test

echo "warming up every server (each load once, unmeasured)" >&2
for name in "${http_servers[@]}"; do
  taskset -c 1 wrk -t1 -c100 -d3s "http://127.0.0.1:${port[$name]}/" >/dev/null
  taskset -c 1 h2load --h1 -t1 -c100 -m16 -D 3 "http://127.0.0.1:${port[$name]}/" >/dev/null
done
for name in "${servers[@]}"; do
  sleepers "${port[$name]}" 10000 >/dev/null
done

hz=$(getconf CLK_TCK)
for round in $(seq "$rounds"); do
  echo "round $round of $rounds" >&2
  for name in "${http_servers[@]}"; do
    before=$(cpu_ticks "${spid[$name]}")
    r=$(plaintext "${port[$name]}")
    after=$(cpu_ticks "${spid[$name]}")
    plain[$name]+="$r "
    cpu[$name]+="$(awk -v t=$((after - before)) -v hz="$hz" -v r="$r" -v s="$secs" 'BEGIN { printf "%.1f", t / hz * 1e6 / (r * s) }') "
  done
  for name in "${http_servers[@]}"; do
    pipe[$name]+="$(pipelined "${port[$name]}") "
  done
  for name in "${servers[@]}"; do
    s1[$name]+="$(sleepers "${port[$name]}" 1000) "
    s10[$name]+="$(sleepers "${port[$name]}" 10000) "
  done
done

printf '| server | plaintext req/s | vs Netty | pipelined (16) req/s | vs Netty | server CPU µs/req | 1,000 × sleep 1 s | 10,000 × sleep 1 s | peak RSS MB |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
declare -A med_plain med_pipe
for name in "${servers[@]}"; do
  if [ "$name" = nginx ]; then
    med_plain[$name]=-; med_pipe[$name]=-; c=-
  else
    med_plain[$name]=$(median <<<"${plain[$name]}")
    med_pipe[$name]=$(median <<<"${pipe[$name]}")
    c=$(median <<<"${cpu[$name]}")
  fi
  rss=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/${spid[$name]}/status")
  printf '| %s | %s | %s | %s | %s | %s | %s s | %s s | %s |\n' "$name" "${med_plain[$name]}" "$(ratio "${med_plain[$name]}" "${med_plain[netty-epoll]}")" \
    "${med_pipe[$name]}" "$(ratio "${med_pipe[$name]}" "${med_pipe[netty-epoll]}")" "$c" \
    "$(median <<<"${s1[$name]}")" "$(median <<<"${s10[$name]}")" "$rss"
done
echo >&2
echo "every round (plaintext req/s, pipelined req/s, CPU µs/req, 1,000 and 10,000 sleepers s):" >&2
for name in "${servers[@]}"; do
  echo "  $name: plain [${plain[$name]:-}] pipe [${pipe[$name]:-}] cpu [${cpu[$name]:-}] s1k [${s1[$name]}] s10k [${s10[$name]}]" >&2
done
