package dev.fisherpacknet.core.data;

import dev.fisherpacknet.core.ConfigName;

/** How a sequence of tasks is derived from one labelled data set. */
public enum TaskStreamKind implements ConfigName {
    /** Task 0 is the data as is; task k >= 1 applies a fixed seeded pixel permutation. */
    PERMUTED,
    /** Task k keeps only the classes of its group, relabelled 0..size-1. */
    SPLIT,
    /** Task k rotates every image by its own fixed angle (bilinear interpolation, zero outside the image). */
    ROTATED,
    /** Task k is the k-th pair of CSV files of {@code tasks.files}, with its own classes. */
    FILES
}
