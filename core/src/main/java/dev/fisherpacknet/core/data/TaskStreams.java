package dev.fisherpacknet.core.data;

import dev.fisherpacknet.core.ConfigException;
import dev.fisherpacknet.core.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Derives a run's sequence of tasks from the base train and test sets: the permuted and split streams of
 * docs/PROTOCOL.md, the rotated stream, and one task per pair of CSV files.
 */
public final class TaskStreams {
    private TaskStreams() {
    }

    /** The tasks of {@code config} over {@code train} and {@code test}; permutations derive from {@code seed}. */
    public static List<Task> build(TaskStreamConfig config, long seed, ImageSet train, ImageSet test) {
        return build(config, seed, new Splits.TrainTest(train, test));
    }

    /**
     * The tasks of {@code config} over {@code data}; permutations derive from {@code seed}. The files stream
     * makes one task of each file pair the data were read from, with that pair's classes.
     */
    public static List<Task> build(TaskStreamConfig config, long seed, RunData data) {
        List<Task> tasks = tasks(config, seed, data);
        for (Task task : tasks) {
            requireExamples(config, task, task.trainSize(), "training");
            requireExamples(config, task, task.testSize(), "test");
        }
        return tasks;
    }

    /**
     * A task without training examples cannot be trained (its Fisher diagonal would be 0/0), one without test
     * examples cannot be scored; both come from data that lack the task's classes, so they are named here rather
     * than surfacing as NaN accuracies after the run.
     */
    private static void requireExamples(TaskStreamConfig config, Task task, int size, String split) {
        if (size > 0) {
            return;
        }
        String what = switch (config.kind()) {
            case SPLIT -> "tasks.class-groups[" + task.index() + "] = " + config.classGroups().get(task.index())
                    + ": the " + split + " data have no example of these classes";
            case FILES -> "tasks.files[" + task.index() + "]: its " + split + " file has no rows";
            default -> "the " + split + " data are empty";
        };
        throw new DataException("task " + task.index() + " has no " + split + " examples (" + what + "); give every"
                + " task examples in both the training and the test data, e.g. a larger data.train-fraction or"
                + " class groups that the data hold");
    }

    private static List<Task> tasks(TaskStreamConfig config, long seed, RunData data) {
        LabelledRecords train = data.trainRecords();
        ImageSet test = data.test();
        return switch (config.kind()) {
            case PERMUTED -> permuted(config.count(), seed, train, test);
            case SPLIT -> split(config.classGroups(), train, test);
            case ROTATED -> rotated(config.angles(), train, test);
            case FILES -> {
                if (data.fileClasses().size() != config.count()) {
                    throw new ConfigException("tasks.stream = files needs one pair of CSV files per task (tasks.files"
                            + " with data.source = csv): tasks.count is " + config.count() + ", the data have "
                            + data.fileClasses().size() + " file pairs");
                }
                yield split(data.fileClasses(), train, test);
            }
        };
    }

    private static List<Task> permuted(int count, long seed, LabelledRecords train, ImageSet test) {
        int[] all = IntStream.range(0, train.size()).toArray();
        int[] allTest = IntStream.range(0, test.size()).toArray();
        int[] identityLabels = IntStream.range(0, train.numClasses()).toArray();
        List<Task> tasks = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            PixelMap pixels = t == 0 ? null
                    : PixelMap.permutation(permutation(train.width(), Seeds.derive(seed, "permutation", t)));
            tasks.add(new Task(t, train.numClasses(), all, allTest, pixels, identityLabels));
        }
        return tasks;
    }

    /**
     * Task k rotates every image by {@code angles[k]} degrees. The images must be square; the rotation is
     * computed once per task as a {@link PixelMap}.
     */
    private static List<Task> rotated(List<Double> angles, LabelledRecords train, ImageSet test) {
        int side = squareSide(train.width());
        int[] all = IntStream.range(0, train.size()).toArray();
        int[] allTest = IntStream.range(0, test.size()).toArray();
        int[] identityLabels = IntStream.range(0, train.numClasses()).toArray();
        List<Task> tasks = new ArrayList<>();
        for (int t = 0; t < angles.size(); t++) {
            tasks.add(new Task(t, train.numClasses(), all, allTest, PixelMap.rotation(side, angles.get(t)),
                    identityLabels));
        }
        return tasks;
    }

    /** The side of a square image of {@code width} pixels. */
    static int squareSide(int width) {
        int side = (int) Math.round(Math.sqrt(width));
        if (side * side != width) {
            throw new ConfigException("tasks.stream = rotated needs square images, but the data have " + width
                    + " features per example, which is not a square number (a 28x28 image has 784); use the"
                    + " permuted or split stream for data that are not square images");
        }
        return side;
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates) drawn from {@code seed}. */
    public static int[] permutation(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] p = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    private static List<Task> split(List<List<Integer>> groups, LabelledRecords train, ImageSet test) {
        List<Task> tasks = new ArrayList<>();
        for (int t = 0; t < groups.size(); t++) {
            int[] labelMap = new int[train.numClasses()];
            Arrays.fill(labelMap, -1);
            List<Integer> group = groups.get(t);
            for (int c = 0; c < group.size(); c++) {
                int cls = group.get(c);
                if (cls >= train.numClasses()) {
                    throw new ConfigException("tasks.class-groups[" + t + "] names class " + cls
                            + ", but the data have classes 0.." + (train.numClasses() - 1) + "; a split stream can"
                            + " only use classes the data have: change the group, or check data.classes and the"
                            + " labels of the files");
                }
                labelMap[cls] = c;
            }
            tasks.add(new Task(t, group.size(), withLabels(train, labelMap), withLabels(test, labelMap), null,
                    labelMap));
        }
        return tasks;
    }

    private static int[] withLabels(LabelledRecords set, int[] labelMap) {
        return IntStream.range(0, set.size()).filter(i -> labelMap[set.label(i)] >= 0).toArray();
    }
}
