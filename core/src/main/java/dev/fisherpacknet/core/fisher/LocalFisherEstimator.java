package dev.fisherpacknet.core.fisher;

import dev.fisherpacknet.core.data.Batches;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Task;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The Fisher diagonal computed in this JVM, minibatch by minibatch.
 *
 * @param baseTrain the base training examples the tasks index into
 * @param batchSize examples per minibatch (changes speed, not the result beyond float rounding)
 */
public record LocalFisherEstimator(ImageSet baseTrain, int batchSize) implements FisherEstimator {

    @Override
    public FisherDiagonal estimate(MultiLayerNetwork net, Task task, LabelMode mode, long sampleSeed) {
        FisherAccumulator accumulator = new FisherAccumulator(net, mode, sampleSeed);
        for (int[] positions : Batches.sequential(task.trainSize(), batchSize)) {
            addBatch(accumulator, task, baseTrain, positions);
        }
        return accumulator.result();
    }

    /** Adds the task examples at {@code positions} to {@code accumulator}; positions double as example ids. */
    public static void addBatch(FisherAccumulator accumulator, Task task, ImageSet baseTrain, int[] positions) {
        DataSet batch = task.trainBatch(baseTrain, positions);
        accumulator.add(batch.getFeatures(), argmax(batch), positions);
    }

    private static int[] argmax(DataSet batch) {
        return batch.getLabels().argMax(1).toIntVector();
    }
}
