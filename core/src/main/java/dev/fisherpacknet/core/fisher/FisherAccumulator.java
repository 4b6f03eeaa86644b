package dev.fisherpacknet.core.fisher;

import dev.fisherpacknet.core.Seeds;
import dev.fisherpacknet.core.model.ParamLayout;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Exact per-example Fisher diagonal of a dense softmax network, summed over minibatches.
 *
 * <p>For a dense layer with input activations a_n and output error delta_n (the gradient of -log p(y_n|x_n) with
 * respect to the layer's pre-activations), the gradient of example n for weight (i, j) is a_n[i] * delta_n[j].
 * Its square summed over the minibatch is therefore (a o a)^T (delta o delta): one matrix product per layer,
 * exactly the per-example values and never the square of a minibatch gradient. Bias terms are the column sums
 * of delta o delta.
 *
 * <p>Not thread-safe: one accumulator per thread or partition.
 */
public final class FisherAccumulator {
    private static final String WORKSPACE_ID = "fisher-accumulator";
    private static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.STRICT).policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT).build();
    private final MultiLayerNetwork net;
    private final ParamLayout layout;
    private final LabelMode mode;
    private final long sampleSeed;
    private final List<IActivation> hiddenActivations = new ArrayList<>();
    private final double[] sum;
    private long count;

    /**
     * @param net        a dense network ending in a softmax output layer with cross-entropy loss; read, not changed
     * @param mode       which labels enter log p(y|x)
     * @param sampleSeed for {@link LabelMode#SAMPLED}: draws derive from it and each example's id
     */
    public FisherAccumulator(MultiLayerNetwork net, LabelMode mode, long sampleSeed) {
        this.net = net;
        this.layout = ParamLayout.of(net);
        this.mode = mode;
        this.sampleSeed = sampleSeed;
        int layers = net.getnLayers();
        for (int l = 0; l < layers - 1; l++) {
            hiddenActivations.add(((BaseLayer) net.getLayer(l).conf().getLayer()).getActivationFn());
        }
        var output = net.getLayer(layers - 1).conf().getLayer();
        if (!(output instanceof OutputLayer out) || !(out.getActivationFn() instanceof ActivationSoftmax)
                || !(out.getLossFn() instanceof LossMCXENT)) {
            throw new IllegalArgumentException("the Fisher of log p(y|x) needs a softmax output layer with "
                    + "cross-entropy loss, got " + output);
        }
        this.sum = new double[(int) net.numParams()];
    }

    /**
     * Adds the examples of one minibatch.
     *
     * @param features   [batch, inputWidth] inputs
     * @param labels     true class of each example (used by {@link LabelMode#EMPIRICAL})
     * @param exampleIds a stable id per example (used by {@link LabelMode#SAMPLED}, so that draws do not depend on
     *                   how examples are batched or partitioned)
     */
    public void add(INDArray features, int[] labels, int[] exampleIds) {
        // Every intermediate array lives in a per-thread workspace: its memory is reused from one minibatch to the
        // next instead of being allocated off-heap and freed by the garbage collector. Nothing escapes the scope:
        // the results are added into the Java double[] sum inside it.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, WORKSPACE_ID)) {
            addInWorkspace(features, labels, exampleIds);
        }
    }

    private void addInWorkspace(INDArray features, int[] labels, int[] exampleIds) {
        int batch = features.rows();
        int layers = layout.layers().size();
        List<INDArray> inputs = new ArrayList<>(layers);
        List<INDArray> preActivations = new ArrayList<>(layers);
        INDArray a = features.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        for (int l = 0; l < layers; l++) {
            inputs.add(a);
            INDArray z = a.mmul(net.getLayer(l).getParam("W")).addiRowVector(net.getLayer(l).getParam("b"));
            preActivations.add(z);
            if (l < layers - 1) {
                a = hiddenActivations.get(l).getActivation(z.dup(), false);
            }
        }
        INDArray probabilities = Nd4j.getExecutioner().exec(
                new org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax(preActivations.get(layers - 1).dup()))[0];
        List<INDArray> squaredInputs = new ArrayList<>(layers);
        for (INDArray input : inputs) {
            squaredInputs.add(input.mul(input));
        }
        int numClasses = probabilities.columns();
        switch (mode) {
            case EMPIRICAL -> backward(probabilities.sub(oneHot(labels, numClasses)), null, squaredInputs,
                    preActivations);
            case SAMPLED -> backward(probabilities.sub(oneHot(sample(probabilities, exampleIds), numClasses)), null,
                    squaredInputs, preActivations);
            case EXACT -> {
                for (int c = 0; c < numClasses; c++) {
                    INDArray delta = probabilities.dup();
                    delta.getColumn(c).subi(1.0);
                    backward(delta, probabilities.getColumn(c).dup(), squaredInputs, preActivations);
                }
            }
        }
        count += batch;
    }

    /** The sum so far. The accumulator can go on adding after this. */
    public FisherDiagonal result() {
        return new FisherDiagonal(sum.clone(), count);
    }

    /**
     * Backpropagates the output error and adds sum_n w_n (a_n o a_n)^T (delta_n o delta_n) for every layer;
     * {@code weights} null means w_n = 1.
     */
    private void backward(INDArray outputDelta, INDArray weights, List<INDArray> squaredInputs,
                          List<INDArray> preActivations) {
        INDArray delta = outputDelta;
        for (int l = layout.layers().size() - 1; l >= 0; l--) {
            INDArray squaredDelta = delta.mul(delta);
            if (weights != null) {
                squaredDelta.muliColumnVector(weights);
            }
            ParamLayout.Layer layer = layout.layers().get(l);
            addWeightFisher(squaredInputs.get(l), squaredDelta, layer);
            addFlattened(squaredDelta.sum(0), layer.biasOffset());
            if (l > 0) {
                INDArray epsilon = delta.mmul(net.getLayer(l).getParam("W").transpose());
                delta = hiddenActivations.get(l - 1).backprop(preActivations.get(l - 1).dup(), epsilon).getFirst();
            }
        }
    }

    /**
     * Adds (a o a)^T (delta o delta), an [nIn, nOut] matrix, in the order the layer flattens its weights. For 'f'
     * order the product is computed transposed, as (delta o delta)^T (a o a) in 'c' order, whose memory layout is
     * exactly the 'f' layout of the [nIn, nOut] matrix: no copy to reorder it.
     */
    private void addWeightFisher(INDArray squaredInputs, INDArray squaredDelta, ParamLayout.Layer layer) {
        INDArray product = layer.weightOrder() == 'f'
                ? Nd4j.gemm(squaredDelta, squaredInputs, true, false)
                : Nd4j.gemm(squaredInputs, squaredDelta, true, false);
        addFlattened(product, layer.weightOffset());
    }

    /** Adds a contiguous 'c'-order array's values to the sum from {@code offset}, reading its memory in place. */
    private void addFlattened(INDArray values, int offset) {
        INDArray contiguous = values.ordering() == 'c' && values.offset() == 0 && !values.isView() ? values
                : values.dup('c');
        FloatBuffer buffer = contiguous.data().asNioFloat();
        int n = (int) contiguous.length();
        for (int i = 0; i < n; i++) {
            sum[offset + i] += buffer.get(i);
        }
    }

    private int[] sample(INDArray probabilities, int[] exampleIds) {
        float[] p = probabilities.dup('c').data().asFloat();
        int numClasses = probabilities.columns();
        int[] drawn = new int[exampleIds.length];
        for (int n = 0; n < drawn.length; n++) {
            double u = Seeds.uniform(Seeds.derive(sampleSeed, "fisher-label", exampleIds[n]));
            double cumulative = 0;
            int c = 0;
            for (; c < numClasses - 1; c++) {
                cumulative += p[n * numClasses + c];
                if (u < cumulative) {
                    break;
                }
            }
            drawn[n] = c;
        }
        return drawn;
    }

    private static INDArray oneHot(int[] labels, int numClasses) {
        float[] values = new float[labels.length * numClasses];
        for (int n = 0; n < labels.length; n++) {
            values[n * numClasses + labels[n]] = 1f;
        }
        return Nd4j.create(values, new long[] {labels.length, numClasses},
                org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }
}
