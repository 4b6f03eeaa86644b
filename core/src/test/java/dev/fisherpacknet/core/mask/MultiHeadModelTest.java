package dev.fisherpacknet.core.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fisherpacknet.core.model.ModelConfig;
import dev.fisherpacknet.core.model.NetworkFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MultiHeadModelTest {

    private static final NetworkFactory FACTORY =
            new NetworkFactory(new ModelConfig(List.of(7, 5), "relu"), 6, 1e-3);

    private static float[] params(MultiLayerNetwork net) {
        return net.params().dup().data().asFloat();
    }

    private static int[] bits(float[] values) {
        return IntStream.range(0, values.length).map(i -> Float.floatToIntBits(values[i])).toArray();
    }

    @Test
    void loadTrunkInto_replacesTheTrunkSpanAndLeavesTheHeadBitIdentical() {
        // given: a model started from one network, and another task network with a 3-way head
        MultiLayerNetwork first = FACTORY.create(4, 1);
        MultiHeadModel model = MultiHeadModel.start(FACTORY, first);
        MultiLayerNetwork next = FACTORY.create(3, 2);
        float[] before = params(next);
        int trunk = model.layout().trunkLength();

        // when
        model.loadTrunkInto(next);

        // then
        float[] after = params(next);
        assertArrayEquals(bits(Arrays.copyOf(params(first), trunk)), bits(Arrays.copyOf(after, trunk)));
        assertArrayEquals(bits(Arrays.copyOfRange(before, trunk, before.length)),
                bits(Arrays.copyOfRange(after, trunk, after.length)));
        assertEquals(first.getLayer(0).getParam("W"), next.getLayer(0).getParam("W"));
    }

    @Test
    void evaluationNetwork_usesHeadJAndOnlyTrunkWeightsOwnedByTasksUpToJ() {
        // given: two finished tasks and an ownership of free, task-0 and task-1 parameters
        MultiLayerNetwork task0 = FACTORY.create(4, 1);
        MultiHeadModel model = MultiHeadModel.start(FACTORY, task0);
        model.finishTask(task0, 4);
        MultiLayerNetwork task1 = FACTORY.create(2, 2);
        model.finishTask(task1, 2);
        int trunk = model.layout().trunkLength();
        Random random = new Random(3);
        int[] owners = new int[trunk];
        for (int i = 0; i < trunk; i++) {
            owners[i] = random.nextInt(3) - 1;
            if (owners[i] != Ownership.FREE) {
                model.ownership().assign(new int[] {i}, owners[i]);
            }
        }
        float[] finalTrunk = model.trunk();

        for (int j = 0; j < 2; j++) {
            // when
            float[] evaluated = params(model.evaluationNetwork(j));

            // then
            for (int i = 0; i < trunk; i++) {
                float expected = owners[i] != Ownership.FREE && owners[i] <= j ? finalTrunk[i] : 0f;
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(evaluated[i]),
                        "task " + j + " trunk parameter " + i + " owned by " + owners[i]);
            }
            assertArrayEquals(bits(model.head(j)), bits(Arrays.copyOfRange(evaluated, trunk, evaluated.length)));
        }
        assertEquals(2 * 5 + 2, model.head(1).length);
    }

    @Test
    void predict_isTheArgmaxOfTheEvaluationNetworksOutput() {
        // given
        MultiLayerNetwork net = FACTORY.create(4, 5);
        MultiHeadModel model = MultiHeadModel.start(FACTORY, net);
        model.finishTask(net, 4);
        model.ownership().assign(IntStream.range(0, model.layout().trunkLength()).toArray(), 0);
        INDArray features = Nd4j.rand(DataType.FLOAT, 20, 6);

        // when
        int[] predicted = model.predict(0, features);

        // then: with every weight owned, the evaluation network is the trained network itself
        float[] out = net.output(features, false).dup().data().asFloat();
        for (int n = 0; n < 20; n++) {
            int best = 0;
            for (int c = 1; c < 4; c++) {
                if (out[n * 4 + c] > out[n * 4 + best]) {
                    best = c;
                }
            }
            assertEquals(best, predicted[n], "example " + n);
        }
    }
}
