#!/usr/bin/env bash
# Runs the kernels and Fisher benchmarks once per ND4J native classifier, swapping only nd4j-native's
# linux-x86_64* jar on the classpath (plus oneDNN's natives for the -onednn builds), so the choice of classifier
# in pom.xml rests on a measurement: ./scripts/compare-classifiers.sh [classifier ...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$here/bench/target"
"$here/submit.sh" --help >/dev/null   # builds the project if needed
opens="$(sed -n 's/^java17.opens=//p' "$here/jobs/target/classes/dev/fisherpacknet/jobs/build.properties")"
classifiers=("$@")
[ ${#classifiers[@]} -gt 0 ] || classifiers=(linux-x86_64 linux-x86_64-avx2 linux-x86_64-avx512 linux-x86_64-onednn-avx512)
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
base_cp="$(cat "$target/runtime-classpath.txt"):$(cat "$target/spark-classpath.txt")"
for classifier in "${classifiers[@]}"; do
  (cd "$here" && mvn -B -q dependency:get -Dartifact="org.nd4j:nd4j-native:1.0.0-M2:jar:$classifier" >/dev/null)
  jar="$repo/org/nd4j/nd4j-native/1.0.0-M2/nd4j-native-1.0.0-M2-$classifier.jar"
  cp="$(echo "$base_cp" | tr ':' '\n' | sed "s#.*/nd4j-native-1.0.0-M2-linux-x86_64.jar#$jar#" | paste -sd:)"
  if [[ "$classifier" == *onednn* ]]; then
    (cd "$here" && mvn -B -q dependency:get -Dartifact=org.bytedeco:dnnl:2.5.2-1.5.7:jar:linux-x86_64 >/dev/null \
      && mvn -B -q dependency:get -Dartifact=org.bytedeco:dnnl:2.5.2-1.5.7 >/dev/null)
    cp="$cp:$repo/org/bytedeco/dnnl/2.5.2-1.5.7/dnnl-2.5.2-1.5.7.jar:$repo/org/bytedeco/dnnl/2.5.2-1.5.7/dnnl-2.5.2-1.5.7-linux-x86_64.jar"
  fi
  echo "=== $classifier"
  # shellcheck disable=SC2086 # the opens are a list of flags
  java ${JAVA_OPTS:--Xmx8g} $opens -cp "$target/classes:$cp" dev.fisherpacknet.bench.BenchJob \
    --conf-dir "$here/conf" --only kernels,fisher --out "$here/results/bench-$classifier" 2>/dev/null \
    | grep -E '^\| [0-9]|training step|Fisher, empirical'
done
