package dev.fisherpacknet.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.fisherpacknet.core.ConfigException;
import dev.fisherpacknet.core.ConfigValues;
import dev.fisherpacknet.core.data.DataConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads an experiment file (HOCON) plus command-line overrides into a validated {@link SweepConfig}. Every key
 * must be one the project knows (see {@code defaults.conf}); every value is checked before any work starts, and
 * every message names the key, the offending value and where it was written.
 */
public final class ConfigLoader {

    private static final String DEFAULTS_RESOURCE = "defaults.conf";

    private ConfigLoader() {
    }

    /** The built-in defaults, which also define the set of valid keys. */
    public static Config defaults() {
        return ConfigFactory.parseResources(ConfigLoader.class, DEFAULTS_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /** Loads {@code file} with {@code overrides} ("key=value", later ones win) into a validated sweep. */
    public static SweepConfig load(Path file, List<String> overrides) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist or is not a file");
        }
        Config user = parse(() -> ConfigFactory.parseFile(file.toFile(),
                ConfigParseOptions.defaults().setAllowMissing(false)), file.toString());
        for (String override : overrides) {
            user = parseOverride(override).withFallback(user);
        }
        String source = file + (overrides.isEmpty() ? "" : " " + String.join(" ", overrides.stream()
                .map(o -> "--set " + o).toList()));
        return fromConfig(user, source);
    }

    /** Validates an already parsed user config (without defaults) into a sweep; {@code source} names it in messages. */
    public static SweepConfig fromConfig(Config user, String source) {
        Config defaults = defaults();
        rejectUnknownKeys(user.root(), "", defaults);
        Config full;
        try {
            full = user.withFallback(defaults).resolve();
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("cannot resolve " + located(e, source) + "; define what it refers to (an"
                    + " environment variable for ${NAME}, or a key of the file)", e);
        }
        return read(full, source);
    }

    /**
     * Validates a config given as text (such as the resolved config a manifest keeps) with {@code overrides}
     * ("key=value", later ones win); {@code source} names the text in messages.
     */
    public static SweepConfig fromText(String text, List<String> overrides, String source) {
        Config user = parse(() -> ConfigFactory.parseString(text,
                ConfigParseOptions.defaults().setOriginDescription(source)), source);
        for (String override : overrides) {
            user = parseOverride(override).withFallback(user);
        }
        return fromConfig(user, source);
    }

    private static Config parseOverride(String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set expects key=value, got '" + override + "'");
        }
        return parse(() -> ConfigFactory.parseString(override,
                ConfigParseOptions.defaults().setOriginDescription("--set " + override)), "--set " + override);
    }

    private static Config parse(java.util.function.Supplier<Config> parser, String what) {
        try {
            return parser.get();
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("cannot parse " + located(e, what) + "; fix the syntax there (HOCON: key = value,"
                    + " sections in { }, lists in [ ], strings with special characters in quotes)", e);
        }
    }

    /**
     * A Typesafe Config error as "file:line: problem" (Typesafe writes "file: line: problem"), so that every
     * message of the loader points at a line the same way; {@code fallback} names the input when the error has no
     * line.
     */
    static String located(com.typesafe.config.ConfigException e, String fallback) {
        String message = e.getMessage();
        var origin = e.origin();
        if (origin == null) {
            return fallback + ": " + message;
        }
        String prefix = origin.description() + ": ";
        String problem = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        if (origin.filename() != null && origin.lineNumber() > 0) {
            return origin.filename() + ":" + origin.lineNumber() + ": " + problem;
        }
        return fallback + (origin.lineNumber() > 0 ? " (line " + origin.lineNumber() + ")" : "") + ": " + problem;
    }

    private static void rejectUnknownKeys(ConfigObject object, String prefix, Config defaults) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String path = prefix.isEmpty() ? ConfigUtil.joinPath(entry.getKey())
                    : prefix + "." + ConfigUtil.joinPath(entry.getKey());
            if (!defaults.hasPathOrNull(path)) {
                throw new ConfigException("unknown key '" + path + "' " + ConfigValues.where(entry.getValue())
                        + suggestion(path, defaults));
            }
            boolean section = new ConfigValues(defaults, Map.of()).value(path).valueType() == ConfigValueType.OBJECT;
            if (entry.getValue() instanceof ConfigObject child) {
                if (section) {
                    rejectUnknownKeys(child, path, defaults);
                }
            } else if (section) {
                // A scalar would replace the whole section and its defaults.
                throw new ConfigException(path + " must be a section of keys (" + path + " { ... }), got "
                        + ConfigValues.render(entry.getValue()) + " " + ConfigValues.where(entry.getValue()));
            }
        }
    }

    private static String suggestion(String path, Config defaults) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : leafPaths(defaults)) {
            int d = editDistance(path, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return best != null && bestDistance <= Math.max(3, path.length() / 3)
                ? "; did you mean '" + best + "'?"
                : "; valid keys are listed in docs/configuration.md and in defaults.conf";
    }

    private static TreeSet<String> leafPaths(Config config) {
        TreeSet<String> paths = new TreeSet<>();
        collectLeaves(config.root(), "", paths);
        return paths;
    }

    private static void collectLeaves(ConfigObject object, String prefix, TreeSet<String> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof ConfigObject child) {
                collectLeaves(child, path, out);
            } else {
                out.add(path);
            }
        }
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitution, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /**
     * Reads one resolved config: the shared sections once, then every grid point, the pruned runs first and the
     * baselines after them, then the report's settings, which are checked against the runs.
     */
    private static SweepConfig read(Config full, String source) {
        ConfigValues shared = new ConfigValues(full, Map.of());
        String name = shared.nonEmptyString("experiment.name");
        DataConfig data = DataConfig.read(shared);
        Path output = Path.of(shared.nonEmptyString("output.dir"));
        String master = shared.nonEmptyString("spark.master");
        ExecutionMode mode = shared.choice("spark.mode", ExecutionMode.class);
        int treeDepth = shared.intAtLeast("spark.tree-depth", 1);
        Grid grid = Grid.of(full);
        List<RunConfig> runs = new ArrayList<>();
        for (Grid.Point point : grid.points(key -> true)) {
            runs.add(RunConfig.read(point.values(), runs.size(), null, point.sweepValues()));
        }
        for (BaselineConfig method : BaselineConfig.readAll(shared)) {
            // A baseline task is one phase, so when Adam restarts does not matter; EWC's penalty reads the labels.
            for (Grid.Point point : grid.points(key -> !key.startsWith("prune.")
                    && !key.equals("training.optimizer-reset")
                    && (!key.equals("fisher.labels") || method.kind() == Baseline.EWC))) {
                runs.add(RunConfig.read(point.values(), runs.size(), method.label(), point.sweepValues())
                        .withMethod(method));
            }
        }
        ReportConfig report = ReportConfig.read(shared, runs);
        String resolved = full.root().render(ConfigRenderOptions.defaults().setOriginComments(false)
                .setComments(false).setJson(false));
        return new SweepConfig(name, data, output, master, mode, treeDepth, grid.keys(), runs, resolved, source,
                report);
    }
}
