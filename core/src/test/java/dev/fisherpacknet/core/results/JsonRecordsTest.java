package dev.fisherpacknet.core.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.run.AccuracyMatrix;
import dev.fisherpacknet.core.run.Phase;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.core.run.TaskRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON files bound to records: their text, field by field, and the round trip. */
class JsonRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void failureJson_hasItsFieldsInTheDocumentedOrder_andReadsBackEqual() throws IOException {
        Map<String, String> sweep = new LinkedHashMap<>();
        sweep.put("seed", "2");
        sweep.put("prune.ratio", "0.5");
        FailureRecord record = new FailureRecord("r003-s2-p0.5", FailureRecord.DIVERGED, 1, "retrain",
                "the loss is NaN", sweep, 1234);

        String text = JSON.writeValueAsString(record);

        assertEquals("""
                {
                  "id" : "r003-s2-p0.5",
                  "status" : "diverged",
                  "task" : 1,
                  "phase" : "retrain",
                  "reason" : "the loss is NaN",
                  "sweep_values" : {
                    "seed" : "2",
                    "prune.ratio" : "0.5"
                  },
                  "millis" : 1234
                }""", text.replace("\r\n", "\n"));
        assertEquals(record, JSON.readValue(text, FailureRecord.class));
        assertEquals(List.of("seed", "prune.ratio"), List.copyOf(JSON.readValue(text, FailureRecord.class)
                .sweepValues().keySet()));
    }

    @Test
    void sweepJson_sortsItsConfigKeys_readsBackEqual_andRejectsAFileWithoutConfig() throws IOException {
        SweepMarker marker = new SweepMarker("p1", "conf/p1.conf", "2026-12-03T10:00:00Z", "abc",
                List.of("output.dir", "spark.master"), Map.of("seed", "1", "prune.ratio", "0.5"));

        String text = JSON.writeValueAsString(marker);

        assertEquals(List.of("prune.ratio", "seed"), List.copyOf(marker.config().keySet()));
        assertEquals(marker, JSON.readValue(text, SweepMarker.class));
        assertEquals(0, text.indexOf("{\n  \"experiment\" : \"p1\",\n  \"source\""), text);
        assertThrows(IOException.class, () -> JSON.readValue("{\"experiment\": \"p1\", \"ignored_keys\": []}",
                SweepMarker.class));
    }

    private static RunResult result(RunConfig run, double[][] r, double fisherMass) {
        List<TaskRecord> records = new ArrayList<>();
        for (int t = 0; t < r.length; t++) {
            records.add(new TaskRecord(t, 1.0 / (t + 1), 0.5, 10 + t, fisherMass, Map.of(Phase.TRAIN, 7L + t)));
        }
        return new RunResult(run, new AccuracyMatrix(r), records, 4321);
    }

    private static Map<String, RunConfig> runsByMethod() {
        SweepConfig sweep = ConfigLoader.fromConfig(ConfigFactory.parseString("""
                seed = 1
                tasks.count = 2
                prune { ratio = 0.5, score = fisher }
                baselines = [finetune, ewc, joint]
                """), "test");
        Map<String, RunConfig> byMethod = new LinkedHashMap<>();
        sweep.runs().forEach(r -> byMethod.put(r.method(), r));
        return byMethod;
    }

    @Test
    void summaryJson_namesWhatEachKindOfRunIs_andWritesNullForWhatItDoesNotDefine() throws IOException {
        Map<String, RunConfig> runs = runsByMethod();
        double nan = Double.NaN;

        JsonNode pruned = JSON.readTree(JsonFiles.text(RunSummary.of(result(runs.get("fisher"),
                new double[][] {{0.9, nan}, {0.85, 0.8}}, 0.7))));
        JsonNode finetune = JSON.readTree(JsonFiles.text(RunSummary.of(result(runs.get("finetune"),
                new double[][] {{0.9, nan}, {0.5, 0.95}}, nan))));
        JsonNode ewc = JSON.readTree(JsonFiles.text(RunSummary.of(result(runs.get("ewc-l100-separate"),
                new double[][] {{0.9, nan}, {0.7, 0.9}}, nan))));
        JsonNode joint = JSON.readTree(JsonFiles.text(RunSummary.of(result(runs.get("joint"),
                new double[][] {{nan, nan}, {0.9, 0.92}}, nan))));

        // a pruned run: score, ratio and scope, no baseline fields
        JsonNode p = pruned.get("parameters");
        assertEquals("fisher", p.get("score").asText());
        assertEquals(0.5, p.get("ratio").asDouble());
        assertEquals("empirical", p.get("fisher_labels").asText());
        assertFalse(p.has("baseline") || p.has("ewc_lambda"), p.toString());
        assertEquals(-0.05, pruned.get("bwt").asDouble(), 1e-12);
        assertEquals(0.7, pruned.get("tasks").get(0).get("fisher_mass_kept").asDouble());
        assertEquals(List.of("id", "parameters", "sweep_values", "acc", "bwt", "accuracy_matrix", "tasks", "millis"),
                fieldNames(pruned));
        // a baseline: null score, ratio and scope (present, so that every summary has the same keys to read)
        JsonNode f = finetune.get("parameters");
        assertTrue(f.get("score").isNull() && f.get("ratio").isNull() && f.get("scope").isNull(), f.toString());
        assertEquals("finetune", f.get("baseline").asText());
        assertTrue(f.get("fisher_labels").isNull(), "finetune computes no Fisher");
        assertFalse(f.has("ewc_lambda"), f.toString());
        assertTrue(finetune.get("tasks").get(1).get("fisher_mass_kept").isNull());
        // EWC: its own fields, and the Fisher labels it uses
        JsonNode e = ewc.get("parameters");
        assertEquals(100.0, e.get("ewc_lambda").asDouble());
        assertEquals("separate", e.get("ewc_mode").asText());
        assertEquals("empirical", e.get("fisher_labels").asText());
        // joint training defines R's last row only
        assertTrue(joint.get("accuracy_matrix").get(0).get(0).isNull());
        assertTrue(joint.get("bwt").isNull(), "joint training has no R[j][j] to forget from");
        assertEquals(0.92, joint.get("accuracy_matrix").get(1).get(1).asDouble());
        assertEquals(List.of("seed", "method", "score", "ratio", "scope", "baseline", "ewc_lambda", "ewc_mode",
                "ewc_gamma", "fisher_labels", "tasks", "task_stream", "hidden", "activation", "learning_rate",
                "batch_size", "epochs", "retrain_epochs", "optimizer_reset", "init", "procedure", "workers",
                "averaging_frequency"), fieldNames(e));
    }

    @Test
    void summaryJson_readsBackEqual_andAnOlderSummaryReadsWithItsMissingFieldsNull(@TempDir Path dir)
            throws IOException {
        RunSummary summary = RunSummary.of(result(runsByMethod().get("joint"),
                new double[][] {{Double.NaN, Double.NaN}, {0.9, 0.92}}, Double.NaN));
        Path file = JsonFiles.write(dir.resolve("summary.json"), summary);
        assertEquals(summary, JsonFiles.read(file, RunSummary.class));

        // written before the training procedure was recorded, and by a newer build with a field this one lacks
        ObjectNode old = (ObjectNode) JSON.readTree(file.toFile());
        ((ObjectNode) old.get("parameters")).remove(List.of("procedure", "workers", "averaging_frequency", "init",
                "optimizer_reset"));
        old.put("written_by_a_newer_build", true);
        Files.writeString(file, JSON.writeValueAsString(old));
        RunSummary.Parameters read = JsonFiles.read(file, RunSummary.class).parameters();
        assertNull(read.workers());
        assertNull(read.procedure());
        assertEquals(summary.parameters().batchSize(), read.batchSize());
    }

    @Test
    void aValueOfTheWrongKind_isNamedByItsPathAndLine_notCoerced(@TempDir Path dir) throws IOException {
        RunSummary summary = RunSummary.of(result(runsByMethod().get("fisher"), new double[][] {{0.9}}, 0.7));
        String text = JsonFiles.text(summary);
        for (String bad : List.of("\"1\"", "1.5", "\"two\"")) {
            Path file = dir.resolve("summary.json");
            Files.writeString(file, text.replace("\"workers\" : 1,", "\"workers\" : " + bad + ","));
            IOException e = assertThrows(IOException.class, () -> JsonFiles.read(file, RunSummary.class), bad);
            assertTrue(e.getMessage().startsWith("parameters.workers is not an integer (line "), e.getMessage());
        }
        Files.writeString(dir.resolve("summary.json"), text.replace("\"tasks\" : [ {", "\"tasks\" : [ 3, {"));
        IOException e = assertThrows(IOException.class, () -> JsonFiles.read(dir.resolve("summary.json"),
                RunSummary.class));
        assertTrue(e.getMessage().startsWith("tasks[0] is not an object"), e.getMessage());
        Files.writeString(dir.resolve("summary.json"), "{\"parameters\": {}}");
        assertEquals("field \"id\" is missing", assertThrows(IOException.class,
                () -> JsonFiles.read(dir.resolve("summary.json"), RunSummary.class)).getMessage());
    }

    @Test
    void manifestJson_hasItsSectionsInOrder_readsBackEqual_andAnOlderManifestReadsWithDefaults(@TempDir Path dir)
            throws IOException {
        RunConfig run = runsByMethod().get("fisher");
        SweepManifest manifest = new SweepManifest("p1", "conf/p1.conf", "abc", "seed = 1\n", "0123+dirty",
                new SweepManifest.Versions("0.1", "1.0.0-M2.1", "3.5.1", "17.0.9"),
                new SweepManifest.Host(2, "Linux 6.1 (amd64)"),
                new SweepManifest.Spark("local[2]", 2, "data-parallel", "org.apache.spark.serializer.KryoSerializer",
                        "local-1"),
                List.of("seed"), List.of(SweepManifest.Run.of(result(run, new double[][] {{0.9}}, 0.7))),
                List.of(new SweepManifest.Failure("r9", 3, Map.of("seed", "3"), 1, "retrain", "NaN loss", 12)),
                List.of("r10"), new SweepManifest.Timing("2026-12-03T10:00:00Z", "2026-12-03T10:05:00Z", 300000));

        Path file = JsonFiles.write(dir.resolve("manifest.json"), manifest);

        assertEquals(List.of("experiment", "source", "config_sha256", "config", "git_commit", "versions", "host",
                "spark", "axes", "runs", "failures", "not_run", "timing"), fieldNames(JSON.readTree(file.toFile())));
        assertEquals(List.of("id", "seed", "method", "training", "sweep_values", "millis"),
                fieldNames(JSON.readTree(file.toFile()).get("runs").get(0)));
        assertEquals(manifest, JsonFiles.read(file, SweepManifest.class));

        Files.writeString(file, "{\"source\": \"conf/old.conf\", \"config\": \"seed = 1\"}");
        SweepManifest old = JsonFiles.read(file, SweepManifest.class);
        assertEquals(SweepManifest.UNKNOWN, old.versions().spark());
        assertEquals(SweepManifest.UNKNOWN, old.gitCommit());
        assertEquals(List.of(), old.runs());
        assertNull(old.timing().finished());

        Files.writeString(file, "{\"source\": \"conf/old.conf\"}");
        assertEquals("field \"config\" is missing", assertThrows(IOException.class,
                () -> JsonFiles.read(file, SweepManifest.class)).getMessage());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
