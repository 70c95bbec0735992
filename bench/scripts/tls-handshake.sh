#!/usr/bin/env bash
# Plaintext latency on one loop while TLS handshakes arrive: one Squall loop serves a plain line-echo port
# and a TLS port (RSA 2048 certificate; each connection handshakes, gets one byte, closes). The load
# process opens RATE TLS connections per second and meanwhile pings the plain port from 4 connections
# (1,000 round trips per second in all), measuring each round trip. Two server modes, alternated over
# ROUNDS rounds: "inline" (the handshake's delegated tasks run on the loop thread, as before they moved
# off it) and "executor" (they run on the loop's executor). Loopback only; every run is bounded
# (WARMUP + SECONDS). The machine may be shared: compare modes within a round, not across machines.
# Usage: [ROUNDS=2] [RATE=500] [WARMUP=5] bench/scripts/tls-handshake.sh [seconds]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-15}
rounds=${ROUNDS:-2}
rate=${RATE:-500}
warmup=${WARMUP:-5}
work=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT

command -v openssl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null; }
"$root/squall" bench micro -l >/dev/null   # builds the benchmark jar with the JDK 25 the build finds
java="$(cat "$root/examples/target/launch/java-home")/bin/java"
jar="$root/bench/target/benchmarks.jar"
jvm=(-Xms512m -Xmx512m --add-opens java.base/java.lang=ALL-UNNAMED -Djdk.trackAllThreads=false)

cd "$work"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt -days 2 \
  -subj /CN=bench-ca 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout server.key -out server.crt -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -CA ca.crt -CAkey ca.key 2>/dev/null

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
plain=19300
while port_open "$plain" || port_open $((plain + 1)); do plain=$((plain + 2)); done
tls=$((plain + 1))

echo "# $(date -u +%FT%TZ) $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); $rate handshakes/s, ${secs} s measured after ${warmup} s"
for round in $(seq "$rounds"); do
  for mode in inline executor; do
    "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.tls.HandshakeServer "$plain" "$tls" server.crt server.key "$mode" \
      >"server-$mode.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1200); do grep -q ready "server-$mode.log" && break; sleep 0.05; done   # a loaded machine starts slowly
    result=$(timeout $((warmup + secs + 60)) "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.tls.HandshakeLoad \
      "$plain" "$tls" ca.crt "$rate" "$warmup" "$secs" 2>"load-$mode.log") || result="load failed: $(tail -3 "load-$mode.log")"
    echo "round $round  $mode  $result"
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
    server_pid=
  done
done
