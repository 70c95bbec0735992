#!/usr/bin/env bash
# HTTP client comparison, all clients in one run against the same nginx (one worker, "Hello, world"):
# Squall's AsyncHttpClient, the JDK's java.net.http.HttpClient (HTTP/1.1, sendAsync), Tornado's
# AsyncHTTPClient (simple: a connection per request) and, if python3-pycurl installs, Tornado's
# CurlAsyncHTTPClient. Each client makes REQUESTS GETs with WINDOW in flight, after a warm-up batch
# (REQUESTS for the JVM clients, whose JIT needs it; REQUESTS / 5 for Python, which has none); nginx is pinned to CPU 0, the client to CPU 1. Client CPU = user + system time of the
# client process during the measured batch, per request.
# Usage: bench/scripts/httpclient.sh [requests [window]]   (installs nginx, tornado, pycurl if missing)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
requests=${1:-100000}
window=${2:-50}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

python=/usr/bin/python3
need=()
command -v nginx >/dev/null || need+=(nginx-light libnginx-mod-http-echo)
"$python" -c 'import tornado' 2>/dev/null || need+=(python3-tornado)
"$python" -c 'import pycurl' 2>/dev/null || need+=(python3-pycurl)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null \
    || echo "note: could not install ${need[*]}" >&2
fi
"$root/squall" bench micro -l >/dev/null   # builds the benchmark jar with the JDK 25 the build finds
java="$(cat "$root/examples/target/launch/java-home")/bin/java"
jar="$root/bench/target/benchmarks.jar"
jvm=(-Xms1g -Xmx1g --add-opens java.base/java.lang=ALL-UNNAMED -Djdk.trackAllThreads=false)

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=19200
while port_open "$port"; do port=$((port + 1)); done   # skip ports something else holds
mkdir -p "$work/nginx/tmp"
sed -e "s#PORT#$port#" -e "s#PREFIX#$work/nginx#g" "$root/bench/peers/nginx.conf" > "$work/nginx/nginx.conf"
taskset -c 0 nginx -c "$work/nginx/nginx.conf" >"$work/nginx.log" 2>&1 &
nginx_pid=$!
for _ in $(seq 200); do
  kill -0 "$nginx_pid" 2>/dev/null || { echo "nginx exited:" >&2; cat "$work/nginx.log" >&2; exit 1; }
  port_open "$port" && break
  sleep 0.05
done
url="http://127.0.0.1:$port/"

load() { # client -> "requests/s R cpu_us_per_request C seconds S"
  case $1 in
    squall)  taskset -c 1 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.httpclient.SquallClientLoad "$url" "$requests" "$window" ;;
    jdk)     taskset -c 1 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.httpclient.JdkClientLoad "$url" "$requests" "$window" ;;
    tornado) taskset -c 1 "$python" "$root/bench/peers/tornado_client.py" "$url" "$requests" "$window" $((requests / 5)) simple ;;
    tornado-curl) taskset -c 1 "$python" "$root/bench/peers/tornado_client.py" "$url" "$requests" "$window" $((requests / 5)) curl ;;
  esac
}

clients=(squall jdk tornado)
"$python" -c 'import pycurl' 2>/dev/null && clients+=(tornado-curl)
declare -A rate cpu
for client in "${clients[@]}"; do
  read -r _ rate[$client] _ cpu[$client] _ _ <<<"$(load "$client")"
done
kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true

printf '| client | requests/s | client CPU µs/req | Squall req/s ÷ this | this CPU/req ÷ Squall |\n'
printf '|---|---|---|---|---|\n'
for client in "${clients[@]}"; do
  printf '| %s | %s | %s | %s | %s |\n' "$client" "${rate[$client]}" "${cpu[$client]}" \
    "$(awk -v a="${rate[squall]}" -v b="${rate[$client]}" 'BEGIN { printf "%.2f", a / b }')" \
    "$(awk -v a="${cpu[$client]}" -v b="${cpu[squall]}" 'BEGIN { printf "%.2f", a / b }')"
done
