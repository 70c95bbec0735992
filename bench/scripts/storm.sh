#!/usr/bin/env bash
# Connection storm at the kernel's default settings: N (10,000) clients connect at once to a server's
# /sleep (answered after one second), each sends one request and reads the answer. Measured per server:
# the wall time from the first connect to the last answer, the listen-queue overflows it caused
# (TcpExt ListenOverflows in /proc/net/netstat: every one is a dropped SYN the client retries a second
# later), and the peak RSS growth per connection. Servers: Squall, Netty, nginx (pinned to CPU 0; the
# load, h2load with one connection per request, to CPU 1). Kernel settings are NOT changed (net.core.somaxconn stays as it
# is, 4096 by default); only this shell's file limit is raised for the client. Loads only 127.0.0.1 and
# stops by itself. ListenOverflows counts the whole machine: run it when nothing else loads it.
# Usage: [ROUNDS=3] [N=10000] bench/scripts/storm.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${ROUNDS:-3}
conns=${N:-10000}
work=$(mktemp -d)
declare -A pid
cleanup() {
  for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

. "$root/bench/scripts/peers.sh"
prepare_flood
rss_kb() { awk "/$2/ {print \$2}" "/proc/$1/status"; }
storm() { one_request_each "$1" "$conns"; } # port -> "seconds answered failed"

servers=(nginx netty squall)
declare -A port spid wall ovf mem fails
next=19300
for name in "${servers[@]}"; do
  next=$((next + 1))
  while port_open "$next"; do next=$((next + 1)); done
  port[$name]=$next
  pid[$name]=$(start_server "$name" "$next")
  wait_port "$next" "${pid[$name]}"
  spid[$name]=$(server_pid "$name" "${pid[$name]}")
done
echo "somaxconn $(cat /proc/sys/net/core/somaxconn), tcp_max_syn_backlog $(cat /proc/sys/net/ipv4/tcp_max_syn_backlog), $conns connections, $rounds rounds" >&2
echo "warming up (one storm each, unmeasured)" >&2
for name in "${servers[@]}"; do storm "${port[$name]}" >/dev/null; sleep 2; done
for round in $(seq "$rounds"); do
  for name in "${servers[@]}"; do
    sleep 2   # let TIME_WAIT and the previous storm settle
    before_rss=$(rss_kb "${spid[$name]}" VmRSS)
    echo 5 > "/proc/${spid[$name]}/clear_refs" 2>/dev/null || true   # reset VmHWM to the current RSS
    before=$(overflows)
    read -r secs ok failed < <(storm "${port[$name]}")
    after=$(overflows)
    peak=$(rss_kb "${spid[$name]}" VmHWM)
    wall[$name]+="$secs "
    ovf[$name]+="$((after - before)) "
    kib=$(awk -v p="$peak" -v b="$before_rss" -v c="$conns" 'BEGIN { printf "%.1f", (p - b) / c }')
    mem[$name]+="$kib "
    fails[$name]+="$failed "
    echo "round $round $name: ${secs}s, overflows $((after - before)), failed $failed, peak RSS ${peak} kB (before ${before_rss} kB)" >&2
  done
done
printf '| server | wall s (median) | vs nginx | ListenOverflows (median) | peak RSS growth KiB/conn | failed |\n|---|---|---|---|---|---|\n'
nw=$(median <<<"${wall[nginx]}")
for name in "${servers[@]}"; do
  w=$(median <<<"${wall[$name]}")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$w" "$(awk -v a="$w" -v b="$nw" 'BEGIN { printf "%.2f", a / b }')" \
    "$(median <<<"${ovf[$name]}")" "$(median <<<"${mem[$name]}")" "$(median <<<"${fails[$name]}")"
done
echo "every round: " >&2
for name in "${servers[@]}"; do echo "  $name: wall [${wall[$name]}] overflows [${ovf[$name]}] KiB/conn [${mem[$name]}]" >&2; done
