#!/usr/bin/env bash
# Static files and uploads. Each server is pinned to CPU 0, the load generator to CPU 1.
#   static:  wrk, 16 keep-alive connections, GET of one 1 MiB file: Squall (StaticFileHandler, sendfile)
#            against nginx (sendfile on) in the same run, ROUNDS rounds taking the servers in turn, median.
#   upload:  curl -T of a 100 MB file to a @StreamRequestBody handler that writes it to disk, in a Squall
#            JVM with a 64 MiB heap (so a body held in memory could not even fit); the answer's size and
#            SHA-256 are checked against the file's, and the heap's peak during the upload is recorded.
# Usage: [ROUNDS=3] bench/scripts/static.sh [seconds per load run]   (installs wrk and nginx if missing)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-10}
rounds=${ROUNDS:-3}
work=$(mktemp -d)
declare -A pid
cleanup() {
  for p in "${pid[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
"$root/squall" bench micro -l >/dev/null   # builds the benchmark jar with the JDK 25 the build finds
java="$(cat "$root/examples/target/launch/java-home")/bin/java"
jar="$root/bench/target/benchmarks.jar"
flags=(--add-opens java.base/java.lang=ALL-UNNAMED -Djdk.trackAllThreads=false)

mkdir -p "$work/static" "$work/upload" "$work/nginx/tmp"
chmod 755 "$work" "$work/static"   # nginx's worker runs as another user: it must read the files
head -c 1048576 /dev/urandom > "$work/static/big.bin"
chmod 644 "$work/static/big.bin"
head -c 100000000 /dev/urandom > "$work/upload.src"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p=$1; while port_open "$p"; do p=$((p + 1)); done; echo "$p"; }
wait_port() { # port pid
  for _ in $(seq 200); do
    kill -0 "$2" 2>/dev/null || { echo "server on port $1 exited:" >&2; cat "$work"/*.log >&2; return 1; }
    port_open "$1" && return 0
    sleep 0.05
  done
  echo "no server on port $1" >&2; return 1
}

declare -A port
port[squall]=$(free_port 19300)
taskset -c 0 "$java" -Xms1g -Xmx1g "${flags[@]}" -cp "$jar" io.squall.bench.http.SquallStaticServer \
  "${port[squall]}" "$work/static" >"$work/squall.log" 2>&1 &
pid[squall]=$!
wait_port "${port[squall]}" "${pid[squall]}"
port[nginx]=$(free_port $((port[squall] + 1)))
sed -e "s#PORT#${port[nginx]}#" -e "s#PREFIX#$work/nginx#g" -e "s#ROOT#$work/static#" \
  "$root/bench/peers/nginx-static.conf" > "$work/nginx/nginx.conf"
taskset -c 0 nginx -c "$work/nginx/nginx.conf" >"$work/nginx.log" 2>&1 &
pid[nginx]=$!
wait_port "${port[nginx]}" "${pid[nginx]}"
port[upload]=$(free_port $((port[nginx] + 1)))
taskset -c 0 "$java" -Xms64m -Xmx64m "${flags[@]}" -cp "$jar" io.squall.bench.http.SquallStaticServer \
  "${port[upload]}" "$work/upload" >"$work/upload.log" 2>&1 &
pid[upload]=$!
wait_port "${port[upload]}" "${pid[upload]}"

static_load() { # port seconds -> "req/s transfer/s"; fails unless every answer was a 200 of the whole file
  local out
  out=$(taskset -c 1 wrk -t1 -c16 -d"$2s" "http://127.0.0.1:$1/static/big.bin")
  if grep -q 'Non-2xx' <<<"$out" || ! curl -sf -o "$work/check.bin" "http://127.0.0.1:$1/static/big.bin" \
      || ! cmp -s "$work/check.bin" "$work/static/big.bin"; then
    echo "port $1 does not serve the file:" >&2; echo "$out" >&2; exit 1
  fi
  awk '/Requests\/sec/ {r = $2} /Transfer\/sec/ {t = $2} END {print r, t}' <<<"$out"
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo "warming up (each server 5 s, unmeasured)" >&2
for name in squall nginx; do r=$(static_load "${port[$name]}" 5); done
declare -A rps
for round in $(seq "$rounds"); do
  echo "round $round of $rounds" >&2
  for name in squall nginx; do
    r=$(static_load "${port[$name]}" "$secs")
    rps[$name]+="${r%% *} "
  done
done
s=$(median <<<"${rps[squall]}"); n=$(median <<<"${rps[nginx]}")
printf '| server | 1 MiB static file, req/s (median of %s) | vs nginx |\n|---|---|---|\n' "$rounds"
printf '| squall | %s | %s |\n' "$s" "$(awk -v a="$s" -v b="$n" 'BEGIN { printf "%.2f", a / b }')"
printf '| nginx | %s | 1.00 |\n' "$n"
echo "every round: squall [${rps[squall]}] nginx [${rps[nginx]}]" >&2

echo "uploading 100 MB (warm-up upload first)" >&2
curl -s -T "$work/upload.src" "http://127.0.0.1:${port[upload]}/upload" >/dev/null
curl -s "http://127.0.0.1:${port[upload]}/heap?reset=1" >/dev/null
start=$(date +%s.%N)
answer=$(curl -s -T "$work/upload.src" "http://127.0.0.1:${port[upload]}/upload")
end=$(date +%s.%N)
peak=$(curl -s "http://127.0.0.1:${port[upload]}/heap")
expected="100000000 $(sha256sum "$work/upload.src" | cut -d' ' -f1)"
[ "$answer" = "$expected" ] || { echo "upload answer \"$answer\", expected \"$expected\"" >&2; exit 1; }
rss=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/${pid[upload]}/status")
printf '\n| upload | seconds | MB/s | peak heap MiB (-Xmx64m) | peak RSS MiB |\n|---|---|---|---|---|\n'
awk -v s="$start" -v e="$end" -v p="$peak" -v r="$rss" \
  'BEGIN { printf "| 100 MB, streamed to disk, size and SHA-256 checked | %.2f | %.0f | %s | %s |\n", e - s, 100 / (e - s), p, r }'
