package dev.fisherpacknet.core.mask;

import dev.fisherpacknet.core.model.ParamLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Chooses the weights a task keeps: among the trunk weights free when the task started, the top
 * {@code n - round(p * n)} by score, per weight matrix or over all of them. Ties go to the lower flat index, so
 * the choice is a pure function of the scores.
 */
public final class TopKSelector {
    private TopKSelector() {
    }

    /** Number of weights kept out of {@code free} at pruning ratio {@code ratio}. */
    public static int keptCount(int free, double ratio) {
        return free - (int) Math.round(ratio * free);
    }

    /**
     * The kept flat indices, ascending.
     *
     * @param scores    one score per trunk parameter (biases' entries are ignored); NaN is rejected
     * @param ownership who owns what; only free weights are candidates
     */
    public static int[] select(float[] scores, Ownership ownership, ParamLayout layout, double ratio,
                               SelectionScope scope) {
        List<int[]> groups = new ArrayList<>();
        for (ParamLayout.Layer layer : layout.layers().subList(0, layout.trunkLayerCount())) {
            groups.add(freeWeights(layer, ownership));
        }
        if (scope == SelectionScope.GLOBAL) {
            groups = List.of(groups.stream().flatMapToInt(Arrays::stream).toArray());
        }
        int[] kept = groups.stream().flatMapToInt(g -> Arrays.stream(topK(scores, g, keptCount(g.length, ratio))))
                .toArray();
        Arrays.sort(kept);
        return kept;
    }

    private static int[] freeWeights(ParamLayout.Layer layer, Ownership ownership) {
        int[] free = new int[layer.weightCount()];
        int n = 0;
        for (int i = layer.weightOffset(); i < layer.weightOffset() + layer.weightCount(); i++) {
            if (ownership.isFree(i)) {
                free[n++] = i;
            }
        }
        return Arrays.copyOf(free, n);
    }

    /** The {@code k} candidates with the highest scores, ties to the lower index. */
    static int[] topK(float[] scores, int[] candidates, int k) {
        // One primitive sort of (descending score, ascending index) packed into a long: no boxing.
        long[] keys = new long[candidates.length];
        for (int n = 0; n < candidates.length; n++) {
            int i = candidates[n];
            float s = scores[i];
            if (Float.isNaN(s)) {
                throw new IllegalArgumentException("score of parameter " + i + " is NaN");
            }
            int bits = Float.floatToIntBits(s == 0f ? 0f : s);
            int ascending = bits ^ ((bits >> 31) & 0x7FFFFFFF);
            keys[n] = ((long) ~ascending << 32) | (i & 0xFFFFFFFFL);
        }
        Arrays.sort(keys);
        int[] top = new int[k];
        for (int n = 0; n < k; n++) {
            top[n] = (int) keys[n];
        }
        return top;
    }
}
