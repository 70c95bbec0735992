#!/usr/bin/env bash
# Echo benchmark: Squall's IOStream echo server vs Netty's, both on one event loop, in the same run.
# Each server is pinned to CPU 0 and the load generator to CPU 1. Usage: bench/scripts/echo.sh [seconds]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-10}
"$root/squall" bench micro -l >/dev/null   # builds the benchmark jar with the JDK 25 the build finds
java="$(cat "$root/examples/target/launch/java-home")/bin/java"
jar="$root/bench/target/benchmarks.jar"
jvm=(-Xms512m -Xmx512m --add-opens java.base/java.lang=ALL-UNNAMED -Djdk.trackAllThreads=false)

run_server() { # name main-class port
  taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" "$2" "$3" >/dev/null 2>&1 &
  echo $!
}

wait_port() { # port pid
  for _ in $(seq 100); do
    kill -0 "$2" 2>/dev/null || { echo "server on port $1 exited" >&2; return 1; }
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "server on port $1 did not start" >&2; return 1
}

load() { # port size connections window
  taskset -c 1 "$java" -cp "$jar" io.squall.bench.echo.EchoLoad "$1" "$2" "$3" "$4" "$secs"
}

printf '%-8s %-8s %14s %10s %14s %10s %8s\n' size server_a "a msg/s" "a MB/s" "netty msg/s" "netty MB/s" ratio
for spec in "64 16 64" "65536 4 4"; do
  read -r size conns window <<<"$spec"
  declare -A result=()
  for server in squall netty; do
    class=io.squall.bench.echo.SquallEchoServer; port=19001
    [ "$server" = netty ] && class=io.squall.bench.echo.NettyEchoServer && port=19002
    pid=$(run_server "$server" "$class" "$port")
    wait_port "$port" "$pid"
    load "$port" "$size" "$conns" "$window" >/dev/null  # warm-up run (JIT)
    result[$server]=$(load "$port" "$size" "$conns" "$window")
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  read -r _ sm _ smb <<<"${result[squall]}"
  read -r _ nm _ nmb <<<"${result[netty]}"
  ratio=$(awk -v a="$sm" -v b="$nm" 'BEGIN { printf "%.2f", a / b }')
  printf '%-8s %-8s %14s %10s %14s %10s %8s\n' "$size" squall "$sm" "$smb" "$nm" "$nmb" "$ratio"
done
