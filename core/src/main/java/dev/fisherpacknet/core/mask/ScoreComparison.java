package dev.fisherpacknet.core.mask;

import dev.fisherpacknet.core.model.ParamLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How much two importance scores agree on the same weights at one selection: the Jaccard index of the sets they
 * would keep and the Spearman rank correlation of their values, per trunk weight matrix, over the weights free at
 * the selection. Both scores are computed on the same network, so the comparison isolates the criterion.
 */
public final class ScoreComparison {
    private ScoreComparison() {
    }

    /**
     * The agreement of two scores on one trunk weight matrix.
     *
     * @param layer    index of the trunk weight matrix (0 = the input layer's)
     * @param free     weights of that matrix that were free (the candidates)
     * @param jaccard  |A ∩ B| / |A ∪ B| of the kept sets A and B; NaN when both are empty
     * @param spearman Spearman's rank correlation of the two scores over the free weights (ties get average ranks);
     *                 NaN with fewer than two free weights or a constant score
     */
    public record LayerAgreement(int layer, int free, double jaccard, double spearman)
            implements java.io.Serializable {
    }

    /**
     * Compares {@code first} and {@code second}, each one score per trunk parameter, as {@link TopKSelector} would
     * select with them.
     */
    public static List<LayerAgreement> compare(float[] first, float[] second, Ownership ownership, ParamLayout layout,
                                               double ratio, SelectionScope scope) {
        boolean[] keptByFirst = flags(TopKSelector.select(first, ownership, layout, ratio, scope), first.length);
        boolean[] keptBySecond = flags(TopKSelector.select(second, ownership, layout, ratio, scope), first.length);
        List<LayerAgreement> agreements = new ArrayList<>();
        List<ParamLayout.Layer> trunk = layout.layers().subList(0, layout.trunkLayerCount());
        for (int l = 0; l < trunk.size(); l++) {
            ParamLayout.Layer layer = trunk.get(l);
            float[] a = new float[layer.weightCount()];
            float[] b = new float[layer.weightCount()];
            int free = 0;
            int both = 0;
            int either = 0;
            for (int i = layer.weightOffset(); i < layer.weightOffset() + layer.weightCount(); i++) {
                if (!ownership.isFree(i)) {
                    continue;
                }
                a[free] = first[i];
                b[free] = second[i];
                free++;
                both += keptByFirst[i] && keptBySecond[i] ? 1 : 0;
                either += keptByFirst[i] || keptBySecond[i] ? 1 : 0;
            }
            agreements.add(new LayerAgreement(l, free, either == 0 ? Double.NaN : both / (double) either,
                    spearman(Arrays.copyOf(a, free), Arrays.copyOf(b, free))));
        }
        return agreements;
    }

    /** Spearman's rho: Pearson's correlation of the ranks, ties given their average rank. */
    static double spearman(float[] a, float[] b) {
        if (a.length < 2) {
            return Double.NaN;
        }
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double mean = (a.length + 1) / 2.0;
        double cross = 0;
        double squaresA = 0;
        double squaresB = 0;
        for (int i = 0; i < a.length; i++) {
            double da = ra[i] - mean;
            double db = rb[i] - mean;
            cross += da * db;
            squaresA += da * da;
            squaresB += db * db;
        }
        return squaresA == 0 || squaresB == 0 ? Double.NaN : cross / Math.sqrt(squaresA * squaresB);
    }

    /** 1-based ranks in ascending order of value; equal values share the mean of their ranks. */
    static double[] ranks(float[] values) {
        // One primitive sort of (value, index) packed into a long, as in TopKSelector: no boxing of 10^5 weights.
        long[] keys = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (Float.isNaN(v)) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
            int bits = Float.floatToIntBits(v == 0f ? 0f : v);
            int ascending = bits ^ ((bits >> 31) & 0x7FFFFFFF);
            keys[i] = ((long) ascending << 32) | i;
        }
        Arrays.sort(keys);
        double[] ranks = new double[values.length];
        int start = 0;
        while (start < keys.length) {
            int end = start + 1;
            while (end < keys.length && (keys[end] >>> 32) == (keys[start] >>> 32)) {
                end++;
            }
            double rank = (start + 1 + end) / 2.0;
            for (int n = start; n < end; n++) {
                ranks[(int) keys[n]] = rank;
            }
            start = end;
        }
        return ranks;
    }

    private static boolean[] flags(int[] indices, int length) {
        boolean[] flags = new boolean[length];
        for (int i : indices) {
            flags[i] = true;
        }
        return flags;
    }
}
