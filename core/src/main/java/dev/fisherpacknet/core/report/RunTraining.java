package dev.fisherpacknet.core.report;

import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SparkSettings;
import java.util.Objects;

/**
 * How a run was trained, as far as the report can tell: the words of {@link RunConfig#describeTraining()}, which
 * the report's header counts so that a reader knows which procedure produced every number, and the figures that set
 * how often parameter averaging synchronises the replicas, which the price-of-averaging section plots. Result
 * folders written before runs recorded their procedure give {@link #UNKNOWN} words and zeros.
 *
 * @param description        e.g. "sequential (one replica); Adam fresh per phase; init fan-in-uniform", or
 *                           {@value #UNKNOWN_DESCRIPTION}
 * @param workers            training replicas: 1 is the protocol's sequential training; 0 when unknown
 * @param averagingFrequency minibatches each worker fits between two averagings (not read with one worker); 0 when
 *                           unknown
 * @param batchSize          examples per minibatch; 0 when unknown
 */
public record RunTraining(String description, int workers, int averagingFrequency, int batchSize) {
    /** The description of a run whose result files do not say how it trained. */
    public static final String UNKNOWN_DESCRIPTION = "unknown";

    /** A run whose result files do not say how it trained. */
    public static final RunTraining UNKNOWN = new RunTraining(UNKNOWN_DESCRIPTION, 0, 0, 0);

    public RunTraining {
        Objects.requireNonNull(description);
        if (workers < 0 || averagingFrequency < 0 || batchSize < 0) {
            throw new IllegalArgumentException("workers, averaging frequency and batch size must be >= 0 (0 for"
                    + " unknown), got " + workers + ", " + averagingFrequency + ", " + batchSize);
        }
    }

    /** The training of a run as its config set it. */
    public static RunTraining of(RunConfig config) {
        return new RunTraining(config.describeTraining(), config.spark().workers(),
                config.spark().averagingFrequency(), config.training().batchSize());
    }

    /**
     * {@link RunConfig#describeTraining()}'s words for the values a run's JSON records ({@code workers},
     * {@code averaging_frequency}, {@code optimizer_reset}, {@code init}): a report drawn again from the files names
     * the procedure exactly as the sweep's own report did.
     */
    static String describe(int workers, int averagingFrequency, String optimizerReset, String init) {
        // The partitions of the Fisher pass are not part of the description.
        return RunConfig.describeTraining(new SparkSettings(0, workers, averagingFrequency).describeProcedure(),
                optimizerReset, init);
    }

    /** Whether the description is known. */
    public boolean isKnown() {
        return !description.equals(UNKNOWN_DESCRIPTION);
    }

    /** Whether the run was trained sequentially (one worker): the protocol's reference procedure. */
    public boolean sequential() {
        return workers == 1;
    }

    /**
     * The examples the workers consume between two averagings (workers × averaging frequency × batch size): the
     * stretch over which replicas drift apart. 0 for sequential training, which does not average, and when a factor
     * is unknown.
     */
    public long examplesPerRound() {
        return examplesPerRound(workers, averagingFrequency, batchSize);
    }

    /** {@link #examplesPerRound()} of a run with these figures. */
    static long examplesPerRound(int workers, int averagingFrequency, int batchSize) {
        return workers >= 2 ? (long) workers * averagingFrequency * batchSize : 0;
    }
}
