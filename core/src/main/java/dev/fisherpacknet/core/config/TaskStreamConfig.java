package dev.fisherpacknet.core.config;

import dev.fisherpacknet.core.data.TaskStreamKind;
import java.util.List;
import java.util.Objects;

/**
 * The sequence of tasks ({@code tasks.*}).
 *
 * @param kind        how tasks derive from the data
 * @param count       number of tasks T
 * @param classGroups for {@link TaskStreamKind#SPLIT}: the classes of each task
 */
public record TaskStreamConfig(TaskStreamKind kind, int count, List<List<Integer>> classGroups) {
    public TaskStreamConfig {
        Objects.requireNonNull(kind);
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        classGroups = classGroups.stream().map(List::copyOf).toList();
    }
}
