package dev.fisherpacknet.core.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.run.AccuracyMatrix;
import dev.fisherpacknet.core.run.Phase;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.core.run.TaskRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsWriterTest {

    @TempDir
    Path dir;

    /** Results of a 2 x 2 x 3 sweep (score x ratio x seed) with seeded accuracies over {@code tasks} tasks. */
    static List<RunResult> results(SweepConfig sweep, int tasks) {
        Random random = new Random(9);
        List<RunResult> results = new ArrayList<>();
        for (RunConfig run : sweep.runs()) {
            double[][] r = new double[tasks][tasks];
            for (int t = 0; t < tasks; t++) {
                for (int j = 0; j < tasks; j++) {
                    r[t][j] = j <= t ? random.nextInt(1000) / 1000.0 : Double.NaN;
                }
            }
            List<TaskRecord> records = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                records.add(new TaskRecord(t, 1.0 / (t + 1), 0.5 / (t + 1), 100 - t, 0.9, Map.of(Phase.TRAIN, 10L
                        + t)));
            }
            results.add(new RunResult(run, new AccuracyMatrix(r), records, 1234));
        }
        return results;
    }

    static SweepConfig sweep(int tasks) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString("""
                seed = [1, 2, 3]
                tasks.count = %d
                prune { ratio = [0.5, 0.9], score = [fisher, magnitude] }
                training.learning-rate = [0.001]
                """.formatted(tasks)), "test");
    }

    @Test
    void writeTables_writesOneAccuracyRowPerRunTaskAndEarlierTask() throws Exception {
        // given
        SweepConfig sweep = sweep(4);
        List<RunResult> results = results(sweep, 4);

        // when
        new ResultsWriter(dir, sweep.axes()).writeTables(results);

        // then: 12 runs x (4 * 5 / 2) rows, plus the header; every R[t][j] appears in its row
        List<String> lines = Files.readAllLines(dir.resolve("accuracy.csv"));
        assertEquals(1 + 12 * 10, lines.size());
        List<String> header = List.of(lines.get(0).split(","));
        assertEquals(List.of("run", "seed", "method", "score", "ratio", "scope", "fisher_labels", "procedure",
                "learning_rate", "t", "j", "accuracy"), header);
        int row = 1;
        for (RunResult result : results) {
            for (int t = 0; t < 4; t++) {
                for (int j = 0; j <= t; j++) {
                    String[] cells = lines.get(row++).split(",");
                    assertEquals(result.config().id(), cells[0]);
                    assertEquals(result.config().prune().score().configName(), cells[2], "a score is its method");
                    assertEquals("sequential", cells[7], "one worker by default");
                    assertEquals(t, Integer.parseInt(cells[9]));
                    assertEquals(j, Integer.parseInt(cells[10]));
                    assertEquals(result.accuracy().get(t, j), Double.parseDouble(cells[11]), 5e-7);
                }
            }
        }
        assertEquals(1 + 12 * 4, Files.readAllLines(dir.resolve("tasks.csv")).size());
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "a temporary file is left");
        }
    }

    @Test
    void writeRun_summaryJsonHoldsTheMatrixAccAndBwt() throws Exception {
        // given
        SweepConfig sweep = sweep(3);
        RunResult result = results(sweep, 3).get(5);

        // when
        Path file = new ResultsWriter(dir, sweep.axes()).writeRun(result);

        // then
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals(result.config().id(), json.get("id").asText());
        assertEquals(result.accuracy().acc(), json.get("acc").asDouble(), 0.0);
        assertEquals(result.accuracy().bwt(), json.get("bwt").asDouble(), 0.0);
        for (int t = 0; t < 3; t++) {
            assertEquals(t + 1, json.get("accuracy_matrix").get(t).size());
            for (int j = 0; j <= t; j++) {
                assertEquals(result.accuracy().get(t, j), json.get("accuracy_matrix").get(t).get(j).asDouble(), 0.0);
            }
        }
        assertEquals(3, json.get("tasks").size());
        assertEquals(12, json.get("tasks").get(2).get("millis").get("train").asLong());
    }

    @Test
    void csv_quotesCellsWithCommasAndQuotes() {
        Tables table = new Tables(List.of("a", "b"), List.of(List.of("x,y", "say \"hi\""), List.of("plain", "")));
        assertEquals("a,b\n\"x,y\",\"say \"\"hi\"\"\"\nplain,\n", Tables.csv(table));
    }

    @Test
    void writeAtomically_replacesAnExistingFileAndLeavesNoTemporary() throws Exception {
        Path target = dir.resolve("sub").resolve("file.txt");
        ResultsWriter.writeAtomically(target, "first");
        ResultsWriter.writeAtomically(target, "second");
        assertEquals("second", Files.readString(target));
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(List.of(target), files.toList());
        }
    }
}
