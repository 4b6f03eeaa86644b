package dev.fisherpacknet.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import dev.fisherpacknet.core.ConfigException;
import dev.fisherpacknet.core.ConfigValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A sweep's grid: every sweepable key that holds a list is an axis, and a grid point takes one value of each. The
 * pruned runs cross every axis; a baseline crosses the axes it reads and holds the others at their first value.
 */
final class Grid {

    /** Keys that may hold a list of values, each a grid point; outermost axis first. */
    static final List<String> SWEEPABLE = List.of("seed", "prune.score", "prune.ratio", "prune.scope",
            "fisher.labels", "training.learning-rate", "training.batch-size", "training.epochs",
            "training.retrain-epochs", "training.optimizer-reset", "model.hidden", "model.activation", "model.init",
            "tasks.count", "spark.workers", "spark.averaging-frequency");

    /** A swept key and its values in the order written. */
    private record Axis(String key, List<ConfigValue> values) {
    }

    /**
     * One point of the grid.
     *
     * @param values      the configuration at the point, naming swept keys by their element ({@code prune.ratio[2]})
     * @param sweepValues each crossed axis's value at the point, as written
     */
    record Point(ConfigValues values, Map<String, String> sweepValues) {
    }

    private final Config full;
    private final List<Axis> axes;

    private Grid(Config full, List<Axis> axes) {
        this.full = full;
        this.axes = axes;
    }

    /** The axes of {@code full}: its sweepable keys that hold a list. */
    static Grid of(Config full) {
        ConfigValues values = new ConfigValues(full, Map.of());
        List<Axis> axes = new ArrayList<>();
        for (String key : SWEEPABLE) {
            ConfigValue value = values.value(key);
            if (isAxis(key, value)) {
                List<ConfigValue> elements = new ArrayList<>((ConfigList) value);
                if (elements.isEmpty()) {
                    throw new ConfigException(key + " is an empty list " + ConfigValues.where(value)
                            + ": the grid would have no runs; give at least one value");
                }
                axes.add(new Axis(key, elements));
            }
        }
        return new Grid(full, axes);
    }

    private static boolean isAxis(String key, ConfigValue value) {
        if (!(value instanceof ConfigList list)) {
            return false;
        }
        // model.hidden is itself a list: only a list of lists sweeps it ([] is a model without layers, rejected as
        // such rather than as an empty grid).
        return !key.equals("model.hidden") || !list.isEmpty() && list.get(0) instanceof ConfigList;
    }

    /** The swept keys, outermost first. */
    List<String> keys() {
        return axes.stream().map(Axis::key).toList();
    }

    /**
     * Every point of the axes {@code crossed} accepts, the last axis varying fastest; the other axes are held at
     * their first value.
     */
    List<Point> points(Predicate<String> crossed) {
        Config pinned = full;
        List<Axis> varied = new ArrayList<>();
        for (Axis axis : axes) {
            if (crossed.test(axis.key())) {
                varied.add(axis);
            } else {
                pinned = pinned.withValue(axis.key(), axis.values().get(0));
            }
        }
        int total = varied.stream().mapToInt(a -> a.values().size()).reduce(1, Math::multiplyExact);
        List<Point> points = new ArrayList<>(total);
        int[] position = new int[varied.size()];
        for (int n = 0; n < total; n++) {
            Config point = pinned;
            Map<String, String> labels = new LinkedHashMap<>();
            Map<String, String> sweepValues = new LinkedHashMap<>();
            for (int a = 0; a < varied.size(); a++) {
                Axis axis = varied.get(a);
                ConfigValue element = axis.values().get(position[a]);
                point = point.withValue(axis.key(), element);
                labels.put(axis.key(), axis.key() + "[" + position[a] + "]");
                sweepValues.put(axis.key(), ConfigValues.render(element));
            }
            points.add(new Point(new ConfigValues(point, labels), sweepValues));
            for (int a = varied.size() - 1; a >= 0; a--) {
                if (++position[a] < varied.get(a).values().size()) {
                    break;
                }
                position[a] = 0;
            }
        }
        return points;
    }
}
