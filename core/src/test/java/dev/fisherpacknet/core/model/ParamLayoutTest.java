package dev.fisherpacknet.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ParamLayoutTest {

    private static final int INPUT = 6;
    private static final int CLASSES = 3;

    /** A network whose flattened parameter k holds the value k, so every view shows where it sits. */
    private static MultiLayerNetwork numbered(List<Integer> hidden) {
        MultiLayerNetwork net = new NetworkFactory(new ModelConfig(hidden, "relu"), INPUT, 1e-3).create(CLASSES, 1);
        net.setParams(Nd4j.arange(0, net.numParams()).castTo(DataType.FLOAT).reshape(1, net.numParams()));
        return net;
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "7,5", "4,9,3"})
    void weightIndex_andBiasOffset_pointAtTheEntriesDl4jShowsInEachLayersViews(String sizes) {
        // given
        List<Integer> hidden = Arrays.stream(sizes.split(",")).map(Integer::valueOf).toList();
        MultiLayerNetwork net = numbered(hidden);

        // when
        ParamLayout layout = ParamLayout.of(net);

        // then
        assertEquals(hidden.size() + 1, layout.layers().size());
        for (int l = 0; l < layout.layers().size(); l++) {
            ParamLayout.Layer layer = layout.layers().get(l);
            var w = net.getLayer(l).getParam("W");
            var b = net.getLayer(l).getParam("b");
            assertEquals(w.rows(), layer.nIn(), "layer " + l + " nIn");
            assertEquals(w.columns(), layer.nOut(), "layer " + l + " nOut");
            for (int i = 0; i < layer.nIn(); i++) {
                for (int j = 0; j < layer.nOut(); j++) {
                    assertEquals(w.getDouble(i, j), layer.weightIndex(i, j), "layer " + l + " W(" + i + "," + j + ")");
                }
            }
            for (int j = 0; j < layer.nOut(); j++) {
                assertEquals(b.getDouble(j), layer.biasOffset() + j, "layer " + l + " b(" + j + ")");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "7,5", "4,9,3"})
    void trunkLength_isTheHeadsWeightOffsetAndTheNumberOfTrunkParameters(String sizes) {
        // given
        List<Integer> hidden = Arrays.stream(sizes.split(",")).map(Integer::valueOf).toList();
        MultiLayerNetwork net = numbered(hidden);
        long trunkParams = 0;
        long trunkWeights = 0;
        for (int l = 0; l < hidden.size(); l++) {
            trunkParams += net.getLayer(l).numParams();
            trunkWeights += net.getLayer(l).getParam("W").length();
        }

        // when
        ParamLayout layout = ParamLayout.of(net);

        // then
        assertEquals(trunkParams, layout.trunkLength());
        assertEquals(net.getLayer(hidden.size()).getParam("W").getDouble(0, 0), layout.trunkLength());
        assertEquals(layout.head().weightOffset(), layout.trunkLength());
        assertEquals(trunkWeights, layout.trunkWeightCount());
        assertEquals(hidden.size(), layout.trunkLayerCount());
        assertEquals(net.numParams(), layout.trunkLength() + net.getLayer(hidden.size()).numParams());
    }

    @Test
    void layers_coverEveryParameterExactlyOnce() {
        // given
        MultiLayerNetwork net = numbered(List.of(7, 5));
        ParamLayout layout = ParamLayout.of(net);

        // when
        Set<Integer> seen = new HashSet<>();
        for (ParamLayout.Layer layer : layout.layers()) {
            for (int i = 0; i < layer.nIn(); i++) {
                for (int j = 0; j < layer.nOut(); j++) {
                    assertTrue(seen.add(layer.weightIndex(i, j)));
                }
            }
            for (int j = 0; j < layer.nOut(); j++) {
                assertTrue(seen.add(layer.biasOffset() + j));
            }
        }

        // then
        assertEquals(net.numParams(), seen.size());
        assertTrue(seen.stream().allMatch(i -> i >= 0 && i < net.numParams()));
    }

    @Test
    void layout_isTheSameForHeadsOfDifferentWidths() {
        // given: two task networks of one trunk with 2-way and 10-way heads
        NetworkFactory factory = new NetworkFactory(new ModelConfig(List.of(7, 5), "tanh"), INPUT, 1e-3);

        // when
        ParamLayout two = ParamLayout.of(factory.create(2, 1));
        ParamLayout ten = ParamLayout.of(factory.create(10, 2));

        // then
        assertEquals(two.trunkLength(), ten.trunkLength());
        assertEquals(two.layers().subList(0, 2), ten.layers().subList(0, 2));
    }

    @Test
    void layout_survivesJavaSerialization() throws Exception {
        // given
        ParamLayout layout = ParamLayout.of(numbered(List.of(7, 5)));

        // when
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(layout);
        }
        Object copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = in.readObject();
        }

        // then
        assertEquals(layout, copy);
    }

    @Test
    void of_aLayerWithoutWeightMatrix_isRejectedNamingTheLayer() {
        // given: a network whose first layer has no W and b parameters
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).list()
                .layer(new ActivationLayer.Builder()
                        .activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().nIn(INPUT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();

        // when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParamLayout.of(net));

        // then
        assertEquals("layer 0 is not a dense layer with W and b", e.getMessage());
    }
}
