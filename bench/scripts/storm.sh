#!/usr/bin/env bash
# Connection storm at the kernel's default settings: N (10,000) clients connect at once to a server's
# /sleep (answered after one second), each sends one request and reads the answer. Measured per server:
# the wall time from the first connect to the last answer, the listen-queue overflows it caused
# (TcpExt ListenOverflows in /proc/net/netstat: every one is a dropped SYN the client retries a second
# later), and the peak RSS growth per connection. Servers: Squall, Netty on its native epoll transport
# (netty-epoll) and on NIO (netty-nio), nginx (pinned to CPU 0; the load, h2load with one connection per
# request, to CPU 1). Kernel settings are NOT changed (net.core.somaxconn stays as it is, 4096 by
# default); only this shell's file limit is raised for the client. Loads only 127.0.0.1 and stops by
# itself. ListenOverflows counts the whole machine: run it when nothing else loads it.
# Then what a held connection costs: io.squall.bench.http.IdleConnections (on CPU 1) opens HOLD
# keep-alive connections to each server in turn, one "GET /" answered on each, and holds them idle.
# Measured per server: the growth of its RSS (VmRSS) per held connection and, for the JVMs, of its live
# heap (the total of "jcmd PID GC.class_histogram", which counts only live objects, after a full GC),
# both from just before the connections to while they are held. The classes that grew the most per
# connection are printed on stderr.
# Usage: [ROUNDS=3] [N=10000] [HOLD=N] bench/scripts/storm.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${ROUNDS:-3}
conns=${N:-10000}
holding=${HOLD:-$conns}
work=$(mktemp -d)
declare -A pid
cleanup() {
  for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

. "$root/bench/scripts/peers.sh"
prepare_flood
jcmd="$(dirname "$java")/jcmd"
rss_kb() { awk "/$2/ {print \$2}" "/proc/$1/status"; }
storm() { one_request_each "$1" "$conns"; } # port -> "seconds answered failed"

servers=(nginx netty-epoll netty-nio squall)
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

# Held idle keep-alive connections.
live_heap() { # pid histogram-file -> bytes of live objects (GC.class_histogram runs a full GC first)
  "$jcmd" "$1" GC.class_histogram >"$2"
  awk '$1 == "Total" { print $3 }' "$2"
}
growth() { # before-histogram after-histogram -> the classes that grew most: bytes and instances per connection
  awk -v n="$holding" '
    $1 ~ /^[0-9]+:$/ { name = $4; for (i = 5; i <= NF; i++) name = name " " $i
                       if (FNR == NR) { b[name] = $3; c[name] = $2 } else { a[name] = $3; d[name] = $2 } }
    END { for (k in a) if (a[k] - b[k] > 0) printf "%10.1f B %6.2f  %s\n", (a[k] - b[k]) / n, (d[k] - c[k]) / n, k }' "$1" "$2" |
    sort -rn | head -12
}
declare -A held_rss held_heap held_closed
echo "holding $holding idle keep-alive connections on each server" >&2
for name in "${servers[@]}"; do
  sleep 2   # let TIME_WAIT and the previous load settle
  sp=${spid[$name]} heap_before=- heap_after=-
  [ "$name" = nginx ] || heap_before=$(live_heap "$sp" "$work/$name.before")
  rss_before=$(rss_kb "$sp" VmRSS)
  # a file of its own per server: the background job creates it after this shell goes on to read it
  out=$work/$name.holder.out err=$work/$name.holder.err
  : >"$out"
  taskset -c 1 "$java" -Xmx256m -cp "$jar" io.squall.bench.http.IdleConnections "${port[$name]}" "$holding" >"$out" 2>"$err" &
  pid[holder]=$!
  give_up=$((SECONDS + 300))
  until grep -q '^ready' "$out"; do
    kill -0 "${pid[holder]}" 2>/dev/null || { echo "IdleConnections failed on $name:" >&2; cat "$err" >&2; exit 1; }
    [ "$SECONDS" -lt "$give_up" ] || { echo "IdleConnections did not get its connections answered by $name within 300 s" >&2; exit 1; }
    sleep 0.2
  done
  rss_after=$(rss_kb "$sp" VmRSS)
  [ "$name" = nginx ] || heap_after=$(live_heap "$sp" "$work/$name.after")
  held_closed[$name]=$(grep -c 'closed by the server' "$err" || true)
  kill "${pid[holder]}"; wait "${pid[holder]}" 2>/dev/null || true; unset 'pid[holder]'
  held_rss[$name]=$(awk -v a="$rss_after" -v b="$rss_before" -v n="$holding" 'BEGIN { printf "%.2f", (a - b) / n }')
  held_heap[$name]=$([ "$heap_before" = - ] && echo - || awk -v a="$heap_after" -v b="$heap_before" -v n="$holding" 'BEGIN { printf "%.2f", (a - b) / n / 1024 }')
  echo "$name: RSS ${rss_before} -> ${rss_after} kB, live heap ${heap_before} -> ${heap_after} bytes" >&2
  if [ "$name" != nginx ]; then
    echo "  grew the most (bytes and instances per connection):" >&2
    growth "$work/$name.before" "$work/$name.after" | sed 's/^/  /' >&2
  fi
done
printf '\n| server | held connections | RSS growth KiB/conn | live heap growth KiB/conn | closed by the server |\n|---|---|---|---|---|\n'
for name in "${servers[@]}"; do
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$holding" "${held_rss[$name]}" "${held_heap[$name]}" "${held_closed[$name]}"
done
