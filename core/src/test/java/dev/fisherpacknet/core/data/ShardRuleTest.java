package dev.fisherpacknet.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fisherpacknet.core.testing.SyntheticData;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A shard's examples made by a task's rule, from the shard's records alone, against the same examples made from the
 * whole data by their global positions ({@link TrainingExamples#positionsIn}).
 */
class ShardRuleTest {
    private static final ImageSet TRAIN = SyntheticData.imageSet(3, 97, 16, 10);
    private static final ImageSet TEST = SyntheticData.imageSet(4, 20, 16, 10);

    @Test
    void ranges_coverEveryRecordOnceInOrder_withSizesDifferingByAtMostOne() {
        RecordRanges ranges = new RecordRanges(97, 8);
        assertEquals(0, ranges.first(0));
        assertEquals(97, ranges.end(7));
        for (int p = 0; p < 8; p++) {
            assertEquals(ranges.end(p), p == 7 ? 97 : ranges.first(p + 1));
            assertEquals(12, ranges.size(p), 1);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> ranges.first(9));
    }

    @Test
    void rule_onEachShard_makesTheExamplesOfItsGlobalPositions_forEveryStreamAndJointTraining() {
        List<List<Task>> streams = List.of(
                TaskStreams.build(new TaskStreamConfig(TaskStreamKind.PERMUTED, 2, List.of()), 5, TRAIN, TEST),
                TaskStreams.build(new TaskStreamConfig(TaskStreamKind.SPLIT, 2,
                        List.of(List.of(0, 4, 7), List.of(2, 9))), 5, TRAIN, TEST),
                TaskStreams.build(new TaskStreamConfig(TaskStreamKind.ROTATED, 2, List.of(), List.of(0.0, 45.0)), 5,
                        TRAIN, TEST));
        for (List<Task> stream : streams) {
            for (TrainingExamples examples : List.<TrainingExamples>of(stream.get(0), stream.get(1),
                    new JointExamples(stream))) {
                RecordRanges ranges = new RecordRanges(TRAIN.size(), 3);
                int covered = 0;
                for (int p = 0; p < 3; p++) {
                    int[] global = examples.positionsIn(ranges.first(p), ranges.end(p));
                    ImageSet shard = TRAIN.select(IntStream.range((int) ranges.first(p), (int) ranges.end(p))
                            .toArray());
                    TrainingExamples local = examples.rule().on(shard);
                    assertEquals(global.length, local.trainSize());
                    if (global.length > 0) {
                        DataSet expected = examples.trainBatch(TRAIN, global);
                        DataSet actual = local.trainBatch(shard, IntStream.range(0, global.length).toArray());
                        assertEquals(expected.getFeatures(), actual.getFeatures());
                        assertEquals(expected.getLabels(), actual.getLabels());
                    }
                    covered += global.length;
                }
                assertEquals(examples.trainSize(), covered);
            }
        }
    }

    @Test
    void positionsIn_ofATask_areTheAscendingPositionsOfItsRecordsInTheRange() {
        int[] labelMap = new int[10];
        java.util.Arrays.fill(labelMap, -1);
        labelMap[3] = 0;
        labelMap[6] = 1;
        Task task = new Task(0, 2, Task.recordsWithClasses(TRAIN, labelMap), new int[0], null, labelMap);
        int[] expected = IntStream.range(0, task.trainSize())
                .filter(pos -> task.trainIndices()[pos] >= 20 && task.trainIndices()[pos] < 60).toArray();

        assertArrayEquals(expected, task.positionsIn(20, 60));
    }
}
