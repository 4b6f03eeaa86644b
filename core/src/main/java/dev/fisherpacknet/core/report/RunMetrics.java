package dev.fisherpacknet.core.report;

import java.util.List;
import java.util.Optional;

/**
 * The metrics of one run, as fractions (not percent).
 *
 * @param run                the run
 * @param acc                ACC
 * @param bwt                BWT
 * @param forgettingPerTask  forgetting of each task j &lt; T-1
 * @param learningPerTask    R[j][j] of each task
 * @param fwtPerTask         forward transfer of each task j &gt;= 1 against the finetune run of the same seed;
 *                           empty without one
 * @param fisherMassKept     mean over tasks of the Fisher mass kept; NaN without task records
 * @param keptShareOfFree    mean over tasks of kept / free weights; NaN without task records
 */
public record RunMetrics(ReportRun run, double acc, double bwt, List<Double> forgettingPerTask,
                         List<Double> learningPerTask, Optional<List<Double>> fwtPerTask, double fisherMassKept,
                         double keptShareOfFree) {
    public RunMetrics {
        forgettingPerTask = List.copyOf(forgettingPerTask);
        learningPerTask = List.copyOf(learningPerTask);
        fwtPerTask = fwtPerTask.map(List::copyOf);
    }

    /** The metrics of {@code run}; {@code reference} is the finetune run of its seed, if there is one. */
    public static RunMetrics of(ReportRun run, Optional<ReportRun> reference) {
        var r = run.accuracy();
        return new RunMetrics(run, r.acc(), r.bwt(), Metrics.forgettingPerTask(r), Metrics.learningAccuracyPerTask(r),
                reference.map(ref -> Metrics.forwardTransferPerTask(r, ref.accuracy())),
                Metrics.meanFisherMassKept(run.tasks()), Metrics.meanKeptShareOfFree(run.tasks()));
    }

    /** Mean forgetting over tasks j &lt; T-1; 0 for one task. */
    public double forgetting() {
        return forgettingPerTask.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    /** Mean of R[j][j]. */
    public double learningAccuracy() {
        return learningPerTask.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** Mean forward transfer over j &gt;= 1; NaN without a reference or with one task. */
    public double fwt() {
        return fwtPerTask.flatMap(l -> l.stream().mapToDouble(Double::doubleValue).boxed()
                .reduce(Double::sum).map(s -> s / l.size())).orElse(Double.NaN);
    }
}
