/**
 * What a sweep writes besides the core's result files: the result tables as Parquet, the manifest (provenance) and
 * the build information it records.
 */
package dev.fisherpacknet.jobs.io;
