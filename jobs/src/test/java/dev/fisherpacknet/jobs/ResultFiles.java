package dev.fisherpacknet.jobs;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fisherpacknet.core.saved.SavedRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Compares two sweeps' output folders file by file, everything but the fields that are wall times, dates or
 * Spark application ids: the result files of an interrupted and resumed sweep must equal an uninterrupted one's.
 * The resolved config that the manifest and each checkpoint record is compared with the output folder's path and
 * the execution mode masked, and the manifest's config hash and file name are left out: they say where and how a
 * sweep ran, not what it computed.
 */
final class ResultFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Phase timings: the last five columns of tasks.csv and tasks.parquet. */
    static final List<String> TIMING_COLUMNS = List.of("train_ms", "fisher_ms", "select_ms", "retrain_ms",
            "evaluate_ms");

    private ResultFiles() {
    }

    /** Asserts that {@code actual} holds the same results as {@code expected}; see the class comment. */
    static void assertSameResults(SparkSession spark, Path expected, Path actual) throws IOException {
        assertArrayEquals(Files.readAllBytes(expected.resolve("accuracy.csv")),
                Files.readAllBytes(actual.resolve("accuracy.csv")), "accuracy.csv");
        assertEquals(dropTimings(Files.readAllLines(expected.resolve("tasks.csv"))),
                dropTimings(Files.readAllLines(actual.resolve("tasks.csv"))), "tasks.csv");
        assertEquals(Files.readString(expected.resolve("summary.md")), Files.readString(actual.resolve("summary.md")));
        for (String table : List.of("agreement.csv", "weight-sample.csv")) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(table)), Files.readAllBytes(actual.resolve(table)),
                    table);
        }
        assertEquals(parquet(spark, expected.resolve("accuracy.parquet")), parquet(spark,
                actual.resolve("accuracy.parquet")), "accuracy.parquet");
        assertEquals(parquet(spark, expected.resolve("tasks.parquet")), parquet(spark, actual.resolve("tasks.parquet")),
                "tasks.parquet");
        assertEquals(manifest(expected), manifest(actual), "manifest.json");
        assertEquals(reportBody(expected), reportBody(actual), "report.md from its answer to its runs table");
        List<String> runs = runIds(expected);
        assertEquals(runs, runIds(actual));
        for (String id : runs) {
            Path a = expected.resolve("runs").resolve(id);
            Path b = actual.resolve("runs").resolve(id);
            assertEquals(withoutMillis(a.resolve("summary.json")), withoutMillis(b.resolve("summary.json")),
                    id + "/summary.json");
            assertEquals(withoutMillis(normalized(SavedRun.folder(a).resolve("state.json"), expected)),
                    withoutMillis(normalized(SavedRun.folder(b).resolve("state.json"), actual)),
                    id + "/checkpoint/state.json");
            assertArrayEquals(networkParams(a), networkParams(b), id + "/checkpoint/network.zip");
        }
    }

    static List<String> dropTimings(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("(,[^,]*){5}$", "")).toList();
    }

    static List<String> runIds(Path out) throws IOException {
        try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
            return runs.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> parquet(SparkSession spark, Path folder) {
        var frame = spark.read().parquet(folder.toString());
        for (String column : TIMING_COLUMNS) {
            frame = frame.drop(column);
        }
        return frame.collectAsList().stream().map(Row::toString).sorted().toList();
    }

    private static JsonNode manifest(Path out) throws IOException {
        ObjectNode manifest = (ObjectNode) normalized(out.resolve("manifest.json"), out);
        manifest.remove("timing");
        // the hash and the name of the config file cover where it was read from and where it wrote
        manifest.remove("config_sha256");
        manifest.remove("source");
        ((ObjectNode) manifest.get("spark")).remove("application_id");
        ((ObjectNode) manifest.get("spark")).remove("mode");
        for (JsonNode run : manifest.get("runs")) {
            ((ObjectNode) run).remove("millis");
        }
        return manifest;
    }

    private static String reportBody(Path out) throws IOException {
        String report = Files.readString(out.resolve("report.md"));
        int start = report.indexOf("## Answer");
        int end = report.indexOf("## Runs");
        assertTrue(start > 0 && end > start, "report.md of " + out + " has no answer or runs section");
        return report.substring(start, end);
    }

    /** A JSON file of folder {@code out} with the folder's path and the execution mode masked. */
    private static JsonNode normalized(Path file, Path out) throws IOException {
        return JSON.readTree(Files.readString(file).replace(out.toString(), "<out>")
                .replaceAll("(data|config)-parallel", "<mode>"));
    }

    /** A JSON tree with every "millis" field removed, at any depth. */
    static JsonNode withoutMillis(JsonNode root) {
        JsonNode copy = root.deepCopy();
        strip(copy);
        return copy;
    }

    /** A JSON file with every "millis" field removed, at any depth. */
    static JsonNode withoutMillis(Path file) throws IOException {
        return withoutMillis(JSON.readTree(file.toFile()));
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("millis");
            object.forEach(ResultFiles::strip);
        } else if (node instanceof ArrayNode array) {
            array.forEach(ResultFiles::strip);
        }
    }

    private static float[] networkParams(Path runDir) throws IOException {
        return ModelSerializer.restoreMultiLayerNetwork(SavedRun.folder(runDir).resolve("network.zip").toFile(),
                false).params().dup().data().asFloat();
    }
}
