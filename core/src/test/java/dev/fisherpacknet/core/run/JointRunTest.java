package dev.fisherpacknet.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.JointExamples;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.data.TaskStreamConfig;
import dev.fisherpacknet.core.data.TaskStreamKind;
import dev.fisherpacknet.core.data.TaskStreams;
import dev.fisherpacknet.core.mask.MultiHeadModel;
import dev.fisherpacknet.core.model.ModelConfig;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.model.ParamLayout;
import dev.fisherpacknet.core.testing.SyntheticData;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Joint training's data and heads, against each task's own examples and a softmax of each block. */
class JointRunTest {

    private static final SyntheticData.TrainTest DATA = SyntheticData.trainTest(3, 70, 28, 9, 7);
    /** Split tasks of 2, 3 and 2 classes: heads of different widths. */
    private static final List<Task> TASKS = TaskStreams.build(new TaskStreamConfig(TaskStreamKind.SPLIT, 3,
            List.of(List.of(0, 1), List.of(2, 3, 4), List.of(5, 6)), List.of()), 1,
            new Splits.TrainTest(DATA.train(), DATA.test()));

    @Test
    void trainBatch_holdsEachTasksOwnExample_withItsLabelInItsBlock() {
        // given
        JointExamples joint = new JointExamples(TASKS);
        ImageSet base = DATA.train();
        int first = TASKS.get(0).trainSize();
        int second = TASKS.get(1).trainSize();
        int[] positions = {first + 1, 0, first + second + 2, 3};

        // when
        DataSet batch = joint.trainBatch(base, positions);

        // then
        assertEquals(TASKS.stream().mapToInt(Task::trainSize).sum(), joint.trainSize());
        assertEquals(7, joint.totalClasses());
        int[][] expected = {{1, 1}, {0, 0}, {2, 2}, {0, 3}};
        for (int row = 0; row < positions.length; row++) {
            int k = expected[row][0];
            DataSet own = TASKS.get(k).trainBatch(base, new int[] {expected[row][1]});
            assertArrayEquals(own.getFeatures().data().asFloat(),
                    batch.getFeatures().getRow(row).dup().data().asFloat());
            float[] labels = batch.getLabels().getRow(row).dup().data().asFloat();
            float[] ownLabels = own.getLabels().data().asFloat();
            for (int c = 0; c < labels.length; c++) {
                int local = c - joint.blockOffset(k);
                float want = local >= 0 && local < ownLabels.length ? ownLabels[local] : 0f;
                assertEquals(want, labels[c], "row " + row + ", column " + c);
            }
        }
    }

    @Test
    void split_givesHeadsWhoseOutputsAreTheSoftmaxOfTheirBlockOfTheJointNetwork() {
        // given: an untrained joint network
        JointExamples joint = new JointExamples(TASKS);
        NetworkFactory factory = new NetworkFactory(new ModelConfig(List.of(8, 5), "relu"), 9, 0.01);
        MultiLayerNetwork net = factory.createJoint(joint.blockSizes(), 11);
        INDArray features = TASKS.get(0).testSet(DATA.test()).getFeatures();

        // when
        MultiHeadModel model = JointRun.split(factory, joint, ParamLayout.of(net),
                net.params().dup().data().asFloat());

        // then
        INDArray logits = net.output(features, false);
        for (int k = 0; k < TASKS.size(); k++) {
            int offset = joint.blockOffset(k);
            int classes = TASKS.get(k).numClasses();
            INDArray actual = model.evaluationNetwork(k).output(features, false);
            for (int n = 0; n < features.rows(); n++) {
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += Math.exp(logits.getDouble(n, offset + c));
                }
                for (int c = 0; c < classes; c++) {
                    assertEquals(Math.exp(logits.getDouble(n, offset + c)) / sum, actual.getDouble(n, c), 1e-5,
                            "head " + k);
                }
            }
        }
    }
}
