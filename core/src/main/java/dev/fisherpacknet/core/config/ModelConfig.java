package dev.fisherpacknet.core.config;

import java.util.List;
import java.util.Objects;

/**
 * The shared MLP trunk ({@code model.*}); each task adds its own softmax head.
 *
 * @param hidden     sizes of the hidden layers, input side first
 * @param activation DL4J activation name of the hidden layers
 */
public record ModelConfig(List<Integer> hidden, String activation) implements java.io.Serializable {
    public ModelConfig {
        hidden = List.copyOf(hidden);
        Objects.requireNonNull(activation);
        if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("hidden sizes must be a non-empty list of positive sizes, got " + hidden);
        }
    }
}
