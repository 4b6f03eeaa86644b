package dev.fisherpacknet.jobs;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.config.ConfigFingerprint;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.data.Datasets;
import dev.fisherpacknet.core.data.IdxReader;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.run.ContinualRun;
import dev.fisherpacknet.core.run.ProgressListener;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.core.run.SweepRun;
import dev.fisherpacknet.core.run.TaskObserver;
import dev.fisherpacknet.core.run.TaskZeroCache;
import dev.fisherpacknet.core.train.LocalTaskTrainer;
import dev.fisherpacknet.core.train.TaskTrainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepJobIT extends SparkTestSession {

    @TempDir
    Path dir;

    private SweepConfig tinySweep(Path data, Path out) {
        return tinySweep(data, out, "spark { mode = data-parallel, workers = 1, averaging-frequency = 1 }");
    }

    private SweepConfig tinySweep(Path data, Path out, String sparkSettings) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString("""
                experiment.name = tiny
                seed = 4
                data { source = idx, dir = "%s" }
                tasks.count = 3
                model.hidden = [16, 12]
                training { learning-rate = 0.01, batch-size = 32, epochs = 2, retrain-epochs = 1 }
                prune { ratio = [0.5, 0.8], score = [fisher, magnitude] }
                output.dir = "%s"
                %s
                """.formatted(data, out, sparkSettings)), "test");
    }

    @Test
    void run_tinySyntheticSweep_writesEveryOutputAndMatchesSingleJvmRuns() throws Exception {
        // given
        Path data = Files.createDirectories(dir.resolve("data"));
        SyntheticIdx.write(data, 300, 100, 12);
        Path out = dir.resolve("out");
        SweepConfig sweep = tinySweep(data, out);
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        // when
        SweepJob.Outcome outcome = SweepJob.run(spark, sweep, new PrintStream(console, true, StandardCharsets.UTF_8));

        // then: four runs, no forgetting, and each equal to the same run with one-JVM training and Fisher
        assertEquals(4, outcome.results().size());
        Splits.TrainTest split = Datasets.load(sweep.data());
        for (RunResult result : outcome.results()) {
            assertEquals(0.0, result.accuracy().bwt(), "BWT of " + result.config().id());
            RunConfig run = result.config();
            RunResult inJvm = new ContinualRun(run, split.train(), split.test(),
                    new LocalTaskTrainer(split.train(), run.training().batchSize()),
                    new LocalFisherEstimator(split.train(), run.training().batchSize()))
                    .run(ProgressListener.NONE, TaskObserver.NONE);
            // Training is bit-identical (one worker, averaging every step); the Fisher sums only differ in the
            // order of double additions, far below the float precision of the scores.
            assertEquals(inJvm.accuracy(), result.accuracy(), "R matrix of " + run.id());
            assertEquals(inJvm.tasks().stream().map(t -> t.keptWeights()).toList(),
                    result.tasks().stream().map(t -> t.keptWeights()).toList());
        }

        // and the files: CSV rows per (run, t, j), a JSON per run, Parquet, summary, manifest
        List<String> accuracyCsv = Files.readAllLines(out.resolve("accuracy.csv"));
        assertEquals(1 + 4 * 6, accuracyCsv.size());
        assertEquals(1 + 4 * 3, Files.readAllLines(out.resolve("tasks.csv")).size());
        assertEquals(4 * 6, spark.read().parquet(out.resolve("accuracy.parquet").toString()).count());
        assertEquals(4 * 3, spark.read().parquet(out.resolve("tasks.parquet").toString()).count());
        ObjectMapper json = new ObjectMapper();
        for (RunResult result : outcome.results()) {
            JsonNode summary = json.readTree(out.resolve("runs").resolve(result.config().id())
                    .resolve("summary.json").toFile());
            assertEquals(result.accuracy().acc(), summary.get("acc").asDouble(), 0.0);
            assertEquals(3, summary.get("accuracy_matrix").size());
        }
        JsonNode manifest = json.readTree(out.resolve("manifest.json").toFile());
        assertEquals(4, manifest.get("runs").size());
        assertEquals(64, manifest.get("config_sha256").asText().length());
        assertTrue(manifest.get("spark").get("master").asText().startsWith("local"));
        assertEquals(ConfigFingerprint.of(sweep).sha256(),
                json.readTree(out.resolve("sweep.json").toFile()).get("config_fingerprint").asText());
        try (var entries = Files.list(out)) {
            // every file went through a hidden temporary and a rename; none is left, only the released lock file
            assertEquals(List.of(".sweep.lock"), entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".")).toList());
        }
        assertEquals("", Files.readString(out.resolve(".sweep.lock")), "the lock is released");
        String summary = Files.readString(out.resolve("summary.md"));
        assertTrue(summary.contains("| fisher |") && summary.contains("| magnitude |"), summary);
        String progress = console.toString(StandardCharsets.UTF_8);
        assertTrue(progress.contains("[run 4/4") && progress.contains("task 3/3") && progress.contains("ETA"),
                progress);
    }

    @Test
    void run_sameSweepTwice_givesIdenticalResults() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        SyntheticIdx.write(data, 200, 60, 1);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        SweepJob.Outcome first = SweepJob.run(spark, tinySweep(data, dir.resolve("a")), quiet);
        SweepJob.Outcome second = SweepJob.run(spark, tinySweep(data, dir.resolve("b")), quiet);
        for (int i = 0; i < first.results().size(); i++) {
            assertEquals(first.results().get(i).accuracy(), second.results().get(i).accuracy());
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/accuracy.csv")),
                Files.readAllBytes(dir.resolve("b/accuracy.csv")));
    }

    @Test
    void run_onTheSameExamplesAsCsvAndParquet_readByTheExecutors_givesTheResultsOfTheIdxFiles() throws Exception {
        // given: the synthetic IDX set written again as CSV (label first) and as Parquet (label last)
        Path data = Files.createDirectories(dir.resolve("data"));
        SyntheticIdx.write(data, 300, 100, 5);
        ImageSet train = IdxReader.read(data.resolve("train-images-idx3-ubyte"),
                data.resolve("train-labels-idx1-ubyte"), 10);
        ImageSet test = IdxReader.read(data.resolve("t10k-images-idx3-ubyte"), data.resolve("t10k-labels-idx1-ubyte"),
                10);
        writeTables(train, "train");
        writeTables(test, "test");
        String common = "prune { ratio = 0.5, score = fisher }\n"
                + "spark { workers = [1, 2], partitions = 3, averaging-frequency = 2, mode = %s }";
        String csv = "data { source = csv, classes = 10, train-file = \"%s\", test-file = \"%s\" }"
                .formatted(dir.resolve("train.csv"), dir.resolve("test.csv"));
        String parquet = ("data { source = parquet, classes = 10, label-column = -1, train-file = \"%s\","
                + " test-file = \"%s\" }").formatted(dir.resolve("train.parquet"), dir.resolve("test.parquet"));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        // when
        SweepJob.run(spark, tinySweep(data, dir.resolve("idx"), common.formatted("data-parallel")), quiet);
        SweepJob.run(spark, tinySweep(data, dir.resolve("csv"), common.formatted("data-parallel") + "\n" + csv),
                quiet);
        SweepJob.run(spark, tinySweep(data, dir.resolve("parquet"), common.formatted("data-parallel") + "\n"
                + parquet), quiet);
        SweepJob.run(spark, tinySweep(data, dir.resolve("parquet-config"), common.formatted("config-parallel")
                + "\n" + parquet), quiet);

        // then
        byte[] expected = Files.readAllBytes(dir.resolve("idx/accuracy.csv"));
        for (String run : List.of("csv", "parquet", "parquet-config")) {
            assertArrayEquals(expected, Files.readAllBytes(dir.resolve(run + "/accuracy.csv")), run);
        }
    }

    /** {@code set} as name.csv (label, then features) and as the Parquet folder name.parquet (features, then label). */
    private void writeTables(ImageSet set, String name) throws Exception {
        List<String> lines = new java.util.ArrayList<>();
        List<org.apache.spark.sql.Row> rows = new java.util.ArrayList<>();
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType();
        for (int f = 0; f < set.width(); f++) {
            schema = schema.add("pixel" + f, org.apache.spark.sql.types.DataTypes.FloatType);
        }
        schema = schema.add("label", org.apache.spark.sql.types.DataTypes.IntegerType);
        float[] row = new float[set.width()];
        for (int i = 0; i < set.size(); i++) {
            set.copyFeatures(i, 1, row, 0);
            StringBuilder line = new StringBuilder().append(set.label(i));
            Object[] cells = new Object[set.width() + 1];
            for (int f = 0; f < row.length; f++) {
                line.append(',').append(row[f]);
                cells[f] = row[f];
            }
            cells[row.length] = set.label(i);
            lines.add(line.toString());
            rows.add(org.apache.spark.sql.RowFactory.create(cells));
        }
        Files.write(dir.resolve(name + ".csv"), lines);
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(dir.resolve(name + ".parquet").toString());
    }

    @Test
    void run_configParallel_givesResultsIdenticalToDataParallel() throws Exception {
        // given: sequential training and two averaging workers, three Fisher partitions, two seeds (so task 0 is
        // shared by two runs each)
        Path data = Files.createDirectories(dir.resolve("data"));
        SyntheticIdx.write(data, 300, 100, 5);
        String common = "seed = [4, 5], prune.ratio = [0.5, 0.8], prune.score = [fisher-saliency, magnitude]\n"
                + "spark { workers = [1, 2], partitions = 3, averaging-frequency = 2, mode = %s }";
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        // when
        SweepJob.Outcome byData = SweepJob.run(spark, tinySweep(data, dir.resolve("data-parallel"),
                common.formatted("data-parallel")), quiet);
        SweepJob.Outcome byConfig = SweepJob.run(spark, tinySweep(data, dir.resolve("config-parallel"),
                common.formatted("config-parallel")), new PrintStream(console, true, StandardCharsets.UTF_8));

        // then
        assertEquals(16, byConfig.results().size());
        for (int i = 0; i < 16; i++) {
            RunResult a = byData.results().get(i);
            RunResult b = byConfig.results().get(i);
            assertEquals(a.config().id(), b.config().id());
            assertEquals(a.accuracy(), b.accuracy(), "R matrix of " + a.config().id());
            assertEquals(a.tasks().stream().map(t -> List.of(t.keptWeights(), t.fisherMassKept())).toList(),
                    b.tasks().stream().map(t -> List.of(t.keptWeights(), t.fisherMassKept())).toList());
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("data-parallel/accuracy.csv")),
                Files.readAllBytes(dir.resolve("config-parallel/accuracy.csv")));
        ObjectMapper json = new ObjectMapper();
        assertEquals("config-parallel", json.readTree(dir.resolve("config-parallel/manifest.json").toFile())
                .get("spark").get("mode").asText());
        String progress = console.toString(StandardCharsets.UTF_8);
        assertTrue(progress.contains("config-parallel") && progress.contains("[run 16/16"), progress);
    }

    @Test
    void run_everyBaseline_givesIdenticalResultsInBothModes_andEqualsSingleJvmRuns() throws Exception {
        // given: one pruned run and every baseline (EWC in both modes), each trained sequentially and by two
        // averaging workers, three Fisher groups
        Path data = Files.createDirectories(dir.resolve("data"));
        SyntheticIdx.write(data, 240, 80, 6);
        String common = """
                prune { ratio = 0.5, score = magnitude }
                baselines = [finetune, ewc, joint, feature-extraction]
                ewc { lambda = 50, mode = [separate, online], gamma = 0.8 }
                spark { workers = [1, 2], partitions = 3, averaging-frequency = 2, mode = %s }
                """;
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        // when
        SweepJob.Outcome byData = SweepJob.run(spark, tinySweep(data, dir.resolve("dp"),
                common.formatted("data-parallel")), quiet);
        SweepJob.Outcome byConfig = SweepJob.run(spark, tinySweep(data, dir.resolve("cp"),
                common.formatted("config-parallel")), quiet);

        // then: the same numbers either way, file for file
        assertEquals(List.of("magnitude", "magnitude", "finetune", "finetune", "ewc-l50-separate", "ewc-l50-separate",
                "ewc-l50-online", "ewc-l50-online", "joint", "joint", "feature-extraction", "feature-extraction"),
                byData.results().stream().map(r -> r.config().method()).toList());
        for (String file : List.of("accuracy.csv", "summary.md")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("dp").resolve(file)),
                    Files.readAllBytes(dir.resolve("cp").resolve(file)), file);
        }
        for (int i = 0; i < byData.results().size(); i++) {
            assertEquals(byData.results().get(i).accuracy(), byConfig.results().get(i).accuracy());
        }

        // and each equals the same run computed in this JVM by the config-parallel procedure, without any cache
        Splits.TrainTest split = Datasets.load(tinySweep(data, dir.resolve("x"), common.formatted("data-parallel"))
                .data());
        for (RunResult result : byData.results()) {
            RunConfig run = result.config();
            RunResult inJvm = SweepRun.of(run, split,
                    TaskTrainer.inThisJvm(split.train(), run.training().batchSize(), run.spark().workers(),
                        run.spark().averagingFrequency()),
                    new LocalFisherEstimator(split.train(), run.training().batchSize(), 3), TaskZeroCache.NONE)
                    .run(ProgressListener.NONE, TaskObserver.NONE);
            assertEquals(inJvm.accuracy(), result.accuracy(), "R matrix of " + run.id());
        }

        // and the files and the report show the baselines
        String summary = Files.readString(dir.resolve("dp/summary.md"));
        assertTrue(summary.contains("| ewc-l50-online |") && summary.contains("| joint |"), summary);
        List<String> tasks = Files.readAllLines(dir.resolve("dp/tasks.csv"));
        assertTrue(tasks.stream().anyMatch(l -> l.startsWith("r002-finetune-workers1,4,finetune,,,,,sequential,1,0,")),
                tasks.toString());
        String report = Files.readString(dir.resolve("dp/report.md"));
        assertTrue(report.contains("FWT is measured against the finetune baseline"), "FWT against finetune");
        assertTrue(report.contains("| joint (baseline) |"), "joint in the report");
        assertTrue(report.contains("| feature-extraction (baseline) |"), "feature extraction in the report");
        for (RunResult result : byData.results()) {
            if (result.config().method().equals("feature-extraction")) {
                assertEquals(0.0, result.accuracy().bwt(), "a frozen trunk forgets nothing, exactly");
            }
        }
    }
}
