package dev.fisherpacknet.core.train;

import java.io.Serializable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The EWC penalty on the trunk, {@code lambda/2 * sum_i A_i (theta_i - anchor_i)^2}, added to a network's loss as a
 * training listener: after DL4J computes the minibatch's gradient and before the updater reads it, its gradient
 * {@code lambda * A_i (theta_i - anchor_i)} is added for every trunk parameter i (the leading span of the flattened
 * parameters; the head is not penalised). DL4J's gradient at that point is the sum over the minibatch's examples,
 * which the updater then divides by their number, so the term is added times the minibatch size: the objective is
 * the mean loss over the minibatch plus the penalty, as in the EWC paper.
 *
 * <p>One quadratic per parameter covers both EWC modes: the sum of per-task penalties
 * {@code sum_t F_t,i (theta_i - theta*_t,i)^2} is, up to a constant, {@code A_i (theta_i - anchor_i)^2} with
 * {@code A = sum_t F_t} and {@code anchor = sum_t F_t theta*_t / A}; online EWC's running penalty has
 * {@code A = gamma A + F_t} and the latest task's parameters as anchor. Immutable and serializable, so that one
 * instance can be broadcast to executors and shared by the replicas and workers that train with it.
 */
public final class EwcPenalty extends BaseTrainingListener implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double lambda;
    private final float[] curvature;
    private final float[] anchor;
    private transient volatile INDArray[] device;

    /**
     * @param lambda    the penalty's strength
     * @param curvature A, one value per trunk parameter (a sum of Fisher diagonals)
     * @param anchor    the parameter values the penalty pulls towards, one per trunk parameter
     */
    public EwcPenalty(double lambda, double[] curvature, double[] anchor) {
        if (curvature.length != anchor.length) {
            throw new IllegalArgumentException(curvature.length + " curvatures but " + anchor.length + " anchors");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
        this.lambda = lambda;
        this.curvature = new float[curvature.length];
        this.anchor = new float[anchor.length];
        for (int i = 0; i < curvature.length; i++) {
            this.curvature[i] = (float) curvature[i];
            this.anchor[i] = (float) anchor[i];
        }
    }

    /** The penalty's strength. */
    public double lambda() {
        return lambda;
    }

    /** Number of trunk parameters penalised. */
    public int length() {
        return curvature.length;
    }

    /** The penalty's value {@code lambda/2 * sum_i A_i (theta_i - anchor_i)^2} at {@code trunk}, in double. */
    public double value(float[] trunk) {
        double sum = 0;
        for (int i = 0; i < curvature.length; i++) {
            double d = trunk[i] - (double) anchor[i];
            sum += curvature[i] * d * d;
        }
        return lambda / 2 * sum;
    }

    @Override
    public void onGradientCalculation(Model model) {
        MultiLayerNetwork net = (MultiLayerNetwork) model;
        INDArray[] arrays = device();
        INDArray trunk = net.params().get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(0, curvature.length));
        INDArray gradient = net.getGradientsViewArray()
                .get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(0, curvature.length));
        gradient.addi(trunk.sub(arrays[1]).muli(arrays[0]).muli(lambda * net.batchSize()));
    }

    private INDArray[] device() {
        INDArray[] arrays = device;
        if (arrays == null) {
            synchronized (this) {
                arrays = device;
                if (arrays == null) {
                    arrays = new INDArray[] {
                            Nd4j.create(curvature, new long[] {1, curvature.length}, DataType.FLOAT),
                            Nd4j.create(anchor, new long[] {1, anchor.length}, DataType.FLOAT)};
                    device = arrays;
                }
            }
        }
        return arrays;
    }
}
