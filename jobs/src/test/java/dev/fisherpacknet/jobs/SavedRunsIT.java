package dev.fisherpacknet.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.data.Datasets;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.data.TaskStreams;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.mask.MultiHeadModel;
import dev.fisherpacknet.core.run.ContinualRun;
import dev.fisherpacknet.core.run.ProgressListener;
import dev.fisherpacknet.core.saved.SavedRun;
import dev.fisherpacknet.core.train.AveragedTrainer;
import dev.fisherpacknet.jobs.io.BuildInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved runs at work: a sweep whose driver is killed (SIGKILL) half way and is then run again into the same folder
 * ends with the same result files as an uninterrupted sweep, in either execution mode; and the evaluate job,
 * loading a saved run, reports the run's own final accuracies and predicts as its model does.
 */
class SavedRunsIT extends SparkTestSession {
    private static final int TASKS = 3;
    private static final int RUNS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    private static Path data;
    private static Path uninterrupted;

    @TempDir
    Path dir;

    private static String sweepText(String mode) {
        return """
                experiment.name = resume
                seed = 4
                data { source = idx, dir = "%s" }
                tasks.count = %d
                model.hidden = [16, 12]
                training { learning-rate = 0.01, batch-size = 32, epochs = 2, retrain-epochs = 1 }
                prune { ratio = [0.5, 0.8], score = [fisher, magnitude] }
                spark { workers = 2, partitions = 2, averaging-frequency = 2, mode = %s }
                """.formatted(data, TASKS, mode);
    }

    private static SweepConfig sweep(String mode, Path out) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString(sweepText(mode) + "output.dir = \"" + out + "\"\n"),
                "test");
    }

    @BeforeAll
    static void uninterruptedSweep() throws IOException {
        data = SyntheticIdx.write(Files.createDirectories(shared.resolve("data")), 300, 100, 17);
        uninterrupted = shared.resolve("uninterrupted");
        SweepJob.run(spark, sweep("data-parallel", uninterrupted), new PrintStream(PrintStream.nullOutputStream()));
    }

    @Test
    void dataParallelDriverKilledHalfWay_rerunsInEitherModeEndIdenticalToAnUninterruptedSweep() throws Exception {
        // given: the job's main in a child JVM, killed once a run has finished and another is half way
        Path killed = dir.resolve("killed");
        runAndKill("data-parallel", killed, (finished, partial) -> !finished.isEmpty() && !partial.isEmpty());
        Map<String, Integer> partial = checkpoints(killed);
        partial.values().removeIf(done -> done == TASKS);
        assertFalse(partial.isEmpty(), "no run was half way when the driver was killed");
        Path copy = dir.resolve("killed-copy");
        copyFolder(killed, copy);

        // when: the same sweep runs again into the folder, data-parallel; and into a copy of it, config-parallel
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        SweepJob.Outcome outcome = SweepJob.run(spark, sweep("data-parallel", killed),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        ByteArrayOutputStream consoleCopy = new ByteArrayOutputStream();
        SweepJob.run(spark, sweep("config-parallel", copy), new PrintStream(consoleCopy, true, StandardCharsets.UTF_8));

        // then: it went on from the checkpoints, and every result file equals the uninterrupted sweep's
        for (String text : List.of(console.toString(StandardCharsets.UTF_8),
                consoleCopy.toString(StandardCharsets.UTF_8))) {
            assertTrue(text.contains("Resuming the sweep in ") && text.contains(", " + partial.size()
                    + " go on from their last finished task"), text);
        }
        String progress = console.toString(StandardCharsets.UTF_8);
        for (Map.Entry<String, Integer> run : partial.entrySet()) {
            // progress lines read "[run i/N id] task t/T phase ..."; the checkpointed tasks must not run again
            for (int t = 1; t <= run.getValue(); t++) {
                assertFalse(progress.contains(" " + run.getKey() + "] task " + t + "/" + TASKS + " "),
                        run.getKey() + " ran task " + t + " again:\n" + progress);
            }
            assertTrue(progress.contains(" " + run.getKey() + "] task " + (run.getValue() + 1) + "/" + TASKS + " "),
                    progress);
        }
        assertEquals(RUNS, outcome.results().size());
        ResultFiles.assertSameResults(spark, uninterrupted, killed);
        ResultFiles.assertSameResults(spark, uninterrupted, copy);
    }

    @Test
    void configParallelDriverKilledAfterSomeRuns_rerunEndsIdenticalToAnUninterruptedSweep() throws Exception {
        // given
        Path killed = dir.resolve("killed");
        runAndKill("config-parallel", killed, (finished, partial) -> !finished.isEmpty());
        int finishedBefore = checkpoints(killed).size();
        assertTrue(finishedBefore < RUNS, "every run had finished when the driver was killed");

        // when
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        SweepJob.run(spark, sweep("config-parallel", killed), new PrintStream(console, true, StandardCharsets.UTF_8));

        // then: the finished runs were kept, the others computed, and the files equal the uninterrupted sweep's
        String text = console.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Resuming the sweep in " + killed + ": " + finishedBefore + " runs finished"), text);
        assertTrue(text.contains("[run " + (RUNS - finishedBefore) + "/" + (RUNS - finishedBefore) + " "), text);
        ResultFiles.assertSameResults(spark, uninterrupted, killed);
    }

    @Test
    void finishedSweepRunAgain_computesNothingAndRewritesTheSameResults() throws Exception {
        Path again = dir.resolve("again");
        copyFolder(uninterrupted, again);
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        SweepJob.run(spark, sweep("data-parallel", again), new PrintStream(console, true, StandardCharsets.UTF_8));

        String text = console.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains(RUNS + " runs finished and 0 failed earlier are kept, 0 go on from their last"
                + " finished task, 0 start"), text);
        assertFalse(text.contains("[run "), text);
        ResultFiles.assertSameResults(spark, uninterrupted, again);
    }

    @Test
    void evaluateJob_reportsTheRunsFinalAccuraciesAndPredictsAsItsModel() throws Exception {
        // given: one run of the uninterrupted sweep, and its final model computed again in this JVM by the
        // procedure config-parallel runs (bit-identical to data-parallel)
        SweepConfig sweep = sweep("data-parallel", uninterrupted);
        RunConfig run = SweepJob.resolve(sweep.runs().get(2), 2);
        Splits.TrainTest split = Datasets.load(sweep.data());
        MultiHeadModel[] model = new MultiHeadModel[1];
        new ContinualRun(run, split, new AveragedTrainer(split.train(), 32, 2, 2),
                new LocalFisherEstimator(split.train(), 32, 2)).run(ProgressListener.NONE, (t, m) -> model[0] = m);
        Path runDir = uninterrupted.resolve("runs").resolve(run.id());
        Path predictions = dir.resolve("predictions.csv");

        // when
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = EvaluateJob.execute(new String[] {runDir.toString(), "--task", "1", "--predict",
                predictions.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        // then: its table holds R[T-1][j] of accuracy.csv, to the digit ...
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        List<String> rows = Files.readAllLines(uninterrupted.resolve("accuracy.csv"));
        for (int j = 0; j < TASKS; j++) {
            String accuracy = null;
            for (String row : rows) {
                String[] cells = row.split(",");
                if (cells[0].equals(run.id()) && cells[cells.length - 3].equals(String.valueOf(TASKS - 1))
                        && cells[cells.length - 2].equals(String.valueOf(j))) {
                    accuracy = cells[cells.length - 1];
                }
            }
            assertTrue(accuracy != null, "no row R[T-1][" + j + "] of " + run.id());
            Task task = TaskStreams.build(run.tasks(), run.seed(), split).get(j);
            assertTrue(text.contains("| " + j + " | " + task.testSize() + " | " + accuracy + " |"), text);
        }
        // ... and its predictions are those of the model, bit for bit
        Task task = TaskStreams.build(run.tasks(), run.seed(), split).get(1);
        int[] expected = model[0].predict(1, task.testSet(split.test()).getFeatures());
        List<String> lines = Files.readAllLines(predictions);
        assertEquals(expected.length + 1, lines.size());
        int[] labels = task.testLabels(split.test());
        for (int n = 0; n < expected.length; n++) {
            assertEquals(n + "," + labels[n] + "," + expected[n], lines.get(n + 1));
        }
    }

    @Test
    void evaluateJob_badInput_exits2WithTheFaultNamed() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        Path runDir = uninterrupted.resolve("runs").resolve(sweep("data-parallel", uninterrupted)
                .runs().get(0).id());

        assertEquals(2, EvaluateJob.execute(new String[] {dir.toString()}, quiet, errStream));
        assertEquals(2, EvaluateJob.execute(new String[] {runDir.toString(), "--task", "1"}, quiet, errStream));
        assertEquals(2, EvaluateJob.execute(new String[] {runDir.toString(), "--set", "seed=3"}, quiet, errStream));
        assertEquals(2, EvaluateJob.execute(new String[] {runDir.toString(), "--task", "7", "--predict",
                dir.resolve("p.csv").toString()}, quiet, errStream));

        List<String> messages = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of(
                "error: no saved run in " + dir + ": " + dir.resolve("checkpoint") + " must hold state.json and"
                        + " network.zip; give a run's folder, runs/<run-id>/ in a sweep's output folder",
                "error: --task and --predict go together: --task J --predict FILE writes the predictions for task J",
                "error: --set seed=3: only data.* keys can change; the model was trained with the run's own"
                        + " configuration",
                "error: --task 7: run " + runDir.getFileName() + " has learnt tasks 0 to 2"), messages);
    }

    /** Starts the job's main on {@code mode} in a child JVM and kills it (SIGKILL) once {@code when} holds. */
    private static void runAndKill(String mode, Path out, KillCondition when) throws Exception {
        Path conf = out.resolveSibling(out.getFileName() + ".conf");
        Files.writeString(conf, sweepText(mode));
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g", "-Djava.awt.headless=true"));
        command.addAll(List.of(BuildInfo.javaOpens().split(" ")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SweepJob.class.getName(),
                conf.toString(), "--master", "local[2]", "--out", out.toString()));
        Path log = out.resolveSibling(out.getFileName() + ".log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (true) {
                Map<String, Integer> done = checkpoints(out);
                List<String> finished = done.entrySet().stream().filter(e -> e.getValue() == TASKS)
                        .map(Map.Entry::getKey).toList();
                List<String> partial = done.entrySet().stream().filter(e -> e.getValue() < TASKS)
                        .map(Map.Entry::getKey).toList();
                if (when.holds(finished, partial)) {
                    break;
                }
                assertTrue(child.isAlive(), "the sweep ended before it could be killed:\n" + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "the sweep did not get there in time:\n"
                        + Files.readString(log));
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        assertFalse(Files.exists(out.resolve("manifest.json")), "the sweep had finished");
    }

    @FunctionalInterface
    private interface KillCondition {
        boolean holds(List<String> finished, List<String> partial);
    }

    /** Tasks done of each run with a checkpoint in {@code out}, read while a sweep may be replacing them. */
    private static Map<String, Integer> checkpoints(Path out) throws IOException {
        Map<String, Integer> done = new TreeMap<>();
        Path runs = out.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return done;
        }
        try (Stream<Path> dirs = Files.list(runs)) {
            for (Path run : dirs.toList()) {
                try {
                    done.put(run.getFileName().toString(), JSON.readTree(SavedRun.folder(run).resolve("state.json")
                            .toFile()).get("tasks_done").asInt());
                } catch (IOException | NullPointerException e) {
                    // not written yet, or being replaced this instant
                }
            }
        }
        return done;
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else if (!path.getFileName().toString().equals(".sweep.lock")) {
                    Files.copy(path, target);
                }
            }
        }
    }
}
