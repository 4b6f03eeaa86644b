#!/usr/bin/env bash
# Profiles the training step with the JDK's Flight Recorder: the bench job's kernels section (OpenBLAS's
# cblas_sgemm, DL4J's fit with ND4J's Adam, fit with FusedAdam and the fused TrainingStep, interleaved, at 1 and
# 2 native threads) under JFR's "profile" settings, then where each candidate's samples fall.
#
#   scripts/profile-step.sh [OUT_DIR]        # default results/profile; writes kernels.jfr and bench.md there
#
# Java samples are taken every 10 ms, native ones every 20 ms (JFR's profile settings); the table weighs them so.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$here/results/profile}"
mkdir -p "$out"
JAVA_OPTS="-Xmx8g -XX:StartFlightRecording=filename=$out/kernels.jfr,settings=profile" \
  "$here/submit.sh" --bench --only kernels --out "$out" >/dev/null
{
  jfr print --events jdk.NativeMethodSample --stack-depth 64 "$out/kernels.jfr" | sed 's/^jdk.NativeMethodSample {/EVENT native/'
  jfr print --events jdk.ExecutionSample --stack-depth 64 "$out/kernels.jfr" | sed 's/^jdk.ExecutionSample {/EVENT java/'
} | awk -f "$here/scripts/step-samples.awk"
