package dev.fisherpacknet.core.model;

import dev.fisherpacknet.core.ConfigValues;
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

    /** Reads {@code model.*}. */
    public static ModelConfig read(ConfigValues v) {
        return new ModelConfig(hiddenSizes(v, "model.hidden"), activation(v, "model.activation"),
                v.choice("model.init", Initialisation.class));
    }

    private static String activation(ConfigValues v, String path) {
        String name = v.string(path);
        try {
            org.nd4j.linalg.activations.Activation.valueOf(name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw v.invalid(path, "must be a DL4J activation name such as relu, tanh, sigmoid, leakyrelu, elu");
        }
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    private static List<Integer> hiddenSizes(ConfigValues v, String path) {
        List<Number> numbers = v.numbers(path, "a list of layer sizes such as [400, 400]");
        List<Integer> sizes = new java.util.ArrayList<>();
        for (Number n : numbers) {
            double d = n.doubleValue();
            if (!(d >= 1 && d <= Integer.MAX_VALUE && d == Math.rint(d))) {
                throw v.invalid(path, "must be a non-empty list of positive layer sizes");
            }
            sizes.add((int) d);
        }
        if (sizes.isEmpty()) {
            throw v.invalid(path, "must be a non-empty list of positive layer sizes");
        }
        // Parameters are indexed by int (ParamLayout, masks, the Fisher diagonal).
        long between = 0;
        for (int l = 1; l < sizes.size(); l++) {
            between += (long) sizes.get(l - 1) * sizes.get(l) + sizes.get(l);
        }
        if (between > Integer.MAX_VALUE) {
            throw v.invalid(path, "must have at most " + Integer.MAX_VALUE + " weights between its layers (one"
                    + " parameter array), has " + between + "; use smaller layers");
        }
        return sizes;
    }

    /** A trunk with the protocol's initialisation ({@link Initialisation#FAN_IN_UNIFORM}). */
    public ModelConfig(List<Integer> hidden, String activation) {
        this(hidden, activation, Initialisation.FAN_IN_UNIFORM);
    }

    public ModelConfig {
        hidden = List.copyOf(hidden);
        Objects.requireNonNull(activation);
        Objects.requireNonNull(init);
        if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("hidden sizes must be a non-empty list of positive sizes, got "
                    + hidden);
        }
    }
}
