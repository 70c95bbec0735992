# Shared by the load scripts (sourced): starting the peers and small helpers. Needs root and work (a
# scratch directory) to be set; starting a JVM peer needs java, jar (bench/target/benchmarks.jar) and
# jvm (the JVM options), which prepare_flood sets.
# HTTP servers: squall, netty-epoll (Netty's native epoll transport, the reference for "vs Netty"),
# netty-nio (Netty on the JDK selector, as Squall), vertx, tornado, node, nginx.

prepare_flood() { # for the one-request-per-connection floods: h2load and nginx, file limit, the jar
  local need=()
  command -v h2load >/dev/null || need+=(nghttp2-client)
  command -v nginx >/dev/null || need+=(nginx-light libnginx-mod-http-echo)
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  ulimit -n 65536 2>/dev/null || ulimit -n 20000
  "$root/squall" bench micro -l >/dev/null   # builds the benchmark jar with the JDK 25 the build finds
  java="$(cat "$root/examples/target/launch/java-home")/bin/java"
  jar="$root/bench/target/benchmarks.jar"
  jvm=(-Xms1g -Xmx1g --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -Djdk.trackAllThreads=false)
}

# The machine's listen-queue overflows so far (TcpExt ListenOverflows: SYNs dropped, which clients send again).
overflows() { awk '/^TcpExt:/ { if (!h) { for (i = 1; i <= NF; i++) col[$i] = i; h = 1 } else print $col["ListenOverflows"] }' /proc/net/netstat; }

one_request_each() { # port connections -> "seconds succeeded failed": that many clients at once, one /sleep each
  taskset -c 1 h2load --h1 -t1 -c"$2" -n"$2" -m1 "http://127.0.0.1:$1/sleep" 2>/dev/null |
    awk '/^finished in/ { v = $3; sub(/,$/, "", v); s = (v ~ /ms$/) ? substr(v, 1, length(v) - 2) / 1000 : substr(v, 1, length(v) - 1) } /^requests:/ { ok = $8; failed = $10 } END { print s, ok, failed }'
}

start_server() { # name port [max connections (squall, nginx)] -> pid
  local name=$1 port=$2 limit=${3:-}
  case $name in
    squall) exec taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.http.SquallHttpServer "$port" ${limit:+"$limit"} ;;
    netty-epoll) exec taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.http.NettyHttpServer "$port" epoll ;;
    netty-nio)   exec taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.http.NettyHttpServer "$port" nio ;;
    vertx)  exec taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.http.VertxHttpServer "$port" ;;
    tornado) exec taskset -c 0 /usr/bin/python3 "$root/bench/peers/tornado_server.py" "$port" ;;
    node)   exec taskset -c 0 node "$root/bench/peers/node_server.js" "$port" ;;
    nginx)  mkdir -p "$work/nginx/tmp"
            # nginx counts its listening socket among its worker_connections: one more for the same limit
            sed -e "s#PORT#$port#" -e "s#PREFIX#$work/nginx#g" \
                ${limit:+-e "s#worker_connections [0-9]*;#worker_connections $((limit + 1));#"} \
                "$root/bench/peers/nginx.conf" > "$work/nginx/nginx.conf"
            exec taskset -c 0 nginx -c "$work/nginx/nginx.conf" ;;
    *) echo "unknown server $name" >&2; exit 2 ;;
  esac >"$work/$name.log" 2>&1 &
  echo $!
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # port pid: waits until the server started as pid listens
  for _ in $(seq 200); do
    kill -0 "$2" 2>/dev/null || { echo "server on port $1 exited:" >&2; cat "$work"/*.log >&2; return 1; }
    port_open "$1" && return 0
    sleep 0.05
  done
  echo "no server on port $1" >&2; return 1
}

server_pid() { # the real server process (nginx forks a worker; others are the started pid)
  if [ "$1" = nginx ]; then pgrep -P "$2" | head -1; else echo "$2"; fi
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
