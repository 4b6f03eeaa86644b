package dev.fisherpacknet.core.model;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Cross-entropy over several softmax heads laid side by side in one output layer: the outputs are cut into blocks,
 * one per task, each block is a softmax of its own, and an example's loss is the cross-entropy of the block that
 * holds its one-hot label (the other blocks of its label row are zero and contribute neither loss nor gradient). The
 * logits of block k depend only on block k's columns of the layer's weights and biases, so this is exactly T
 * separate heads on a shared trunk, trained in one network: what joint training needs, with every trainer of the
 * project (they all train one {@code MultiLayerNetwork}). The layer's activation must be the identity.
 */
public final class BlockSoftmaxLoss implements ILossFunction {
    private static final long serialVersionUID = 1L;

    private int[] blockSizes;

    /** For DL4J's JSON mapper. */
    public BlockSoftmaxLoss() {
        this(new int[0]);
    }

    /** Heads of {@code blockSizes[k]} classes each, in output order. */
    public BlockSoftmaxLoss(int[] blockSizes) {
        this.blockSizes = blockSizes.clone();
    }

    /** The classes of each head. */
    public int[] getBlockSizes() {
        return blockSizes.clone();
    }

    /** For DL4J's JSON mapper. */
    public void setBlockSizes(int[] blockSizes) {
        this.blockSizes = blockSizes.clone();
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        requireWidth(labels);
        INDArray output = activationFn.getActivation(preOutput.dup(), true);
        long n = output.size(0);
        INDArray scores = Nd4j.zeros(output.dataType(), n, 1);
        int offset = 0;
        for (int size : blockSizes) {
            INDArray z = output.get(NDArrayIndex.all(), NDArrayIndex.interval(offset, offset + size));
            INDArray y = labels.get(NDArrayIndex.all(), NDArrayIndex.interval(offset, offset + size));
            scores.subi(y.mul(logSoftmax(z)).sum(true, 1));
            offset += size;
        }
        if (mask != null) {
            scores.muli(mask.reshape(n, 1));
        }
        return scores;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        requireWidth(labels);
        INDArray output = activationFn.getActivation(preOutput.dup(), true);
        INDArray gradient = Nd4j.zeros(output.dataType(), output.shape());
        int offset = 0;
        for (int size : blockSizes) {
            INDArray z = output.get(NDArrayIndex.all(), NDArrayIndex.interval(offset, offset + size));
            INDArray y = labels.get(NDArrayIndex.all(), NDArrayIndex.interval(offset, offset + size));
            // d/dz of -sum y log softmax(z) is softmax(z) * sum(y) - y: zero for rows whose label is elsewhere.
            INDArray inBlock = y.sum(true, 1);
            INDArray block = Transforms.exp(logSoftmax(z), false).mulColumnVector(inBlock).subi(y);
            gradient.get(NDArrayIndex.all(), NDArrayIndex.interval(offset, offset + size)).assign(block);
            offset += size;
        }
        INDArray dLdPreOut = activationFn.backprop(preOutput.dup(), gradient).getFirst();
        if (mask != null) {
            dLdPreOut.muliColumnVector(mask.reshape(mask.size(0), 1).castTo(dLdPreOut.dataType()));
        }
        return dLdPreOut;
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "BlockSoftmaxLoss" + Arrays.toString(blockSizes);
    }

    @Override
    public String toString() {
        return name();
    }

    /** z - logsumexp(z) per row, with the row maximum taken out first so that exp cannot overflow. */
    private static INDArray logSoftmax(INDArray z) {
        INDArray shifted = z.subColumnVector(z.max(true, 1));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(logSum);
    }

    private void requireWidth(INDArray labels) {
        int width = Arrays.stream(blockSizes).sum();
        if (labels.size(1) != width) {
            throw new IllegalArgumentException("labels have " + labels.size(1) + " columns but the heads "
                    + Arrays.toString(blockSizes) + " have " + width);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockSoftmaxLoss other && Arrays.equals(blockSizes, other.blockSizes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(blockSizes);
    }
}
