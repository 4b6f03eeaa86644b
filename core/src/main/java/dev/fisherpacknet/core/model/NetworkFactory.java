package dev.fisherpacknet.core.model;

import dev.fisherpacknet.core.train.FusedAdam;
import java.util.Locale;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the network a task trains: the shared dense trunk followed by that task's softmax head. Every task's
 * network has the same trunk layout, so the trunk occupies the same leading span of the flattened parameters
 * in all of them (see {@link ParamLayout}).
 *
 * @param model        trunk sizes, activation and initialisation
 * @param inputWidth   features per example
 * @param learningRate Adam's learning rate
 */
public record NetworkFactory(ModelConfig model, int inputWidth, double learningRate) {

    /** An initialised network with a fresh {@code numClasses}-way head, its initial weights drawn from {@code seed}. */
    public MultiLayerNetwork create(int numClasses, long seed) {
        return create(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(numClasses)
                .activation(Activation.SOFTMAX), seed);
    }

    /**
     * A network for joint training: the same trunk, and one output layer that holds a head of
     * {@code blockSizes[k]} classes for every task k side by side, each a softmax of its own
     * ({@link BlockSoftmaxLoss}); its initial weights are drawn from {@code seed}.
     */
    public MultiLayerNetwork createJoint(int[] blockSizes, long seed) {
        return create(new OutputLayer.Builder().lossFunction(new BlockSoftmaxLoss(blockSizes))
                .nOut(java.util.Arrays.stream(blockSizes).sum()).activation(Activation.IDENTITY), seed);
    }

    private MultiLayerNetwork create(OutputLayer.Builder head, long seed) {
        Activation activation = Activation.valueOf(model.activation().toUpperCase(Locale.ROOT));
        var list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new FusedAdam(learningRate))
                // The xavier draw; fan-in-uniform overwrites it once the network exists (drawFanInUniform).
                .weightInit(WeightInit.XAVIER)
                .list();
        int nIn = inputWidth;
        for (int size : model.hidden()) {
            list.layer(new DenseLayer.Builder().nIn(nIn).nOut(size).activation(activation).build());
            nIn = size;
        }
        list.layer(head.nIn(nIn).build());
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        if (model.init() == Initialisation.FAN_IN_UNIFORM) {
            drawFanInUniform(net, seed);
        }
        return net;
    }

    /**
     * Overwrites every weight and bias of {@code net} with draws from U(-1/sqrt(fan_in), +1/sqrt(fan_in)) of its
     * layer, from a generator seeded with {@code seed}: layer by layer from the input side, each layer's weights in
     * flattened order, then its biases.
     */
    static void drawFanInUniform(MultiLayerNetwork net, long seed) {
        ParamLayout layout = ParamLayout.of(net);
        float[] values = new float[Math.toIntExact(net.numParams())];
        SplittableRandom random = new SplittableRandom(seed);
        for (ParamLayout.Layer layer : layout.layers()) {
            double bound = 1 / Math.sqrt(layer.nIn());
            drawUniform(values, layer.weightOffset(), layer.weightCount(), bound, random);
            drawUniform(values, layer.biasOffset(), layer.nOut(), bound, random);
        }
        net.params().assign(Nd4j.create(values, new long[] {1, values.length}, DataType.FLOAT));
    }

    private static void drawUniform(float[] values, int offset, int count, double bound, SplittableRandom random) {
        for (int i = offset; i < offset + count; i++) {
            // In [-bound, bound) in double; rounding to float keeps |value| <= (float) bound.
            values[i] = (float) (bound * (2 * random.nextDouble() - 1));
        }
    }
}
