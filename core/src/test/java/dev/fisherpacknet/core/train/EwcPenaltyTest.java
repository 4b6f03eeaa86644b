package dev.fisherpacknet.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.model.ModelConfig;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.model.ParamLayout;
import dev.fisherpacknet.core.testing.SyntheticData;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class EwcPenaltyTest {

    private static final int WIDTH = 6;
    private static final int CLASSES = 3;
    private static final ImageSet DATA = SyntheticData.imageSet(17, 48, WIDTH, CLASSES);
    private static final Task TASK = new Task(0, CLASSES, IntStream.range(0, DATA.size()).toArray(), new int[0],
            null, IntStream.range(0, CLASSES).toArray());

    /** A tiny 6-5-4-3 network trained by plain SGD, so that one step's change is -lr times the gradient it used. */
    private static MultiLayerNetwork sgdNetwork(double learningRate) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.FLOAT).updater(new Sgd(learningRate)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(WIDTH).nOut(5).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    private static float[] params(MultiLayerNetwork net) {
        return net.params().dup().data().asFloat();
    }

    /** A penalty over {@code length} trunk parameters with seeded curvatures in [0, 2) and anchors near 0. */
    private static EwcPenalty randomPenalty(double lambda, int length, long seed, double[] curvature,
                                            double[] anchor) {
        Random random = new Random(seed);
        for (int i = 0; i < length; i++) {
            curvature[i] = 2 * random.nextDouble();
            anchor[i] = random.nextGaussian() * 0.3;
        }
        return new EwcPenalty(lambda, curvature, anchor);
    }

    @Test
    void onGradientCalculation_addsLambdaTimesCurvatureTimesDistance_toTheMeanLossGradient() {
        // given: two identical networks; one trains with the penalty on its trunk
        double lr = 0.1;
        double lambda = 3;
        MultiLayerNetwork plain = sgdNetwork(lr);
        MultiLayerNetwork penalised = sgdNetwork(lr);
        int trunk = ParamLayout.of(plain).trunkLength();
        double[] curvature = new double[trunk];
        double[] anchor = new double[trunk];
        penalised.setListeners(randomPenalty(lambda, trunk, 9, curvature, anchor));
        float[] before = params(plain);
        DataSet batch = TASK.trainBatch(DATA, IntStream.range(0, 16).toArray());

        // when: one SGD step each on a minibatch of 16
        plain.fit(batch);
        penalised.fit(batch);

        // then: the difference of the two steps is -lr * lambda * A (theta - anchor) on the trunk, computed here in
        // double, and nothing on the head (whose gradient the penalty does not touch)
        float[] stepPlain = params(plain);
        float[] stepPenalised = params(penalised);
        for (int i = 0; i < before.length; i++) {
            double difference = (double) stepPenalised[i] - stepPlain[i];
            double expected = i < trunk ? -lr * lambda * curvature[i] * (before[i] - anchor[i]) : 0;
            assertEquals(expected, difference, 1e-6 + 1e-4 * Math.abs(expected), "parameter " + i);
        }
        assertTrue(Arrays.stream(curvature).max().orElseThrow() > 0.5, "the test moves parameters noticeably");
    }

    @Test
    void value_isHalfLambdaTimesTheCurvatureWeightedSquaredDistance() {
        double[] curvature = {1, 0, 2};
        double[] anchor = {0.5, 7, -1};
        EwcPenalty penalty = new EwcPenalty(4, curvature, anchor);
        // 4/2 * (1 * 0.25 + 0 + 2 * 4) = 16.5
        assertEquals(16.5, penalty.value(new float[] {1, 3, 1}), 1e-12);
        assertEquals(0, penalty.value(new float[] {0.5f, 1, -1}), 1e-12);
    }

    @Test
    void replicasOfTheAveragedTrainer_trainWithTheNetworksListeners() {
        // given: the P1 network kind (Adam), one penalised and one plain
        NetworkFactory factory = new NetworkFactory(new ModelConfig(List.of(10, 6), "tanh"), WIDTH, 1e-2);
        MultiLayerNetwork averaged = factory.create(CLASSES, 5);
        MultiLayerNetwork sequential = factory.create(CLASSES, 5);
        MultiLayerNetwork unpenalised = factory.create(CLASSES, 5);
        int trunk = ParamLayout.of(averaged).trunkLength();
        EwcPenalty penalty = randomPenalty(50, trunk, 4, new double[trunk], new double[trunk]);
        averaged.setListeners(penalty);
        sequential.setListeners(penalty);
        float[] start = params(averaged);
        boolean[] all = new boolean[start.length];
        Arrays.fill(all, true);
        ParameterMask mask = ParameterMask.of(start, all);

        // when: one averaging worker that averages after every minibatch is plain sequential training
        new AveragedTrainer(DATA, 16, 1, 1).train(averaged, TASK, mask, 2, 8);
        new LocalTaskTrainer(DATA, 16).train(sequential, TASK, mask, 2, 8);
        new LocalTaskTrainer(DATA, 16).train(unpenalised, TASK, mask, 2, 8);

        // then: the replica used the penalty exactly as the network itself does, and the penalty mattered
        assertArrayEquals(params(sequential), params(averaged));
        assertFalse(Arrays.equals(params(unpenalised), params(averaged)));
    }

    @Test
    void aSerializedCopy_addsTheSameGradient() throws Exception {
        // given: the penalty travels to executors by Java serialization (a broadcast)
        MultiLayerNetwork original = sgdNetwork(0.5);
        int trunk = ParamLayout.of(original).trunkLength();
        EwcPenalty penalty = randomPenalty(7, trunk, 2, new double[trunk], new double[trunk]);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(penalty);
        }
        EwcPenalty copy;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (EwcPenalty) in.readObject();
        }
        MultiLayerNetwork copied = sgdNetwork(0.5);
        original.setListeners(penalty);
        copied.setListeners(copy);
        DataSet batch = TASK.trainBatch(DATA, IntStream.range(0, 8).toArray());

        // when
        original.fit(batch);
        copied.fit(batch);

        // then
        assertArrayEquals(params(original), params(copied));
    }
}
