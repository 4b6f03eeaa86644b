package dev.fisherpacknet.core.train;

import dev.fisherpacknet.core.data.TrainingExamples;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Trains a task network for some epochs while a {@link ParameterMask} holds its frozen parameters. The network's
 * training listeners ({@link MultiLayerNetwork#getListeners()}) take part in every optimiser step wherever the step
 * runs: this is how a gradient term such as the EWC penalty reaches every replica and worker.
 */
public interface TaskTrainer {

    /**
     * Trains {@code net} in place on the examples of {@code task} (one task, or all of a stream's tasks at once). On return, every parameter the mask freezes
     * has exactly its frozen value.
     *
     * @param shuffleSeed epoch e's minibatch order derives from this seed and e
     */
    void train(MultiLayerNetwork net, TrainingExamples task, ParameterMask mask, int epochs, long shuffleSeed);
}
