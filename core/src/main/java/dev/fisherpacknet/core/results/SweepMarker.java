package dev.fisherpacknet.core.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code sweep.json}: written when a sweep claims its output folder, so that a later sweep into the same folder can
 * tell whether the results there are of its configuration. Bound with Jackson for writing and reading.
 *
 * @param experiment        {@code experiment.name}
 * @param source            the config file and overrides that made it
 * @param created           when the sweep started (ISO-8601)
 * @param configFingerprint SHA-256 of the configuration's values
 * @param ignoredKeys       keys left out of the fingerprint (they do not change results)
 * @param config            every other resolved key and its value
 */
@JsonPropertyOrder({"experiment", "source", "created", "config_fingerprint", "ignored_keys", "config"})
public record SweepMarker(
        @JsonProperty("experiment") String experiment,
        @JsonProperty("source") String source,
        @JsonProperty("created") String created,
        @JsonProperty("config_fingerprint") String configFingerprint,
        @JsonProperty("ignored_keys") List<String> ignoredKeys,
        @JsonProperty("config") Map<String, String> config) {

    public SweepMarker {
        ignoredKeys = List.copyOf(Objects.requireNonNull(ignoredKeys, "ignored_keys"));
        // Sorted as the fingerprint sorts them, so that the file lists the keys in a stable order.
        config = java.util.Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(config, "config")));
    }
}
