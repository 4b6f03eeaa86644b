/**
 * The library behind the Spark jobs: everything that defines a Fisher-guided PackNet run, with no Spark dependency.
 * Seeds derive from one master seed per run; user-fixable failures extend {@link
 * dev.fisherpacknet.core.FisherPackNetException}.
 */
package dev.fisherpacknet.core;
