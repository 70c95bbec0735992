# Shared by the load scripts (sourced): starting the peers and small helpers. Needs root, work (a
# scratch directory), java, jar (bench/target/benchmarks.jar) and jvm (the JVM options) to be set.

start_server() { # name port [max connections (squall, nginx)] -> pid
  local name=$1 port=$2 limit=${3:-}
  case $name in
    squall) exec taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.http.SquallHttpServer "$port" ${limit:+"$limit"} ;;
    netty)  exec taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.http.NettyHttpServer "$port" ;;
    vertx)  exec taskset -c 0 "$java" "${jvm[@]}" -cp "$jar" io.squall.bench.http.VertxHttpServer "$port" ;;
    tornado) exec taskset -c 0 /usr/bin/python3 "$root/bench/peers/tornado_server.py" "$port" ;;
    node)   exec taskset -c 0 node "$root/bench/peers/node_server.js" "$port" ;;
    nginx)  mkdir -p "$work/nginx/tmp"
            # nginx counts its listening socket among its worker_connections: one more for the same limit
            sed -e "s#PORT#$port#" -e "s#PREFIX#$work/nginx#g" \
                ${limit:+-e "s#worker_connections [0-9]*;#worker_connections $((limit + 1));#"} \
                "$root/bench/peers/nginx.conf" > "$work/nginx/nginx.conf"
            exec taskset -c 0 nginx -c "$work/nginx/nginx.conf" ;;
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
