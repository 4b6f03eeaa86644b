package dev.fisherpacknet.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** {@link FusedAdam} against the textbook formula in double, against ND4J's Adam, and through serialisation. */
class FusedAdamTest {

    private static final double LR = 1e-2;

    /** Gradients of mixed scale: large, ordinary and tiny (where epsilon matters), and exact zeros. */
    private static float[] gradient(Random random, int n) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            double scale = switch (i % 4) {
                case 0 -> 10;
                case 1 -> 1e-2;
                case 2 -> 1e-7;
                default -> 0;
            };
            g[i] = (float) (scale * random.nextGaussian());
        }
        return g;
    }

    @Test
    void steps_matchTheTextbookFormulaInDouble() {
        // given
        int n = 64;
        INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2 * n);
        GradientUpdater updater = new FusedAdam(LR, 0.9, 0.999, 1e-8).instantiate(state, true);
        double[] m = new double[n];
        double[] v = new double[n];
        // m's float rounding errors scale with the sum of the magnitudes it adds, not with m (signs cancel)
        double[] mScale = new double[n];
        Random random = new Random(3);

        for (int iteration = 0; iteration < 30; iteration++) {
            float[] g = gradient(random, n);
            INDArray update = Nd4j.create(g, new long[] {1, n}, DataType.FLOAT);

            // when
            updater.applyUpdater(update, iteration, 0);

            // then: m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t), update = lr m_hat / (sqrt(v_hat) + eps)
            int t = iteration + 1;
            float[] actual = update.data().asFloat();
            for (int i = 0; i < n; i++) {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * (double) g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(0.9, t));
                double vHat = v[i] / (1 - Math.pow(0.999, t));
                mScale[i] = 0.9 * mScale[i] + 0.1 * Math.abs(g[i]);
                double expected = LR * mHat / (Math.sqrt(vHat) + 1e-8);
                double scale = LR * mScale[i] / (1 - Math.pow(0.9, t)) / (Math.sqrt(vHat) + 1e-8);
                assertEquals(expected, actual[i], 1e-5 * scale + 1e-12,
                        "step " + t + ", value " + i + " (gradient " + g[i] + ")");
            }
        }
        float[] moments = state.data().asFloat();
        for (int i = 0; i < n; i++) {
            assertEquals(m[i], moments[i], 1e-5 * mScale[i] + 1e-30, "first moment " + i);
            assertEquals(v[i], moments[n + i], 1e-5 * Math.abs(v[i]) + 1e-30, "second moment " + i);
        }
    }

    @Test
    void moments_belowTheSmallestNormalFloat_areStoredAsZero() {
        // given: one tiny gradient, then zeros, so the moments decay by beta every step
        int n = 4;
        INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 2 * n);
        GradientUpdater updater = new FusedAdam().instantiate(state, true);
        updater.applyUpdater(Nd4j.create(new float[] {1e-20f, -1e-20f, 1f, 0f}, new long[] {1, n}), 0, 0);

        // when: long enough for 0.9^k * 1e-21 to pass below 1.2e-38
        for (int iteration = 1; iteration < 400; iteration++) {
            updater.applyUpdater(Nd4j.zeros(DataType.FLOAT, 1, n), iteration, 0);
        }

        // then
        for (float value : state.data().asFloat()) {
            assertTrue(value == 0f || Math.abs(value) >= Float.MIN_NORMAL, "subnormal moment " + value);
        }
        assertEquals(0f, state.getFloat(0, 0));
        assertTrue(state.getFloat(0, 2) > 0, "the large gradient's first moment is still normal");
    }

    private static MultiLayerNetwork network(IUpdater updater) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.FLOAT)
                .updater(updater).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(12).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(12).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static DataSet batch(Random random) {
        INDArray x = Nd4j.create(DataType.FLOAT, 16, 6);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 3);
        for (int r = 0; r < 16; r++) {
            int label = random.nextInt(3);
            y.putScalar(r, label, 1f);
            for (int c = 0; c < 6; c++) {
                x.putScalar(r, c, random.nextGaussian() + (c % 3 == label ? 1.5 : 0));
            }
        }
        return new DataSet(x, y);
    }

    @Test
    void training_followsNd4jsAdam_whereEpsilonIsNegligible() {
        // given: the same network and minibatches under both updaters; these gradients dwarf epsilon, so the two
        // placements of epsilon agree and what is left is float rounding
        MultiLayerNetwork fused = network(new FusedAdam(LR));
        MultiLayerNetwork nd4j = network(new Adam(LR));
        fused.setParams(nd4j.params().dup());
        Random random = new Random(8);

        // when
        for (int step = 0; step < 50; step++) {
            DataSet batch = batch(random);
            fused.fit(batch);
            nd4j.fit(batch);
        }

        // then
        float[] a = fused.params().data().asFloat();
        float[] b = nd4j.params().data().asFloat();
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(a[i] - b[i]) / Math.max(1e-3, Math.abs(b[i])));
        }
        assertTrue(largest < 1e-3, "largest relative difference " + largest);
        assertTrue(fused.score(batch(new Random(9))) < 1.0, "the network learned");
    }

    @Test
    void configuration_survivesJsonJavaSerialisationAndModelSerializer() throws Exception {
        // given
        MultiLayerNetwork net = network(new FusedAdam(0.02, 0.8, 0.99, 1e-7));
        net.fit(batch(new Random(1)));

        // when
        MultiLayerConfiguration fromJson = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(net.getLayerWiseConfigurations());
        }
        MultiLayerConfiguration fromJava;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            fromJava = (MultiLayerConfiguration) in.readObject();
        }
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, zip, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(
                new ByteArrayInputStream(zip.toByteArray()), true);

        // then
        FusedAdam expected = new FusedAdam(0.02, 0.8, 0.99, 1e-7);
        assertEquals(expected, fromJson.getConf(0).getLayer().getUpdaterByParam("W"));
        assertEquals(expected, fromJava.getConf(1).getLayer().getUpdaterByParam("b"));
        assertArrayEquals(net.getUpdater().getStateViewArray().data().asFloat(),
                restored.getUpdater().getStateViewArray().data().asFloat());
        DataSet next = batch(new Random(2));
        net.fit(next);
        restored.fit(next);
        assertArrayEquals(net.params().data().asFloat(), restored.params().data().asFloat());
    }
}
