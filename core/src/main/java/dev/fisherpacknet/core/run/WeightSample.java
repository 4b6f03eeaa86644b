package dev.fisherpacknet.core.run;

import java.util.Arrays;

/**
 * A seeded sample of one trunk weight matrix at one task's selection: each sampled weight's value, its Fisher
 * diagonal and whether the run kept it. Enough to draw Fisher against magnitude without writing every weight.
 *
 * @param layer   index of the trunk weight matrix
 * @param indices flat parameter indices of the sampled weights, ascending
 * @param weights their trained values before pruning
 * @param fisher  their Fisher diagonal entries
 * @param kept    whether the run's score kept each of them
 */
public record WeightSample(int layer, int[] indices, float[] weights, double[] fisher, boolean[] kept)
        implements java.io.Serializable {
    /** No sample (tasks other than the first). */
    public static final WeightSample NONE = new WeightSample(0, new int[0], new float[0], new double[0],
            new boolean[0]);

    public WeightSample {
        if (weights.length != indices.length || fisher.length != indices.length || kept.length != indices.length) {
            throw new IllegalArgumentException("sample arrays differ in length");
        }
        indices = indices.clone();
        weights = weights.clone();
        fisher = fisher.clone();
        kept = kept.clone();
    }

    /** Number of sampled weights. */
    public int size() {
        return indices.length;
    }

    @Override
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }

    @Override
    public double[] fisher() {
        return fisher.clone();
    }

    @Override
    public boolean[] kept() {
        return kept.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightSample w && layer == w.layer && Arrays.equals(indices, w.indices)
                && Arrays.equals(weights, w.weights) && Arrays.equals(fisher, w.fisher) && Arrays.equals(kept, w.kept);
    }

    @Override
    public int hashCode() {
        return 31 * layer + Arrays.hashCode(indices);
    }

    @Override
    public String toString() {
        return "WeightSample[layer=" + layer + ", size=" + indices.length + "]";
    }
}
