/**
 * Experiment files (HOCON) and command-line overrides into validated, immutable records: the shared settings and every grid point of a sweep. {@code defaults.conf} beside these classes lists every valid key.
 */
package dev.fisherpacknet.core.config;
