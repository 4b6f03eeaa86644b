/**
 * The entry points: the sweep job (options, output folder, resuming, failed runs and --fail-fast, progress), the
 * report job and the evaluate job. Spark execution is in {@link dev.fisherpacknet.jobs.spark}, what a sweep writes
 * beyond the core's result files in {@link dev.fisherpacknet.jobs.io}; the benchmarks are a module of their own.
 */
package dev.fisherpacknet.jobs;
