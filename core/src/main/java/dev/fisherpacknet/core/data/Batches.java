package dev.fisherpacknet.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Minibatch plans: which example positions go into which minibatch, in which order. */
public final class Batches {
    private Batches() {
    }

    /**
     * One epoch over {@code n} examples, shuffled by {@code seed} and cut into minibatches of {@code batchSize};
     * only the last minibatch may be smaller.
     */
    public static List<int[]> shuffled(int n, int batchSize, long seed) {
        return chunk(TaskStreams.permutation(n, seed), batchSize);
    }

    /** The examples 0..n-1 in order, cut into minibatches of {@code batchSize}. */
    public static List<int[]> sequential(int n, int batchSize) {
        return chunk(IntStream.range(0, n).toArray(), batchSize);
    }

    /**
     * Cuts {@code items} into {@code parts} contiguous slices whose sizes differ by at most one, slice i holding
     * items [i*n/parts, (i+1)*n/parts). Every place that spreads minibatches over workers or partitions, in Spark
     * or in one JVM, slices this way, so both see the same groups in the same order.
     */
    public static <T> List<List<T>> slices(List<T> items, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be positive, got " + parts);
        }
        List<List<T>> slices = new ArrayList<>(parts);
        long n = items.size();
        for (int i = 0; i < parts; i++) {
            slices.add(List.copyOf(items.subList((int) (i * n / parts), (int) ((i + 1) * n / parts))));
        }
        return slices;
    }

    private static List<int[]> chunk(int[] order, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < order.length; start += batchSize) {
            int end = Math.min(order.length, start + batchSize);
            int[] batch = new int[end - start];
            System.arraycopy(order, start, batch, 0, batch.length);
            batches.add(batch);
        }
        return batches;
    }
}
