package dev.fisherpacknet.core.data;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import dev.fisherpacknet.core.ConfigException;
import dev.fisherpacknet.core.ConfigValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sequence of tasks ({@code tasks.*}).
 *
 * @param kind        how tasks derive from the data
 * @param count       number of tasks T
 * @param classGroups for {@link TaskStreamKind#SPLIT}: the classes of each task
 * @param angles      for {@link TaskStreamKind#ROTATED}: each task's rotation in degrees, counterclockwise
 */
public record TaskStreamConfig(TaskStreamKind kind, int count, List<List<Integer>> classGroups, List<Double> angles)
        implements java.io.Serializable {
    public TaskStreamConfig {
        Objects.requireNonNull(kind);
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        classGroups = classGroups.stream().map(List::copyOf).toList();
        angles = List.copyOf(angles);
        if (angles.stream().anyMatch(a -> !Double.isFinite(a))) {
            throw new IllegalArgumentException("angles must be finite, got " + angles);
        }
        if (kind == TaskStreamKind.ROTATED && angles.size() != count) {
            throw new IllegalArgumentException("a rotated stream needs one angle per task: count " + count + ", "
                    + angles.size() + " angles");
        }
    }

    /**
     * Reads {@code tasks.*}: the stream, its count and what each kind needs (class groups, angles, files), the
     * count checked against them.
     */
    public static TaskStreamConfig read(ConfigValues v) {
        TaskStreamKind kind = v.choice("tasks.stream", TaskStreamKind.class);
        int count = v.intAtLeast("tasks.count", 1);
        List<List<Integer>> groups = classGroups(v, "tasks.class-groups");
        if (kind == TaskStreamKind.SPLIT && groups.size() != count) {
            throw new ConfigException(v.label("tasks.count") + " is " + count + " but tasks.class-groups has "
                    + groups.size() + " groups " + v.where("tasks.count")
                    + "; a split stream has one task per class group");
        }
        List<Double> angles = angles(v, "tasks.angles");
        if (kind == TaskStreamKind.ROTATED && angles.size() != count) {
            throw new ConfigException(v.label("tasks.count") + " is " + count + " " + v.where("tasks.count")
                    + " but tasks.angles has " + angles.size() + " angles " + v.where("tasks.angles")
                    + "; a rotated stream has one task per angle, so set tasks.count = " + angles.size()
                    + " or give " + count + " angles");
        }
        int fileCount = CsvConfig.taskFiles(v, "tasks.files").size();
        if (kind == TaskStreamKind.FILES && fileCount != count) {
            throw new ConfigException(v.label("tasks.count") + " is " + count + " " + v.where("tasks.count")
                    + " but tasks.files has " + fileCount + " entries " + v.where("tasks.files")
                    + "; a files stream has one task per entry, so set tasks.count = " + fileCount);
        }
        return new TaskStreamConfig(kind, count, groups, angles);
    }

    /**
     * A split stream can only use classes the data have. Their number is known here for every source but table
     * files without data.classes (then the task stream checks it once the files are read).
     */
    static void checkClassesExist(ConfigValues v, DataConfig data) {
        if (v.choice("tasks.stream", TaskStreamKind.class) != TaskStreamKind.SPLIT) {
            return;
        }
        classGroups(v, "tasks.class-groups"); // well-formed first, so that the walk below may cast
        int known;
        String why;
        if (data.source().readsUserTables()) {
            if (data.csv().classes() == 0) {
                return;
            }
            known = data.csv().classes();
            why = "data.classes = " + known + " " + v.where("data.classes");
        } else {
            known = data.source().classes().orElseThrow();
            why = "data.source = " + data.source().configName() + " has " + known + " classes";
        }
        ConfigList groups = (ConfigList) v.value("tasks.class-groups");
        for (int g = 0; g < groups.size(); g++) {
            for (ConfigValue c : (ConfigList) groups.get(g)) {
                int cls = (Integer) c.unwrapped();
                if (cls >= known) {
                    throw new ConfigException("tasks.class-groups[" + g + "] names class " + cls + " "
                            + ConfigValues.where(c) + ", but " + why + ", numbered 0.." + (known - 1)
                            + "; a split stream can only use classes the data have");
                }
            }
        }
    }

    private static List<Double> angles(ConfigValues v, String path) {
        ConfigValue value = v.value(path);
        if (!(value instanceof ConfigList list) || list.isEmpty()) {
            throw v.invalid(path, "must be a non-empty list of angles in degrees such as [0, 45, 90]");
        }
        List<Double> angles = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigValue element = list.get(i);
            if (!(element.unwrapped() instanceof Number angle) || !Double.isFinite(angle.doubleValue())) {
                throw new ConfigException(path + "[" + i + "] must be an angle in degrees (a number), got "
                        + ConfigValues.render(element) + " " + ConfigValues.where(element));
            }
            angles.add(angle.doubleValue());
        }
        return angles;
    }

    private static List<List<Integer>> classGroups(ConfigValues v, String path) {
        ConfigValue value = v.value(path);
        if (!(value instanceof ConfigList outer)) {
            throw v.invalid(path, "must be a list of class lists such as [[0, 1], [2, 3]]");
        }
        List<List<Integer>> groups = new ArrayList<>();
        Set<Integer> seen = new TreeSet<>();
        for (int g = 0; g < outer.size(); g++) {
            if (!(outer.get(g) instanceof ConfigList inner) || inner.size() < 2) {
                throw new ConfigException(path + "[" + g + "] must be a list of at least two classes, got "
                        + ConfigValues.render(outer.get(g)) + " " + ConfigValues.where(outer.get(g)));
            }
            List<Integer> group = new ArrayList<>();
            for (ConfigValue c : inner) {
                if (!(c.unwrapped() instanceof Integer cls) || cls < 0) {
                    throw new ConfigException(path + "[" + g + "] must hold non-negative class numbers, got "
                            + ConfigValues.render(c) + " " + ConfigValues.where(c));
                }
                if (!seen.add(cls)) {
                    throw new ConfigException(path + "[" + g + "] repeats class " + cls
                            + " " + ConfigValues.where(c) + "; each class belongs to one task");
                }
                group.add(cls);
            }
            groups.add(group);
        }
        return groups;
    }

    /** A stream that needs no angles (permuted or split). */
    public TaskStreamConfig(TaskStreamKind kind, int count, List<List<Integer>> classGroups) {
        this(kind, count, classGroups, List.of());
    }
}
