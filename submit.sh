#!/usr/bin/env bash
# Runs a sweep: ./submit.sh [CONF] [--set key=value ...] [--master URL] [--out DIR] [--force] [--fail-fast] [--help]
# Runs the benchmarks of BENCHMARKS.md: ./submit.sh --bench [--only kernels,fisher,spark,serializer,data-parallel] [--out DIR]
# Draws a finished sweep's report again: ./submit.sh --report DIR [--set report.key=value ...]
# Evaluates a saved run: ./submit.sh --evaluate RUN_DIR [--set data.key=value ...] [--task J --predict FILE]
#
# Local mode (default, or --master local[N]): the driver and executors run in this JVM, from the Maven build.
# Cluster mode (--master spark://..., yarn or k8s://..., or SPARK_HOME set): the job jar goes to spark-submit,
# $SPARK_HOME/bin/spark-submit if SPARK_HOME is set, else (standalone masters only) Spark's own SparkSubmit from
# the build's jars. The driver runs here (client deploy mode) and reads CONF from this disk.
# Builds the project first if there is no build or a source changed since the last one.
# Environment: JAVA_OPTS (driver JVM options for local mode, default -Xmx8g); SUBMIT_OPTS (extra spark-submit
# options for cluster mode, e.g. "--executor-memory 6g --total-executor-cores 8").
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
default_conf="$here/conf/permuted-mnist.conf"
target="$here/jobs/target"
bench_target="$here/bench/target"
build_props="$target/classes/dev/fisherpacknet/jobs/build.properties"
main_class=dev.fisherpacknet.jobs.SweepJob

stamp="$target/.submit-build-stamp"

needs_build() {
  [ -f "$stamp" ] && [ -f "$target/runtime-classpath.txt" ] && [ -f "$target/spark-classpath.txt" ] \
    && [ -f "$build_props" ] && ls "$target"/fisher-packnet-jobs-*-job.jar >/dev/null 2>&1 \
    && [ -f "$bench_target/runtime-classpath.txt" ] || return 0
  [ -n "$(find "$here/pom.xml" "$here/core" "$here/jobs" "$here/bench" -path '*/target' -prune -o \
      -newer "$stamp" -type f -print -quit)" ]
}

if needs_build; then
  echo "Building (mvn -DskipTests install) ..." >&2
  (cd "$here" && mvn -B -q -DskipTests install) >&2
  touch "$stamp"
fi

opens="$(sed -n 's/^java17.opens=//p' "$build_props")"
classpath="$target/classes:$(cat "$target/runtime-classpath.txt"):$(cat "$target/spark-classpath.txt")"
# The driver draws the report's plots off screen; headless, AWT never looks for an X server (a stale DISPLAY).
headless=-Djava.awt.headless=true

if [ "${1:-}" = "--report" ]; then
  shift
  # A finished sweep's report drawn again from its folder: no Spark, no training.
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
  exec java ${JAVA_OPTS:--Xmx2g} $headless -cp "$classpath" dev.fisherpacknet.jobs.ReportJob "$@"
fi

if [ "${1:-}" = "--evaluate" ]; then
  shift
  # A saved run's model evaluated in this JVM: no Spark, no training.
  # shellcheck disable=SC2086 # JAVA_OPTS and the opens are lists of flags
  exec java ${JAVA_OPTS:--Xmx4g} $headless $opens -cp "$classpath" dev.fisherpacknet.jobs.EvaluateJob "$@"
fi

if [ "${1:-}" = "--bench" ]; then
  shift
  # shellcheck disable=SC2086 # JAVA_OPTS and the opens are lists of flags
  # The benchmarks live in their own module, outside the job jar.
  bench_classpath="$bench_target/classes:$(cat "$bench_target/runtime-classpath.txt"):$(cat "$bench_target/spark-classpath.txt")"
  exec java ${JAVA_OPTS:--Xmx8g} $opens -cp "$bench_classpath" dev.fisherpacknet.bench.BenchJob \
    --conf-dir "$here/conf" "$@"
fi

# A CONF is the first argument that does not start with '-'; without one, run the default experiment.
if [ $# -eq 0 ] || { [[ "$1" == -* ]] && [[ "$1" != "--help" && "$1" != "-h" ]]; }; then
  set -- "$default_conf" "$@"
fi

master=""
job_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --master) master="${2:-}"; job_args+=("$1" "${2:-}"); shift 2 || shift ;;
    --master=*) master="${1#--master=}"; job_args+=("--master" "$master"); shift ;;
    *) job_args+=("$1"); shift ;;
  esac
done

cluster=false
case "$master" in
  spark://*|yarn*|k8s://*|mesos://*) cluster=true ;;
  "") [ -n "${SPARK_HOME:-}" ] && cluster=true ;;
esac

if ! $cluster; then
  # shellcheck disable=SC2086 # JAVA_OPTS and the opens are lists of flags
  exec java ${JAVA_OPTS:--Xmx8g} $headless $opens \
    -cp "$classpath" "$main_class" "${job_args[@]}"
fi

# Cluster mode: spark-submit sets the master; the job must not get --master again.
submit_args=()
skip=false
for arg in "${job_args[@]}"; do
  if $skip; then skip=false; continue; fi
  if [ "$arg" = "--master" ]; then skip=true; continue; fi
  submit_args+=("$arg")
done
# The driver reads CONF from this disk: make its path absolute (client deploy mode).
if [[ "${submit_args[0]}" != -* ]]; then
  submit_args[0]="$(cd "$(dirname "${submit_args[0]}")" && pwd)/$(basename "${submit_args[0]}")"
fi

jar="$(ls "$target"/fisher-packnet-jobs-*-job.jar | head -n 1)"
if [ -n "${SPARK_HOME:-}" ]; then
  submit=("$SPARK_HOME/bin/spark-submit")
elif [[ "$master" == spark://* ]]; then
  # Spark's own jars and what they share with the job (slf4j, Jackson, ...) are split across both files.
  # shellcheck disable=SC2206 # the opens are a list of flags
  submit=(java ${JAVA_OPTS:--Xmx8g} $headless $opens "-Dlog4j2.configurationFile=$target/classes/log4j2.properties"
    -cp "$(cat "$target/spark-classpath.txt"):$(cat "$target/runtime-classpath.txt")" org.apache.spark.deploy.SparkSubmit)
else
  echo "error: --master $master needs spark-submit: set SPARK_HOME to a Spark 3.5 (Scala 2.12) distribution" >&2
  exit 2
fi
master_args=()
[ -n "$master" ] && master_args=(--master "$master")

# shellcheck disable=SC2086 # SUBMIT_OPTS is a list of options
exec "${submit[@]}" "${master_args[@]}" --deploy-mode client --class "$main_class" \
  --driver-java-options "$headless $opens -Dlog4j2.configurationFile=$target/classes/log4j2.properties" \
  --conf "spark.executor.extraJavaOptions=$opens" \
  ${SUBMIT_OPTS:-} \
  "$jar" "${submit_args[@]}"
