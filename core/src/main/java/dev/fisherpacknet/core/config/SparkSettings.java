package dev.fisherpacknet.core.config;

import dev.fisherpacknet.core.ConfigValues;
/**
 * Distribution knobs ({@code spark.*}). The Fisher partitions change only the order of a sum; the workers and the
 * averaging frequency choose the training procedure: one worker is the protocol's sequential training (one
 * replica, one optimiser step per minibatch), more workers are parameter averaging, a variant with fewer
 * sequential steps per epoch and other results.
 *
 * @param partitions         partitions of a task's data for the Fisher pass; 0 for the default parallelism
 * @param workers            training replicas: 1 for sequential training, more for parameter averaging; 0 for the
 *                           default parallelism
 * @param averagingFrequency minibatches each worker fits between two averagings (not read by sequential training)
 */
public record SparkSettings(int partitions, int workers, int averagingFrequency) implements java.io.Serializable {
    public SparkSettings {
        if (partitions < 0 || workers < 0 || averagingFrequency < 1) {
            throw new IllegalArgumentException("partitions and workers must be >= 0, averagingFrequency >= 1");
        }
    }

    /** Whether training is the sequential procedure: one replica, each minibatch one optimiser step. */
    public boolean sequential() {
        return workers == 1;
    }

    /** The training procedure's name in result files: {@code sequential} or {@code parameter-averaging}. */
    public String procedure() {
        return sequential() ? "sequential" : "parameter-averaging";
    }

    /** The training procedure in words, e.g. "parameter averaging, 2 workers every 5 minibatches". */
    public String describeProcedure() {
        if (sequential()) {
            return "sequential (one replica)";
        }
        return "parameter averaging, " + (workers == 0 ? "default-parallelism" : String.valueOf(workers))
                + " workers every " + averagingFrequency + " minibatch" + (averagingFrequency == 1 ? "" : "es");
    }

    /** Reads the per-run keys of {@code spark.*} (the shared ones are {@link SweepConfig}'s). */
    static SparkSettings read(ConfigValues v) {
        return new SparkSettings(v.intAtLeast("spark.partitions", 0), v.intAtLeast("spark.workers", 0),
                v.intAtLeast("spark.averaging-frequency", 1));
    }
}
