package dev.fisherpacknet.core.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.config.ConfigFingerprint;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.testing.ChildJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The claim on an output folder: writable, one sweep at a time, never two configurations' results mixed. */
class SweepOutputTest {

    private static final String CONFIG = "experiment.name = a, seed = 1, prune.ratio = [0.5, 0.7], training.epochs = 5";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static SweepConfig sweep(Path out, String hocon) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString(hocon + "\noutput.dir = \"" + out + "\""),
                "test.conf");
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** What a finished sweep leaves, minus Spark's event logs: enough to tell results from no results. */
    private static void writeResults(Path out) throws IOException {
        Files.writeString(out.resolve("accuracy.csv"), "run,t,j,accuracy\n");
        Files.createDirectories(out.resolve("runs/r000-fisher-p0.5"));
        Files.writeString(out.resolve("runs/r000-fisher-p0.5/summary.json"), "{}");
    }

    private static String pidAndHost() throws IOException {
        return "pid " + ProcessHandle.current().pid() + " on host " + InetAddress.getLocalHost().getHostName();
    }

    // ---- a fresh folder ----

    @Test
    void claim_ofAMissingFolder_createsItAndRecordsTheConfig() throws IOException {
        // given
        Path out = dir.resolve("results/a");
        SweepConfig sweep = sweep(out, CONFIG);

        // when
        try (SweepOutput output = SweepOutput.claim(sweep, false, CLOCK)) {
            // then
            assertEquals(out, output.dir());
            assertTrue(output.movedAside().isEmpty());
            JsonNode marker = new ObjectMapper().readTree(out.resolve("sweep.json").toFile());
            assertEquals(ConfigFingerprint.of(sweep).sha256(), marker.get("config_fingerprint").asText());
            assertEquals("[0.5,0.7]", marker.get("config").get("prune.ratio").asText());
            assertEquals("5", marker.get("config").get("training.epochs").asText());
            assertFalse(marker.get("config").has("output.dir"), "where results go is not what they are");
            assertEquals("test.conf", marker.get("source").asText());
            assertEquals("2025-03-04T05:06:07Z", marker.get("created").asText());
        }
        assertEquals(List.of(".sweep.lock", "sweep.json"), names(out));
        assertEquals("", Files.readString(out.resolve(".sweep.lock")), "a released lock file is empty");
    }

    // ---- the same configuration again ----

    @Test
    void claim_bySameConfigAgain_isAllowedAndKeepsItsResults() throws IOException {
        // given: a finished sweep
        Path out = dir.resolve("a");
        SweepOutput.claim(sweep(out, CONFIG), false, CLOCK).close();
        writeResults(out);
        String marker = Files.readString(out.resolve("sweep.json"));

        // when: the same config, written otherwise and with the folder spelt otherwise
        try (SweepOutput output = SweepOutput.claim(sweep(out.resolve("."), "training.epochs = 5\nseed = 1\n"
                + "prune.ratio = [0.5, 0.7]\nexperiment.name = a"), false, Clock.systemUTC())) {
            // then
            assertTrue(output.movedAside().isEmpty());
        }
        assertEquals("run,t,j,accuracy\n", Files.readString(out.resolve("accuracy.csv")));
        assertTrue(Files.exists(out.resolve("runs/r000-fisher-p0.5/summary.json")));
        assertEquals(marker, Files.readString(out.resolve("sweep.json")), "the first record stays");
    }

    // ---- a different configuration ----

    @Test
    void claim_byADifferentConfig_isRefusedNamingEachDifferingKeyAndForce() throws IOException {
        // given
        Path out = dir.resolve("a");
        SweepOutput.claim(sweep(out, CONFIG), false, CLOCK).close();
        writeResults(out);

        // when
        OutputException e = assertThrows(OutputException.class, () -> SweepOutput.claim(
                sweep(out, "experiment.name = a, seed = 1, prune.ratio = 0.7, training.epochs = 3"), false, CLOCK));

        // then
        assertEquals("output folder " + out + " holds results of a different configuration (sweep.json, written by"
                + " test.conf at 2025-03-04T05:06:07Z): prune.ratio: [0.5,0.7] there, 0.7 now; training.epochs: 5"
                + " there, 3 now. Results of two configurations are never mixed: set output.dir or --out to another"
                + " folder, or pass --force to move the results there into " + out.resolve("previous-<time>")
                + "/ and start afresh", e.getMessage());
        assertEquals(List.of(".sweep.lock", "accuracy.csv", "runs", "sweep.json"), names(out),
                "nothing moved or written");
        assertEquals("", Files.readString(out.resolve(".sweep.lock")), "the refused sweep let the lock go");
    }

    @Test
    void claim_byADifferentConfig_withForce_movesTheOldResultsAsideUntouched() throws IOException {
        // given: a finished sweep, its event logs, a crash's temporary, and a file of the user's
        Path out = dir.resolve("a");
        SweepOutput.claim(sweep(out, CONFIG), false, CLOCK).close();
        writeResults(out);
        Files.createDirectories(out.resolve("spark-events"));
        Files.writeString(out.resolve("spark-events/app-1"), "events");
        Files.writeString(out.resolve(".tasks.csv.1234.tmp"), "half");
        Files.writeString(out.resolve("notes.txt"), "mine");
        String oldMarker = Files.readString(out.resolve("sweep.json"));
        SweepConfig other = sweep(out, "experiment.name = a, seed = 2");

        // when
        try (SweepOutput output = SweepOutput.claim(other, true, CLOCK)) {
            // then
            Path previous = out.resolve("previous-20250304-050607");
            assertEquals(previous, output.movedAside().orElseThrow());
            assertEquals(List.of(".tasks.csv.1234.tmp", "accuracy.csv", "runs", "spark-events", "sweep.json"),
                    names(previous));
            assertEquals(oldMarker, Files.readString(previous.resolve("sweep.json")));
            assertEquals("run,t,j,accuracy\n", Files.readString(previous.resolve("accuracy.csv")));
            assertEquals(List.of(".sweep.lock", "notes.txt", "previous-20250304-050607", "sweep.json"),
                    names(out));
            JsonNode marker = new ObjectMapper().readTree(out.resolve("sweep.json").toFile());
            assertEquals(ConfigFingerprint.of(other).sha256(), marker.get("config_fingerprint").asText());
        }

        // and results of a third config, forced at the same second, get a folder of their own
        writeResults(out);
        try (SweepOutput third = SweepOutput.claim(sweep(out, "experiment.name = a, seed = 3"), true, CLOCK)) {
            assertEquals(out.resolve("previous-20250304-050607-2"), third.movedAside().orElseThrow());
        }
    }

    @Test
    void claim_ofAFolderWithOnlyAManifest_comparesTheConfigItRecords() throws IOException {
        // given: results of an older version, which wrote manifest.json at the end and no sweep.json
        Path out = Files.createDirectories(dir.resolve("old"));
        SweepConfig recorded = sweep(out, CONFIG);
        Files.writeString(out.resolve("manifest.json"), new ObjectMapper().writeValueAsString(
                new ObjectMapper().createObjectNode().put("source", "conf/old.conf")
                        .put("config", recorded.resolvedText())));
        writeResults(out);

        // when
        OutputException e = assertThrows(OutputException.class,
                () -> SweepOutput.claim(sweep(out, CONFIG + ", training.batch-size = 64"), false, CLOCK));

        // then
        assertTrue(e.getMessage().startsWith("output folder " + out + " holds results of a different configuration"
                + " (manifest.json of conf/old.conf, finished ?): training.batch-size: 128 there, 64 now."),
                e.getMessage());

        // and the recorded config itself may go on there
        SweepOutput.claim(sweep(out, CONFIG), false, CLOCK).close();
        assertTrue(Files.exists(out.resolve("sweep.json")));
    }

    @Test
    void claim_ofAFolderWithResultsButNoRecord_isRefusedUnlessForced() throws IOException {
        // given
        Path out = Files.createDirectories(dir.resolve("unknown"));
        writeResults(out);
        Files.createDirectories(out.resolve("tasks.parquet"));

        // when
        OutputException e = assertThrows(OutputException.class,
                () -> SweepOutput.claim(sweep(out, CONFIG), false, CLOCK));

        // then: the empty tasks.parquet/ does not count as results
        assertTrue(e.getMessage().startsWith("output folder " + out + " holds results (accuracy.csv, runs/) but no"
                + " record of their configuration (sweep.json or manifest.json). Results of two configurations are"
                + " never mixed"), e.getMessage());
        try (SweepOutput output = SweepOutput.claim(sweep(out, CONFIG), true, CLOCK)) {
            assertEquals(List.of("accuracy.csv", "runs", "tasks.parquet"), names(output.movedAside().orElseThrow()));
        }
    }

    @Test
    void claim_ofAFolderWithAnUnreadableRecord_isRefusedSayingSo() throws IOException {
        // given
        Path out = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(out.resolve("sweep.json"), "{ \"config\": ");
        writeResults(out);

        // when
        OutputException e = assertThrows(OutputException.class,
                () -> SweepOutput.claim(sweep(out, CONFIG), false, CLOCK));

        // then
        assertTrue(e.getMessage().startsWith("output folder " + out + " holds results whose record of their"
                + " configuration cannot be read ("), e.getMessage());
    }

    @Test
    void claim_afterASweepThatFailedBeforeAnyResult_acceptsAnotherConfigAndRecordsIt() throws IOException {
        // given: a sweep that claimed the folder, then stopped on bad data (its record and event logs stay)
        Path out = dir.resolve("failed");
        SweepOutput.claim(sweep(out, CONFIG + ", data.dir = /wrong"), false, CLOCK).close();
        Files.createDirectories(out.resolve("spark-events"));
        Files.writeString(out.resolve("spark-events/app-1"), "events");
        Files.createDirectories(out.resolve("runs"));

        // when: the config with the data folder fixed
        SweepConfig fixed = sweep(out, CONFIG + ", data.dir = /right");
        SweepOutput.claim(fixed, false, CLOCK).close();

        // then
        JsonNode marker = new ObjectMapper().readTree(out.resolve("sweep.json").toFile());
        assertEquals(ConfigFingerprint.of(fixed).sha256(), marker.get("config_fingerprint").asText());
        assertEquals("/right", marker.get("config").get("data.dir").asText());
    }

    @Test
    void claim_ofAFolderOfOtherFiles_isAllowedAndLeavesThem() throws IOException {
        // given
        Path out = Files.createDirectories(dir.resolve("mixed-use"));
        Files.writeString(out.resolve("README"), "my notes");
        Files.createDirectories(out.resolve("spark-events"));

        // when
        SweepOutput.claim(sweep(out, CONFIG), false, CLOCK).close();

        // then
        assertEquals(List.of(".sweep.lock", "README", "spark-events", "sweep.json"), names(out));
    }

    // ---- not writable ----

    @Test
    void claim_ofAFolderInsideAFile_cannotCreateItAndSaysSo() throws IOException {
        // given
        Path file = Files.writeString(dir.resolve("plain-file"), "x");

        // when
        OutputException e = assertThrows(OutputException.class,
                () -> SweepOutput.claim(sweep(file.resolve("out"), CONFIG), false, CLOCK));

        // then
        assertTrue(e.getMessage().startsWith("cannot create output folder " + file.resolve("out") + " ("),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("); set output.dir or --out to a folder you can write"), e.getMessage());
    }

    @Test
    void claim_ofAFile_saysItIsNotAFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("results.txt"), "x");
        OutputException e = assertThrows(OutputException.class,
                () -> SweepOutput.claim(sweep(file, CONFIG), false, CLOCK));
        assertEquals("output folder " + file + " is a file, not a folder; set output.dir or --out to a folder",
                e.getMessage());
    }

    @Test
    void claim_ofAFolderThisUserCannotWrite_isRefusedBeforeAnyWork() throws Exception {
        // given: an existing folder without write permission
        Path out = Files.createDirectories(dir.resolve("read-only"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // when: claimed by a process subject to permission bits (a child without root's override, if we are root)
            ChildJvm.Result result = ChildJvm.runAsOrdinaryUser(dir, HoldOutputMain.class, out.toString(), CONFIG);

            // then
            assertEquals(2, result.status(), result.output());
            assertTrue(result.output().contains("error: output folder " + out + " is not writable: cannot create its"
                    + " lock file " + out.resolve(".sweep.lock") + " (permission denied); make the folder"
                    + " writable by this user, or set output.dir or --out to a folder you can write"),
                    result.output());
            assertEquals(List.of(), names(out));
        } finally {
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    // ---- one sweep at a time ----

    @Test
    void claim_whileASweepOfThisProcessHoldsTheFolder_isRefusedNamingTheHolder_whoKeepsIt() throws Exception {
        // given
        Path out = dir.resolve("busy");
        try (SweepOutput first = SweepOutput.claim(sweep(out, CONFIG), false, CLOCK)) {

            // when: a second sweep of this process, even of the same config
            OutputInUseException e = assertThrows(OutputInUseException.class,
                    () -> SweepOutput.claim(sweep(out, CONFIG), false, CLOCK));

            // then
            assertEquals("output folder " + out + " is in use by another sweep in this process: " + pidAndHost()
                    + ", started 2025-03-04T05:06:07Z, config test.conf (lock file " + out.toRealPath()
                    .resolve(".sweep.lock") + "). Two sweeps never write one folder: wait for that one to"
                    + " finish, or set output.dir or --out to another folder", e.getMessage());

            // and the refusal did not weaken the first sweep's lock: another process is refused too
            ChildJvm.Result other = ChildJvm.run(HoldOutputMain.class, out.toString(), CONFIG);
            assertEquals(2, other.status(), other.output());
            assertTrue(other.output().contains("error: output folder " + out + " is in use by another sweep: "
                    + pidAndHost() + ", started 2025-03-04T05:06:07Z, config test.conf (lock file "), other.output());
        }

        // and once released, the folder can be claimed again
        SweepOutput.claim(sweep(out, CONFIG), false, CLOCK).close();
    }

    @Test
    void claim_whileAnotherProcessHoldsTheFolder_isRefusedNamingItsPid_thenAllowedOnceItEnds() throws Exception {
        // given: another JVM claims the folder and holds it
        Path out = Files.createDirectories(dir.resolve("shared"));
        ChildJvm.Running holder = ChildJvm.start(HoldOutputMain.class, out.toString(), CONFIG);
        try {
            String line = holder.readLine();
            assertEquals("claimed by pid " + holder.process().pid(), line);

            // when
            OutputInUseException e = assertThrows(OutputInUseException.class,
                    () -> SweepOutput.claim(sweep(out, CONFIG), false, CLOCK));

            // then
            assertTrue(e.getMessage().startsWith("output folder " + out + " is in use by another sweep: pid "
                    + holder.process().pid() + " on host " + InetAddress.getLocalHost().getHostName() + ", started "),
                    e.getMessage());
            assertTrue(e.getMessage().contains(", config child.conf (lock file " + out.toRealPath()
                    .resolve(".sweep.lock") + "). Two sweeps never write one folder"), e.getMessage());
        } finally {
            ChildJvm.Result end = holder.finish();
            assertEquals(0, end.status(), end.output());
        }

        // when the other sweep has ended
        try (SweepOutput output = SweepOutput.claim(sweep(out, CONFIG), false, CLOCK)) {
            // then
            assertEquals(out, output.dir());
        }
    }

    @Test
    void claim_afterAHolderDied_takesTheFolderDespiteItsStaleLockFile() throws Exception {
        // given: the lock file of a process that was killed (its content stays, its lock went with it)
        Path out = Files.createDirectories(dir.resolve("stale"));
        ChildJvm.Running holder = ChildJvm.start(HoldOutputMain.class, out.toString(), CONFIG);
        assertTrue(holder.readLine().startsWith("claimed"));
        holder.process().destroyForcibly().waitFor();
        assertTrue(Files.readString(out.resolve(".sweep.lock")).contains("pid=" + holder.process().pid()));

        // when / then
        try (SweepOutput output = SweepOutput.claim(sweep(out, CONFIG), false, CLOCK)) {
            assertTrue(Files.readString(out.resolve(".sweep.lock"))
                    .contains("pid=" + ProcessHandle.current().pid()));
        }
    }
}
