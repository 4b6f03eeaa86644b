package dev.fisherpacknet.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.jobs.spark.InjectedFaults;
import dev.fisherpacknet.jobs.spark.TaskProbe;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark tasks that fail half way through their work and are retried leave no trace in the results: the first
 * attempt of every task that trains (after one minibatch on its worker), sums a Fisher group (after one batch),
 * trains task 0 or runs a whole grid point (after its first task) throws, Spark runs it again, and the results
 * equal a fault-free sweep's byte for byte: no partial Fisher sum counted twice, no parameters averaged from a
 * half-finished worker. The session is {@code local[2,4]}: two cores, up to four attempts per task.
 */
class ExecutorFaultsIT {
    private static SparkSession spark;
    private static final Map<String, AtomicInteger> INJECTED = new ConcurrentHashMap<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder()
                .master("local[2,4]")
                .appName("fisher-packnet-faults")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config(TaskProbe.CONF_KEY, InjectedFaults.class.getName())
                .getOrCreate();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() instanceof ExceptionFailure failure
                        && failure.description().startsWith("injected fault at ")) {
                    String point = failure.description().substring("injected fault at ".length()).split(" ")[0];
                    INJECTED.computeIfAbsent(point, p -> new AtomicInteger()).incrementAndGet();
                }
            }
        });
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    @AfterEach
    void noMoreFaults() {
        System.clearProperty(InjectedFaults.PROPERTY);
        INJECTED.clear();
    }

    private static SweepConfig sweep(Path data, Path out, String mode) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString("""
                experiment.name = faults
                seed = 8
                data { source = idx, dir = "%s" }
                tasks.count = 2
                model.hidden = [16, 12]
                training { learning-rate = 0.01, batch-size = 32, epochs = 1, retrain-epochs = 1 }
                prune { ratio = 0.6, score = [fisher, magnitude] }
                spark { workers = 2, partitions = 2, averaging-frequency = 2, mode = %s }
                output.dir = "%s"
                """.formatted(data, mode, out)), "test");
    }

    @Test
    void failedFirstAttempts_inBothModes_giveTheResultsOfAFaultFreeSweep() throws Exception {
        // given: a fault-free sweep
        Path data = SyntheticIdx.write(Files.createDirectories(dir.resolve("data")), 200, 60, 23);
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        SweepJob.run(spark, sweep(data, dir.resolve("clean"), "data-parallel"), quiet);
        assertEquals(Map.of(), Map.copyOf(INJECTED));

        // when: the same sweep with faults in data-parallel training and Fisher sums ...
        System.setProperty(InjectedFaults.PROPERTY, "train,fisher");
        SweepJob.run(spark, sweep(data, dir.resolve("data-parallel"), "data-parallel"), quiet);
        awaitInjected("train", "fisher");
        // ... and in config-parallel task-0 jobs and whole runs
        INJECTED.clear();
        System.setProperty(InjectedFaults.PROPERTY, "task-zero,run");
        SweepJob.run(spark, sweep(data, dir.resolve("config-parallel"), "config-parallel"), quiet);
        awaitInjected("task-zero", "run");

        // then
        for (String mode : List.of("data-parallel", "config-parallel")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("clean/accuracy.csv")),
                    Files.readAllBytes(dir.resolve(mode).resolve("accuracy.csv")), mode);
            assertEquals(ResultFiles.dropTimings(Files.readAllLines(dir.resolve("clean/tasks.csv"))),
                    ResultFiles.dropTimings(Files.readAllLines(dir.resolve(mode).resolve("tasks.csv"))), mode);
        }
    }

    /** Waits for the listener (which Spark calls on its own thread) to have seen a fault at every point. */
    private static void awaitInjected(String... points) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !List.of(points).stream().allMatch(INJECTED::containsKey)) {
            Thread.sleep(50);
        }
        for (String point : points) {
            assertTrue(INJECTED.containsKey(point), "no fault was injected at " + point + ": " + INJECTED);
        }
    }
}
