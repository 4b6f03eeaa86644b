package dev.fisherpacknet.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * An enum constant's spelling in configuration files: lower case with dashes ({@code FISHER_SALIENCY} is
 * "fisher-saliency").
 */
public interface ConfigName {

    /** The name users write in a config. */
    default String configName() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} spelt {@code name}, if any. */
    static <E extends Enum<E> & ConfigName> Optional<E> parse(Class<E> type, String name) {
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.configName().equals(name)).findFirst();
    }

    /** The accepted spellings of {@code type}, for error messages. */
    static <E extends Enum<E> & ConfigName> String choices(Class<E> type) {
        return String.join(", ", Arrays.stream(type.getEnumConstants()).map(ConfigName::configName).toList());
    }
}
