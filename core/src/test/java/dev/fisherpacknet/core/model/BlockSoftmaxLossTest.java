package dev.fisherpacknet.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

class BlockSoftmaxLossTest {

    private static final int[] BLOCKS = {2, 3, 2};

    /** Seeded logits, and one-hot labels each in the block {@code rows[n]} names. */
    private static INDArray[] batch(int[] blocks, int[] rowBlock, long seed) {
        Random random = new Random(seed);
        int width = java.util.Arrays.stream(blocks).sum();
        float[] logits = new float[rowBlock.length * width];
        float[] labels = new float[rowBlock.length * width];
        for (int n = 0; n < rowBlock.length; n++) {
            for (int c = 0; c < width; c++) {
                logits[n * width + c] = (float) (3 * random.nextGaussian());
            }
            int offset = 0;
            for (int k = 0; k < rowBlock[n]; k++) {
                offset += blocks[k];
            }
            labels[n * width + offset + random.nextInt(blocks[rowBlock[n]])] = 1;
        }
        return new INDArray[] {Nd4j.create(labels, new long[] {rowBlock.length, width}, DataType.FLOAT),
            Nd4j.create(logits, new long[] {rowBlock.length, width}, DataType.FLOAT)};
    }

    @Test
    void scoreAndGradient_areThoseOfASoftmaxOverTheLabelsBlock_computedInDouble() {
        // given
        int[] rows = {0, 1, 2, 1, 0};
        INDArray[] b = batch(BLOCKS, rows, 3);
        BlockSoftmaxLoss loss = new BlockSoftmaxLoss(BLOCKS);

        // when
        double score = loss.computeScore(b[0], b[1], new ActivationIdentity(), null, true);
        INDArray gradient = loss.computeGradient(b[0], b[1], new ActivationIdentity(), null);

        // then: per example, softmax over its own block only, -log p(label); gradient p - y there, 0 elsewhere
        double expectedSum = 0;
        for (int n = 0; n < rows.length; n++) {
            int offset = 0;
            for (int k = 0; k < rows[n]; k++) {
                offset += BLOCKS[k];
            }
            int size = BLOCKS[rows[n]];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < size; c++) {
                max = Math.max(max, b[1].getDouble(n, offset + c));
            }
            double z = 0;
            for (int c = 0; c < size; c++) {
                z += Math.exp(b[1].getDouble(n, offset + c) - max);
            }
            for (int c = 0; c < 7; c++) {
                boolean inBlock = c >= offset && c < offset + size;
                double p = inBlock ? Math.exp(b[1].getDouble(n, c) - max) / z : 0;
                double y = b[0].getDouble(n, c);
                if (y == 1) {
                    expectedSum -= Math.log(p);
                }
                assertEquals(inBlock ? p - y : 0, gradient.getDouble(n, c), 1e-6, "example " + n + ", output " + c);
            }
        }
        assertEquals(expectedSum / rows.length, score, 1e-5);
        assertEquals(expectedSum, loss.computeScoreArray(b[0], b[1], new ActivationIdentity(), null)
                .sumNumber().doubleValue(), 1e-5);
    }

    @Test
    void oneBlock_isDl4jsSoftmaxCrossEntropy() {
        // given
        int[] one = {4};
        INDArray[] b = batch(one, new int[] {0, 0, 0}, 8);

        // then
        assertEquals(new LossMCXENT().computeScore(b[0], b[1].dup(), new ActivationSoftmax(), null, true),
                new BlockSoftmaxLoss(one).computeScore(b[0], b[1], new ActivationIdentity(), null, true), 1e-5);
        INDArray expected = new LossMCXENT().computeGradient(b[0], b[1].dup(), new ActivationSoftmax(), null);
        INDArray actual = new BlockSoftmaxLoss(one).computeGradient(b[0], b[1], new ActivationIdentity(), null);
        for (int n = 0; n < 3; n++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(expected.getDouble(n, c), actual.getDouble(n, c), 1e-6);
            }
        }
    }

    @Test
    void labelsOfAnotherWidth_areRejected() {
        INDArray[] b = batch(new int[] {2, 2}, new int[] {0}, 1);
        assertThrows(IllegalArgumentException.class, () -> new BlockSoftmaxLoss(BLOCKS)
                .computeGradient(b[0], b[1], new ActivationIdentity(), null));
    }

    @Test
    void aJointNetworksConfiguration_survivesJsonAndJavaSerialization() throws Exception {
        // given: DL4J writes configurations as JSON (model files) and ships them to executors serialized
        MultiLayerNetwork net = new NetworkFactory(new ModelConfig(List.of(5), "relu"), 4, 0.01)
                .createJoint(BLOCKS, 3);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();

        // when
        MultiLayerConfiguration fromJson = MultiLayerConfiguration.fromJson(conf.toJson());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(conf);
        }
        MultiLayerConfiguration fromBytes;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            fromBytes = (MultiLayerConfiguration) in.readObject();
        }

        // then
        for (MultiLayerConfiguration copy : List.of(fromJson, fromBytes)) {
            OutputLayer head = (OutputLayer) copy.getConf(1).getLayer();
            assertEquals(new BlockSoftmaxLoss(BLOCKS), head.getLossFn());
        }
    }
}
