package dev.fisherpacknet.core.fisher;

import dev.fisherpacknet.core.data.Task;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Computes the Fisher diagonal of a trained task network over the task's whole training set. */
public interface FisherEstimator {

    /**
     * The summed per-example squared gradients of log p(y|x) for every parameter of {@code net}, over all of
     * {@code task}'s training examples. {@code net} is read, not changed.
     *
     * @param sampleSeed seed of the label draws for {@link LabelMode#SAMPLED}
     */
    FisherDiagonal estimate(MultiLayerNetwork net, Task task, LabelMode mode, long sampleSeed);
}
