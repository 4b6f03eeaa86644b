# Reads `jfr print` output of sample events (each opened by a line "EVENT native" or "EVENT java") and prints, per
# candidate of the bench's kernels section, the share of its sampled time in each kind of work.
function flush() {
  if (kind == "") return
  who = "other"
  if (stack ~ /TrainingStep\.fit/) who = "fused step"
  else if (stack ~ /fitWithNd4jAdam/) who = "fit + ND4J Adam"
  else if (stack ~ /fitWithFusedAdam/) who = "fit + FusedAdam"
  else if (stack ~ /blasProducts/) who = "cblas_sgemm"
  what = "other work"
  if (stack ~ /AdamUpdater|adam_updater|FusedAdam\./) what = "Adam (and, fused, step and mask)"
  else if (stack ~ /ParameterMask\.apply/) what = "mask"
  else if (stack ~ /cblas_sgemm|[Mm]mul|Nd4j\.gemm|preOutput/) what = "matrix products"
  else if (stack ~ /computeGradient|computeScore|LossMCXENT|[Ss]oft[Mm]ax/) what = "loss and softmax"
  else if (stack ~ /[Bb]ackprop|getActivation|RectifiedLinear/) what = "activations and derivatives"
  else if (stack ~ /allocate|[Dd]eallocat|createUninitialized|Nd4j\.create/) what = "allocation"
  weight = (kind == "native") ? 20 : 10
  ms[who, what] += weight; total[who] += weight; whats[what] = 1
  kind = ""; stack = ""
}
/^EVENT / { flush(); kind = $2; next }
/^    [a-zA-Z]/ { stack = stack " " $1 }
END {
  flush()
  n = split("fit + ND4J Adam|fit + FusedAdam|fused step|cblas_sgemm", order, "|")
  m = split("matrix products|Adam (and, fused, step and mask)|mask|loss and softmax|activations and derivatives|allocation|other work", kinds, "|")
  printf "| where the time goes |"
  for (i = 1; i <= n; i++) printf " %s |", order[i]
  printf "\n|---|"
  for (i = 1; i <= n; i++) printf "---:|"
  printf "\n"
  for (j = 1; j <= m; j++) {
    printf "| %s |", kinds[j]
    for (i = 1; i <= n; i++) printf " %.0f %% |", total[order[i]] ? 100 * ms[order[i], kinds[j]] / total[order[i]] : 0
    printf "\n"
  }
  printf "| sampled seconds |"
  for (i = 1; i <= n; i++) printf " %.1f |", total[order[i]] / 1000
  printf "\n"
}
