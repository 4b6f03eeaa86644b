package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.data.TrainingExamples;
import dev.fisherpacknet.core.mask.MultiHeadModel;
import dev.fisherpacknet.core.train.TaskTrainer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** What every kind of run does alike: reading parameters, test accuracy, and stopping on NaN or infinity. */
final class RunChecks {
    private RunChecks() {
    }

    static float[] params(MultiLayerNetwork net) {
        return net.params().dup().data().asFloat();
    }

    /** Test accuracy of task {@code j} with the model's evaluation network for it. */
    static double accuracy(MultiHeadModel model, Task task, int j, ImageSet test) {
        return model.accuracy(j, task.testSet(test).getFeatures(), task.testLabels(test));
    }

    /**
     * Checks DL4J's loss (the score) of the trained network on the task's first training minibatch: activations
     * can overflow to infinity while every parameter is still finite, and the loss then turns NaN.
     */
    static void requireFiniteLoss(MultiLayerNetwork net, TrainingExamples task, TaskTrainer trainer, int batchSize,
                                  String runId, int t, Phase phase) {
        int size = Math.min(batchSize, task.trainSize());
        int[] positions = new int[size];
        for (int i = 0; i < size; i++) {
            positions[i] = i;
        }
        double loss = trainer.loss(net, task, positions);
        if (!Double.isFinite(loss)) {
            throw new DivergenceException(runId, t, phase, "the loss on the task's first " + size
                    + " training examples is " + loss);
        }
    }

    static void requireFinite(float[] values, String runId, int task, Phase phase, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw diverged(runId, task, phase, what, i, values[i]);
            }
        }
    }

    static void requireFinite(double[] values, String runId, int task, Phase phase, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw diverged(runId, task, phase, what, i, values[i]);
            }
        }
    }

    private static DivergenceException diverged(String runId, int task, Phase phase, String what, int index,
                                                double value) {
        return new DivergenceException(runId, task, phase, what + " " + value + " at parameter " + index);
    }
}
