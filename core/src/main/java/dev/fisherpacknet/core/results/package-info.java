/**
 * Result files: JSON per run, CSV long tables, the Markdown summary, all written atomically ({@code AtomicFiles});
 * and a sweep's claim on its output folder ({@code SweepOutput}): a lock, a writability check, and the record of
 * the configuration whose results the folder holds, so that two configurations' results never mix.
 */
package dev.fisherpacknet.core.results;
