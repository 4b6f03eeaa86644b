/**
 * Spark entry points and glue: the sweep job, the distributed Fisher pass, masked parameter-averaged training with its worker hook, Parquet tables and the manifest.
 */
package dev.fisherpacknet.jobs;
