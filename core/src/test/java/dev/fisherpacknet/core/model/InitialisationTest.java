package dev.fisherpacknet.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/** The initial weights and biases against the distribution each {@link Initialisation} documents. */
class InitialisationTest {

    private static final int WIDTH = 784;
    private static final List<Integer> HIDDEN = List.of(400, 400);

    private static MultiLayerNetwork network(Initialisation init, long seed) {
        return new NetworkFactory(new ModelConfig(HIDDEN, "relu", init), WIDTH, 1e-3).create(10, seed);
    }

    private static float[] span(float[] all, int offset, int count) {
        return Arrays.copyOfRange(all, offset, offset + count);
    }

    /** Checks that {@code values} look like n draws of U(-bound, bound): bounds, mean, variance, extremes. */
    private static void assertUniform(float[] values, double bound, String what) {
        double sum = 0;
        double sumSquares = 0;
        double largest = 0;
        for (float v : values) {
            assertTrue(Math.abs(v) <= (float) bound, what + ": " + v + " outside +-" + bound);
            sum += v;
            sumSquares += (double) v * v;
            largest = Math.max(largest, Math.abs(v));
        }
        int n = values.length;
        double mean = sum / n;
        double variance = sumSquares / n - mean * mean;
        double sd = bound / Math.sqrt(3);
        // Five standard errors each: of the mean, and of the variance b^2 / 3 of U(-b, b), whose estimate from n draws
        // has a relative standard error of sqrt(0.8 / n) (kurtosis 9/5).
        assertEquals(0, mean, 5 * sd / Math.sqrt(n), what + ": mean");
        assertEquals(bound * bound / 3, variance, 5 * Math.sqrt(0.8 / n) * bound * bound / 3, what + ": variance");
        // The largest of n uniform draws misses the bound by about bound / n.
        assertTrue(largest > bound * (1 - 10.0 / n), what + ": largest |value| " + largest + " of bound " + bound);
    }

    @Test
    void fanInUniform_drawsEveryWeightAndBiasOfALayerFromUniformOverOneOverRootFanIn() {
        // given
        MultiLayerNetwork net = network(Initialisation.FAN_IN_UNIFORM, 11);
        float[] params = net.params().dup().data().asFloat();

        // then: trunk and head alike, biases too (PyTorch's nn.Linear)
        ParamLayout layout = ParamLayout.of(net);
        assertEquals(3, layout.layers().size());
        for (int l = 0; l < layout.layers().size(); l++) {
            ParamLayout.Layer layer = layout.layers().get(l);
            double bound = 1 / Math.sqrt(layer.nIn());
            assertUniform(span(params, layer.weightOffset(), layer.weightCount()), bound, "weights of layer " + l);
            assertUniform(span(params, layer.biasOffset(), layer.nOut()), bound, "biases of layer " + l);
        }
    }

    @Test
    void fanInUniform_isAFunctionOfTheSeedAlone() {
        float[] first = network(Initialisation.FAN_IN_UNIFORM, 3).params().dup().data().asFloat();
        float[] again = network(Initialisation.FAN_IN_UNIFORM, 3).params().dup().data().asFloat();
        float[] other = network(Initialisation.FAN_IN_UNIFORM, 4).params().dup().data().asFloat();

        assertArrayEquals(first, again);
        int equal = 0;
        for (int i = 0; i < first.length; i++) {
            equal += first[i] == other[i] ? 1 : 0;
        }
        assertTrue(equal < first.length / 1000, equal + " of " + first.length + " values equal under another seed");
    }

    @Test
    void xavier_drawsNormalWeightsWithVarianceTwoOverFanInPlusFanOutAndZeroBiases() {
        // given
        MultiLayerNetwork net = network(Initialisation.XAVIER, 11);
        float[] params = net.params().dup().data().asFloat();

        // then
        for (ParamLayout.Layer layer : ParamLayout.of(net).layers()) {
            float[] weights = span(params, layer.weightOffset(), layer.weightCount());
            double sumSquares = 0;
            for (float w : weights) {
                sumSquares += (double) w * w;
            }
            double expected = 2.0 / (layer.nIn() + layer.nOut());
            assertEquals(expected, sumSquares / weights.length, 0.15 * expected, "weight variance");
            float[] biases = span(params, layer.biasOffset(), layer.nOut());
            assertArrayEquals(new float[layer.nOut()], biases);
        }
        assertFalse(Arrays.equals(params, network(Initialisation.FAN_IN_UNIFORM, 11).params().dup().data().asFloat()));
    }
}
