package dev.fisherpacknet.core.config;

import dev.fisherpacknet.core.model.ModelConfig;
import dev.fisherpacknet.core.data.TaskStreamConfig;

import dev.fisherpacknet.core.fisher.LabelMode;
import java.util.Map;
import java.util.Objects;

/**
 * One point of a sweep: everything that defines a single continual-learning run.
 *
 * @param index        position of the run in its sweep, from 0
 * @param id           a readable, unique name such as {@code r007-fisher-p0.7-s1}
 * @param sweepValues  the value of every sweep axis at this point, keyed by config path, in axis order
 * @param seed         the master seed
 * @param tasks        the task stream
 * @param model        the trunk
 * @param training     the optimiser and epochs
 * @param prune        ratio, score and scope
 * @param fisherLabels label mode of the Fisher diagonal
 * @param spark        distribution knobs
 * @param baseline     the baseline this run trains instead of pruning, or null for a pruned (PackNet) run; a
 *                     baseline run carries the prune settings of the grid's first point, which it does not read
 */
public record RunConfig(int index, String id, Map<String, String> sweepValues, long seed, TaskStreamConfig tasks,
                        ModelConfig model, TrainingConfig training, PruneConfig prune, LabelMode fisherLabels,
                        SparkSettings spark, BaselineConfig baseline) implements java.io.Serializable {

    /** A pruned (PackNet) run. */
    public RunConfig(int index, String id, Map<String, String> sweepValues, long seed, TaskStreamConfig tasks,
                     ModelConfig model, TrainingConfig training, PruneConfig prune, LabelMode fisherLabels,
                     SparkSettings spark) {
        this(index, id, sweepValues, seed, tasks, model, training, prune, fisherLabels, spark, null);
    }

    public RunConfig {
        Objects.requireNonNull(id);
        sweepValues = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sweepValues));
        Objects.requireNonNull(tasks);
        Objects.requireNonNull(model);
        Objects.requireNonNull(training);
        Objects.requireNonNull(prune);
        Objects.requireNonNull(fisherLabels);
        Objects.requireNonNull(spark);
    }

    /** This grid point with other Spark settings (the job resolves "0 = default parallelism" this way). */
    public RunConfig withSpark(SparkSettings resolved) {
        return new RunConfig(index, id, sweepValues, seed, tasks, model, training, prune, fisherLabels, resolved,
                baseline);
    }

    /** Whether this run is a baseline (no pruning) rather than a pruned run. */
    public boolean isBaseline() {
        return baseline != null;
    }

    /**
     * How the run trains, in words: the procedure, when Adam restarts and the initialisation, e.g. "sequential (one
     * replica); Adam fresh per phase; init fan-in-uniform".
     */
    public String describeTraining() {
        return describeTraining(spark.describeProcedure(), training.optimizerReset().configName(),
                model.init().configName());
    }

    /** {@link #describeTraining()}'s words from their parts as result files record them. */
    public static String describeTraining(String procedure, String optimizerReset, String init) {
        return procedure + "; Adam fresh per " + optimizerReset + "; init " + init;
    }

    /** What the run does, as result files name it: the importance score, or the baseline's label. */
    public String method() {
        return baseline != null ? baseline.label() : prune.score().configName();
    }
}
