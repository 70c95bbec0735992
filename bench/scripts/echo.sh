#!/usr/bin/env bash
# Echo benchmark: Squall's IOStream echo server vs Netty's, each on one event loop, in the same run;
# Netty twice, on its native epoll transport (netty-epoll, the reference of the ratios) and on NIO
# (netty-nio). Each server is pinned to CPU 0 and the load generator to CPU 1.
# Usage: bench/scripts/echo.sh [seconds]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-10}
"$root/squall" bench micro -l >/dev/null   # builds the benchmark jar with the JDK 25 the build finds
java="$(cat "$root/examples/target/launch/java-home")/bin/java"
jar="$root/bench/target/benchmarks.jar"
jvm=(-Xms512m -Xmx512m --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -Djdk.trackAllThreads=false)

run_server() { # main-class port [arguments...]
  taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" "$@" >/dev/null &   # stderr stays: a failing start shows why
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

# Squall and Netty on NIO are each compared with Netty on its native epoll transport (the reference).
printf '%-8s %-11s %14s %10s %17s %13s %8s\n' size server_a "a msg/s" "a MB/s" "netty-epoll msg/s" "netty-epoll MB/s" ratio
for spec in "64 16 64" "65536 4 4"; do
  read -r size conns window <<<"$spec"
  declare -A result=()
  for server in squall netty-epoll netty-nio; do
    case $server in
      squall)      args=(io.squall.bench.echo.SquallEchoServer 19001) ;;
      netty-epoll) args=(io.squall.bench.echo.NettyEchoServer 19002 epoll) ;;
      netty-nio)   args=(io.squall.bench.echo.NettyEchoServer 19003 nio) ;;
    esac
    pid=$(run_server "${args[@]}")
    wait_port "${args[1]}" "$pid"
    load "${args[1]}" "$size" "$conns" "$window" >/dev/null  # warm-up run (JIT)
    result[$server]=$(load "${args[1]}" "$size" "$conns" "$window")
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  read -r _ em _ emb <<<"${result[netty-epoll]}"
  for server in squall netty-nio; do
    read -r _ am _ amb <<<"${result[$server]}"
    ratio=$(awk -v a="$am" -v b="$em" 'BEGIN { printf "%.2f", a / b }')
    printf '%-8s %-11s %14s %10s %17s %13s %8s\n' "$size" "$server" "$am" "$amb" "$em" "$emb" "$ratio"
  done
done
