#!/usr/bin/env bash
# Paired plaintext comparison of two Java HTTP servers, for a confidence interval on their ratio.
# Both servers run at once, pinned to CPU 0 (idle while the other is measured); wrk runs on CPU 1.
# After a warm-up, PAIRS pairs of short wrk runs alternate the order (A B, B A, A B, ...), so that a
# slower stretch of this shared machine weighs on both; each pair gives one ratio B/A of requests/s and
# of server CPU per request, and the script prints their geometric means with a 95 % bootstrap interval.
# Usage: [A=netty-epoll] [B=squall] bench/scripts/http-pair.sh [pairs] [seconds per run]
#   A, B: squall | netty-epoll | netty-nio | vertx (the Java servers of bench/scripts/http.sh; netty-epoll
#   is Netty on its native epoll transport, netty-nio on the JDK selector)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pairs=${1:-30}
secs=${2:-2}
a=${A:-netty-epoll}
b=${B:-squall}
for name in "$a" "$b"; do
  case $name in
    squall | netty-epoll | netty-nio | vertx) ;;
    *) echo "unknown server $name (squall, netty-epoll, netty-nio or vertx)" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
"$root/squall" bench micro -l >/dev/null   # builds the benchmark jar with the JDK 25 the build finds
java="$(cat "$root/examples/target/launch/java-home")/bin/java"
jar="$root/bench/target/benchmarks.jar"
jvm=(-Xms1g -Xmx1g --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -Djdk.trackAllThreads=false)
work=$(mktemp -d)
declare -A pid port
cleanup() {
  for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

. "$root/bench/scripts/peers.sh"

next=19300
for name in "$a" "$b"; do
  next=$((next + 1))
  while port_open "$next"; do next=$((next + 1)); done
  port[$name]=$next
  pid[$name]=$(start_server "$name" "$next")
  wait_port "$next" "${pid[$name]}"
done

hz=$(getconf CLK_TCK)
run() { # name -> "requests/s cpu-µs/request"
  local p=${pid[$1]} before after r
  before=$(awk '{print $14 + $15}' "/proc/$p/stat")
  r=$(taskset -c 1 wrk -t1 -c100 -d"${secs}s" "http://127.0.0.1:${port[$1]}/" | awk '/Requests\/sec/ {print $2}')
  after=$(awk '{print $14 + $15}' "/proc/$p/stat")
  awk -v r="$r" -v t=$((after - before)) -v hz="$hz" -v s="$secs" 'BEGIN { printf "%s %.3f\n", r, t / hz * 1e6 / (r * s) }'
}

for name in "$a" "$b"; do
  taskset -c 1 wrk -t1 -c100 -d5s "http://127.0.0.1:${port[$name]}/" >/dev/null   # warm-up (JIT)
done
for i in $(seq "$pairs"); do
  if [ $((i % 2)) = 1 ]; then ra=$(run "$a"); rb=$(run "$b"); else rb=$(run "$b"); ra=$(run "$a"); fi
  echo "$ra $rb"
done >"$work/pairs"

python3 - "$work/pairs" "$a" "$b" <<'PY'
import math, random, statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1])]
a, b = sys.argv[2], sys.argv[3]
random.seed(1)
def ratio(ia, ib):
    logs = [math.log(r[ib] / r[ia]) for r in rows]
    means = sorted(statistics.fmean(random.choices(logs, k=len(logs))) for _ in range(4000))
    return math.exp(statistics.fmean(logs)), math.exp(means[100]), math.exp(means[3899])
print(f"{len(rows)} pairs of {a} (A) and {b} (B) runs")
print("requests/s   %s %.0f, %s %.0f (medians); B/A %.3f (95%% CI %.3f-%.3f)" % (
    a, statistics.median(r[0] for r in rows), b, statistics.median(r[2] for r in rows), *ratio(0, 2)))
print("CPU µs/req   %s %.2f, %s %.2f (medians); B/A %.3f (95%% CI %.3f-%.3f)" % (
    a, statistics.median(r[1] for r in rows), b, statistics.median(r[3] for r in rows), *ratio(1, 3)))
PY
