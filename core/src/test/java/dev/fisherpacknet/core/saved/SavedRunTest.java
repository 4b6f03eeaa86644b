package dev.fisherpacknet.core.saved;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.data.TaskStreams;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.mask.MultiHeadModel;
import dev.fisherpacknet.core.run.ContinualRun;
import dev.fisherpacknet.core.run.ProgressListener;
import dev.fisherpacknet.core.run.RunCheckpoint;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.core.testing.SyntheticData;
import dev.fisherpacknet.core.train.AveragedTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint written to disk reads back bit for bit; its network file is a DL4J model of the last task; a saved
 * run evaluated from disk gives the run's own final accuracies and predictions exactly.
 */
class SavedRunTest {
    private static final int BATCH = 16;
    private static final SyntheticData.TrainTest DATA = SyntheticData.trainTest(43, 200, 80, 12, 4);
    private static final Splits.TrainTest SPLIT = new Splits.TrainTest(DATA.train(), DATA.test(), List.of());
    private static final String SWEEP = """
            seed = 9
            tasks.count = 3
            model.hidden = [20, 16]
            training { learning-rate = 0.01, epochs = 2, retrain-epochs = 1, batch-size = 16 }
            prune { ratio = [0.5, 0.7], score = magnitude }
            spark { workers = 2, partitions = 2, averaging-frequency = 2 }
            """;

    private static RunConfig config;
    private static RunResult result;
    private static MultiHeadModel model;
    private static final List<RunCheckpoint> CHECKPOINTS = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void runOnce() {
        config = ConfigLoader.fromConfig(ConfigFactory.parseString(SWEEP), "test").runs().get(1);
        MultiHeadModel[] last = new MultiHeadModel[1];
        result = new ContinualRun(config, SPLIT, new AveragedTrainer(DATA.train(), BATCH, 2, 2),
                new LocalFisherEstimator(DATA.train(), BATCH, 2))
                .run(ProgressListener.NONE, (t, m) -> last[0] = m, null, CHECKPOINTS::add);
        model = last[0];
    }

    private Path saved(RunCheckpoint checkpoint) {
        Path runDir = dir.resolve("runs").resolve(config.id());
        SavedRun.write(runDir, config, DATA.train().width(), SWEEP, checkpoint);
        return runDir;
    }

    @Test
    void writeThenRead_givesTheCheckpointBitForBit() {
        RunCheckpoint written = CHECKPOINTS.get(1);

        SavedRun read = SavedRun.read(saved(written));

        RunCheckpoint back = read.checkpoint();
        assertEquals(config.id(), read.runId());
        assertEquals(3, read.taskCount());
        assertEquals(12, read.inputWidth());
        assertEquals(config.spark(), read.spark());
        assertEquals(ConfigLoader.fromText(SWEEP, List.of(), "a").resolvedText(),
                ConfigLoader.fromText(read.sweepConfig(), List.of(), "b").resolvedText(), "the same configuration");
        assertEquals(2, back.tasksDone());
        assertArrayEquals(written.trunk(), back.trunk());
        assertArrayEquals(written.owners(), back.owners());
        assertEquals(written.headClasses(), back.headClasses());
        for (int j = 0; j < 2; j++) {
            assertArrayEquals(written.heads().get(j), back.heads().get(j));
        }
        assertArrayEquals(written.accuracy(), back.accuracy());
        assertEquals(written.records(), back.records());
        assertEquals(written.millis(), back.millis());
    }

    @Test
    void laterCheckpoint_replacesTheEarlierOneLeavingNothingElse() throws Exception {
        saved(CHECKPOINTS.get(0));
        Path runDir = saved(CHECKPOINTS.get(2));

        try (Stream<Path> entries = Files.list(runDir)) {
            assertEquals(List.of("checkpoint"), entries.map(p -> p.getFileName().toString()).toList());
        }
        try (Stream<Path> entries = Files.list(SavedRun.folder(runDir))) {
            assertEquals(List.of("network.zip", "state.json"),
                    entries.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(3, SavedRun.read(runDir).checkpoint().tasksDone());
    }

    @Test
    void networkFile_isTheLastTasksNetworkForDl4j() throws Exception {
        Path runDir = saved(CHECKPOINTS.get(2));

        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(
                SavedRun.folder(runDir).resolve("network.zip").toFile(), false);

        Task last = TaskStreams.build(config.tasks(), config.seed(), SPLIT).get(2);
        var features = last.testSet(DATA.test()).getFeatures();
        assertArrayEquals(model.predict(2, features), net.output(features, false).argMax(1).toIntVector());
    }

    @Test
    void evaluation_givesTheRunsFinalAccuraciesAndPredictionsExactly() throws Exception {
        SavedRunEvaluation evaluation = SavedRunEvaluation.of(SavedRun.read(saved(CHECKPOINTS.get(2))), List.of());

        List<SavedRunEvaluation.TaskAccuracy> accuracies = evaluation.accuracies(SPLIT);

        assertEquals(3, accuracies.size());
        List<Task> tasks = TaskStreams.build(config.tasks(), config.seed(), SPLIT);
        for (int j = 0; j < 3; j++) {
            assertEquals(result.accuracy().get(2, j), accuracies.get(j).accuracy(), 0.0, "task " + j);
            assertEquals(tasks.get(j).testSize(), accuracies.get(j).examples());
            assertArrayEquals(model.predict(j, tasks.get(j).testSet(DATA.test()).getFeatures()),
                    evaluation.predict(SPLIT, j), "predictions of task " + j);
        }
        Path csv = evaluation.writePredictions(SPLIT, 1, dir.resolve("p.csv"));
        List<String> lines = Files.readAllLines(csv);
        int[] predicted = model.predict(1, tasks.get(1).testSet(DATA.test()).getFeatures());
        int[] labels = tasks.get(1).testLabels(DATA.test());
        assertEquals("example,label,predicted", lines.get(0));
        assertEquals(1 + predicted.length, lines.size());
        for (int n = 0; n < predicted.length; n++) {
            assertEquals(n + "," + labels[n] + "," + predicted[n], lines.get(n + 1));
        }
    }

    @Test
    void evaluationOnOtherData_countsCorrectPredictionsOnThoseData() {
        SavedRunEvaluation evaluation = SavedRunEvaluation.of(SavedRun.read(saved(CHECKPOINTS.get(2))), List.of());
        SyntheticData.TrainTest other = SyntheticData.trainTest(99, 120, 60, 12, 4);
        Splits.TrainTest otherSplit = new Splits.TrainTest(other.train(), other.test(), List.of());

        List<SavedRunEvaluation.TaskAccuracy> accuracies = evaluation.accuracies(otherSplit);

        List<Task> tasks = TaskStreams.build(config.tasks(), config.seed(), otherSplit);
        for (int j = 0; j < 3; j++) {
            int[] predicted = model.predict(j, tasks.get(j).testSet(other.test()).getFeatures());
            int[] labels = tasks.get(j).testLabels(other.test());
            int correct = 0;
            for (int n = 0; n < labels.length; n++) {
                correct += predicted[n] == labels[n] ? 1 : 0;
            }
            assertEquals(correct / (double) labels.length, accuracies.get(j).accuracy(), 0.0, "task " + j);
        }
    }

    @Test
    void evaluationErrors_nameTheFaultAndTheRemedy() throws Exception {
        SavedRun saved = SavedRun.read(saved(CHECKPOINTS.get(1)));
        SavedRunException notData = assertThrows(SavedRunException.class,
                () -> SavedRunEvaluation.of(saved, List.of("prune.ratio=0.9")));
        assertEquals("--set prune.ratio=0.9: only data.* keys can change; the model was trained with the run's own"
                + " configuration", notData.getMessage());
        SavedRunException notLearnt = assertThrows(SavedRunException.class,
                () -> SavedRunEvaluation.of(saved, List.of()).predict(SPLIT, 2));
        assertEquals("--task 2: run " + config.id() + " has learnt tasks 0 to 1", notLearnt.getMessage());
        SyntheticData.TrainTest narrow = SyntheticData.trainTest(3, 40, 20, 10, 4);
        SavedRunException width = assertThrows(SavedRunException.class, () -> SavedRunEvaluation.of(saved, List.of())
                .accuracies(new Splits.TrainTest(narrow.train(), narrow.test(), List.of())));
        assertEquals("the data have 10 features per example, run " + config.id() + " was trained on 12",
                width.getMessage());
    }

    @Test
    void damagedOrMissingCheckpoint_isNamedWithTheRemedy() throws Exception {
        Path runDir = saved(CHECKPOINTS.get(1));
        Path state = SavedRun.folder(runDir).resolve("state.json");
        Files.writeString(state, "{\"format\": \"fisher-packnet-checkpoint\", \"version\": 1}");

        SavedRunException damaged = assertThrows(SavedRunException.class, () -> SavedRun.read(runDir));
        assertTrue(damaged.getMessage().startsWith("cannot read the saved run in " + SavedRun.folder(runDir)
                + " (field \"run\" is missing); if it is damaged, delete " + SavedRun.folder(runDir)),
                        damaged.getMessage());

        SavedRunException missing = assertThrows(SavedRunException.class, () -> SavedRun.read(dir.resolve("nothing")));
        assertEquals("no saved run in " + dir.resolve("nothing") + ": " + dir.resolve("nothing/checkpoint")
                + " must hold state.json and network.zip; give a run's folder, runs/<run-id>/ in a sweep's output"
                + " folder", missing.getMessage());
    }
}
