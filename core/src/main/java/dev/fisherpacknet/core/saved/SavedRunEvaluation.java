package dev.fisherpacknet.core.saved;

import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.data.TaskStreams;
import dev.fisherpacknet.core.mask.MultiHeadModel;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.results.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A saved run put back to work: its model, evaluated as the run evaluated it (task j with head j and the trunk
 * weights owned by tasks 0..j) on the test sets of its task stream, built from the run's own configuration over
 * the run's data or other data with the same features.
 *
 * @param saved  the saved run
 * @param sweep  the configuration the saved run records, with any data overrides: its data are the ones to use
 * @param config the run's grid point in it
 * @param model  the model in the saved state
 */
public record SavedRunEvaluation(SavedRun saved, SweepConfig sweep, RunConfig config, MultiHeadModel model) {

    /** Accuracy of one task. */
    public record TaskAccuracy(int task, int examples, double accuracy) {
    }

    /**
     * The saved run with its configuration read back; {@code dataOverrides} ({@code data.key=value}) point its
     * data elsewhere.
     *
     * @throws SavedRunException if an override is not a {@code data.*} key, or the run is not in the
     *                           configuration
     */
    public static SavedRunEvaluation of(SavedRun saved, List<String> dataOverrides) {
        for (String override : dataOverrides) {
            if (!override.startsWith("data.")) {
                throw new SavedRunException("--set " + override + ": only data.* keys can change; the model was"
                        + " trained with the run's own configuration");
            }
        }
        SweepConfig sweep = ConfigLoader.fromText(saved.sweepConfig(), dataOverrides,
                "the configuration in the saved run " + saved.runId());
        RunConfig config = sweep.runs().stream().filter(r -> r.id().equals(saved.runId())).findFirst()
                .orElseThrow(() -> new SavedRunException("the saved run's configuration has no run "
                        + saved.runId()));
        NetworkFactory factory = new NetworkFactory(config.model(), saved.inputWidth(),
                config.training().learningRate());
        return new SavedRunEvaluation(saved, sweep, config, saved.checkpoint().restore(factory));
    }

    /** The run's tasks over {@code data}, which must have the features the run was trained on. */
    public List<Task> tasks(Splits.TrainTest data) {
        if (data.test().width() != saved.inputWidth()) {
            throw new SavedRunException("the data have " + data.test().width() + " features per example, run "
                    + saved.runId() + " was trained on " + saved.inputWidth());
        }
        return TaskStreams.build(config.tasks(), config.seed(), data);
    }

    /** The test accuracy of every task the saved run has learnt, in task order. */
    public List<TaskAccuracy> accuracies(Splits.TrainTest data) {
        List<Task> tasks = tasks(data);
        List<TaskAccuracy> accuracies = new ArrayList<>();
        for (int j = 0; j < model.taskCount(); j++) {
            Task task = tasks.get(j);
            accuracies.add(new TaskAccuracy(j, task.testSize(),
                    model.accuracy(j, task.testSet(data.test()).getFeatures(), task.testLabels(data.test()))));
        }
        return accuracies;
    }

    /** The predicted class of every test example of task {@code j}, in the task's test order. */
    public int[] predict(Splits.TrainTest data, int j) {
        requireLearnt(j);
        Task task = tasks(data).get(j);
        return model.predict(j, task.testSet(data.test()).getFeatures());
    }

    /**
     * Writes {@code file}, a CSV with one row per test example of task {@code j}: its position in the task's test
     * set, its label (as the task's head numbers classes) and the predicted class.
     */
    public Path writePredictions(Splits.TrainTest data, int j, Path file) {
        int[] predicted = predict(data, j);
        int[] labels = tasks(data).get(j).testLabels(data.test());
        StringBuilder csv = new StringBuilder("example,label,predicted\n");
        for (int n = 0; n < predicted.length; n++) {
            csv.append(n).append(',').append(labels[n]).append(',').append(predicted[n]).append('\n');
        }
        return AtomicFiles.writeString(file, csv.toString());
    }

    private void requireLearnt(int j) {
        if (j < 0 || j >= model.taskCount()) {
            throw new SavedRunException("--task " + j + ": run " + saved.runId() + " has learnt tasks 0 to "
                    + (model.taskCount() - 1));
        }
    }
}
