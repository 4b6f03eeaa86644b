package dev.fisherpacknet.core.config;

/**
 * Distribution knobs ({@code spark.*}) that shape the computation but not its definition.
 *
 * @param partitions         partitions of a task's data for the Fisher pass; 0 for the default parallelism
 * @param workers            parameter-averaging workers; 0 for the default parallelism
 * @param averagingFrequency minibatches each worker fits between two averagings
 */
public record SparkSettings(int partitions, int workers, int averagingFrequency) implements java.io.Serializable {
    public SparkSettings {
        if (partitions < 0 || workers < 0 || averagingFrequency < 1) {
            throw new IllegalArgumentException("partitions and workers must be >= 0, averagingFrequency >= 1");
        }
    }
}
