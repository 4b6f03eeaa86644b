package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SparkSettings;
import dev.fisherpacknet.core.config.TrainingConfig;
import dev.fisherpacknet.core.data.TaskStreamConfig;
import dev.fisherpacknet.core.fisher.LabelMode;
import dev.fisherpacknet.core.model.ModelConfig;
import java.io.Serializable;

/**
 * Everything task 0's dense training and its Fisher pass depend on. The pruning ratio, score and scope are not in
 * it: they act only after task 0's Fisher, so every grid point of one seed that agrees on the rest shares one
 * task-0 state ({@link TaskZeroState}). The Spark settings must be resolved (no 0 for "default"), as the number
 * of averaging workers and Fisher partitions shapes the arithmetic.
 */
public record TaskZeroKey(long seed, TaskStreamConfig tasks, ModelConfig model, TrainingConfig training,
                          LabelMode fisherLabels, SparkSettings spark) implements Serializable {

    /** The key of {@code run}'s task 0. */
    public static TaskZeroKey of(RunConfig run) {
        if (run.spark().workers() < 1 || run.spark().partitions() < 1) {
            throw new IllegalArgumentException("run " + run.id() + " has unresolved Spark settings " + run.spark());
        }
        SparkSettings spark = run.spark();
        // Sequential training does not read the averaging frequency: runs that differ only there share task 0.
        SparkSettings shaping = spark.sequential() ? new SparkSettings(spark.partitions(), 1, 1) : spark;
        return new TaskZeroKey(run.seed(), run.tasks(), run.model(), run.training(), run.fisherLabels(), shaping);
    }
}
