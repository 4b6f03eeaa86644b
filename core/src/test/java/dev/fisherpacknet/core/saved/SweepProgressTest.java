package dev.fisherpacknet.core.saved;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SparkSettings;
import dev.fisherpacknet.core.mask.MultiHeadModel;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.results.ResultsWriter;
import dev.fisherpacknet.core.run.Phase;
import dev.fisherpacknet.core.run.RunCheckpoint;
import dev.fisherpacknet.core.run.RunFailure;
import dev.fisherpacknet.core.run.TaskRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an output folder holds of a sweep, run by run: finished, failed, half way, or nothing. */
class SweepProgressTest {
    private static final int WIDTH = 5;
    private static final SparkSettings SPARK = new SparkSettings(2, 2, 5);
    private static final String TEXT = """
            tasks.count = 2
            model.hidden = [6]
            prune.ratio = [0.1, 0.2, 0.3, 0.4]
            """;
    private static final List<RunConfig> RUNS = ConfigLoader.fromConfig(ConfigFactory.parseString(TEXT), "test")
            .runs().stream().map(r -> r.withSpark(SPARK)).toList();

    @TempDir
    Path out;

    /** A checkpoint after {@code tasks} untrained tasks: what is in it does not matter here, only its shape. */
    private static RunCheckpoint checkpoint(RunConfig run, int tasks) {
        NetworkFactory factory = new NetworkFactory(run.model(), WIDTH, run.training().learningRate());
        MultiLayerNetwork net = factory.create(4, 1);
        MultiHeadModel model = MultiHeadModel.start(factory, net);
        List<TaskRecord> records = new ArrayList<>();
        double[][] accuracy = {{0.25, Double.NaN}, {0.5, 0.75}};
        for (int t = 0; t < tasks; t++) {
            model.finishTask(net, 4);
            records.add(new TaskRecord(t, 1.0, 0.5, 12, 0.6, Map.of(Phase.TRAIN, 7L)));
        }
        return RunCheckpoint.capture(model, accuracy, records, 40 + tasks);
    }

    private void save(RunConfig run, int tasks) {
        SavedRun.write(SweepProgress.runDir(out, run), run, WIDTH, TEXT, checkpoint(run, tasks));
    }

    @Test
    void read_sortsRunsIntoFinishedFailedHalfWayAndFresh() {
        // given: run 0 finished, run 1 half way, run 2 failed, run 3 never started
        save(RUNS.get(0), 2);
        save(RUNS.get(1), 1);
        new ResultsWriter(out, List.of()).writeFailure(new RunFailure(RUNS.get(2), 1, Phase.RETRAIN, "it broke", 9));

        // when
        SweepProgress progress = SweepProgress.read(out, RUNS);

        // then
        assertEquals(1, progress.finished().size());
        assertEquals(RUNS.get(0), progress.finished().get(0).config());
        assertEquals(0.5, progress.finished().get(0).accuracy().get(1, 0), 0.0);
        assertEquals(0.625, progress.finished().get(0).accuracy().acc(), 0.0);
        assertEquals(42, progress.finished().get(0).millis());
        assertEquals(List.of(new RunFailure(RUNS.get(2), 1, Phase.RETRAIN, "it broke", 9)), progress.failed());
        assertEquals(List.of(RUNS.get(1).id()), List.copyOf(progress.partial().keySet()));
        assertEquals(1, progress.partial().get(RUNS.get(1).id()).tasksDone());
        assertEquals(List.of(RUNS.get(1), RUNS.get(3)), progress.pending());
        assertTrue(SweepProgress.read(out.resolve("elsewhere"), RUNS).isFresh());
    }

    @Test
    void checkpointOfAnEarlierBuild_isRefusedForResuming_butStillReadable() throws Exception {
        // given: run 1's checkpoint as a build before FusedAdam wrote it (same layout, version 1)
        save(RUNS.get(1), 1);
        Path state = SavedRun.folder(SweepProgress.runDir(out, RUNS.get(1))).resolve("state.json");
        Files.writeString(state, Files.readString(state).replace("\"version\" : " + SavedRun.VERSION,
                "\"version\" : 1"));

        // when
        SavedRunException e = assertThrows(SavedRunException.class, () -> SweepProgress.read(out, RUNS));

        // then
        assertTrue(e.getMessage().startsWith(SavedRun.folder(SweepProgress.runDir(out, RUNS.get(1)))
                + " was written by an earlier build, which trained with ND4J's Adam (checkpoint version 1)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("delete " + SweepProgress.runDir(out, RUNS.get(1))), e.getMessage());
        assertEquals(1, SavedRun.read(SweepProgress.runDir(out, RUNS.get(1))).version());
    }

    @Test
    void checkpointOfOtherSparkSettings_isRefusedNamingBothAndTheRemedy() {
        save(RUNS.get(1), 1);
        List<RunConfig> onAnotherMaster = RUNS.stream().map(r -> r.withSpark(new SparkSettings(4, 4, 5))).toList();

        SavedRunException e = assertThrows(SavedRunException.class, () -> SweepProgress.read(out, onAnotherMaster));

        assertEquals(SavedRun.folder(SweepProgress.runDir(out, RUNS.get(1))) + " was computed with spark.partitions"
                + " = 2 and spark.workers = 2, this sweep resolves them to 4 and 4 (0 takes the master's parallelism),"
                + " which would change its results: run with the same --master, or set spark.partitions and"
                + " spark.workers to the recorded values", e.getMessage());
    }
}
