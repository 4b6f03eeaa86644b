package dev.fisherpacknet.core.data;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every task's training examples as one set, for joint training with one head per task: position p is task k's
 * example p - offset(k), task after task. A minibatch's label row is as wide as all heads side by side, with the
 * example's one-hot label in its own task's block ({@link #blockOffset}) and zeros in every other block, which is
 * how {@link dev.fisherpacknet.core.model.BlockSoftmaxLoss} knows the head an example belongs to.
 *
 * @param tasks the stream's tasks, in order
 */
public record JointExamples(List<Task> tasks) implements TrainingExamples {
    public JointExamples {
        tasks = List.copyOf(tasks);
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("joint training needs at least one task");
        }
    }

    @Override
    public int trainSize() {
        return tasks.stream().mapToInt(Task::trainSize).sum();
    }

    /** The width of a label row: the classes of every head together. */
    public int totalClasses() {
        return tasks.stream().mapToInt(Task::numClasses).sum();
    }

    /** The first column of task {@code k}'s block of labels (and of the joint network's outputs). */
    public int blockOffset(int k) {
        int offset = 0;
        for (int i = 0; i < k; i++) {
            offset += tasks.get(i).numClasses();
        }
        return offset;
    }

    /** The classes of each task's head, in task order. */
    public int[] blockSizes() {
        return tasks.stream().mapToInt(Task::numClasses).toArray();
    }

    @Override
    public int[] positionsIn(long first, long end) {
        List<int[]> parts = new ArrayList<>();
        int offset = 0;
        int total = 0;
        for (Task task : tasks) {
            int[] own = task.positionsIn(first, end);
            for (int n = 0; n < own.length; n++) {
                own[n] += offset;
            }
            parts.add(own);
            total += own.length;
            offset += task.trainSize();
        }
        int[] positions = new int[total];
        int n = 0;
        for (int[] part : parts) {
            System.arraycopy(part, 0, positions, n, part.length);
            n += part.length;
        }
        return positions;
    }

    @Override
    public ShardRule.Joint rule() {
        return new ShardRule.Joint(tasks.stream().map(Task::rule).toList());
    }

    @Override
    public DataSet trainBatch(ImageSet baseTrain, int[] positions) {
        int width = baseTrain.width();
        int classes = totalClasses();
        float[] features = new float[positions.length * width];
        float[] labels = new float[positions.length * classes];
        // Each task makes its own examples (pixel map, label map); they are copied into the batch in its order.
        int start = 0;
        for (int k = 0; k < tasks.size(); k++) {
            Task task = tasks.get(k);
            int end = start + task.trainSize();
            int count = 0;
            for (int p : positions) {
                if (p >= start && p < end) {
                    count++;
                }
            }
            if (count > 0) {
                int[] local = new int[count];
                int[] rows = new int[count];
                int n = 0;
                for (int row = 0; row < positions.length; row++) {
                    if (positions[row] >= start && positions[row] < end) {
                        local[n] = positions[row] - start;
                        rows[n++] = row;
                    }
                }
                DataSet part = task.trainBatch(baseTrain, local);
                float[] partFeatures = part.getFeatures().data().asFloat();
                float[] partLabels = part.getLabels().data().asFloat();
                int offset = blockOffset(k);
                for (int i = 0; i < count; i++) {
                    System.arraycopy(partFeatures, i * width, features, rows[i] * width, width);
                    System.arraycopy(partLabels, i * task.numClasses(), labels, rows[i] * classes + offset,
                            task.numClasses());
                }
            }
            start = end;
        }
        for (int p : positions) {
            if (p < 0 || p >= start) {
                throw new IndexOutOfBoundsException("position " + p + " of " + start + " joint examples");
            }
        }
        return new DataSet(Nd4j.create(features, new long[] {positions.length, width}, DataType.FLOAT),
                Nd4j.create(labels, new long[] {positions.length, classes}, DataType.FLOAT));
    }
}
