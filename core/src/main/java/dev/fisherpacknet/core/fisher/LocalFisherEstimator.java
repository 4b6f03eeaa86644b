package dev.fisherpacknet.core.fisher;

import dev.fisherpacknet.core.data.Batches;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.RecordRanges;
import dev.fisherpacknet.core.data.Task;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The Fisher diagonal computed in this JVM, by the Spark estimator's plan: the base records are cut into
 * {@code partitions} contiguous ranges ({@link RecordRanges}), each range's task examples are summed in double
 * precision in minibatches of {@code batchSize}, and the range sums are added by {@link ExactFisherSum}, whose
 * result does not depend on the order of additions. So with the same partition count both give bit-identical
 * diagonals, and a grid point computed inside one Spark task equals the same point computed across executors.
 *
 * @param baseTrain  the base training examples the tasks index into
 * @param batchSize  examples per minibatch (changes speed, not the result beyond float rounding)
 * @param partitions record ranges summed separately (changes the result only by double rounding)
 */
public record LocalFisherEstimator(ImageSet baseTrain, int batchSize, int partitions) implements FisherEstimator {

    public LocalFisherEstimator {
        if (batchSize < 1 || partitions < 1) {
            throw new IllegalArgumentException("batchSize and partitions must be >= 1, got " + batchSize + ", "
                    + partitions);
        }
    }

    /** One range: every minibatch summed in order. */
    public LocalFisherEstimator(ImageSet baseTrain, int batchSize) {
        this(baseTrain, batchSize, 1);
    }

    @Override
    public FisherDiagonal estimate(MultiLayerNetwork net, Task task, LabelMode mode, long sampleSeed) {
        RecordRanges ranges = new RecordRanges(baseTrain.size(), partitions);
        List<FisherDiagonal> partials = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            int[] positions = task.positionsIn(ranges.first(p), ranges.end(p));
            FisherAccumulator accumulator = new FisherAccumulator(net, mode, sampleSeed);
            for (int[] batch : Batches.sequential(positions.length, batchSize)) {
                int[] global = new int[batch.length];
                for (int n = 0; n < batch.length; n++) {
                    global[n] = positions[batch[n]];
                }
                addBatch(accumulator, task.trainBatch(baseTrain, global), global);
            }
            partials.add(accumulator.result());
        }
        return ExactFisherSum.of(partials);
    }

    /**
     * Adds one minibatch of task examples to {@code accumulator}; {@code exampleIds} are their positions in the
     * task's whole training set, which seed their label draws wherever they are computed.
     */
    public static void addBatch(FisherAccumulator accumulator, DataSet batch, int[] exampleIds) {
        accumulator.add(batch.getFeatures(), batch.getLabels().argMax(1).toIntVector(), exampleIds);
    }
}
