package dev.fisherpacknet.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.data.Datasets;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.run.ContinualRun;
import dev.fisherpacknet.core.run.Phase;
import dev.fisherpacknet.core.run.ProgressListener;
import dev.fisherpacknet.core.run.RunFailure;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.core.run.TaskObserver;
import dev.fisherpacknet.core.train.AveragedTrainer;
import dev.fisherpacknet.jobs.io.BuildInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that really diverges (Adam's learning rate 10 on softplus activations: the loss turns NaN)
 * is recorded as failed with its task and reason, the sweep finishes the other runs and lists the failure in its
 * summary, manifest and report; {@code --fail-fast} stops at it with exit status 3, and running the sweep again
 * keeps the failure and computes the runs it left.
 */
class DivergenceIT extends SparkTestSession {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String sweepText(Path data, String rates, String mode) {
        return """
                experiment.name = divergence
                seed = 3
                data { source = idx, dir = "%s" }
                tasks.count = 2
                model { hidden = [16, 12], activation = softplus }
                training { learning-rate = %s, batch-size = 32, epochs = 1, retrain-epochs = 1 }
                prune { ratio = 0.5, score = magnitude }
                spark { workers = 2, partitions = 2, averaging-frequency = 2, mode = %s }
                """.formatted(data, rates, mode);
    }

    private static SweepConfig sweep(Path data, String rates, String mode, Path out) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString(sweepText(data, rates, mode) + "output.dir = \""
                + out + "\"\n"), "test");
    }

    @Test
    void divergingRun_isRecordedAndTheOtherRunsFinish_inBothModes() throws Exception {
        Path data = SyntheticIdx.write(Files.createDirectories(dir.resolve("data")), 200, 60, 29);
        for (String mode : List.of("data-parallel", "config-parallel")) {
            // given: learning rates 0.001 (fine) and 10 (diverges)
            Path out = dir.resolve(mode);
            SweepConfig sweep = sweep(data, "[0.001, 10]", mode, out);
            ByteArrayOutputStream console = new ByteArrayOutputStream();

            // when
            SweepJob.Outcome outcome = SweepJob.run(spark, sweep, new PrintStream(console, true,
                    StandardCharsets.UTF_8));

            // then: one result, one failure at task 0 ...
            assertEquals(1, outcome.results().size(), mode);
            assertEquals(1, outcome.failures().size(), mode);
            assertEquals(List.of(), outcome.notRun());
            RunFailure failure = outcome.failures().get(0);
            RunConfig bad = sweep.runs().get(1);
            assertEquals(bad.id(), failure.config().id());
            assertEquals(0, failure.task());
            assertEquals(Phase.TRAIN, failure.phase());
            assertEquals("the loss on the task's first 32 training examples is NaN", failure.reason());
            String progress = console.toString(StandardCharsets.UTF_8);
            assertTrue(progress.contains(bad.id() + "] FAILED at task 1/2 (train): " + failure.reason()), progress);
            // ... recorded in the run's folder, the summary, the manifest and the report ...
            JsonNode record = JSON.readTree(out.resolve("runs").resolve(bad.id()).resolve("failure.json").toFile());
            assertEquals("diverged", record.get("status").asText());
            assertEquals(0, record.get("task").asInt());
            assertEquals("train", record.get("phase").asText());
            assertEquals(failure.reason(), record.get("reason").asText());
            assertEquals("10", record.get("sweep_values").get("training.learning-rate").asText());
            String summary = Files.readString(out.resolve("summary.md"));
            assertTrue(summary.contains("## Failed runs\n\n1 run diverged and is left out of the tables above")
                    && summary.contains("| " + bad.id() + " | 0 | train | " + failure.reason() + " |"), summary);
            JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
            assertEquals(1, manifest.get("runs").size());
            assertEquals(bad.id(), manifest.get("failures").get(0).get("id").asText());
            assertEquals(failure.reason(), manifest.get("failures").get(0).get("reason").asText());
            String report = Files.readString(out.resolve("report.md"));
            assertTrue(report.contains("## Failed runs") && report.contains("run " + bad.id() + " diverged at task 0"
                    + " (train): " + failure.reason()), report);
            // the report drawn again from the files alone says the same
            assertEquals(0, ReportJob.execute(new String[] {out.toString()}, new PrintStream(
                    PrintStream.nullOutputStream()), new PrintStream(PrintStream.nullOutputStream())));
            assertEquals(top(report), top(Files.readString(out.resolve("report.md"))));
            assertEquals(0, Files.readAllLines(out.resolve("accuracy.csv")).stream()
                    .filter(line -> line.startsWith(bad.id() + ",")).count(), "no rows of the failed run");
            // ... and the run that finished is what it is when computed alone
            RunConfig good = SweepJob.resolve(sweep.runs().get(0), 2);
            Splits.TrainTest split = Datasets.load(sweep.data());
            RunResult alone = new ContinualRun(good, split, new AveragedTrainer(split.train(), 32, 2, 2),
                    new LocalFisherEstimator(split.train(), 32, 2)).run(ProgressListener.NONE, TaskObserver.NONE);
            assertEquals(alone.accuracy(), outcome.results().get(0).accuracy(), mode);
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("data-parallel/accuracy.csv")),
                Files.readAllBytes(dir.resolve("config-parallel/accuracy.csv")));
    }

    /**
     * A report's text above its answer (title, runs, failed runs) without the finish time: a sweep's report takes
     * the time it is written, a redrawn one the manifest's.
     */
    private static String top(String report) {
        return report.substring(0, report.indexOf("## Answer")).replaceAll("Finished [0-9-]+ [0-9:]+ UTC\\.", "");
    }

    @Test
    void failFast_stopsAtTheFirstDivergenceWithStatus3_andARerunKeepsItAndComputesTheRest() throws Exception {
        // given: the diverging run first
        Path data = SyntheticIdx.write(Files.createDirectories(dir.resolve("data")), 200, 60, 29);
        Path conf = dir.resolve("diverging.conf");
        Files.writeString(conf, sweepText(data, "[10, 0.001, 0.002]", "data-parallel"));
        Path out = dir.resolve("out");

        // when: the job's main, as submit.sh runs it, with --fail-fast
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g", "-Djava.awt.headless=true"));
        command.addAll(List.of(BuildInfo.javaOpens().split(" ")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SweepJob.class.getName(),
                conf.toString(), "--master", "local[2]", "--out", out.toString(), "--fail-fast"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), output);

        // then: status 3, the failure named, the two other runs not started
        SweepConfig sweep = sweep(data, "[10, 0.001, 0.002]", "data-parallel", out);
        String bad = sweep.runs().get(0).id();
        assertEquals(SweepJob.RUNS_FAILED, process.exitValue(), output);
        assertTrue(output.contains("error: 1 of 3 runs diverged (listed in " + out.resolve("summary.md")
                + "; a record each in runs/<id>/failure.json); --fail-fast stopped the sweep before 2 runs, which"
                + " running it again computes"), output);
        assertTrue(output.contains("  run " + bad + " diverged at task 0 (train): "), output);
        JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
        assertEquals(0, manifest.get("runs").size());
        assertEquals(List.of(sweep.runs().get(1).id(), sweep.runs().get(2).id()),
                List.of(manifest.get("not_run").get(0).asText(), manifest.get("not_run").get(1).asText()));
        assertFalse(Files.exists(out.resolve("runs").resolve(sweep.runs().get(1).id())));
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("3 run(s) of this sweep did not finish") && report.contains("- run "
                + sweep.runs().get(2).id() + " was not started: --fail-fast stopped the sweep at its first failure"),
                report);

        // when: the sweep runs again, without --fail-fast
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        SweepJob.Outcome again = SweepJob.run(spark, sweep, new PrintStream(console, true, StandardCharsets.UTF_8));

        // then: the failure is kept (not computed again) and the other two runs finish
        String text = console.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("0 runs finished and 1 failed earlier are kept, 0 go on from their last finished"
                + " task, 2 start"), text);
        assertFalse(text.contains(bad + "] task"), text);
        assertEquals(2, again.results().size());
        assertEquals(bad, again.failures().get(0).config().id());
    }
}
