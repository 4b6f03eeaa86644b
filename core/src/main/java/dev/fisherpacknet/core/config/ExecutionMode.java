package dev.fisherpacknet.core.config;

import dev.fisherpacknet.core.ConfigName;

/**
 * How a sweep spreads its work over the cluster ({@code spark.mode}). Both modes compute the same numbers for the
 * same seeds; they differ only in what runs where.
 */
public enum ExecutionMode implements ConfigName {
    /** {@link #CONFIG_PARALLEL} when the grid has at least as many runs as the cluster has task slots, else data. */
    AUTO,
    /** Runs one after another; each task's data is spread over executors (parameter averaging, Fisher partitions). */
    DATA_PARALLEL,
    /** Whole runs execute concurrently, each inside one Spark task, replaying the data-parallel arithmetic. */
    CONFIG_PARALLEL;

    /** The mode to use for {@code runs} grid points on a cluster with {@code slots} task slots. */
    public ExecutionMode resolve(int runs, int slots) {
        if (this != AUTO) {
            return this;
        }
        return runs >= slots ? CONFIG_PARALLEL : DATA_PARALLEL;
    }
}
