package dev.fisherpacknet.core.config;

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
 */
public record RunConfig(int index, String id, Map<String, String> sweepValues, long seed, TaskStreamConfig tasks,
                        ModelConfig model, TrainingConfig training, PruneConfig prune, LabelMode fisherLabels,
                        SparkSettings spark) implements java.io.Serializable {
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
        return new RunConfig(index, id, sweepValues, seed, tasks, model, training, prune, fisherLabels, resolved);
    }
}
