package dev.fisherpacknet.core.model;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Thread counts of the native code under ND4J (OpenBLAS and libnd4j's own loops). The job runs every Spark task
 * with one native thread: Spark gives each task one core, so more threads only oversubscribe the cores, and a
 * matrix product sums in an order that depends on its thread count, so results are reproducible bit for bit
 * between local mode, a cluster and a config-parallel sweep only if every JVM uses the same count.
 */
public final class NativeThreads {
    private NativeThreads() {
    }

    /** Pins this JVM's native code to one thread; cheap and idempotent, so every Spark task may call it. */
    public static void pin() {
        pin(1);
    }

    /** Pins this JVM's native code to {@code threads} threads (benchmarks compare counts). */
    public static void pin(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (Nd4j.factory().blas().getMaxThreads() != threads) {
            Nd4j.factory().blas().setMaxThreads(threads);
        }
        if (Nd4j.getEnvironment().maxThreads() != threads) {
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
        }
    }
}
