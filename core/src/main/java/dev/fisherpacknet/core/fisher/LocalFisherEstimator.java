package dev.fisherpacknet.core.fisher;

import dev.fisherpacknet.core.data.Batches;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Task;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The Fisher diagonal computed in this JVM. The task's minibatches are cut into {@code partitions} contiguous
 * groups exactly as the Spark estimator spreads them over partitions ({@link Batches#slices}); each group is summed
 * in double precision and the group sums are added in group order, which is also the Spark estimator's order. So
 * with the same partition count both give bit-identical diagonals, and a grid point computed inside one Spark task
 * equals the same point computed across executors.
 *
 * @param baseTrain  the base training examples the tasks index into
 * @param batchSize  examples per minibatch (changes speed, not the result beyond float rounding)
 * @param partitions number of groups summed separately (changes the result only by double rounding)
 */
public record LocalFisherEstimator(ImageSet baseTrain, int batchSize, int partitions) implements FisherEstimator {

    public LocalFisherEstimator {
        if (batchSize < 1 || partitions < 1) {
            throw new IllegalArgumentException("batchSize and partitions must be >= 1, got " + batchSize + ", "
                    + partitions);
        }
    }

    /** One group: every minibatch summed in order. */
    public LocalFisherEstimator(ImageSet baseTrain, int batchSize) {
        this(baseTrain, batchSize, 1);
    }

    @Override
    public FisherDiagonal estimate(MultiLayerNetwork net, Task task, LabelMode mode, long sampleSeed) {
        List<int[]> batches = Batches.sequential(task.trainSize(), batchSize);
        FisherDiagonal total = FisherDiagonal.EMPTY;
        for (List<int[]> group : Batches.slices(batches, groupCount(batches.size(), partitions))) {
            FisherAccumulator accumulator = new FisherAccumulator(net, mode, sampleSeed);
            for (int[] positions : group) {
                addBatch(accumulator, task, baseTrain, positions);
            }
            total = total.plus(accumulator.result());
        }
        return total;
    }

    /** Groups the minibatches go into: {@code partitions}, but never more than there are minibatches. */
    public static int groupCount(int batches, int partitions) {
        return Math.max(1, Math.min(batches, partitions));
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
