package dev.fisherpacknet.core.train;

import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.TrainingExamples;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Trains a task network for some epochs while a {@link ParameterMask} holds its frozen parameters. The network's
 * training listeners ({@link MultiLayerNetwork#getListeners()}) take part in every optimiser step wherever the step
 * runs: this is how a gradient term such as the EWC penalty reaches every replica and worker.
 */
public interface TaskTrainer {

    /**
     * Trains {@code net} in place on the examples of {@code task} (one task, or all of a stream's tasks at once). On
     * return, every parameter the mask freezes
     * has exactly its frozen value.
     *
     * @param shuffleSeed epoch e's minibatch order derives from this seed and e
     */
    void train(MultiLayerNetwork net, TrainingExamples task, ParameterMask mask, int epochs, long shuffleSeed);

    /**
     * DL4J's loss (score, without regularisation) of {@code net} on the training examples at {@code positions}, as
     * one minibatch, computed where the examples are.
     */
    double loss(MultiLayerNetwork net, TrainingExamples task, int[] positions);

    /**
     * The trainer that carries out a procedure in this JVM: sequential training ({@link LocalTaskTrainer}) for one
     * worker, parameter averaging replayed replica after replica ({@link AveragedTrainer}) for more.
     *
     * @param workers            replicas (at least one; {@code spark.workers} resolved)
     * @param averagingFrequency minibatches per replica between averages; not read for one worker
     */
    static TaskTrainer inThisJvm(ImageSet baseTrain, int batchSize, int workers, int averagingFrequency) {
        if (workers < 1) {
            throw new IllegalArgumentException("unresolved worker count " + workers);
        }
        return workers == 1 ? new LocalTaskTrainer(baseTrain, batchSize)
                : new AveragedTrainer(baseTrain, batchSize, workers, averagingFrequency);
    }
}
