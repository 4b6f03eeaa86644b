package dev.fisherpacknet.core.train;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * One optimiser step of a dense network, the arithmetic of {@link MultiLayerNetwork#fit(DataSet)} for one
 * minibatch without the work around it that the project's networks do not need. Bit for bit the same parameters,
 * Adam state and iteration count as {@code fit} followed by {@link ParameterMask#apply}: the same ND4J calls compute
 * every value (matrix products, bias sums, activations and their derivatives, the loss's gradient) and
 * {@link FusedAdam#stepAndApply} does the updater's float operations in the updater's order. What it leaves out:
 * <ul>
 *   <li>allocation: the products are written into buffers kept from one minibatch to the next, per minibatch size;
 *   <li>the second forward pass: DL4J's backward pass recomputes each layer's pre-activations, this step keeps them;
 *   <li>the first layer's input gradient, which nothing reads (80 of P1's 367 MFLOP per step);
 *   <li>the loss value, which training does not read;
 *   <li>four passes over the parameters: the division by the minibatch size, Adam, the step and the mask are one
 *       loop.
 * </ul>
 * The network's training listeners hear {@code onGradientCalculation} (where the EWC penalty adds its gradient, as in
 * {@code fit}), {@code onBackwardPass} and {@code iterationDone}; {@code onForwardPass} is not called, since the
 * step never forms the softmax outputs it would report.
 *
 * <p>The fused path takes networks of dense layers and one output layer, all with biases, no dropout, weight noise,
 * layer normalisation, regularisation or gradient normalisation, and {@link FusedAdam} as the updater of every
 * parameter: every network {@link dev.fisherpacknet.core.model.NetworkFactory} builds. Any other network (one saved
 * with ND4J's Adam, say) is trained by {@code fit} and the mask, with the same result by construction;
 * {@link #unsupported} says why. Not thread-safe: one step per network and thread.
 */
public final class TrainingStep {
    private final MultiLayerNetwork net;
    private final boolean fused;
    private final int layerCount;
    private final List<IActivation> activations = new ArrayList<>();
    private final ILossFunction loss;
    private final FusedAdam adam;
    private final Map<Integer, Buffers> buffersByBatchSize = new HashMap<>();

    private TrainingStep(MultiLayerNetwork net) {
        this.net = net;
        this.fused = unsupported(net).isEmpty();
        this.layerCount = net.getnLayers();
        if (!fused) {
            this.loss = null;
            this.adam = null;
            return;
        }
        for (int l = 0; l < layerCount; l++) {
            activations.add(((BaseLayer) net.getLayer(l).conf().getLayer()).getActivationFn());
        }
        OutputLayer output = (OutputLayer) net.getLayer(layerCount - 1).conf().getLayer();
        this.loss = output.getLossFn();
        this.adam = (FusedAdam) output.getIUpdater();
        if (net.getGradientsViewArray() == null) {
            net.initGradientsView();
        }
    }

    /** The step for {@code net}: fused if the network allows it ({@link #unsupported}), {@code fit} otherwise. */
    public static TrainingStep of(MultiLayerNetwork net) {
        return new TrainingStep(net);
    }

    /** Whether this step takes the fused path; if not, it calls {@code fit}. */
    public boolean isFused() {
        return fused;
    }

    /** Why the fused path cannot take {@code net}, or empty if it can. */
    public static Optional<String> unsupported(MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        if (net.params() == null || net.params().dataType() != DataType.FLOAT) {
            return Optional.of("parameters must be an initialised float32 vector");
        }
        if (conf.getInputPreProcessors() != null && !conf.getInputPreProcessors().isEmpty()) {
            return Optional.of("input preprocessors are not supported");
        }
        FusedAdam first = null;
        for (int l = 0; l < net.getnLayers(); l++) {
            NeuralNetConfiguration layerConf = conf.getConf(l);
            var layer = layerConf.getLayer();
            boolean last = l == net.getnLayers() - 1;
            if (last ? !(layer instanceof OutputLayer) : !(layer.getClass() == DenseLayer.class)) {
                return Optional.of("layer " + l + " is " + layer.getClass().getSimpleName() + ", expected "
                        + (last ? "OutputLayer" : "DenseLayer"));
            }
            BaseLayer base = (BaseLayer) layer;
            if (layer.getIDropout() != null || base.getWeightNoise() != null) {
                return Optional.of("layer " + l + " has dropout or weight noise");
            }
            if (base.getGradientNormalization() != null
                    && base.getGradientNormalization() != GradientNormalization.None) {
                return Optional.of("layer " + l + " normalises its gradient");
            }
            if (!base.getRegularization().isEmpty() || !base.getRegularizationBias().isEmpty()) {
                return Optional.of("layer " + l + " is regularised");
            }
            boolean bias = layer instanceof DenseLayer dense ? dense.hasBias() && !dense.hasLayerNorm()
                    : ((OutputLayer) layer).hasBias();
            if (!bias) {
                return Optional.of("layer " + l + " has no bias or has layer normalisation");
            }
            if (!layerConf.isMiniBatch() || layerConf.getOptimizationAlgo()
                    != OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT) {
                return Optional.of("layer " + l + " is not trained by minibatch gradient descent");
            }
            for (String param : new String[] {"W", "b"}) {
                if (!(base.getUpdaterByParam(param) instanceof FusedAdam adam) || (first != null
                        && !first.equals(adam))) {
                    return Optional.of("parameter " + l + "_" + param + " is not updated by the network's one "
                            + "FusedAdam (got " + base.getUpdaterByParam(param) + ")");
                }
                first = (FusedAdam) base.getUpdaterByParam(param);
            }
        }
        Updater updater = net.getUpdater();
        if (!(updater instanceof BaseMultiLayerUpdater<?> multi) || multi.getUpdaterBlocks().size() != 1
                || updater.getStateViewArray().length() != 2 * net.numParams()) {
            return Optional.of("the updater state is not one block of first and second moments");
        }
        return Optional.empty();
    }

    /**
     * Trains the network on one minibatch and then holds the mask's frozen parameters at their values, exactly as
     * {@code net.fit(batch)} followed by {@code mask.apply(net.params())}.
     */
    public void fit(DataSet batch, ParameterMask mask) {
        if (!fused) {
            net.fit(batch);
            mask.apply(net.params());
            return;
        }
        INDArray features = batch.getFeatures();
        INDArray labels = batch.getLabels();
        int batchSize = Math.toIntExact(features.rows());
        Buffers buffers = buffersByBatchSize.computeIfAbsent(batchSize, size -> new Buffers(net, size));
        INDArray params = net.params();
        INDArray gradient = net.getGradientsViewArray();
        if (mask.size() != params.length()) {
            throw new IllegalArgumentException("the mask covers " + mask.size() + " parameters, the network has "
                    + params.length());
        }

        INDArray[] inputs = new INDArray[layerCount];
        INDArray input = features.castTo(DataType.FLOAT);
        for (int l = 0; l < layerCount; l++) {
            inputs[l] = input;
            INDArray z = buffers.preActivations[l];
            input.mmuli(net.getLayer(l).getParam("W"), z);
            z.addiRowVector(net.getLayer(l).getParam("b"));
            if (l < layerCount - 1) {
                input = activations.get(l).getActivation(buffers.activations[l].assign(z), true);
            }
        }

        INDArray delta = loss.computeGradient(labels, buffers.preActivations[layerCount - 1],
                activations.get(layerCount - 1), null);
        for (int l = layerCount - 1; l >= 0; l--) {
            INDArray weights = net.getLayer(l).getParam("W");
            INDArray weightGradient = view(gradient, weights.offset() - params.offset(), weights);
            INDArray biases = net.getLayer(l).getParam("b");
            INDArray biasGradient = view(gradient, biases.offset() - params.offset(), biases);
            Nd4j.gemm(inputs[l], delta, weightGradient, true, false, 1.0, 0.0);
            delta.sum(biasGradient, 0);
            if (l > 0) {
                INDArray epsilon = weights.mmuli(delta.transpose(), buffers.inputGradients[l]).transpose();
                delta = activations.get(l - 1).backprop(buffers.preActivations[l - 1], epsilon).getFirst();
            }
        }

        net.setInput(features);
        net.setLabels(labels);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        int iteration = conf.getIterationCount();
        // In fit's order: every listener's onBackwardPass, then every listener's onGradientCalculation.
        for (TrainingListener listener : net.getListeners()) {
            listener.onBackwardPass(net);
        }
        for (TrainingListener listener : net.getListeners()) {
            listener.onGradientCalculation(net);
        }
        INDArray state = net.getUpdater().getStateViewArray();
        int n = Math.toIntExact(params.length());
        FloatBuffer stateBuffer = state.data().asNioFloat();
        int stateOffset = Math.toIntExact(state.offset());
        FusedAdam.stepAndApply(slice(params), slice(gradient), stateBuffer, stateOffset, stateBuffer,
                stateOffset + n, n, batchSize, adam.beta1(), adam.beta2(), adam.stepSize(iteration),
                adam.epsilonHat(iteration), mask.keepFactors(), mask.frozenTerms());
        for (TrainingListener listener : net.getListeners()) {
            listener.iterationDone(net, iteration, conf.getEpochCount());
        }
        conf.setIterationCount(iteration + 1);
    }

    /**
     * The gradient's span from {@code start} (an index of the flattened parameters) shaped like {@code param}: the
     * view DL4J's layers write their gradients into.
     */
    private static INDArray view(INDArray gradient, long start, INDArray param) {
        INDArray flat = gradient.get(NDArrayIndex.point(0), NDArrayIndex.interval(start, start + param.length()));
        return param.rank() == 2 ? flat.reshape(param.ordering(), param.rows(), param.columns())
                : flat.reshape(param.ordering(), param.shape());
    }

    /** The array's values as a buffer whose index 0 is the array's first value. */
    private static FloatBuffer slice(INDArray flat) {
        if (flat.elementWiseStride() != 1) {
            throw new IllegalStateException("expected a contiguous vector, got strides "
                    + java.util.Arrays.toString(flat.stride()));
        }
        FloatBuffer buffer = flat.data().asNioFloat();
        return buffer.position(Math.toIntExact(flat.offset())).slice();
    }

    /** The arrays one minibatch size needs, in the orders DL4J's layers create theirs. */
    private static final class Buffers {
        final INDArray[] preActivations;
        final INDArray[] activations;
        final INDArray[] inputGradients;

        Buffers(MultiLayerNetwork net, int batchSize) {
            int layers = net.getnLayers();
            preActivations = new INDArray[layers];
            activations = new INDArray[layers];
            inputGradients = new INDArray[layers];
            for (int l = 0; l < layers; l++) {
                INDArray weights = net.getLayer(l).getParam("W");
                preActivations[l] = Nd4j.createUninitialized(DataType.FLOAT, new long[] {batchSize, weights.columns()},
                        'c');
                if (l < layers - 1) {
                    activations[l] = Nd4j.createUninitialized(DataType.FLOAT,
                            new long[] {batchSize, weights.columns()}, 'c');
                }
                if (l > 0) {
                    inputGradients[l] = Nd4j.createUninitialized(DataType.FLOAT,
                            new long[] {weights.rows(), batchSize}, 'f');
                }
            }
        }
    }
}
