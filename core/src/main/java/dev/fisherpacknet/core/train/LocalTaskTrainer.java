package dev.fisherpacknet.core.train;

import dev.fisherpacknet.core.Seeds;
import dev.fisherpacknet.core.data.Batches;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.TrainingExamples;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Masked training in this JVM: one optimiser step per minibatch, the mask applied before and after each step,
 * exactly as the Spark workers do it.
 *
 * @param baseTrain the base training examples the tasks index into
 * @param batchSize examples per minibatch
 */
public record LocalTaskTrainer(ImageSet baseTrain, int batchSize) implements TaskTrainer {

    @Override
    public void train(MultiLayerNetwork net, TrainingExamples task, ParameterMask mask, int epochs, long shuffleSeed) {
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int[] positions : Batches.shuffled(task.trainSize(), batchSize, epochSeed(shuffleSeed, epoch))) {
                mask.apply(net.params());
                net.fit(task.trainBatch(baseTrain, positions));
                mask.apply(net.params());
            }
        }
        mask.apply(net.params());
    }

    /** Seed of epoch {@code epoch}'s minibatch order; shared with the Spark trainer so both see the same batches. */
    public static long epochSeed(long shuffleSeed, int epoch) {
        return Seeds.derive(shuffleSeed, "epoch", epoch);
    }
}
