package dev.fisherpacknet.core.train;

import java.io.Serializable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which parameters a training phase may change, and the exact values of all the others. Applied before and after
 * every optimiser step ({@link #apply}), it keeps frozen parameters bit-identical whatever the optimiser or the
 * parameter averaging did to them: trainable entries are multiplied by 1 and have 0 added, frozen entries are
 * multiplied by 0 and have their frozen value added, both exact in IEEE arithmetic (frozen values are stored
 * without negative zeros, so 0 + v is v bit for bit). Immutable and serializable, so one instance can be
 * broadcast to executors and shared by their threads.
 */
public final class ParameterMask implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float[] trainable;
    private final float[] frozenValues;
    private transient volatile INDArray[] device;

    private ParameterMask(float[] trainable, float[] frozenValues) {
        this.trainable = trainable;
        this.frozenValues = frozenValues;
    }

    /**
     * A mask that lets {@code trainable[i]} parameters change and holds every other one at {@code values[i]}.
     * Frozen negative zeros are stored as positive zeros.
     */
    public static ParameterMask of(float[] values, boolean[] trainable) {
        if (values.length != trainable.length) {
            throw new IllegalArgumentException(values.length + " values but " + trainable.length + " flags");
        }
        float[] keep = new float[values.length];
        float[] frozen = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            keep[i] = trainable[i] ? 1f : 0f;
            frozen[i] = trainable[i] ? 0f : values[i] + 0f;
        }
        return new ParameterMask(keep, frozen);
    }

    /** Number of parameters covered. */
    public int size() {
        return trainable.length;
    }

    /** Whether parameter {@code i} may change. */
    public boolean isTrainable(int i) {
        return trainable[i] != 0f;
    }

    /** The value a frozen parameter {@code i} is held at (0 for trainable ones). */
    public float frozenValue(int i) {
        return frozenValues[i];
    }

    /** 1 for trainable entries, 0 for frozen ones: the factor {@link #apply} multiplies by. Not a copy. */
    float[] keepFactors() {
        return trainable;
    }

    /** The frozen values, 0 for trainable entries: the term {@link #apply} adds. Not a copy. */
    float[] frozenTerms() {
        return frozenValues;
    }

    /** Resets every frozen entry of {@code params} (a network's flattened parameter view) in place. */
    public void apply(INDArray params) {
        INDArray[] arrays = device();
        params.muli(arrays[0]).addi(arrays[1]);
    }

    private INDArray[] device() {
        INDArray[] arrays = device;
        if (arrays == null) {
            synchronized (this) {
                arrays = device;
                if (arrays == null) {
                    arrays = new INDArray[] {
                            Nd4j.create(trainable, new long[] {1, trainable.length}, DataType.FLOAT),
                            Nd4j.create(frozenValues, new long[] {1, frozenValues.length}, DataType.FLOAT)};
                    device = arrays;
                }
            }
        }
        return arrays;
    }
}
