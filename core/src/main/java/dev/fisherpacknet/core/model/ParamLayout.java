package dev.fisherpacknet.core.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where each layer's weights and biases sit in a network's flattened parameter vector, read off the network's
 * own parameter views rather than assumed. The trunk is every layer but the last; the head is the last.
 *
 * @param layers one entry per layer, input side first
 */
public record ParamLayout(List<Layer> layers) implements Serializable {

    /**
     * One dense layer's span of the flattened parameters.
     *
     * @param weightOffset first index of the weight matrix
     * @param nIn          rows of the weight matrix
     * @param nOut         columns of the weight matrix
     * @param weightOrder  the order ('c' or 'f') in which the matrix is flattened
     * @param biasOffset   first index of the bias vector (nOut values)
     */
    public record Layer(int weightOffset, int nIn, int nOut, char weightOrder, int biasOffset)
            implements Serializable {
        /** Number of weights. */
        public int weightCount() {
            return nIn * nOut;
        }

        /** Flat index of weight (i, j), input i to unit j. */
        public int weightIndex(int i, int j) {
            return weightOffset + (weightOrder == 'f' ? i + j * nIn : i * nOut + j);
        }
    }

    public ParamLayout {
        layers = List.copyOf(layers);
    }

    /** The layout of {@code net}'s dense and output layers. */
    public static ParamLayout of(MultiLayerNetwork net) {
        INDArray params = net.params();
        long base = params.offset();
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < net.getnLayers(); l++) {
            // paramTable, not getParam: a layer without parameters throws from getParam instead of returning null.
            var table = net.getLayer(l).paramTable();
            INDArray w = table.get("W");
            INDArray b = table.get("b");
            if (w == null || b == null || w.rank() != 2) {
                throw new IllegalArgumentException("layer " + l + " is not a dense layer with W and b");
            }
            layers.add(new Layer((int) (w.offset() - base), w.rows(), w.columns(), w.ordering(),
                    (int) (b.offset() - base)));
        }
        return new ParamLayout(layers);
    }

    /** Number of trunk layers (all but the head). */
    public int trunkLayerCount() {
        return layers.size() - 1;
    }

    /** The head's layer. */
    public Layer head() {
        return layers.get(layers.size() - 1);
    }

    /** Length of the leading span of the flattened parameters that holds the trunk (weights and biases). */
    public int trunkLength() {
        return head().weightOffset();
    }

    /** Number of trunk weights (biases excluded): the capacity that tasks share. */
    public int trunkWeightCount() {
        return layers.subList(0, trunkLayerCount()).stream().mapToInt(Layer::weightCount).sum();
    }
}
