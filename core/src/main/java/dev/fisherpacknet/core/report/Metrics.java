package dev.fisherpacknet.core.report;

import dev.fisherpacknet.core.run.AccuracyMatrix;
import dev.fisherpacknet.core.run.TaskRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Metrics of one run beyond docs/PROTOCOL.md's ACC and BWT, each a function of the accuracy matrix R (and, for forward
 * transfer, of a reference run's R).
 */
public final class Metrics {
    private Metrics() {
    }

    /**
     * Forgetting of each task j &lt; T-1: the best accuracy it ever had before the last task,
     * max over l in [j, T-2] of R[l][j], minus its final accuracy R[T-1][j] (Chaudhry et al., 2018). Negative if
     * the task ended better than it ever was before; exactly 0 for every task under ownership. The last task has no
     * entry: nothing came after it.
     */
    public static List<Double> forgettingPerTask(AccuracyMatrix r) {
        int last = r.tasks() - 1;
        List<Double> forgetting = new ArrayList<>();
        for (int j = 0; j < last; j++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int l = j; l < last; l++) {
                best = Math.max(best, r.get(l, j));
            }
            forgetting.add(best - r.get(last, j));
        }
        return forgetting;
    }

    /** The mean of {@link #forgettingPerTask}; 0 for a single task. */
    public static double averageForgetting(AccuracyMatrix r) {
        return forgettingPerTask(r).stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    /** R[j][j] for each task: its accuracy just after it was learned (and, here, pruned and retrained). */
    public static List<Double> learningAccuracyPerTask(AccuracyMatrix r) {
        List<Double> values = new ArrayList<>();
        for (int j = 0; j < r.tasks(); j++) {
            values.add(r.get(j, j));
        }
        return values;
    }

    /** The mean of {@link #learningAccuracyPerTask}. */
    public static double learningAccuracy(AccuracyMatrix r) {
        return learningAccuracyPerTask(r).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /**
     * Forward transfer of each task j &gt;= 1 against a reference: R[j][j] - R_ref[j][j]. With one head per task,
     * a task cannot be evaluated before it is learned (GEM's R[j-1][j] does not exist), so what the earlier tasks
     * did to task j's learning is measured against a reference that learned the same task sequence without
     * ownership: the finetune baseline of the same seed. Negative: the task learned less than plain fine-tuning
     * would have, the price of frozen and released weights. Task 0 is left out: nothing came before it.
     *
     * @throws IllegalArgumentException if the two runs have different numbers of tasks
     */
    public static List<Double> forwardTransferPerTask(AccuracyMatrix r, AccuracyMatrix reference) {
        if (r.tasks() != reference.tasks()) {
            throw new IllegalArgumentException("forward transfer needs runs of the same tasks, got " + r.tasks()
                    + " and " + reference.tasks() + " tasks");
        }
        List<Double> values = new ArrayList<>();
        for (int j = 1; j < r.tasks(); j++) {
            values.add(r.get(j, j) - reference.get(j, j));
        }
        return values;
    }

    /** The mean of {@link #forwardTransferPerTask}; NaN for a single task. */
    public static double forwardTransfer(AccuracyMatrix r, AccuracyMatrix reference) {
        return forwardTransferPerTask(r, reference).stream().mapToDouble(Double::doubleValue).average()
                .orElse(Double.NaN);
    }

    /** The mean over tasks of the Fisher mass each kept; NaN if no task recorded one. */
    public static double meanFisherMassKept(List<TaskRecord> tasks) {
        return tasks.stream().mapToDouble(TaskRecord::fisherMassKept).filter(Double::isFinite).average()
                .orElse(Double.NaN);
    }

    /**
     * The share of its free weights that each task kept, kept / free at start (1 - p up to rounding): the capacity
     * against which the Fisher mass kept is read. A score that keeps a fraction f of the weights and more than f of
     * the Fisher mass has chosen the weights the task's likelihood depends on.
     */
    public static double meanKeptShareOfFree(List<TaskRecord> tasks) {
        return tasks.stream().filter(t -> t.freeAtStart() > 0)
                .mapToDouble(t -> t.capacityOwned() / t.freeAtStart()).average().orElse(Double.NaN);
    }
}
