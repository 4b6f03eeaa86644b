/**
 * Result files: JSON per run, CSV long tables, the Markdown summary, all written atomically.
 */
package dev.fisherpacknet.core.results;
