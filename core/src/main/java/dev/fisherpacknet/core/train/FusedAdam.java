package dev.fisherpacknet.core.train;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Adam (Kingma and Ba 2015) in the form PyTorch's {@code torch.optim.Adam} computes it, the protocol's optimiser,
 * applied in one pass over the flattened gradient and Adam's state: for step {@code t = iteration + 1},
 * <pre>
 *   m = beta1 m + (1 - beta1) g          v = beta2 v + (1 - beta2) g^2
 *   update = lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon)
 * </pre>
 * computed as {@code lr sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon sqrt(1 - beta2^t))}, one float
 * rounding per operation. Two things differ from ND4J's {@code Adam} updater: ND4J adds epsilon to sqrt(v) without
 * the bias correction (a larger denominator for weights whose gradients are tiny), and its native op is one of
 * several passes over memory that slows down once moments decay into the subnormal range. Here moments below
 * {@link Float#MIN_NORMAL} in magnitude are stored as zero: the weights of always-zero pixels or dead units have
 * moments that shrink by beta1 and beta2 every step, and subnormal arithmetic is many times slower. With the
 * protocol's betas and epsilon, flushing a first moment changes its update by less than 1e-28 of the learning rate,
 * and flushing a second moment changes an update by less than 1e-9 of itself (sqrt(v) below 1.1e-19 beside an
 * epsilon term of at least 3e-10).
 *
 * <p>The state has ND4J Adam's layout (first moments, then second moments, each like the gradient), so parameter
 * averaging, checkpoints and saved runs treat it as they treat Adam's. Serialised with the network's configuration
 * (JSON and Java) like any DL4J updater.
 */
public final class FusedAdam implements IUpdater {
    private static final long serialVersionUID = 1L;

    private double learningRate;
    private double beta1;
    private double beta2;
    private double epsilon;

    /** The protocol's Adam: learning rate 1e-3, betas 0.9 and 0.999, epsilon 1e-8. */
    public FusedAdam() {
        this(1e-3);
    }

    /** Adam with the given learning rate and the protocol's betas (0.9, 0.999) and epsilon (1e-8). */
    public FusedAdam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    public FusedAdam(double learningRate, double beta1, double beta2, double epsilon) {
        if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("Adam needs learningRate > 0, beta1 and beta2 in [0, 1), epsilon > 0;"
                    + " got " + learningRate + ", " + beta1 + ", " + beta2 + ", " + epsilon);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    public double learningRate() {
        return learningRate;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    public long stateSize(long numParams) {
        return 2 * numParams;
    }

    @Override
    public GradientUpdater<FusedAdam> instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater updater = new Updater(this);
        long[] gradientShape = viewArray.shape().clone();
        gradientShape[gradientShape.length - 1] /= 2;
        updater.setStateViewArray(viewArray, gradientShape, viewArray.ordering(), initializeViewArray);
        return updater;
    }

    @Override
    public GradientUpdater<FusedAdam> instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        Updater updater = new Updater(this);
        updater.setState(updaterState, initializeStateArrays);
        return updater;
    }

    @Override
    public FusedAdam clone() {
        return new FusedAdam(learningRate, beta1, beta2, epsilon);
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        if (lrSchedule != null) {
            throw new UnsupportedOperationException("FusedAdam has a fixed learning rate, no schedule");
        }
        this.learningRate = lr;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FusedAdam o && o.learningRate == learningRate && o.beta1 == beta1
                && o.beta2 == beta2 && o.epsilon == epsilon;
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, beta1, beta2, epsilon);
    }

    @Override
    public String toString() {
        return "FusedAdam(lr=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon
                + ")";
    }

    /**
     * One step of Adam over {@code n} values, in place: {@code g} becomes the update that DL4J subtracts from the
     * parameters, {@code m} and {@code v} the new moments. Each array is read from its buffer's index given by
     * the matching offset.
     */
    static void step(FloatBuffer g, int gOffset, FloatBuffer m, int mOffset, FloatBuffer v, int vOffset, int n,
                     double beta1, double beta2, float stepSize, float epsilonHat) {
        loop(g, gOffset, m, mOffset, v, vOffset, n, 1f, beta1, beta2, stepSize, epsilonHat, null, null, null);
    }

    /**
     * What DL4J's {@code fit} does after the backward pass, in one pass over the flattened arrays: divides the
     * summed gradient by the minibatch size, takes one Adam step (the float operations of {@link #step}, in the
     * same order), subtracts the update from the parameters {@code p}, and resets the frozen ones
     * ({@code p * keep + frozen}, as {@link ParameterMask#apply}). {@code p} and {@code g} start at index 0 of their
     * buffers, the moments at {@code mOffset} and {@code vOffset}; {@code g} is left as it was.
     */
    static void stepAndApply(FloatBuffer p, FloatBuffer g, FloatBuffer m, int mOffset, FloatBuffer v, int vOffset,
                             int n, float batchSize, double beta1, double beta2, float stepSize, float epsilonHat,
                             float[] keep, float[] frozen) {
        loop(g, 0, m, mOffset, v, vOffset, n, batchSize, beta1, beta2, stepSize, epsilonHat, p, keep, frozen);
    }

    /**
     * The one loop of both: with {@code p} null the update goes into {@code g} (dividing by 1 is exact), else into
     * the parameters and through the mask.
     */
    private static void loop(FloatBuffer g, int gOffset, FloatBuffer m, int mOffset, FloatBuffer v, int vOffset,
                             int n, float batchSize, double beta1, double beta2, float stepSize, float epsilonHat,
                             FloatBuffer p, float[] keep, float[] frozen) {
        // Each coefficient rounded once from double: 1 - (float) 0.999 would be 4.7e-5 off 0.001.
        float decay1 = (float) beta1;
        float decay2 = (float) beta2;
        float oneMinusBeta1 = (float) (1 - beta1);
        float oneMinusBeta2 = (float) (1 - beta2);
        for (int i = 0; i < n; i++) {
            float gi = g.get(gOffset + i) / batchSize;
            float mi = decay1 * m.get(mOffset + i) + oneMinusBeta1 * gi;
            float vi = decay2 * v.get(vOffset + i) + oneMinusBeta2 * (gi * gi);
            mi = Math.abs(mi) < Float.MIN_NORMAL ? 0f : mi;
            vi = vi < Float.MIN_NORMAL ? 0f : vi;
            m.put(mOffset + i, mi);
            v.put(vOffset + i, vi);
            float update = stepSize * mi / ((float) Math.sqrt(vi) + epsilonHat);
            if (p == null) {
                g.put(gOffset + i, update);
            } else {
                float pi = p.get(i) - update;
                p.put(i, pi * keep[i] + frozen[i]);
            }
        }
    }

    /** Adam's step size at step {@code t = iteration + 1}: lr sqrt(1 - beta2^t) / (1 - beta1^t), in float. */
    float stepSize(int iteration) {
        int t = iteration + 1;
        return (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
    }

    /** Epsilon in the denominator once sqrt(v) is not bias-corrected: epsilon sqrt(1 - beta2^t), in float. */
    float epsilonHat(int iteration) {
        int t = iteration + 1;
        return (float) (epsilon * Math.sqrt(1 - Math.pow(beta2, t)));
    }

    /** The updater of one block of parameters: views of the moments in the network's updater state. */
    private static final class Updater implements GradientUpdater<FusedAdam> {
        private final FusedAdam config;
        private INDArray m;
        private INDArray v;

        Updater(FusedAdam config) {
            this.config = config;
        }

        @Override
        public FusedAdam getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> stateMap, boolean initialize) {
            if (!stateMap.containsKey("M") || !stateMap.containsKey("V") || stateMap.size() != 2) {
                throw new IllegalStateException("Adam's state has keys [M, V], got " + stateMap.keySet());
            }
            m = stateMap.get("M");
            v = stateMap.get("V");
            if (initialize) {
                m.assign(0);
                v.assign(0);
            }
        }

        @Override
        public Map<String, INDArray> getState() {
            Map<String, INDArray> state = new HashMap<>();
            state.put("M", m);
            state.put("V", v);
            return state;
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder,
                                      boolean initialize) {
            if (!viewArray.isRowVector()) {
                throw new IllegalArgumentException("Adam's state view must be a row vector, got shape "
                        + java.util.Arrays.toString(viewArray.shape()));
            }
            if (initialize) {
                viewArray.assign(0);
            }
            long length = viewArray.length();
            m = viewArray.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, length / 2));
            v = viewArray.get(NDArrayIndex.point(0), NDArrayIndex.interval(length / 2, length));
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            long n = gradient.length();
            if (m == null || m.length() != n) {
                throw new IllegalStateException("Adam's state holds " + (m == null ? 0 : m.length())
                        + " moments for a gradient of " + n + " values");
            }
            step(buffer(gradient), offset(gradient), buffer(m), offset(m), buffer(v), offset(v), (int) n,
                    config.beta1, config.beta2, config.stepSize(iteration), config.epsilonHat(iteration));
        }

        private static FloatBuffer buffer(INDArray array) {
            if (array.length() > 1 && array.elementWiseStride() != 1) {
                throw new IllegalStateException("Adam needs contiguous arrays, got strides "
                        + java.util.Arrays.toString(array.stride()));
            }
            return array.data().asNioFloat();
        }

        private static int offset(INDArray array) {
            return Math.toIntExact(array.offset());
        }
    }
}
