/**
 * Experiment files (HOCON) and command-line overrides into validated, immutable records: the shared settings and
 * every grid point of a sweep. {@code defaults.conf} beside these classes lists every valid key. The records of a
 * domain's own settings live in that domain's package ({@code DataConfig} in {@code data}, {@code ModelConfig} in
 * {@code model}); this package depends on the domain packages, never the other way round, and the vocabulary they
 * share ({@link dev.fisherpacknet.core.ConfigName}, {@link dev.fisherpacknet.core.ConfigException}) is in the root
 * package. {@code PackageCyclesTest} keeps it so.
 */
package dev.fisherpacknet.core.config;
