package dev.fisherpacknet.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Task streams over data that cannot give every task examples: named before any training. */
class TaskStreamsTest {

    /** One example per label of {@code labels}, over {@code numClasses} classes, two features each. */
    private static ImageSet labelled(int numClasses, int... labels) {
        return new ImageSet(new float[labels.length * 2], labels, 2, numClasses);
    }

    @Test
    void split_withAGroupWhoseClassesHaveNoTrainingExample_namesTaskGroupAndSplit() {
        // given: classes 0..3, but no training example of class 2 or 3
        ImageSet train = labelled(4, 0, 1, 0, 1);
        ImageSet test = labelled(4, 0, 1, 2, 3);
        TaskStreamConfig config = new TaskStreamConfig(TaskStreamKind.SPLIT, 2, List.of(List.of(0, 1), List.of(2, 3)));

        // when
        DataException e = assertThrows(DataException.class, () -> TaskStreams.build(config, 1, train, test));

        // then
        assertEquals("task 1 has no training examples (tasks.class-groups[1] = [2, 3]: the training data have no"
                + " example of these classes); give every task examples in both the training and the test data, e.g."
                + " a larger data.train-fraction or class groups that the data hold", e.getMessage());
    }

    @Test
    void split_withAGroupMissingFromTheTestData_namesTheTestSplit() {
        // given
        ImageSet train = labelled(4, 0, 1, 2, 3);
        ImageSet test = labelled(4, 2, 3);
        TaskStreamConfig config = new TaskStreamConfig(TaskStreamKind.SPLIT, 2, List.of(List.of(0, 1), List.of(2, 3)));

        // when
        DataException e = assertThrows(DataException.class, () -> TaskStreams.build(config, 1, train, test));

        // then
        assertEquals(true, e.getMessage().startsWith("task 0 has no test examples (tasks.class-groups[0] = [0, 1]:"
                + " the test data have no example of these classes)"), e.getMessage());
    }

    @Test
    void permuted_withEmptyTrainingData_saysTheDataAreEmpty() {
        // given
        ImageSet empty = labelled(10);

        // when
        DataException e = assertThrows(DataException.class, () -> TaskStreams.build(
                new TaskStreamConfig(TaskStreamKind.PERMUTED, 2, List.of()), 1, empty, labelled(10, 3)));

        // then
        assertEquals(true, e.getMessage().startsWith("task 0 has no training examples (the training data are"
                + " empty)"), e.getMessage());
    }

    @Test
    void split_withExamplesForEveryTask_buildsEveryTask() {
        // when
        List<Task> tasks = TaskStreams.build(new TaskStreamConfig(TaskStreamKind.SPLIT, 2,
                List.of(List.of(0, 1), List.of(2, 3))), 1, labelled(4, 0, 1, 2, 3, 3), labelled(4, 3, 2, 1, 0));

        // then
        assertEquals(List.of(2, 3), tasks.stream().map(Task::trainSize).toList());
        assertEquals(List.of(2, 2), tasks.stream().map(Task::testSize).toList());
    }
}
