/**
 * Spark execution backends: config-parallel sweeps (whole runs in Spark tasks) and data-parallel ones (one run at a
 * time over the executor-held training records), the records themselves ({@link
 * dev.fisherpacknet.jobs.spark.TrainShards}), the tree-reduced Fisher pass, masked training over the shards, Kryo
 * registration and the {@link dev.fisherpacknet.jobs.spark.TaskProbe} hook of the fault tests.
 */
package dev.fisherpacknet.jobs.spark;
