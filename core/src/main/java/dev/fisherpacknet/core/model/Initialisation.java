package dev.fisherpacknet.core.model;

import dev.fisherpacknet.core.ConfigName;

/** How a new network's weights and biases are drawn ({@code model.init}). */
public enum Initialisation implements ConfigName {
    /**
     * Every weight and bias of a layer from U(-1/sqrt(fan_in), +1/sqrt(fan_in)), drawn from the network's seed:
     * what PyTorch's {@code nn.Linear} does by default, and the protocol's initialisation, so that results compare
     * with the PyTorch literature.
     */
    FAN_IN_UNIFORM,
    /** DL4J's Xavier: weights from N(0, 2 / (fan_in + fan_out)), biases zero (about twice the spread). */
    XAVIER
}
