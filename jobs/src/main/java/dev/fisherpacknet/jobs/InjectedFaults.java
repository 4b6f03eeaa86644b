package dev.fisherpacknet.jobs;

import java.util.Arrays;
import org.apache.spark.TaskContext;

/**
 * Test-only fault injection: with the JVM system property {@value #PROPERTY} set to a comma-separated list of
 * points ({@code train}, {@code fisher}, {@code task-zero}, {@code run}), the first attempt of every Spark task
 * that reaches one of those points throws, half way through its work, so that tests can check that Spark's retry
 * gives the same results as a fault-free run. Unset (as in every real sweep) it does nothing. It is read where
 * the task runs, so it acts in local mode, where executors share the test's JVM.
 */
final class InjectedFaults {
    /** The system property that names the points; for tests only. */
    static final String PROPERTY = "fisherpacknet.test-only.fail-first-attempt";

    private InjectedFaults() {
    }

    /** A fault thrown on purpose. */
    static final class InjectedFault extends RuntimeException {
        InjectedFault(String message) {
            super(message);
        }
    }

    /** Throws if {@code point} is named by {@value #PROPERTY} and this is the first attempt of a Spark task. */
    static void failFirstAttempt(String point) {
        String points = System.getProperty(PROPERTY);
        if (points == null) {
            return;
        }
        TaskContext task = TaskContext.get();
        if (task != null && task.attemptNumber() == 0 && Arrays.asList(points.split(",")).contains(point)) {
            throw new InjectedFault("injected fault at " + point + " (test only, " + PROPERTY + "): stage "
                    + task.stageId() + ", partition " + task.partitionId() + ", attempt 0");
        }
    }
}
