package dev.fisherpacknet.core;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed, validated access to one point of a sweep's configuration, naming keys as the user wrote them (e.g.
 * {@code prune.ratio[2]} for the third value of a swept key) and where (file and line). Each settings record reads
 * its own section through it ({@code DataConfig.read}, {@code ModelConfig.read}, ...); every failure is a
 * {@link ConfigException} naming the key, the offending value and its place.
 */
public final class ConfigValues {
    private final Config config;
    private final Map<String, String> labels;

    /**
     * @param config the values, defaults included
     * @param labels how to name swept keys in messages, e.g. {@code prune.ratio -> prune.ratio[2]}
     */
    public ConfigValues(Config config, Map<String, String> labels) {
        this.config = config;
        this.labels = Map.copyOf(labels);
    }

    /** How messages name {@code path}. */
    public String label(String path) {
        return labels.getOrDefault(path, path);
    }

    /** Where {@code path}'s value was written, e.g. {@code (conf/x.conf:5)}. */
    public String where(String path) {
        return where(value(path));
    }

    /** The raw value at {@code path}, whose keys may contain dots of their own. */
    public ConfigValue value(String path) {
        ConfigValue value = config.root();
        for (String key : ConfigUtil.splitPath(path)) {
            value = ((ConfigObject) value).get(key);
        }
        return value;
    }

    /** An error for {@code path}: its label, the rule, the value and where it was written. */
    public ConfigException invalid(String path, String rule) {
        return new ConfigException(label(path) + " " + rule + ", got " + render(value(path)) + " " + where(path));
    }

    private <T> T typed(String path, String type, Function<String, T> getter) {
        try {
            return getter.apply(path);
        } catch (com.typesafe.config.ConfigException.WrongType | com.typesafe.config.ConfigException.Null e) {
            throw invalid(path, "must be " + type);
        }
    }

    public String string(String path) {
        return typed(path, "a string", config::getString);
    }

    public String nonEmptyString(String path) {
        String s = string(path);
        if (s.isBlank()) {
            throw invalid(path, "must not be empty");
        }
        return s;
    }

    /** A string, or empty for {@code null}. */
    public Optional<String> optionalString(String path) {
        if (config.getIsNull(path)) {
            return Optional.empty();
        }
        return Optional.of(nonEmptyString(path));
    }

    public int intValue(String path) {
        return (int) wholeIn(path, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    public long longValue(String path) {
        return wholeIn(path, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    public int intAtLeast(String path, int min) {
        return (int) wholeIn(path, min, Integer.MAX_VALUE);
    }

    /**
     * A whole number in [min, max]. Typesafe Config's own getInt and getLong truncate 2.5 to 2 and read NaN as 0;
     * here a fraction, NaN or infinity is the wrong type, named with its line.
     */
    public long wholeIn(String path, long min, long max) {
        Number number = typed(path, "a whole number", config::getNumber);
        long value;
        if (number instanceof Double || number instanceof Float) {
            double d = number.doubleValue();
            // 2^63 itself is not a long; every double below it in magnitude that is whole is one.
            if (!Double.isFinite(d) || d != Math.rint(d) || Math.abs(d) >= 0x1p63) {
                throw invalid(path, "must be a whole number");
            }
            value = (long) d;
        } else {
            value = number.longValue();
        }
        if (value < min) {
            throw invalid(path, "must be at least " + min);
        }
        if (value > max) {
            throw invalid(path, "must be at most " + max);
        }
        return value;
    }

    public double doubleIn(String path, double lo, boolean loInclusive, double hi, boolean hiInclusive) {
        double value = typed(path, "a number", config::getDouble);
        boolean ok = (loInclusive ? value >= lo : value > lo) && (hiInclusive ? value <= hi : value < hi);
        if (!ok) {
            throw invalid(path, "must be in " + (loInclusive ? "[" : "(") + format(lo) + ", " + format(hi)
                    + (hiInclusive ? "]" : ")"));
        }
        return value;
    }

    private static String format(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    public boolean bool(String path) {
        return typed(path, "true or false", config::getBoolean);
    }

    /** One of an enum's configuration names. */
    public <E extends Enum<E> & ConfigName> E choice(String path, Class<E> type) {
        String name = typed(path, "a string", config::getString);
        return ConfigName.parse(type, name).orElseThrow(() ->
                invalid(path, "must be one of " + ConfigName.choices(type)));
    }

    /** A list of numbers, or the error that names {@code what} the list should be. */
    public List<Number> numbers(String path, String what) {
        return typed(path, what, config::getNumberList);
    }

    /**
     * The elements of a key that takes one value or a list of them; an empty list is an error unless
     * {@code emptyAllowed}.
     */
    public List<ConfigValue> listOrOne(String path, boolean emptyAllowed) {
        ConfigValue value = value(path);
        if (value instanceof ConfigList list) {
            if (list.isEmpty() && !emptyAllowed) {
                throw new ConfigException(path + " is an empty list " + where(value) + "; give at least one value");
            }
            return new ArrayList<>(list);
        }
        return List.of(value);
    }

    /** {@code path}, with {@code [i]} when it holds a list: how messages name element i of {@link #listOrOne}. */
    public String elementLabel(String path, int i) {
        return path + (value(path) instanceof ConfigList ? "[" + i + "]" : "");
    }

    /** "(file:line)" or "(--set key=value)" for a value, so that a message leads the user to the line to fix. */
    public static String where(ConfigValue value) {
        var origin = value.origin();
        if (origin.filename() != null && origin.lineNumber() > 0) {
            return "(" + origin.filename() + ":" + origin.lineNumber() + ")";
        }
        return "(" + origin.description() + ")";
    }

    /** A value as the user would write it: strings bare, anything else in HOCON's concise form. */
    public static String render(ConfigValue value) {
        Object unwrapped = value.unwrapped();
        return unwrapped instanceof String s ? s : value.render(ConfigRenderOptions.concise());
    }
}
