package dev.fisherpacknet.core.train;

import dev.fisherpacknet.core.Seeds;
import dev.fisherpacknet.core.data.Batches;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.TrainingExamples;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Masked training in this JVM: one optimiser step per minibatch ({@link TrainingStep}), the mask applied after
 * each step.
 *
 * @param baseTrain the base training examples the tasks index into
 * @param batchSize examples per minibatch
 */
public record LocalTaskTrainer(ImageSet baseTrain, int batchSize) implements TaskTrainer {

    @Override
    public void train(MultiLayerNetwork net, TrainingExamples task, ParameterMask mask, int epochs, long shuffleSeed) {
        TrainingStep step = TrainingStep.of(net);
        // Applying the mask is idempotent, so once before the first step and once after every step is enough.
        mask.apply(net.params());
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int[] positions : Batches.shuffled(task.trainSize(), batchSize, epochSeed(shuffleSeed, epoch))) {
                step.fit(task.trainBatch(baseTrain, positions), mask);
            }
        }
    }

    /** Seed of epoch {@code epoch}'s minibatch order; shared with the Spark trainer so both see the same batches. */
    public static long epochSeed(long shuffleSeed, int epoch) {
        return Seeds.derive(shuffleSeed, "epoch", epoch);
    }

    @Override
    public double loss(MultiLayerNetwork net, TrainingExamples task, int[] positions) {
        return net.score(task.trainBatch(baseTrain, positions), false);
    }
}
