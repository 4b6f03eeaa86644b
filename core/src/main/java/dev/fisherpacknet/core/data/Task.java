package dev.fisherpacknet.core.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One task of a stream, as a small transform of shared base data: which base examples it uses, how their pixels
 * are mapped (permuted or rotated) and how their labels map to its head's classes. It holds no examples itself,
 * so it is cheap to ship to executors beside a broadcast of the base data; {@link #trainBatch} and
 * {@link #testSet} are the only places where a task's examples are materialised.
 *
 * @param index        the task's position t in the stream
 * @param numClasses   classes of the task's head
 * @param trainIndices base training examples of the task, in order; positions index into this array
 * @param testIndices  base test examples of the task, in order
 * @param pixels       how a task example's features derive from the base example's ({@link PixelMap}); null for
 *                     the base features as they are
 * @param labelMap     task class of each base class, -1 for classes the task does not use
 */
public record Task(int index, int numClasses, int[] trainIndices, int[] testIndices, PixelMap pixels,
                   int[] labelMap) implements TrainingExamples, Serializable {

    public Task {
        for (int i = 1; i < trainIndices.length; i++) {
            if (trainIndices[i] <= trainIndices[i - 1]) {
                throw new IllegalArgumentException("training indices must ascend: " + trainIndices[i - 1]
                        + " then " + trainIndices[i] + " at " + i);
            }
        }
        trainIndices = trainIndices.clone();
        testIndices = testIndices.clone();
        labelMap = labelMap.clone();
    }

    /** Number of training examples. */
    @Override
    public int trainSize() {
        return trainIndices.length;
    }

    @Override
    public int[] positionsIn(long first, long end) {
        int from = lowerBound(first);
        int to = lowerBound(end);
        int[] positions = new int[to - from];
        for (int n = 0; n < positions.length; n++) {
            positions[n] = from + n;
        }
        return positions;
    }

    /** Index of the first training example whose base record is at least {@code record}. */
    private int lowerBound(long record) {
        int lo = 0;
        int hi = trainIndices.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (trainIndices[mid] < record) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The task's transform and selection. Every stream selects its training examples by class alone (all of
     * them, or those of its class group), so the rule remakes {@link #trainIndices} from any slice of records.
     */
    @Override
    public ShardRule.OfTask rule() {
        return new ShardRule.OfTask(index, numClasses, pixels, labelMap);
    }

    /** The examples of {@code set} whose class {@code labelMap} maps to a task class, ascending. */
    public static int[] recordsWithClasses(LabelledRecords set, int[] labelMap) {
        int count = 0;
        for (int i = 0; i < set.size(); i++) {
            if (labelMap[set.label(i)] >= 0) {
                count++;
            }
        }
        int[] members = new int[count];
        int n = 0;
        for (int i = 0; i < set.size(); i++) {
            if (labelMap[set.label(i)] >= 0) {
                members[n++] = i;
            }
        }
        return members;
    }

    /** Number of test examples. */
    public int testSize() {
        return testIndices.length;
    }

    /** The training examples at {@code positions} (indices into this task's training set) as one minibatch. */
    @Override
    public DataSet trainBatch(ImageSet baseTrain, int[] positions) {
        int[] base = new int[positions.length];
        for (int n = 0; n < positions.length; n++) {
            base[n] = trainIndices[positions[n]];
        }
        return dataSet(baseTrain, base);
    }

    /** The whole test set of the task as one data set. */
    public DataSet testSet(ImageSet baseTest) {
        return dataSet(baseTest, testIndices);
    }

    /** Task labels of the test set, in order. */
    public int[] testLabels(ImageSet baseTest) {
        int[] labels = new int[testIndices.length];
        for (int n = 0; n < labels.length; n++) {
            labels[n] = labelMap[baseTest.label(testIndices[n])];
        }
        return labels;
    }

    private DataSet dataSet(ImageSet source, int[] baseIndices) {
        int width = source.width();
        float[] features = new float[baseIndices.length * width];
        float[] labels = new float[baseIndices.length * numClasses];
        for (int n = 0; n < baseIndices.length; n++) {
            int example = baseIndices[n];
            if (pixels == null) {
                source.copyFeatures(example, features, n * width);
            } else {
                pixels.apply(source, example, features, n * width);
            }
            labels[n * numClasses + labelMap[source.label(example)]] = 1f;
        }
        return new DataSet(
                Nd4j.create(features, new long[] {baseIndices.length, width}, DataType.FLOAT),
                Nd4j.create(labels, new long[] {baseIndices.length, numClasses}, DataType.FLOAT));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Task t && index == t.index && numClasses == t.numClasses
                && Arrays.equals(trainIndices, t.trainIndices) && Arrays.equals(testIndices, t.testIndices)
                && Objects.equals(pixels, t.pixels) && Arrays.equals(labelMap, t.labelMap);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(trainIndices) * 31 + Objects.hashCode(pixels) + index;
    }

    @Override
    public String toString() {
        return "Task[" + index + ", " + numClasses + " classes, " + trainSize() + " train, " + testSize() + " test]";
    }
}
