package dev.fisherpacknet.core.data;

import java.util.List;
import java.util.Objects;

/**
 * The sequence of tasks ({@code tasks.*}).
 *
 * @param kind        how tasks derive from the data
 * @param count       number of tasks T
 * @param classGroups for {@link TaskStreamKind#SPLIT}: the classes of each task
 * @param angles      for {@link TaskStreamKind#ROTATED}: each task's rotation in degrees, counterclockwise
 */
public record TaskStreamConfig(TaskStreamKind kind, int count, List<List<Integer>> classGroups, List<Double> angles) implements java.io.Serializable {
    public TaskStreamConfig {
        Objects.requireNonNull(kind);
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        classGroups = classGroups.stream().map(List::copyOf).toList();
        angles = List.copyOf(angles);
        if (angles.stream().anyMatch(a -> !Double.isFinite(a))) {
            throw new IllegalArgumentException("angles must be finite, got " + angles);
        }
        if (kind == TaskStreamKind.ROTATED && angles.size() != count) {
            throw new IllegalArgumentException("a rotated stream needs one angle per task: count " + count + ", "
                    + angles.size() + " angles");
        }
    }

    /** A stream that needs no angles (permuted or split). */
    public TaskStreamConfig(TaskStreamKind kind, int count, List<List<Integer>> classGroups) {
        this(kind, count, classGroups, List.of());
    }
}
