package dev.fisherpacknet.core.fisher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.Seeds;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.model.ModelConfig;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.testing.SyntheticData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class FisherAccumulatorTest {

    private static final int WIDTH = 6;
    private static final int CLASSES = 4;
    private static final int[] BATCH_SIZES = {13, 20, 7};
    private static final int N = IntStream.of(BATCH_SIZES).sum();
    private static final long SAMPLE_SEED = 2024;

    /** A small two-hidden-layer network whose weights are scaled up so that its predictions are far from uniform. */
    private static MultiLayerNetwork network(String activation) {
        MultiLayerNetwork net = new NetworkFactory(new ModelConfig(List.of(7, 5), activation), WIDTH, 1e-3)
                .create(CLASSES, 11);
        net.setParams(net.params().mul(2.5));
        return net;
    }

    private static ImageSet data() {
        return SyntheticData.imageSet(5, N, WIDTH, CLASSES);
    }

    private static INDArray features(ImageSet data, int[] ids) {
        float[] values = new float[ids.length * WIDTH];
        for (int n = 0; n < ids.length; n++) {
            data.copyFeatures(ids[n], values, n * WIDTH);
        }
        return Nd4j.create(values, new long[] {ids.length, WIDTH}, DataType.FLOAT);
    }

    private static int[] labels(ImageSet data, int[] ids) {
        return IntStream.of(ids).map(data::label).toArray();
    }

    private static List<int[]> unevenBatches() {
        List<int[]> batches = new ArrayList<>();
        int start = 0;
        for (int size : BATCH_SIZES) {
            batches.add(IntStream.range(start, start + size).toArray());
            start += size;
        }
        return batches;
    }

    private static FisherDiagonal accumulate(MultiLayerNetwork net, LabelMode mode, ImageSet data,
                                             List<int[]> batches) {
        FisherAccumulator accumulator = new FisherAccumulator(net, mode, SAMPLE_SEED);
        for (int[] ids : batches) {
            accumulator.add(features(data, ids), labels(data, ids), ids);
        }
        return accumulator.result();
    }

    // ---- the brute force: DL4J's own backpropagation, one example at a time ----

    /** DL4J's gradient of the loss -log p(c | x) of one example, in the network's flattened parameter order. */
    private static double[] dl4jGradient(MultiLayerNetwork net, INDArray x, int c) {
        INDArray label = Nd4j.zeros(DataType.FLOAT, 1, CLASSES);
        label.putScalar(0, c, 1.0);
        net.setInput(x);
        net.setLabels(label);
        net.computeGradientAndScore();
        return net.gradient().gradient().dup().data().asDouble();
    }

    /** The label the accumulator's documented sampling rule draws: the first class whose cumulative mass exceeds u. */
    private static int drawnLabel(float[] p, int exampleId) {
        double u = Seeds.uniform(Seeds.derive(SAMPLE_SEED, "fisher-label", exampleId));
        double cumulative = 0;
        for (int c = 0; c < p.length - 1; c++) {
            cumulative += p[c];
            if (u < cumulative) {
                return c;
            }
        }
        return p.length - 1;
    }

    private static double[] bruteForce(MultiLayerNetwork net, ImageSet data, LabelMode mode) {
        double[] sum = new double[(int) net.numParams()];
        for (int n = 0; n < data.size(); n++) {
            INDArray x = features(data, new int[] {n});
            float[] p = net.output(x, false).dup().data().asFloat();
            switch (mode) {
                case EMPIRICAL -> addSquared(sum, dl4jGradient(net, x, data.label(n)), 1.0);
                case SAMPLED -> addSquared(sum, dl4jGradient(net, x, drawnLabel(p, n)), 1.0);
                case EXACT -> {
                    for (int c = 0; c < CLASSES; c++) {
                        addSquared(sum, dl4jGradient(net, x, c), p[c]);
                    }
                }
            }
        }
        return sum;
    }

    private static void addSquared(double[] sum, double[] g, double weight) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += weight * g[i] * g[i];
        }
    }

    /**
     * Compares {@code actual} with {@code expected} parameter by parameter (each W and b of each layer, spans taken
     * from DL4J's parameter table): normwise and, for the entries that matter, elementwise.
     */
    private static void assertMatches(MultiLayerNetwork net, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        int offset = 0;
        for (Map.Entry<String, INDArray> param : net.paramTable().entrySet()) {
            int length = (int) param.getValue().length();
            double maxExpected = 0;
            double maxDiff = 0;
            for (int i = offset; i < offset + length; i++) {
                maxExpected = Math.max(maxExpected, Math.abs(expected[i]));
                maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
            }
            String name = param.getKey();
            if (maxExpected == 0) {
                assertEquals(0.0, maxDiff, name + ": brute force is all zero, accumulator is not");
            } else {
                assertTrue(maxDiff / maxExpected <= 1e-4,
                        name + ": normwise relative error " + maxDiff / maxExpected);
                for (int i = offset; i < offset + length; i++) {
                    if (Math.abs(expected[i]) > 0.01 * maxExpected) {
                        double relative = Math.abs(actual[i] - expected[i]) / Math.abs(expected[i]);
                        assertTrue(relative <= 1e-3, name + " entry " + (i - offset) + ": expected " + expected[i]
                                + ", got " + actual[i]);
                    }
                }
            }
            offset += length;
        }
        assertEquals(expected.length, offset, "the parameter table covers every parameter");
    }

    static Stream<Arguments> activationsAndModes() {
        return Stream.of("relu", "tanh").flatMap(a -> Stream.of(LabelMode.values()).map(m -> Arguments.of(a, m)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("activationsAndModes")
    void result_overUnevenMinibatches_equalsPerExampleDl4jGradientsSquared(String activation, LabelMode mode) {
        // given
        MultiLayerNetwork net = network(activation);
        ImageSet data = data();
        double[] expected = bruteForce(net, data, mode);

        // when
        FisherDiagonal result = accumulate(net, mode, data, unevenBatches());

        // then
        assertEquals(N, result.count());
        assertMatches(net, expected, result.sum());
    }

    @Test
    void sampledLabels_differFromTrueLabelsForSomeExamples_soTheModesAreNotTheSame() {
        // given: the rule the sampled mode documents
        MultiLayerNetwork net = network("tanh");
        ImageSet data = data();

        // when
        long differing = IntStream.range(0, N).filter(n -> {
            float[] p = net.output(features(data, new int[] {n}), false).dup().data().asFloat();
            return drawnLabel(p, n) != data.label(n);
        }).count();

        // then: the sampled-mode comparison above exercises labels other than the true ones
        assertTrue(differing > 0, "every drawn label equals the true label");
    }

    @ParameterizedTest
    @EnumSource(LabelMode.class)
    void add_leavesTheNetworkParametersBitIdentical(LabelMode mode) {
        // given
        MultiLayerNetwork net = network("relu");
        float[] before = net.params().dup().data().asFloat();

        // when
        accumulate(net, mode, data(), unevenBatches());

        // then
        assertArrayEquals(before, net.params().dup().data().asFloat());
    }

    @ParameterizedTest
    @EnumSource(LabelMode.class)
    void plus_ofSeparatelyAccumulatedParts_equalsOneAccumulationOverAllBatches(LabelMode mode) {
        // given
        MultiLayerNetwork net = network("relu");
        ImageSet data = data();
        List<int[]> batches = unevenBatches();
        FisherDiagonal whole = accumulate(net, mode, data, batches);

        // when
        FisherDiagonal first = accumulate(net, mode, data, batches.subList(0, 1));
        FisherDiagonal rest = accumulate(net, mode, data, batches.subList(1, batches.size()));
        FisherDiagonal combined = first.plus(rest);

        // then
        assertEquals(whole.count(), combined.count());
        for (int i = 0; i < whole.sum().length; i++) {
            assertEquals(whole.sum()[i], combined.sum()[i], 1e-12 * Math.abs(whole.sum()[i]), "entry " + i);
        }
    }

    @Test
    void plus_returnsANewValueAndLeavesBothOperandsUnchanged() {
        // given
        FisherDiagonal a = new FisherDiagonal(new double[] {1, 2, 3}, 2);
        FisherDiagonal b = new FisherDiagonal(new double[] {0.5, 0.25, 4}, 3);

        // when
        FisherDiagonal sum = a.plus(b);

        // then
        assertArrayEquals(new double[] {1 + 0.5, 2 + 0.25, 3 + 4}, sum.sum());
        assertEquals(5, sum.count());
        assertArrayEquals(new double[] {1, 2, 3}, a.sum());
        assertArrayEquals(new double[] {0.5, 0.25, 4}, b.sum());
    }

    @Test
    void plus_ofDifferentLengths_isRejectedNamingBothLengths() {
        // given
        FisherDiagonal three = FisherDiagonal.zero(3);
        FisherDiagonal four = FisherDiagonal.zero(4);

        // when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> three.plus(four));

        // then
        assertEquals("cannot add Fisher sums over 3 and 4 parameters", e.getMessage());
    }

    @Test
    void mean_dividesEverySumByTheCount() {
        // given
        double[] sums = {3, 0, 7.5, 1e-9};
        FisherDiagonal diagonal = new FisherDiagonal(sums.clone(), 3);

        // when
        double[] mean = diagonal.mean();

        // then
        for (int i = 0; i < sums.length; i++) {
            assertEquals(sums[i] / 3, mean[i], 0.0);
        }
    }

    @Test
    void mean_ofNoExamples_isRejected() {
        // given
        FisherDiagonal empty = FisherDiagonal.zero(5);

        // when
        IllegalStateException e = assertThrows(IllegalStateException.class, empty::mean);

        // then
        assertEquals("no examples were summed", e.getMessage());
    }

    static Stream<Arguments> nonSoftmaxOutputs() {
        return Stream.of(
                Arguments.of(Activation.IDENTITY, LossFunctions.LossFunction.MSE),
                Arguments.of(Activation.SIGMOID, LossFunctions.LossFunction.XENT),
                Arguments.of(Activation.SOFTMAX, LossFunctions.LossFunction.MSE));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("nonSoftmaxOutputs")
    void constructor_withOutputOtherThanSoftmaxCrossEntropy_isRejected(Activation activation,
                                                                       LossFunctions.LossFunction loss) {
        // given
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(WIDTH).nOut(5).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(loss).nIn(5).nOut(CLASSES).activation(activation).build())
                .build());
        net.init();

        // when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FisherAccumulator(net, LabelMode.EMPIRICAL, 0));

        // then
        assertTrue(e.getMessage().startsWith(
                "the Fisher of log p(y|x) needs a softmax output layer with cross-entropy loss, got "), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(LabelMode.class)
    void localEstimator_withDifferentBatchSizes_givesTheSameDiagonalAndCountsEveryTrainingExample(LabelMode mode) {
        // given: a task over all examples; positions double as example ids, so sampled draws do not depend on batching
        ImageSet data = data();
        int[] all = IntStream.range(0, N).toArray();
        Task task = new Task(0, CLASSES, all, new int[0], null, IntStream.range(0, CLASSES).toArray());
        MultiLayerNetwork net = network("tanh");

        // when
        FisherDiagonal byOne = new LocalFisherEstimator(data, 1).estimate(net, task, mode, SAMPLE_SEED);
        FisherDiagonal bySeven = new LocalFisherEstimator(data, 7).estimate(net, task, mode, SAMPLE_SEED);

        // then
        assertEquals(N, byOne.count());
        assertEquals(N, bySeven.count());
        assertMatches(net, byOne.sum(), bySeven.sum());
    }
}
