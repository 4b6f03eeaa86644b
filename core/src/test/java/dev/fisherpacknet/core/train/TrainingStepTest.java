package dev.fisherpacknet.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.model.ModelConfig;
import dev.fisherpacknet.core.model.NetworkFactory;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link TrainingStep} against DL4J's own {@code fit} followed by the mask: the same parameters, Adam moments and
 * iteration count, bit for bit, step after step.
 */
class TrainingStepTest {

    private static final int INPUTS = 20;

    private static DataSet batch(Random random, int size, int classes) {
        INDArray x = Nd4j.create(DataType.FLOAT, size, INPUTS);
        INDArray y = Nd4j.zeros(DataType.FLOAT, size, classes);
        for (int r = 0; r < size; r++) {
            int label = random.nextInt(classes);
            y.putScalar(r, label, 1f);
            for (int c = 0; c < INPUTS; c++) {
                // Some always-zero pixels, as in MNIST: their weights get zero gradients and decaying moments.
                x.putScalar(r, c, c < 3 ? 0 : random.nextGaussian() + (c % classes == label ? 1 : 0));
            }
        }
        return new DataSet(x, y);
    }

    /** Freezes every third parameter at its current value. */
    private static ParameterMask everyThirdFrozen(MultiLayerNetwork net) {
        float[] values = net.params().dup().data().asFloat();
        boolean[] trainable = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            trainable[i] = i % 3 != 0;
        }
        return ParameterMask.of(values, trainable);
    }

    /** Trains two copies of {@code net}, one with fit and the mask, one with the step, and compares them. */
    private static void assertStepEqualsFit(MultiLayerNetwork net, int classes, int steps) {
        MultiLayerNetwork reference = net.clone();
        reference.setListeners(net.getListeners());
        ParameterMask mask = everyThirdFrozen(net);
        TrainingStep step = TrainingStep.of(net);
        Random random = new Random(5);
        for (int s = 0; s < steps; s++) {
            // Alternating sizes, one of them not a power of two, as a task's last minibatch is.
            DataSet batch = batch(random, s % 2 == 0 ? 16 : 7, classes);

            reference.fit(batch);
            mask.apply(reference.params());
            step.fit(batch, mask);

            assertArrayEquals(reference.params().data().asFloat(), net.params().data().asFloat(),
                    "parameters after step " + s);
        }
        assertArrayEquals(reference.getUpdater().getStateViewArray().data().asFloat(),
                net.getUpdater().getStateViewArray().data().asFloat(), "Adam's moments");
        assertEquals(reference.getLayerWiseConfigurations().getIterationCount(),
                net.getLayerWiseConfigurations().getIterationCount());
        assertEquals(steps, net.getLayerWiseConfigurations().getIterationCount());
    }

    private static NetworkFactory factory(String activation) {
        return new NetworkFactory(new ModelConfig(List.of(16, 12), activation), INPUTS, 1e-2);
    }

    @Test
    void step_equalsFitThenMask_bitForBit() {
        assertStepEqualsFit(factory("relu").create(5, 11), 5, 40);
    }

    @Test
    void step_equalsFitThenMask_forOtherActivations() {
        assertStepEqualsFit(factory("tanh").create(4, 12), 4, 20);
        assertStepEqualsFit(factory("sigmoid").create(3, 13), 3, 20);
    }

    @Test
    void step_equalsFitThenMask_forJointHeads() {
        assertStepEqualsFit(factory("relu").createJoint(new int[] {3, 2, 4}, 14), 9, 20);
    }

    @Test
    void step_equalsFitThenMask_withTheEwcPenaltyAsListener() {
        MultiLayerNetwork net = factory("relu").create(5, 15);
        int trunk = (int) (net.numParams() - (12 * 5 + 5));
        double[] curvature = new double[trunk];
        double[] anchor = new double[trunk];
        Random random = new Random(2);
        for (int i = 0; i < trunk; i++) {
            curvature[i] = random.nextDouble();
            anchor[i] = random.nextGaussian();
        }
        net.setListeners(new EwcPenalty(30, curvature, anchor));
        assertStepEqualsFit(net, 5, 20);
    }

    @Test
    void step_continuesFromARestoredState() {
        // given: a network trained a few steps, its state written into a new network
        MultiLayerNetwork trained = factory("relu").create(5, 16);
        ParameterMask mask = everyThirdFrozen(trained);
        TrainingStep step = TrainingStep.of(trained);
        Random random = new Random(9);
        for (int s = 0; s < 5; s++) {
            step.fit(batch(random, 16, 5), mask);
        }
        MultiLayerNetwork restored = factory("relu").create(5, 99);
        TrainingState.capture(trained).restoreInto(restored);

        // when
        DataSet next = batch(random, 16, 5);
        step.fit(next, mask);
        TrainingStep.of(restored).fit(next, mask);

        // then
        assertArrayEquals(trained.params().data().asFloat(), restored.params().data().asFloat());
    }

    @Test
    void unsupportedNetworks_areNamedWithTheReason_andTrainedByFit() {
        MultiLayerNetwork nd4jAdam = network(new DenseLayer.Builder().nIn(INPUTS).nOut(8).build(), new Adam());
        MultiLayerNetwork dropout = network(new DenseLayer.Builder().nIn(INPUTS).nOut(8).dropOut(0.5).build(),
                new FusedAdam());
        MultiLayerNetwork plain = network(new DenseLayer.Builder().nIn(INPUTS).nOut(8).build(), new FusedAdam());

        assertTrue(TrainingStep.unsupported(nd4jAdam).orElseThrow().contains("FusedAdam"));
        assertTrue(TrainingStep.unsupported(dropout).orElseThrow().contains("layer 0 has dropout"));
        assertFalse(TrainingStep.unsupported(plain).isPresent());
        assertFalse(TrainingStep.of(nd4jAdam).isFused());
        assertTrue(TrainingStep.of(plain).isFused());
        assertStepEqualsFit(nd4jAdam, 3, 10);
    }

    private static MultiLayerNetwork network(DenseLayer hidden, org.nd4j.linalg.learning.config.IUpdater updater) {
        var conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).updater(updater).list()
                .layer(hidden)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
