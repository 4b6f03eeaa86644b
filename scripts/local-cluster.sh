#!/usr/bin/env bash
# A Spark standalone cluster on this machine, from the build's own jars (no Spark distribution needed):
#   scripts/local-cluster.sh start [CORES] [MEMORY]   one Master and one Worker on 127.0.0.1; prints the master URL
#   scripts/local-cluster.sh stop                     stops both by the pids recorded at start
# Then: ./submit.sh CONF --master spark://127.0.0.1:7077
# State (SPARK_HOME made of links, logs, pids, work dir) lives in jobs/target/local-cluster/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$here/jobs/target"
state="$target/local-cluster"
port="${MASTER_PORT:-7077}"

# Waits until LOG holds LINE; fails with the log's tail if process PID dies first.
await() {
  local log="$1" line="$2" pid="$3"
  until grep -q "$line" "$log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "error: a cluster daemon stopped; its log:" >&2
      tail -n 20 "$log" >&2
      stop
      exit 1
    fi
    sleep 0.5
  done
}

start() {
  local cores="${1:-2}" memory="${2:-8g}"
  [ -f "$target/runtime-classpath.txt" ] || (cd "$here" && mvn -B -q -DskipTests install)
  rm -rf "$state/spark-home"
  mkdir -p "$state/spark-home/jars" "$state/work"
  { tr ':' '\n' < "$target/runtime-classpath.txt"; echo; tr ':' '\n' < "$target/spark-classpath.txt"; echo; } \
    > "$state/jars.txt"
  while read -r jar; do
    case "$jar" in *.jar) ln -sf "$jar" "$state/spark-home/jars/$(basename "$jar")" ;; esac
  done < "$state/jars.txt"
  local opens
  opens="$(sed -n 's/^java17.opens=//p' "$target/classes/dev/fisherpacknet/jobs/build.properties")"
  export SPARK_HOME="$state/spark-home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
  # shellcheck disable=SC2086 # the opens are a list of flags
  nohup java -Xmx1g $opens -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$port" --webui-port 8080 > "$state/master.log" 2>&1 &
  echo $! > "$state/master.pid"
  await "$state/master.log" "I have been elected leader" "$(cat "$state/master.pid")"
  # shellcheck disable=SC2086
  nohup java -Xmx1g $opens -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker \
    "spark://127.0.0.1:$port" --host 127.0.0.1 --cores "$cores" --memory "$memory" \
    --work-dir "$state/work" > "$state/worker.log" 2>&1 &
  echo $! > "$state/worker.pid"
  await "$state/master.log" "Registering worker" "$(cat "$state/worker.pid")"
  echo "spark://127.0.0.1:$port"
}

stop() {
  for daemon in worker master; do
    if [ -f "$state/$daemon.pid" ]; then
      kill "$(cat "$state/$daemon.pid")" 2>/dev/null || true
      rm -f "$state/$daemon.pid"
    fi
  done
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 start [CORES] [MEMORY] | stop" >&2; exit 2 ;;
esac
