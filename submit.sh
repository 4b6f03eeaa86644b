#!/usr/bin/env bash
# Runs a sweep: ./submit.sh [CONF] [--set key=value ...] [--master URL] [--out DIR] [--help]
# With no CONF, runs conf/permuted-mnist.conf (the P1 seed-1 grid) on embedded local Spark.
# Builds the project first if the build is missing or older than the sources.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
default_conf="$here/conf/permuted-mnist.conf"
classpath_file="$here/jobs/target/runtime-classpath.txt"
build_props="$here/jobs/target/classes/dev/fisherpacknet/jobs/build.properties"

needs_build() {
  [ -f "$classpath_file" ] && [ -f "$build_props" ] || return 0
  [ -n "$(find "$here/pom.xml" "$here/core" "$here/jobs" -path '*/target' -prune -o \
      -newer "$classpath_file" -type f -print -quit)" ]
}

if needs_build; then
  echo "Building (mvn -DskipTests install) ..." >&2
  (cd "$here" && mvn -B -q -DskipTests install) >&2
fi

# A CONF is the first argument that does not start with '-'; without one, run the default experiment.
if [ $# -eq 0 ] || { [[ "$1" == -* ]] && [[ "$1" != "--help" && "$1" != "-h" ]]; }; then
  set -- "$default_conf" "$@"
fi

opens="$(sed -n 's/^java17.opens=//p' "$build_props")"
# shellcheck disable=SC2086 # JAVA_OPTS and the opens are lists of flags
exec java ${JAVA_OPTS:--Xmx8g} $opens \
  -cp "$here/jobs/target/classes:$(cat "$classpath_file")" \
  dev.fisherpacknet.jobs.SweepJob "$@"
