package dev.fisherpacknet.core.saved;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.mask.ImportanceScore;
import dev.fisherpacknet.core.results.JsonFiles;
import dev.fisherpacknet.core.run.Phase;
import dev.fisherpacknet.core.run.ScoreAgreement;
import dev.fisherpacknet.core.run.TaskRecord;
import dev.fisherpacknet.core.run.WeightSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code state.json} as a record: values JSON cannot hold survive the round trip; a foreign file is named so. */
class CheckpointStateTest {

    @TempDir
    Path dir;

    private static CheckpointState state(List<TaskRecord> records, double[][] accuracy) {
        return new CheckpointState(SavedRun.FORMAT, SavedRun.VERSION, "r1", 3, records.size(), 4,
                new CheckpointState.Spark(2, 2, 5), 6, CheckpointState.Owners.of(new int[] {0, 0, -1, 1, -1, 0}),
                List.of(CheckpointState.Head.of(0, 2, new float[] {0.5f, -0.25f, Float.MIN_VALUE})), accuracy,
                records.stream().map(CheckpointState.Task::of).toList(), 99L, "seed = 1\n");
    }

    @Test
    void nanAndSubnormalValues_readBackBitForBit() throws IOException {
        WeightSample sample = new WeightSample(1, new int[] {3, 8}, new float[] {1e-40f, -2f},
                new double[] {Double.NaN, 1e-300}, new boolean[] {false, true});
        TaskRecord record = new TaskRecord(0, Double.NaN, 0.5, 3, Double.NaN, Map.of(Phase.TRAIN, 12L),
                List.of(new ScoreAgreement(ImportanceScore.MAGNITUDE, 0, 6, 0.5, Double.NaN)), sample);
        Path file = JsonFiles.write(dir.resolve("state.json"), state(List.of(record), new double[][] {{Double.NaN}}));

        CheckpointState read = JsonFiles.read(file, CheckpointState.class);

        assertTrue(Files.readString(file).contains("\"free_at_start\" : \"NaN\""), "JSON has no NaN literal");
        TaskRecord back = read.taskRecords().get(0).toRecord();
        assertEquals(record.task(), back.task());
        assertTrue(Double.isNaN(back.freeAtStart()) && Double.isNaN(back.fisherMassKept()));
        assertEquals(12L, back.millisByPhase().get(Phase.TRAIN));
        assertEquals(0L, back.millisByPhase().get(Phase.EVALUATE), "every phase is listed");
        assertEquals(record.agreements().get(0).other(), back.agreements().get(0).other());
        assertTrue(Double.isNaN(back.agreements().get(0).spearman()));
        assertArrayEquals(sample.weights(), back.sample().weights());
        assertArrayEquals(sample.fisher(), back.sample().fisher());
        assertArrayEquals(sample.kept(), back.sample().kept());
        assertTrue(Double.isNaN(read.accuracyMatrix()[0][0]));
        assertArrayEquals(new int[] {0, 0, -1, 1, -1, 0}, read.owners().decode(6));
        assertArrayEquals(new float[] {0.5f, -0.25f, Float.MIN_VALUE},
                CheckpointState.decodeFloats(read.heads().get(0).data()));
    }

    @Test
    void aFileOfAnotherFormatOrVersion_isNamedSoBeforeAnyMissingField() throws IOException {
        Path file = dir.resolve("state.json");
        for (String head : List.of("\"format\": \"other\", \"version\": 2", "\"format\": \"fisher-packnet-checkpoint\","
                + " \"version\": 3")) {
            Files.writeString(file, "{" + head + "}");
            IOException e = assertThrows(IOException.class, () -> JsonFiles.read(file, CheckpointState.class));
            assertEquals("it is not a version-1 to 2 fisher-packnet-checkpoint file", e.getMessage());
        }
        Files.writeString(file, JsonFiles.text(state(List.of(), new double[0][])).replaceFirst("\"data\" : \"AAAA",
                "\"lost\" : \"AAAA"));
        assertEquals("field \"owners.data\" is missing", assertThrows(IOException.class,
                () -> JsonFiles.read(file, CheckpointState.class)).getMessage());
    }
}
