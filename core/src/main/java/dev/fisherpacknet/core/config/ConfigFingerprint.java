package dev.fisherpacknet.core.config;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import dev.fisherpacknet.core.ConfigValues;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What makes two sweeps' results comparable: every resolved key and its value, except the keys that say where
 * things are kept rather than what is computed ({@link #IGNORED}). Two sweeps with equal fingerprints may share
 * an output folder; different ones never do.
 *
 * @param values each resolved leaf key (e.g. {@code prune.ratio}) and its value as HOCON renders it
 *               ({@code 0.5}, {@code [0.5,0.7]}, {@code fisher}, {@code null}), sorted by key
 */
public record ConfigFingerprint(SortedMap<String, String> values) {

    /**
     * Keys left out: where the results go (the same results may be written to a folder named differently) and
     * where fetched data are cached (the data are verified against pinned digests wherever they are kept), and
     * where the work runs (the master, the execution mode and the reductions' tree depth do not change the results,
     * see ExecutionMode), and
     * how the report reads the results (report.*: a report can be redrawn with other settings over the same
     * results).
     */
    public static final Set<String> IGNORED = Set.of("output.dir", "data.cache-dir", "spark.master", "spark.mode",
            "spark.tree-depth", "report.compare", "report.interval", "report.bootstrap-samples", "report.confidence");

    public ConfigFingerprint {
        values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
        if (values.keySet().stream().anyMatch(IGNORED::contains)) {
            throw new IllegalArgumentException("a fingerprint leaves out " + IGNORED);
        }
    }

    /** The fingerprint of a validated sweep. */
    public static ConfigFingerprint of(SweepConfig sweep) {
        return ofResolved(sweep.resolvedText());
    }

    /** The fingerprint of a resolved configuration as {@link SweepConfig#resolvedText()} (and the manifest) hold it. */
    public static ConfigFingerprint ofResolved(String resolvedText) {
        TreeMap<String, String> values = new TreeMap<>();
        flatten(ConfigFactory.parseString(resolvedText).root(), "", values);
        return new ConfigFingerprint(values);
    }

    /** A fingerprint from its {@link #values()}, as recorded in an output folder; ignored keys are dropped. */
    public static ConfigFingerprint ofValues(Map<String, String> values) {
        TreeMap<String, String> kept = new TreeMap<>(values);
        kept.keySet().removeAll(IGNORED);
        return new ConfigFingerprint(kept);
    }

    private static void flatten(ConfigObject object, String prefix, Map<String, String> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof ConfigObject child) {
                flatten(child, path, out);
            } else if (!IGNORED.contains(path)) {
                out.put(path, ConfigValues.render(e.getValue()));
            }
        }
    }

    /** SHA-256 (hex) of the values, one {@code key=value} line each in key order. */
    public String sha256() {
        StringBuilder text = new StringBuilder();
        values.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /**
     * The keys whose values differ from {@code earlier}'s, one {@code key: <earlier> there, <this> now} each, in key
     * order; empty when the fingerprints are equal.
     */
    public List<String> differencesFrom(ConfigFingerprint earlier) {
        TreeSet<String> keys = new TreeSet<>(values.keySet());
        keys.addAll(earlier.values.keySet());
        List<String> differences = new ArrayList<>();
        for (String key : keys) {
            String then = earlier.values.get(key);
            String now = values.get(key);
            if (!Objects.equals(then, now)) {
                differences.add(key + ": " + (then == null ? "(not set)" : then) + " there, "
                        + (now == null ? "(not set)" : now) + " now");
            }
        }
        return differences;
    }
}
