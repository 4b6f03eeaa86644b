package dev.fisherpacknet.core.config;

import dev.fisherpacknet.core.ConfigValues;
import dev.fisherpacknet.core.train.OptimizerReset;
import java.util.Objects;

/**
 * How each task is trained ({@code training.*}): Adam, minibatches, epochs before and after pruning.
 *
 * @param learningRate  Adam's learning rate
 * @param batchSize     examples per minibatch
 * @param epochs        epochs before pruning
 * @param retrainEpochs epochs of retraining the kept weights after pruning
 * @param optimizerReset when Adam's state starts afresh
 */
public record TrainingConfig(double learningRate, int batchSize, int epochs, int retrainEpochs,
                             OptimizerReset optimizerReset) implements java.io.Serializable {

    /** Training with the protocol's fresh Adam at every phase ({@link OptimizerReset#PHASE}). */
    public TrainingConfig(double learningRate, int batchSize, int epochs, int retrainEpochs) {
        this(learningRate, batchSize, epochs, retrainEpochs, OptimizerReset.PHASE);
    }

    public TrainingConfig {
        Objects.requireNonNull(optimizerReset);
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive, got " + learningRate);
        }
        if (batchSize < 1 || epochs < 1 || retrainEpochs < 0) {
            throw new IllegalArgumentException("batchSize and epochs must be positive, retrainEpochs non-negative");
        }
    }

    /** Reads {@code training.*}. */
    static TrainingConfig read(ConfigValues v) {
        return new TrainingConfig(v.doubleIn("training.learning-rate", 0, false, 10, true),
                v.intAtLeast("training.batch-size", 1), v.intAtLeast("training.epochs", 1),
                v.intAtLeast("training.retrain-epochs", 0), v.choice("training.optimizer-reset", OptimizerReset.class));
    }
}
