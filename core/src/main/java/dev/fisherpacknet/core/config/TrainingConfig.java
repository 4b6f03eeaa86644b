package dev.fisherpacknet.core.config;

/**
 * How each task is trained ({@code training.*}): Adam, minibatches, epochs before and after pruning.
 *
 * @param learningRate  Adam's learning rate
 * @param batchSize     examples per minibatch
 * @param epochs        epochs before pruning
 * @param retrainEpochs epochs of retraining the kept weights after pruning
 */
public record TrainingConfig(double learningRate, int batchSize, int epochs, int retrainEpochs) implements java.io.Serializable {
    public TrainingConfig {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive, got " + learningRate);
        }
        if (batchSize < 1 || epochs < 1 || retrainEpochs < 0) {
            throw new IllegalArgumentException("batchSize and epochs must be positive, retrainEpochs non-negative");
        }
    }
}
