package dev.fisherpacknet.core.report;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fisherpacknet.core.ConfigException;
import dev.fisherpacknet.core.config.IntervalMethod;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.results.ResultsWriter;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.core.run.TaskRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFolderTest {

    @TempDir
    Path dir;

    /** Writes the result files as the sweep job does: tables by ResultsWriter, and a manifest of the same shape. */
    private static void writeFolder(Path dir, SweepConfig sweep, List<RunResult> results) throws Exception {
        new ResultsWriter(dir, sweep.axes()).writeTables(results);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("experiment", sweep.name());
        root.put("source", sweep.source());
        root.put("config", sweep.resolvedText());
        root.put("git_commit", "abc123");
        root.putObject("versions").put("fisher_packnet", "0.1.0-SNAPSHOT").put("spark", "3.5.7");
        root.putObject("host").put("cores", 2).put("os", "Linux");
        root.putObject("spark").put("master", "local[2]").put("default_parallelism", 2);
        ArrayNode axes = root.putArray("axes");
        sweep.axes().forEach(axes::add);
        ArrayNode runs = root.putArray("runs");
        for (RunResult r : results) {
            ObjectNode run = runs.addObject().put("id", r.config().id()).put("seed", r.config().seed());
            ObjectNode values = run.putObject("sweep_values");
            r.config().sweepValues().forEach(values::put);
            run.put("millis", r.millis());
        }
        root.putObject("timing").put("started", "2024-01-01T10:00:00Z").put("finished", "2024-01-01T10:05:00Z");
        Files.writeString(dir.resolve("manifest.json"), json.writeValueAsString(root));
    }

    @Test
    void read_givesBackTheRunsTheFilesWereWrittenFrom() throws Exception {
        // given: a sweep with a facet axis whose values contain commas (quoted in the CSV)
        SweepConfig sweep = ReportFixtures.sweep("model.hidden = [[16, 8], [12]]\n");
        List<RunResult> results = ReportFixtures.results(sweep);
        writeFolder(dir, sweep, results);

        // when
        ReportInput input = ResultFolder.read(dir, List.of());

        // then: every run, in order, with its parameters, R to the files' 6 decimals, records and timings
        assertEquals(sweep.name(), input.experiment());
        assertEquals(sweep.axes(), input.axes());
        assertEquals(results.size(), input.runs().size());
        for (int i = 0; i < results.size(); i++) {
            ReportRun expected = ReportRun.of(results.get(i), sweep.axes());
            ReportRun actual = input.runs().get(i);
            assertEquals(expected.id(), actual.id());
            assertEquals(expected.method(), actual.method());
            assertEquals(expected.ratio(), actual.ratio(), 0);
            assertEquals(expected.seed(), actual.seed());
            assertEquals(expected.facets(), actual.facets());
            assertEquals(expected.millis(), actual.millis());
            int tasks = expected.accuracy().tasks();
            assertEquals(tasks, actual.accuracy().tasks());
            for (int t = 0; t < tasks; t++) {
                for (int j = 0; j < tasks; j++) {
                    assertEquals(expected.accuracy().get(t, j), actual.accuracy().get(t, j), 5e-7);
                }
            }
            assertEquals(expected.tasks().size(), actual.tasks().size());
            for (int t = 0; t < expected.tasks().size(); t++) {
                TaskRecord e = expected.tasks().get(t);
                TaskRecord a = actual.tasks().get(t);
                assertEquals(e.keptWeights(), a.keptWeights());
                assertEquals(e.capacityOwned(), a.capacityOwned(), 5e-7);
                assertEquals(e.fisherMassKept(), a.fisherMassKept(), 5e-7);
                assertEquals(e.millisByPhase(), a.millisByPhase());
                assertEquals(e.agreements(), a.agreements(), "agreements of " + expected.id() + " task " + t);
                assertEquals(e.sample(), a.sample(), "weight sample of " + expected.id() + " task " + t);
            }
        }
        assertEquals("local[2]", input.env().sparkMaster());
        assertEquals(2, input.env().cores());
        assertEquals("unknown", input.env().dl4jVersion(), "a fact the manifest lacks");
        assertEquals(sweep.report(), input.settings());
    }

    /** Writes {@code runs/<id>/summary.json} of every result, as the sweep job does when a run finishes. */
    private static void writeSummaries(Path dir, SweepConfig sweep, List<RunResult> results) {
        ResultsWriter writer = new ResultsWriter(dir, sweep.axes());
        results.forEach(writer::writeRun);
    }

    private static Path summaryOf(Path dir, RunResult result) {
        return dir.resolve("runs").resolve(result.config().id()).resolve("summary.json");
    }

    @Test
    void read_givesBackEachRunsTraining_inTheWordsOfItsConfig() throws Exception {
        // given: runs that differ in procedure, with a non-default initialisation, optimiser reset and batch size
        SweepConfig sweep = ReportFixtures.sweep("spark { workers = [1, 2], averaging-frequency = 3 }\n"
                + "model.init = xavier\ntraining { optimizer-reset = task, batch-size = 16 }\n");
        List<RunResult> results = ReportFixtures.results(sweep);
        writeFolder(dir, sweep, results);
        writeSummaries(dir, sweep, results);

        // when
        ReportInput input = ResultFolder.read(dir, List.of());

        // then: the words and figures of the live runs, so that a redrawn report's header says what the sweep's said
        for (int i = 0; i < results.size(); i++) {
            RunConfig config = results.get(i).config();
            assertEquals(RunTraining.of(config), input.runs().get(i).training(), config.id());
            assertEquals(config.describeTraining(), input.runs().get(i).training().description());
        }
        assertEquals(Set.of("sequential (one replica); Adam fresh per task; init xavier",
                        "parameter averaging, 2 workers every 3 minibatches; Adam fresh per task; init xavier"),
                input.runs().stream().map(r -> r.training().description()).collect(Collectors.toSet()));
        assertEquals(ReportContent.training(ReportInput.of(sweep, results, ReportFixtures.environment()).runs()),
                ReportContent.training(input.runs()));
    }

    @Test
    void read_summaryWrittenBeforeTheProcedureWasRecorded_givesUnknownWords_andTheFiguresItHas() throws Exception {
        // given: run summaries as the writer wrote them before workers, procedure, init and reset were recorded
        SweepConfig sweep = ReportFixtures.sweep("spark.workers = [1, 2]\ntraining.batch-size = 64\n");
        List<RunResult> results = ReportFixtures.results(sweep);
        writeFolder(dir, sweep, results);
        writeSummaries(dir, sweep, results);
        ObjectMapper json = new ObjectMapper();
        for (RunResult r : results) {
            ObjectNode summary = (ObjectNode) json.readTree(summaryOf(dir, r).toFile());
            ((ObjectNode) summary.get("parameters")).remove(List.of("procedure", "workers", "init", "optimizer_reset"));
            Files.writeString(summaryOf(dir, r), json.writeValueAsString(summary));
        }

        // when
        ReportInput input = ResultFolder.read(dir, List.of());

        // then: the report reads it; the words are unknown, the workers come from the run's axis value, the
        // averaging frequency and batch size from the summary
        for (int i = 0; i < results.size(); i++) {
            RunConfig config = results.get(i).config();
            assertEquals(new RunTraining(RunTraining.UNKNOWN_DESCRIPTION, config.spark().workers(), 5, 64),
                    input.runs().get(i).training(), config.id());
        }
        String markdown = MarkdownRenderer.render(List.of(ReportContent.training(input.runs())));
        assertEquals("Training: unknown (the result files predate the record of the training procedure) — "
                + results.size() + " runs.\n\n", markdown);
    }

    @Test
    void read_withoutRunSummaries_takesTheManifestsWords_orElseUnknown() throws Exception {
        // given: a folder without runs/ (tables and manifest copied alone), whose manifest predates "training"
        SweepConfig sweep = ReportFixtures.sweep("spark.averaging-frequency = [2, 4]\n");
        List<RunResult> results = ReportFixtures.results(sweep);
        writeFolder(dir, sweep, results);

        // then: nothing is known but the axis values
        ReportInput old = ResultFolder.read(dir, List.of());
        for (int i = 0; i < results.size(); i++) {
            assertEquals(new RunTraining(RunTraining.UNKNOWN_DESCRIPTION, 0,
                    results.get(i).config().spark().averagingFrequency(), 0), old.runs().get(i).training());
        }

        // and given: the manifest the sweep job writes now, which keeps each run's words
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = (ObjectNode) json.readTree(dir.resolve("manifest.json").toFile());
        for (int i = 0; i < results.size(); i++) {
            ((ObjectNode) manifest.get("runs").get(i)).put("training", results.get(i).config().describeTraining());
        }
        Files.writeString(dir.resolve("manifest.json"), json.writeValueAsString(manifest));

        // then: those words
        ReportInput input = ResultFolder.read(dir, List.of());
        for (int i = 0; i < results.size(); i++) {
            assertEquals(results.get(i).config().describeTraining(), input.runs().get(i).training().description());
        }
    }

    @Test
    void read_summaryWithAMalformedCount_isNamed() throws Exception {
        SweepConfig sweep = ReportFixtures.sweep("");
        List<RunResult> results = ReportFixtures.results(sweep);
        writeFolder(dir, sweep, results);
        writeSummaries(dir, sweep, results);
        Path summary = summaryOf(dir, results.get(2));
        Files.writeString(summary, Files.readString(summary).replaceFirst("\"workers\" : 1",
                "\"workers\" : \"two\""));

        ReportException e = assertThrows(ReportException.class, () -> ResultFolder.read(dir, List.of()));
        assertTrue(e.getMessage().contains(summary + ": parameters.workers is not an integer (line "),
                e.getMessage());
    }

    @Test
    void read_withReportOverrides_changesOnlyTheSettings() throws Exception {
        SweepConfig sweep = ReportFixtures.sweep("");
        writeFolder(dir, sweep, ReportFixtures.results(sweep));

        ReportInput input = ResultFolder.read(dir, List.of("report.interval=bootstrap",
                "report.compare=[[fisher, random]]"));

        assertEquals(IntervalMethod.BOOTSTRAP, input.settings().interval());
        assertEquals("fisher − random", input.settings().compare().get(0).label());
        // and the report drawn from it pairs fisher with random
        Analysis analysis = Analysis.of(input);
        assertEquals(List.of("fisher − random"),
                List.copyOf(analysis.facets().get(0).differencesByComparison().keySet()));
    }

    @Test
    void read_overrideOfANonReportKey_isRejected() throws Exception {
        SweepConfig sweep = ReportFixtures.sweep("");
        writeFolder(dir, sweep, ReportFixtures.results(sweep));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ResultFolder.read(dir, List.of("prune.ratio=0.3")));
        assertTrue(e.getMessage().contains("--set prune.ratio=0.3: a report can only change report.* keys"),
                e.getMessage());
    }

    @Test
    void read_badReportOverride_isRejectedNamingIt() throws Exception {
        SweepConfig sweep = ReportFixtures.sweep("");
        writeFolder(dir, sweep, ReportFixtures.results(sweep));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ResultFolder.read(dir, List.of("report.confidence=2")));
        assertTrue(e.getMessage().contains("report.confidence must be in (0, 1), got 2 (--set report.confidence=2"),
                e.getMessage());
    }

    @Test
    void read_folderWithoutManifest_saysWhatItNeeds() {
        ReportException e = assertThrows(ReportException.class, () -> ResultFolder.read(dir, List.of()));
        assertTrue(e.getMessage().contains("no manifest.json in " + dir + ": give the output folder of a finished"
                + " sweep"), e.getMessage());
    }

    @Test
    void read_runMissingFromTheAccuracyTable_isNamed() throws Exception {
        SweepConfig sweep = ReportFixtures.sweep("");
        List<RunResult> results = ReportFixtures.results(sweep);
        writeFolder(dir, sweep, results);
        new ResultsWriter(dir, sweep.axes()).writeTables(results.subList(0, 5));

        ReportException e = assertThrows(ReportException.class, () -> ResultFolder.read(dir, List.of()));
        assertTrue(e.getMessage().contains("has no rows of run " + results.get(5).config().id()), e.getMessage());
    }

    @Test
    void read_malformedNumber_isNamedWithFileAndLine() throws Exception {
        SweepConfig sweep = ReportFixtures.sweep("");
        writeFolder(dir, sweep, ReportFixtures.results(sweep));
        Path csv = dir.resolve("accuracy.csv");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(csv));
        lines.set(3, lines.get(3).replaceAll(",[0-9.]+$", ",abc"));
        Files.write(csv, lines);

        ReportException e = assertThrows(ReportException.class, () -> ResultFolder.read(dir, List.of()));
        assertTrue(e.getMessage().contains(csv + ":4: column accuracy holds 'abc', not a number"), e.getMessage());
    }

    @Test
    void csv_parsesQuotedValuesAsTablesWritesThem() {
        assertEquals(List.of(List.of("a", "b,c", "say \"hi\""), List.of("", "2", "")),
                Csv.parse("a,\"b,c\",\"say \"\"hi\"\"\"\n,2,\n"));
    }
}
