#!/usr/bin/env bash
# WebSocket echo comparison (issue #15), all servers in one run: Squall, Netty with its native epoll
# transport, Netty with NIO (its default), and Node's `ws`. Each server is pinned to CPU 0 (one event
# loop thread each), the load generator (io.squall.bench.ws.WebSocketLoad, one NIO thread) to CPU 1.
#   echo:  CONNS (1,000) connections, each sending one message and waiting for its echo, over and over:
#          "small" = 32-byte text messages, "64k" = 65,536-byte binary messages. Round trips/s over the
#          measured seconds (after a 1 s warm-up on fresh connections), and the server's CPU time per
#          round trip (utime + stime from /proc/PID/stat around the measured period).
#   idle:  IDLE (10,000) WebSocket connections opened and left idle; the growth of the server's live heap
#          (JVM: the total of jcmd GC.class_histogram; Node: global.gc(), then process.memoryUsage().heapUsed)
#          and of its RSS, before the connections and 2 s after the last one opened, per connection.
#          (A JVM's RSS does not shrink when its heap empties: after the first round, its RSS growth only
#          counts pages no earlier connection touched. Its live heap is the figure to compare.)
# All servers start first and stay up; every measurement is repeated in ROUNDS rounds that take the
# servers in turn (in a rotating order), so that a slower minute of a shared machine hits every server
# alike; each cell is the median of the rounds. Before the rounds every server gets the same warm-up (each
# message size once, unmeasured). Ratios are against Netty epoll. Loads only 127.0.0.1, stops by itself
# (about 2 minutes per round with the defaults).
# Usage: [ROUNDS=3] [CONNS=1000] [IDLE=10000] bench/scripts/ws.sh [measured seconds per echo run, 5]
# (installs node and npm if missing, and npm's ws@8 into bench/target/ws-node)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-5}
rounds=${ROUNDS:-3}
conns=${CONNS:-1000}
idle=${IDLE:-10000}
work=$(mktemp -d)
declare -A pid
cleanup() {
  for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
modules="$root/bench/target/ws-node/node_modules"
if [ ! -f "$modules/ws/package.json" ]; then
  npm install --no-audit --no-fund --no-save --silent --prefix "$root/bench/target/ws-node" ws@8 >&2
fi
ulimit -n 65536 2>/dev/null || ulimit -n 20000   # the servers and the client inherit it
"$root/squall" bench micro -l >/dev/null   # builds the benchmark jar with the JDK 25 the build finds
java_home=$(cat "$root/examples/target/launch/java-home")
java="$java_home/bin/java"
jar="$root/bench/target/benchmarks.jar"
jvm=(-Xms1g -Xmx1g --add-opens java.base/java.lang=ALL-UNNAMED -Djdk.trackAllThreads=false)

. "$root/bench/scripts/peers.sh"   # port_open, wait_port, median

start_ws_server() { # name port -> pid
  local name=$1 port=$2
  case $name in
    squall)      exec taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.ws.SquallWebSocketServer "$port" ;;
    netty-epoll) exec taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.ws.NettyWebSocketServer "$port" epoll ;;
    netty-nio)   exec taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.ws.NettyWebSocketServer "$port" nio ;;
    node)        NODE_PATH="$modules" exec taskset -c 0 node --expose-gc "$root/bench/peers/ws_server.js" "$port" ;;
  esac >"$work/$name.log" 2>&1 &
  echo $!
}

hz=$(getconf CLK_TCK)
load() { # port size -> "round-trips/s failures cpu-µs/rt open"
  taskset -c 1 "$java" -Xms1g -Xmx1g -cp "$jar" io.squall.bench.ws.WebSocketLoad echo "$1" "$2" "$conns" "$3" "$4" "$5" "$hz"
}

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
heap_kb() { # name pid: live heap in KiB after a full collection
  if [ "$1" = node ]; then
    local lines
    lines=$(grep -c '^heapUsed' "$work/node.log" || true)
    kill -USR2 "$2"
    for _ in $(seq 100); do
      [ "$(grep -c '^heapUsed' "$work/node.log" || true)" -gt "$lines" ] && break
      sleep 0.05
    done
    grep '^heapUsed' "$work/node.log" | tail -1 | awk '{printf "%.0f", $2 / 1024}'
  else
    # the total of a class histogram, which counts live objects only (it runs a full GC first), as
    # storm.sh does
    "$java_home/bin/jcmd" "$2" GC.class_histogram | awk '$1 == "Total" { printf "%.0f", $3 / 1024 }'
  fi
}
idle_memory() { # name pid port -> "heap-KiB/conn rss-KiB/conn"
  local name=$1 spid=$2 port=$3 heap0 rss0 heap1 rss1 client opened
  heap0=$(heap_kb "$name" "$spid"); rss0=$(rss_kb "$spid")
  # emptied here, not by the job's redirection: the wait below could otherwise read the previous
  # client's "open" line before the new job truncated the file
  : >"$work/idle.out"
  taskset -c 1 "$java" -Xmx1g -cp "$jar" io.squall.bench.ws.WebSocketLoad idle "$port" "$idle" >>"$work/idle.out" 2>"$work/idle.err" &
  client=$!
  for _ in $(seq 1200); do grep -q '^open' "$work/idle.out" && break; sleep 0.1; done
  read -r _ opened _ failed < <(grep '^open' "$work/idle.out" || echo "open 0 failed $idle")
  sleep 2   # let the server settle
  heap1=$(heap_kb "$name" "$spid"); rss1=$(rss_kb "$spid")
  kill "$client"; wait "$client" 2>/dev/null || true
  echo "  idle $name: $opened open, $failed failed; live heap $heap0 -> $heap1 KiB, RSS $rss0 -> $rss1 KiB" >&2
  grep -v '^WARNING' "$work/idle.err" | sed 's/^/    /' >&2 || true
  awk -v h0="$heap0" -v h1="$heap1" -v r0="$rss0" -v r1="$rss1" -v n="$opened" \
    'BEGIN { if (n > 0) printf "%.2f %.2f\n", (h1 - h0) / n, (r1 - r0) / n; else print "- -" }'
  # The server closes the connections; what they held can stay live for a few seconds after (Netty's
  # and Squall's alike), and would count as the next measurement's "before": wait for the live heap to
  # come back to where it was (at most 30 s).
  for _ in $(seq 30); do
    [ "$(heap_kb "$name" "$spid")" -le $((heap0 + heap0 / 5 + 1024)) ] && break
    sleep 1
  done
}

servers=(netty-epoll netty-nio squall node)
sizes=(small 64k)
declare -A port rate cpu fails heap rss
next=19400
for name in "${servers[@]}"; do
  next=$((next + 1))
  while port_open "$next"; do next=$((next + 1)); done   # skip ports something else holds
  port[$name]=$next
  pid[$name]=$(start_ws_server "$name" "$next")
  wait_port "$next" "${pid[$name]}"
done

echo "warming up every server (each message size once, unmeasured)" >&2
for name in "${servers[@]}"; do
  for size in "${sizes[@]}"; do load "${port[$name]}" "$size" 0 3 "${pid[$name]}" >/dev/null; done
done

for round in $(seq "$rounds"); do
  shift_by=$(( (round - 1) % ${#servers[@]} ))
  order=("${servers[@]:shift_by}" "${servers[@]:0:shift_by}")
  echo "round $round of $rounds: ${order[*]}" >&2
  for size in "${sizes[@]}"; do
    for name in "${order[@]}"; do
      read -r r f c o < <(load "${port[$name]}" "$size" 1 "$secs" "${pid[$name]}")
      rate[$name,$size]+="$r "; cpu[$name,$size]+="$c "; fails[$name,$size]+="$f "
      [ "$o" = "$conns" ] || echo "note: $name $size: $o of $conns connections open at the end" >&2
    done
  done
  for name in "${order[@]}"; do
    read -r h m < <(idle_memory "$name" "${pid[$name]}" "${port[$name]}")
    [ "$h" = - ] || { heap[$name]+="$h "; rss[$name]+="$m "; }
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
declare -A med
for name in "${servers[@]}"; do
  for size in "${sizes[@]}"; do
    med[$name,$size]=$(median <<<"${rate[$name,$size]}")
    med[$name,$size,cpu]=$(median <<<"${cpu[$name,$size]}")
  done
  med[$name,heap]=$(median <<<"${heap[$name]}")
  med[$name,rss]=$(median <<<"${rss[$name]}")
done
echo "$conns connections echoing, $secs s measured per run, $rounds rounds; $idle idle connections"
printf '| server | small (32 B text) rt/s | vs Netty epoll | CPU µs/rt | 64 KiB binary rt/s | vs Netty epoll | CPU µs/rt | failures | idle heap KiB/conn | vs Netty epoll | idle RSS KiB/conn |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for name in "${servers[@]}"; do
  f=$(echo "${fails[$name,small]} ${fails[$name,64k]}" | tr ' ' '\n' | awk '{ s += $1 } END { print s + 0 }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" \
    "${med[$name,small]}" "$(ratio "${med[$name,small]}" "${med[netty-epoll,small]}")" "${med[$name,small,cpu]}" \
    "${med[$name,64k]}" "$(ratio "${med[$name,64k]}" "${med[netty-epoll,64k]}")" "${med[$name,64k,cpu]}" "$f" \
    "${med[$name,heap]}" "$(ratio "${med[$name,heap]}" "${med[netty-epoll,heap]}")" "${med[$name,rss]}"
done
echo >&2
echo "every round (small rt/s, 64k rt/s, CPU µs/rt small and 64k, idle heap and RSS KiB/conn):" >&2
for name in "${servers[@]}"; do
  echo "  $name: small [${rate[$name,small]}] 64k [${rate[$name,64k]}] cpu [${cpu[$name,small]}] [${cpu[$name,64k]}] heap [${heap[$name]}] rss [${rss[$name]}]" >&2
done
