package dev.fisherpacknet.jobs.spark;

import java.io.Serializable;
import org.apache.spark.SparkConf;

/**
 * Named points in the work of Spark tasks ({@code train}, {@code fisher}, {@code task-zero}, {@code run}) at which
 * a probe is told it was reached. Real sweeps have none; the fault-tolerance tests name a probe class of their own in
 * {@value #CONF_KEY} that throws on a task's first attempt, so that no fault-injecting code ships in the job jar.
 */
public interface TaskProbe extends Serializable {

    /** The Spark setting that names a probe class (with a public no-argument constructor). */
    String CONF_KEY = "spark.fisherpacknet.task-probe";

    /** Called by a Spark task when it reaches {@code point}. */
    void reached(String point);

    /** The probe {@code conf} names, or one that does nothing. */
    static TaskProbe of(SparkConf conf) {
        return conf.contains(CONF_KEY) ? new Named(conf.get(CONF_KEY)) : new None();
    }

    /** No probe. */
    record None() implements TaskProbe {
        @Override
        public void reached(String point) {
        }
    }

    /**
     * A probe class named in the configuration, made where the task runs.
     *
     * @param className the class, on the executors' classpath
     */
    record Named(String className) implements TaskProbe {
        @Override
        public void reached(String point) {
            TaskProbe probe;
            try {
                probe = (TaskProbe) Class.forName(className).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new IllegalStateException(CONF_KEY + " = " + className + " names no TaskProbe class with a"
                        + " public no-argument constructor on this executor's classpath", e);
            }
            probe.reached(point);
        }
    }
}
