#!/usr/bin/env bash
# A flood past maxConnections: a server limited to M (1,000) open connections gets C (4 x M) clients at
# once, each connecting and asking for /sleep (answered after one second). Two policies at the limit:
# Squall stops accepting (the acceptor drops its interest; new connections wait in the kernel's listen
# queue) and nginx, one worker with worker_connections at the same limit, accepts and closes at once
# (its worker has no connection slot left: it logs "worker_connections are not enough" and closes the
# socket). Measured per server: requests answered and failed (h2load's counts: a failed one is a client
# whose connection was closed or reset and would have to retry), the wall time from the first connect
# to the last answer, the server's peak open descriptors (/proc/PID/fd sampled every 20 ms), the
# server's CPU time for the flood (utime + stime), and the listen-queue overflows it caused (TcpExt
# ListenOverflows: SYNs the kernel dropped and the client sends again). Squall also runs without a
# limit, as the baseline of what the limit saves and costs. Servers pinned to CPU 0, the
# load and the sampler to CPU 1. Loads only 127.0.0.1 and stops by itself; ListenOverflows counts the
# whole machine, so run it when nothing else loads it.
# Usage: [ROUNDS=1] [M=1000] [C=4000] bench/scripts/maxconn.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${ROUNDS:-1}
limit=${M:-1000}
clients=${C:-$((4 * limit))}
work=$(mktemp -d)
declare -A pid
sampler=
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

. "$root/bench/scripts/peers.sh"
prepare_flood
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime, in clock ticks
fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
flood() { one_request_each "$1" "$clients"; } # port -> "seconds answered failed"
sample_fds() { # pid file: the peak descriptor count, written to file every 20 ms until killed
  local peak=0 n
  while :; do
    n=$(fds "$1")
    if [ "$n" -gt "$peak" ]; then peak=$n; echo "$peak" > "$2"; fi
    sleep 0.02
  done
}

# squall-unlimited: the same flood without the limit (every client accepted at once), for what the
# limit saves in descriptors and costs in CPU
servers=(squall squall-unlimited nginx)
declare -A port spid wall ans fail fdpeak cpu ovf
next=19400
for name in "${servers[@]}"; do
  next=$((next + 1))
  while port_open "$next"; do next=$((next + 1)); done
  port[$name]=$next
  if [ "$name" = squall-unlimited ]; then
    pid[$name]=$(start_server squall "$next")
  else
    pid[$name]=$(start_server "$name" "$next" "$limit")
  fi
  wait_port "$next" "${pid[$name]}"
  spid[$name]=$(server_pid "$name" "${pid[$name]}")
done
hz=$(getconf CLK_TCK)
echo "limit $limit connections, $clients clients, somaxconn $(cat /proc/sys/net/core/somaxconn), $rounds rounds" >&2
echo "warming up (one flood each, unmeasured: the JVM's JIT otherwise bills its compiling to the first round)" >&2
for name in "${servers[@]}"; do flood "${port[$name]}" >/dev/null; sleep 2; done
for round in $(seq "$rounds"); do
  for name in "${servers[@]}"; do
    sleep 2   # let TIME_WAIT and the previous flood settle
    base=$(fds "${spid[$name]}")
    echo "$base" > "$work/peak"
    taskset -c 1 bash -c "$(declare -f fds sample_fds); sample_fds ${spid[$name]} $work/peak" &
    sampler=$!
    before_cpu=$(cpu_ticks "${spid[$name]}")
    before=$(overflows)
    read -r secs ok failed < <(flood "${port[$name]}")
    after=$(overflows)
    after_cpu=$(cpu_ticks "${spid[$name]}")
    kill "$sampler"; wait "$sampler" 2>/dev/null || true; sampler=
    peak=$(cat "$work/peak")
    used=$(awk -v t=$((after_cpu - before_cpu)) -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }')
    wall[$name]+="$secs "; ans[$name]+="$ok "; fail[$name]+="$failed "
    fdpeak[$name]+="$peak "; cpu[$name]+="$used "; ovf[$name]+="$((after - before)) "
    echo "round $round $name: ${secs}s, answered $ok, failed $failed, descriptors $base -> peak $peak, CPU ${used}s, overflows $((after - before))" >&2
  done
done
printf '| server (limit %s, %s clients) | answered | failed | wall s | peak descriptors | server CPU s | ListenOverflows |\n|---|---|---|---|---|---|---|\n' "$limit" "$clients"
for name in "${servers[@]}"; do
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$(median <<<"${ans[$name]}")" "$(median <<<"${fail[$name]}")" \
    "$(median <<<"${wall[$name]}")" "$(median <<<"${fdpeak[$name]}")" "$(median <<<"${cpu[$name]}")" "$(median <<<"${ovf[$name]}")"
done
if [ "$rounds" -gt 1 ]; then
  echo "every round: " >&2
  for name in "${servers[@]}"; do
    echo "  $name: answered [${ans[$name]}] failed [${fail[$name]}] wall [${wall[$name]}] descriptors [${fdpeak[$name]}] CPU [${cpu[$name]}] overflows [${ovf[$name]}]" >&2
  done
fi
