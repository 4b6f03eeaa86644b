package dev.fisherpacknet.jobs.spark;

import java.util.Arrays;
import org.apache.spark.TaskContext;

/**
 * Fault injection for the tests, as a {@link TaskProbe}: with the JVM system property {@value #PROPERTY} set to a
 * comma-separated list of points ({@code train}, {@code fisher}, {@code task-zero}, {@code run}), the first attempt
 * of every Spark task that reaches one of those points throws, half way through its work, so that tests can check
 * that Spark's retry gives the same results as a fault-free run. The property is read where the task runs, so it
 * acts in local mode, where executors share the test's JVM.
 */
public final class InjectedFaults implements TaskProbe {
    /** The system property that names the points. */
    public static final String PROPERTY = "fisherpacknet.test-only.fail-first-attempt";

    /** A fault thrown on purpose. */
    static final class InjectedFault extends RuntimeException {
        InjectedFault(String message) {
            super(message);
        }
    }

    /** Throws if {@code point} is named by {@value #PROPERTY} and this is the first attempt of a Spark task. */
    @Override
    public void reached(String point) {
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
