package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.model.MultiHeadModel;
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
        int[] predicted = model.predict(j, task.testSet(test).getFeatures());
        int[] truth = task.testLabels(test);
        int correct = 0;
        for (int n = 0; n < truth.length; n++) {
            if (predicted[n] == truth[n]) {
                correct++;
            }
        }
        return correct / (double) truth.length;
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
