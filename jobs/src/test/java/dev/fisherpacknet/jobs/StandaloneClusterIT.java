package dev.fisherpacknet.jobs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.jobs.io.BuildInfo;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on 127.0.0.1, started from the project's own dependency jars: one Master and
 * one Worker, each in its own JVM, and executors in JVMs the Worker launches. The job jar is submitted with
 * Spark's SparkSubmit, and its results must equal a local[2] run of the same sweep bit for bit: runs trained
 * sequentially (each phase one Spark task) and by two parameter-averaging workers, two Fisher partitions, and sums of
 * two partial results do not depend on the order in which they arrive. In each run one executor JVM is killed half way,
 * and the results must still be the
 * same. Master and Worker are stopped by their pids, also when the test fails.
 */
class StandaloneClusterIT extends SparkTestSession {
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration JOB = Duration.ofMinutes(8);
    private static final int LARGE_RECORDS = 480_000;
    private static final long DRIVER_HEAP_BYTES = 512L << 20;

    @TempDir
    Path dir;

    private final List<Process> daemons = new ArrayList<>();

    @AfterEach
    void stopCluster() {
        for (Process daemon : daemons) {
            // The Worker's executors are its children; stop them with it.
            daemon.descendants().forEach(ProcessHandle::destroy);
            daemon.destroy();
        }
        for (Process daemon : daemons) {
            try {
                if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
                    daemon.descendants().forEach(ProcessHandle::destroyForcibly);
                    daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void sweepOnStandaloneCluster_equalsLocalRunBitForBit() throws Exception {
        // given: synthetic data, a sweep file, and a SPARK_HOME made of links to the build's jars
        Path data = Files.createDirectories(dir.resolve("data"));
        SyntheticIdx.write(data, 240, 80, 21);
        String sweepText = """
                experiment.name = cluster-check
                seed = 6
                data { source = idx, dir = "%s" }
                tasks.count = 2
                model.hidden = [16, 12]
                training { learning-rate = 0.01, batch-size = 16, epochs = 2, retrain-epochs = 1 }
                prune { ratio = [0.6], score = [fisher, random] }
                # sequential training (a phase in one Spark task) and parameter averaging
                spark { workers = [1, 2], partitions = 2, averaging-frequency = 2 }
                # the EWC penalty (a broadcast training listener) and the joint loss on executors of their own
                baselines = [ewc, joint]
                ewc.lambda = 20
                """.formatted(data);
        Path conf = dir.resolve("cluster.conf");
        Files.writeString(conf, sweepText);
        Path sparkHome = sparkHome(dir.resolve("spark-home"));
        Path target = Path.of("target").toAbsolutePath();
        Path jobJar;
        try (Stream<Path> jars = Files.list(target)) {
            jobJar = jars.filter(p -> p.getFileName().toString().endsWith("-job.jar")).findFirst().orElseThrow(
                    () -> new AssertionError("no job jar in " + target + "; run mvn package first"));
        }
        String opens = BuildInfo.javaOpens();

        // when: a Master, a Worker and the submitted job
        int masterPort = freePort();
        String masterUrl = "spark://127.0.0.1:" + masterPort;
        Path logs = Files.createDirectories(dir.resolve("logs"));
        daemons.add(start(sparkHome, opens, logs.resolve("master.log"), "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port",
                String.valueOf(freePort())));
        awaitLog(logs.resolve("master.log"), "I have been elected leader");
        daemons.add(start(sparkHome, opens, logs.resolve("worker.log"), "org.apache.spark.deploy.worker.Worker",
                masterUrl, "--host", "127.0.0.1", "--cores", "2", "--memory", "3g", "--webui-port",
                String.valueOf(freePort()), "--work-dir", Files.createDirectories(dir.resolve("work")).toString()));
        awaitLog(logs.resolve("master.log"), "Registering worker");
        // Both modes on the cluster: data-parallel runs training and Fisher on the executors, config-parallel
        // runs every phase there, evaluation included.
        Path localOut = dir.resolve("local-out");
        SweepJob.run(spark, ConfigLoader.fromConfig(ConfigFactory.parseString(sweepText + "output.dir = \""
                + localOut + "\"\nspark.mode = data-parallel\n"), "local"),
                new PrintStream(PrintStream.nullOutputStream()));
        for (String mode : List.of("config-parallel", "data-parallel")) {
            Path clusterOut = dir.resolve("cluster-" + mode);
            Path submitLogFile = logs.resolve("submit-" + mode + ".log");
            Set<Path> earlierApps = apps(dir.resolve("work"));
            Process submit = start(sparkHome, opens, submitLogFile, "org.apache.spark.deploy.SparkSubmit",
                    "--master", masterUrl, "--deploy-mode", "client", "--class", SweepJob.class.getName(),
                    "--conf", "spark.executor.extraJavaOptions=" + opens,
                    "--conf", "spark.executor.memory=2g",
                    "--conf", "spark.driver.host=127.0.0.1",
                    "--conf", "spark.ui.enabled=false",
                    jobJar.toString(), conf.toString(), "--out", clusterOut.toString(), "--set", "spark.mode=" + mode);
            // An executor lost half way: its JVM killed (SIGKILL) once it runs a task of the sweep. Spark runs its
            // tasks again on the executor the Worker starts in its place, and the results must not change.
            long killedPid = killExecutorOnceBusy(dir.resolve("work"), earlierApps, submit);
            boolean finished = submit.waitFor(JOB.toSeconds(), TimeUnit.SECONDS);
            if (!finished) {
                submit.descendants().forEach(ProcessHandle::destroyForcibly);
                submit.destroyForcibly();
            }
            String submitLog = Files.readString(submitLogFile);
            assertTrue(finished, mode + ": the job did not finish in " + JOB + ":\n" + tail(submitLog));
            assertEquals(0, submit.exitValue(), mode + ": the job failed:\n" + tail(submitLog));

            // then: executors ran in their own JVMs ...
            try (Stream<Path> apps = Files.list(dir.resolve("work"))) {
                assertTrue(apps.findAny().isPresent(), "the Worker launched no executor");
            }
            assertTrue(submitLog.contains(masterUrl) && submitLog.contains(mode), tail(submitLog));
            // ... one of them was lost with tasks running on it, and the sweep carried on ...
            assertTrue(ProcessHandle.of(killedPid).isEmpty(), "executor " + killedPid + " still runs");
            assertTrue(submitLog.contains("Lost executor"), mode + ": the driver lost no executor:\n"
                    + tail(submitLog));
            // ... the event log is beside the results ...
            try (Stream<Path> events = Files.list(clusterOut.resolve("spark-events"))) {
                assertTrue(events.findAny().isPresent(), "no Spark event log");
            }
            // ... and the results equal a local[2] data-parallel run of the same sweep
            assertEquals(Files.readString(localOut.resolve("accuracy.csv")),
                    Files.readString(clusterOut.resolve("accuracy.csv")), mode);
            assertEquals(dropTimings(Files.readAllLines(localOut.resolve("tasks.csv"))),
                    dropTimings(Files.readAllLines(clusterOut.resolve("tasks.csv"))), mode);
        }
    }

    /**
     * Training data larger than the driver's heap: 480,000 images of 28x28, 1.5 GB as floats (375 MB of IDX bytes),
     * a driver with {@code -Xmx512m}. The executors read their partitions from the files; the driver reads the
     * labels and the test set. The data-parallel run with two averaging workers and two Fisher partitions must
     * equal the same sweep on local[2] bit for bit.
     */
    @Test
    void dataParallelSweep_withTrainingDataLargerThanTheDriverHeap_equalsLocalRun() throws Exception {
        // given
        Path data = Files.createDirectories(dir.resolve("large"));
        SyntheticIdx.writeLarge(data, LARGE_RECORDS, 2_000, 28, 31);
        long floatBytes = (long) LARGE_RECORDS * 28 * 28 * Float.BYTES;
        assertTrue(floatBytes > 2L * DRIVER_HEAP_BYTES, "the data must dwarf the driver's heap: " + floatBytes);
        String sweepText = """
                experiment.name = large-data
                seed = 3
                data { source = idx, dir = "%s" }
                tasks.count = 2
                model.hidden = [8]
                training { learning-rate = 0.01, batch-size = 512, epochs = 1, retrain-epochs = 1 }
                prune { ratio = [0.5], score = [fisher] }
                spark { mode = data-parallel, workers = 2, partitions = 2, averaging-frequency = 50 }
                """.formatted(data);
        Path conf = dir.resolve("large.conf");
        Files.writeString(conf, sweepText);
        Path sparkHome = sparkHome(dir.resolve("spark-home"));
        String opens = BuildInfo.javaOpens();
        int masterPort = freePort();
        String masterUrl = "spark://127.0.0.1:" + masterPort;
        Path logs = Files.createDirectories(dir.resolve("logs"));
        daemons.add(start(sparkHome, opens, "1g", logs.resolve("master.log"), "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port",
                String.valueOf(freePort())));
        awaitLog(logs.resolve("master.log"), "I have been elected leader");
        daemons.add(start(sparkHome, opens, "1g", logs.resolve("worker.log"), "org.apache.spark.deploy.worker.Worker",
                masterUrl, "--host", "127.0.0.1", "--cores", "2", "--memory", "6g", "--webui-port",
                String.valueOf(freePort()), "--work-dir", Files.createDirectories(dir.resolve("work")).toString()));
        awaitLog(logs.resolve("master.log"), "Registering worker");
        Path localOut = dir.resolve("local-out");
        SweepJob.run(spark, ConfigLoader.fromConfig(ConfigFactory.parseString(sweepText + "output.dir = \""
                + localOut + "\"\n"), "local"), new PrintStream(PrintStream.nullOutputStream()));

        // when
        Path clusterOut = dir.resolve("cluster-out");
        Path submitLogFile = logs.resolve("submit.log");
        Process submit = start(sparkHome, opens, "512m", submitLogFile, "org.apache.spark.deploy.SparkSubmit",
                "--master", masterUrl, "--deploy-mode", "client", "--class", SweepJob.class.getName(),
                "--conf", "spark.executor.extraJavaOptions=" + opens,
                "--conf", "spark.executor.memory=5g",
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.ui.enabled=false",
                jobJar().toString(), conf.toString(), "--out", clusterOut.toString());
        boolean finished = submit.waitFor(JOB.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            submit.descendants().forEach(ProcessHandle::destroyForcibly);
            submit.destroyForcibly();
        }
        String submitLog = Files.readString(submitLogFile);

        // then
        assertTrue(finished, "the job did not finish in " + JOB + ":\n" + tail(submitLog));
        assertEquals(0, submit.exitValue(), "the job failed:\n" + tail(submitLog));
        assertTrue(submitLog.contains(LARGE_RECORDS + " training and 2000 test examples (training examples read by"
                + " the executors)"), tail(submitLog));
        assertEquals(Files.readString(localOut.resolve("accuracy.csv")),
                Files.readString(clusterOut.resolve("accuracy.csv")));
        assertEquals(dropTimings(Files.readAllLines(localOut.resolve("tasks.csv"))),
                dropTimings(Files.readAllLines(clusterOut.resolve("tasks.csv"))));
    }

    private static Path jobJar() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        try (Stream<Path> jars = Files.list(target)) {
            return jars.filter(p -> p.getFileName().toString().endsWith("-job.jar")).findFirst().orElseThrow(
                    () -> new AssertionError("no job jar in " + target + "; run mvn package first"));
        }
    }

    private static Set<Path> apps(Path work) throws IOException {
        try (Stream<Path> apps = Files.list(work)) {
            return apps.collect(Collectors.toSet());
        }
    }

    /**
     * Waits until an executor of the application that {@code submit} started (a folder in the Worker's {@code work}
     * that is not among {@code earlierApps}) logs that it has started a task it has not finished, kills its JVM and
     * returns its pid.
     */
    private static long killExecutorOnceBusy(Path work, Set<Path> earlierApps, Process submit) throws Exception {
        long deadline = System.nanoTime() + JOB.toNanos();
        while (System.nanoTime() < deadline && submit.isAlive()) {
            for (Path app : apps(work)) {
                if (earlierApps.contains(app)) {
                    continue;
                }
                String appId = app.getFileName().toString();
                try (Stream<Path> executors = Files.list(app)) {
                    for (Path executor : executors.toList()) {
                        Path stderr = executor.resolve("stderr");
                        if (!Files.exists(stderr) || !taskInFlight(Files.readString(stderr))) {
                            continue;
                        }
                        Optional<ProcessHandle> process = ProcessHandle.allProcesses()
                                .filter(p -> p.info().commandLine().map(c -> c.contains("CoarseGrainedExecutorBackend")
                                        && c.contains(appId)).orElse(false))
                                .findFirst();
                        if (process.isPresent()) {
                            process.get().destroyForcibly();
                            process.get().onExit().get(30, TimeUnit.SECONDS);
                            return process.get().pid();
                        }
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no executor of the job ran a task before the job " + (submit.isAlive()
                ? "timed out" : "ended"));
    }

    /** Whether an executor's log shows a task it started and has not finished. */
    private static boolean taskInFlight(String log) {
        return log.split("Executor: Running task", -1).length > log.split("Executor: Finished task", -1).length;
    }

    /** A folder that Spark's scripts and daemons accept as SPARK_HOME: jars/ links every jar of the build. */
    private static Path sparkHome(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        List<String> entries = new ArrayList<>();
        for (String file : List.of("target/runtime-classpath.txt", "target/spark-classpath.txt")) {
            entries.addAll(List.of(Files.readString(Path.of(file)).trim().split(File.pathSeparator)));
        }
        for (String entry : entries) {
            Path jar = Path.of(entry);
            if (entry.endsWith(".jar") && !Files.exists(jars.resolve(jar.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        return home;
    }

    private static Process start(Path sparkHome, String opens, Path log, String mainClass, String... args)
            throws IOException {
        return start(sparkHome, opens, "1g", log, mainClass, args);
    }

    private static Process start(Path sparkHome, String opens, String heap, Path log, String mainClass,
                                 String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.addAll(List.of(opens.split(" ")));
        command.addAll(List.of("-cp", sparkHome.resolve("jars") + File.separator + "*", mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        // Without it the Worker fails every executor with "Cannot find any build directories".
        env.put("SPARK_SCALA_VERSION", "2.12");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        return builder.start();
    }

    private static void awaitLog(Path log, String line) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("'" + line + "' did not appear in " + log + " within " + STARTUP + ":\n"
                + tail(Files.exists(log) ? Files.readString(log) : ""));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> dropTimings(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("(,[^,]*){5}$", "")).toList();
    }

    private static String tail(String log) {
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }
}
