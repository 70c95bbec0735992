# Shared by the load scripts (sourced): starting the peers and small helpers. Needs root, work (a
# scratch directory), java, jar (bench/target/benchmarks.jar) and jvm (the JVM options) to be set.
# HTTP servers: squall, netty-epoll (Netty's native epoll transport, the reference for "vs Netty"),
# netty-nio (Netty on the JDK selector, as Squall), vertx, tornado, node, nginx.

start_server() { # name port -> pid
  local name=$1 port=$2
  case $name in
    squall) exec taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.http.SquallHttpServer "$port" ;;
    netty-epoll) exec taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.http.NettyHttpServer "$port" epoll ;;
    netty-nio)   exec taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.http.NettyHttpServer "$port" nio ;;
    vertx)  exec taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.http.VertxHttpServer "$port" ;;
    tornado) exec taskset -c 0 /usr/bin/python3 "$root/bench/peers/tornado_server.py" "$port" ;;
    node)   exec taskset -c 0 node "$root/bench/peers/node_server.js" "$port" ;;
    nginx)  mkdir -p "$work/nginx/tmp"
            sed -e "s#PORT#$port#" -e "s#PREFIX#$work/nginx#g" "$root/bench/peers/nginx.conf" > "$work/nginx/nginx.conf"
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
