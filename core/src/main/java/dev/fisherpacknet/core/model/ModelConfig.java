package dev.fisherpacknet.core.model;

import java.util.List;
import java.util.Objects;

/**
 * The shared MLP trunk ({@code model.*}); each task adds its own softmax head.
 *
 * @param hidden     sizes of the hidden layers, input side first
 * @param activation DL4J activation name of the hidden layers
 * @param init       how a new network's weights and biases are drawn
 */
public record ModelConfig(List<Integer> hidden, String activation, Initialisation init)
        implements java.io.Serializable {

    /** A trunk with the protocol's initialisation ({@link Initialisation#FAN_IN_UNIFORM}). */
    public ModelConfig(List<Integer> hidden, String activation) {
        this(hidden, activation, Initialisation.FAN_IN_UNIFORM);
    }

    public ModelConfig {
        hidden = List.copyOf(hidden);
        Objects.requireNonNull(activation);
        Objects.requireNonNull(init);
        if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("hidden sizes must be a non-empty list of positive sizes, got " + hidden);
        }
    }
}
