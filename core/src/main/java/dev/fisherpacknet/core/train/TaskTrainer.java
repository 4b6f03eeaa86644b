package dev.fisherpacknet.core.train;

import dev.fisherpacknet.core.data.Task;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Trains a task network for some epochs while a {@link ParameterMask} holds its frozen parameters. */
public interface TaskTrainer {

    /**
     * Trains {@code net} in place on {@code task}'s training set. On return, every parameter the mask freezes
     * has exactly its frozen value.
     *
     * @param shuffleSeed epoch e's minibatch order derives from this seed and e
     */
    void train(MultiLayerNetwork net, Task task, ParameterMask mask, int epochs, long shuffleSeed);
}
