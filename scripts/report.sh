#!/usr/bin/env bash
# Draws a finished sweep's report again: scripts/report.sh DIR [--set report.key=value ...] [--help]
#
# Reads DIR/manifest.json, accuracy.csv and tasks.csv and writes DIR/report.html, report.md and plots/. No Spark and
# no training: seconds. Builds the project first, as submit.sh does, if there is no build or a source changed since.
# Environment: JAVA_OPTS (JVM options, default -Xmx2g).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$here/jobs/target"
stamp="$target/.submit-build-stamp"

# The same build and stamp as submit.sh, so that either script's build serves both.
needs_build() {
  [ -f "$stamp" ] && [ -f "$target/runtime-classpath.txt" ] && [ -f "$target/spark-classpath.txt" ] || return 0
  [ -n "$(find "$here/pom.xml" "$here/core" "$here/jobs" -path '*/target' -prune -o \
      -newer "$stamp" -type f -print -quit)" ]
}

if needs_build; then
  echo "Building (mvn -DskipTests install) ..." >&2
  (cd "$here" && mvn -B -q -DskipTests install) >&2
  touch "$stamp"
fi

# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
exec java ${JAVA_OPTS:--Xmx2g} -Djava.awt.headless=true \
  -cp "$target/classes:$(cat "$target/runtime-classpath.txt"):$(cat "$target/spark-classpath.txt")" \
  dev.fisherpacknet.jobs.ReportJob "$@"
