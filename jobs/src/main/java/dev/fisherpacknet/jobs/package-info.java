/**
 * Spark entry points and glue: the sweep job (with resuming, failed runs and --fail-fast), the distributed Fisher
 * pass, masked parameter-averaged training with its worker hook, Parquet tables and the manifest; and the entry
 * points that need no Spark: the report job and the evaluate job.
 */
package dev.fisherpacknet.jobs;
