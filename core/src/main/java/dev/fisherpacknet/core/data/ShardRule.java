package dev.fisherpacknet.core.data;

import java.io.Serializable;
import java.util.List;

/**
 * How a set of training examples selects and transforms the base records of any one partition, without the
 * example lists themselves: what an executor needs to make a task's examples from the shard it holds. A few
 * hundred bytes to a few kilobytes (a pixel map), whatever the size of the data.
 */
public sealed interface ShardRule extends Serializable {

    /**
     * The examples made from {@code shard}, a contiguous run of base records: those the rule selects, in record
     * order, transformed as the rule says. Their positions are the shard's local positions 0..n-1, in the order
     * {@link TrainingExamples#positionsIn} gives the same examples' global positions.
     */
    TrainingExamples on(ImageSet shard);

    /** One task's selection (the records whose class the task uses) and transform (pixel map, label map). */
    record OfTask(int index, int numClasses, PixelMap pixels, int[] labelMap) implements ShardRule {
        public OfTask {
            labelMap = labelMap.clone();
        }

        @Override
        public Task on(ImageSet shard) {
            int[] members = Task.recordsWithClasses(shard, labelMap);
            return new Task(index, numClasses, members, new int[0], pixels, labelMap);
        }
    }

    /** Joint training's selection: each task's examples of the shard, task after task. */
    record Joint(List<OfTask> tasks) implements ShardRule {
        public Joint {
            tasks = List.copyOf(tasks);
        }

        @Override
        public JointExamples on(ImageSet shard) {
            return new JointExamples(tasks.stream().map(rule -> rule.on(shard)).toList());
        }
    }
}
