package dev.fisherpacknet.core.data;

import java.io.Serializable;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The training examples a trainer draws minibatches from, by position: one task ({@link Task}), or every task of a
 * stream at once ({@link JointExamples}). Like a task, it holds no examples, only how to make them from the base data,
 * so it ships to executors beside a broadcast of the base data.
 */
public interface TrainingExamples extends Serializable {

    /** Number of training examples; positions run from 0 to this, exclusive. */
    int trainSize();

    /** The examples at {@code positions} as one minibatch. */
    DataSet trainBatch(ImageSet baseTrain, int[] positions);

    /**
     * Positions of the examples made from base records {@code [first, end)}, ascending: one partition's share
     * ({@link RecordRanges}). The examples {@link #rule()} makes from those records come in this order.
     */
    int[] positionsIn(long first, long end);

    /** How the examples are made from any partition's records, to ship to the executor that holds them. */
    ShardRule rule();
}
