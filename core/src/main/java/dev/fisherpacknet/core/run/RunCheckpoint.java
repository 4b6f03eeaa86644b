package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.mask.MultiHeadModel;
import dev.fisherpacknet.core.model.NetworkFactory;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Everything a continual run carries from one task to the next, after task {@code tasksDone - 1}: the model
 * (trunk, one head per finished task with its class count, the owner of every trunk parameter), the rows of R
 * computed so far and the task records. Each task starts from a fresh network and a fresh optimiser whose seeds
 * derive from the run's seed and the task index, so nothing else is needed to go on: a run resumed from a
 * checkpoint ends bit-identical to one that never stopped. Not tied to one kind of run: any method whose state
 * between tasks is a {@link MultiHeadModel} can be checkpointed with it.
 *
 * @param tasksDone   number of finished tasks, at least 1
 * @param trunk       the trunk's parameters
 * @param heads       head j's parameters, for j &lt; tasksDone
 * @param headClasses head j's number of classes
 * @param owners      the owner task of each trunk parameter, or -1 for a free one
 * @param accuracy    R[t][j] for t &lt; tasksDone (rows of length t + 1)
 * @param records     the task records, one per finished task
 * @param millis      wall time spent on the run so far
 */
public record RunCheckpoint(int tasksDone, float[] trunk, List<float[]> heads, List<Integer> headClasses,
                            int[] owners, double[][] accuracy, List<TaskRecord> records, long millis)
        implements Serializable {
    public RunCheckpoint {
        Objects.requireNonNull(trunk);
        Objects.requireNonNull(owners);
        heads = List.copyOf(heads);
        headClasses = List.copyOf(headClasses);
        records = List.copyOf(records);
        if (tasksDone < 1 || heads.size() != tasksDone || headClasses.size() != tasksDone
                || accuracy.length != tasksDone || records.size() != tasksDone) {
            throw new IllegalArgumentException("a checkpoint after " + tasksDone + " tasks with " + heads.size()
                    + " heads, " + headClasses.size() + " class counts, " + accuracy.length + " rows of R and "
                    + records.size() + " task records");
        }
        for (int t = 0; t < tasksDone; t++) {
            if (accuracy[t].length != t + 1) {
                throw new IllegalArgumentException("row " + t + " of R has " + accuracy[t].length + " values");
            }
        }
        accuracy = Arrays.stream(accuracy).map(double[]::clone).toArray(double[][]::new);
    }

    /** The state of {@code model} after its last finished task, with R's rows {@code 0..tasksDone-1}. */
    public static RunCheckpoint capture(MultiHeadModel model, double[][] accuracy, List<TaskRecord> records,
                                        long millis) {
        int done = model.taskCount();
        List<float[]> heads = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        double[][] rows = new double[done][];
        for (int j = 0; j < done; j++) {
            heads.add(model.head(j));
            classes.add(model.headClasses(j));
            rows[j] = Arrays.copyOf(accuracy[j], j + 1);
        }
        return new RunCheckpoint(done, model.trunk(), heads, classes, model.ownership().toArray(), rows, records,
                millis);
    }

    /**
     * The finished state of a baseline, whose model has no ownership: every trunk parameter is recorded as owned
     * by task 0, which evaluates every task with the whole trunk, as the baseline does.
     */
    public static RunCheckpoint ofSharedTrunk(MultiHeadModel model, RunResult result) {
        RunCheckpoint state = capture(model, result.accuracy().values(), result.tasks(), result.millis());
        return new RunCheckpoint(state.tasksDone, state.trunk, state.heads, state.headClasses,
                new int[state.trunk.length], state.accuracy, state.records, state.millis);
    }

    /** A model in this state, whose networks {@code factory} builds. */
    public MultiHeadModel restore(NetworkFactory factory) {
        return MultiHeadModel.restore(factory, trunk, heads, headClasses, owners);
    }

    /** Whether every one of the run's {@code taskCount} tasks is done. */
    public boolean complete(int taskCount) {
        return tasksDone == taskCount;
    }

    /** R of a finished run as an accuracy matrix (NaN above the diagonal). */
    public AccuracyMatrix accuracyMatrix() {
        double[][] full = new double[tasksDone][tasksDone];
        for (int t = 0; t < tasksDone; t++) {
            Arrays.fill(full[t], Double.NaN);
            System.arraycopy(accuracy[t], 0, full[t], 0, t + 1);
        }
        return new AccuracyMatrix(full);
    }

    @Override
    public float[] trunk() {
        return trunk.clone();
    }

    @Override
    public int[] owners() {
        return owners.clone();
    }

    @Override
    public double[][] accuracy() {
        return Arrays.stream(accuracy).map(double[]::clone).toArray(double[][]::new);
    }
}
