package dev.fisherpacknet.jobs;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.results.SweepOutput;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input through the job's command line: a clear message naming the culprit, exit status 2, no results. */
class SweepJobBadInputIT {

    @TempDir
    Path dir;

    @BeforeAll
    static void quietSpark() {
        System.setProperty("spark.ui.enabled", "false");
    }

    private record Exit(int status, String out, String err) {
    }

    private Exit execute(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SweepJob.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Exit(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path config(String body) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        SyntheticIdx.write(data, 60, 20, 1);
        Path file = dir.resolve("experiment.conf");
        Files.writeString(file, """
                data { source = idx, dir = "%s" }
                tasks.count = 2
                model.hidden = [8]
                training { epochs = 1, retrain-epochs = 1, batch-size = 16 }
                output.dir = "%s"
                """.formatted(data, dir.resolve("out")) + body);
        return file;
    }

    private void assertNoResults() throws IOException {
        Path out = dir.resolve("out");
        for (String name : List.of("accuracy.csv", "tasks.csv", "summary.md", "manifest.json", "accuracy.parquet")) {
            assertFalse(Files.exists(out.resolve(name)), name + " was written");
        }
        if (Files.isDirectory(out.resolve("runs"))) {
            try (var runs = Files.list(out.resolve("runs"))) {
                assertEquals(0, runs.count(), "a run summary was written");
            }
        }
    }

    @Test
    void unknownKey_exits2NamingKeyLineAndSuggestion() throws IOException {
        Path file = config("prune.ratios = [0.5]\n");
        Exit exit = execute(file.toString(), "--master", "local[1]");
        assertEquals(2, exit.status());
        assertTrue(exit.err().contains("unknown key 'prune.ratios'"), exit.err());
        assertTrue(exit.err().contains("experiment.conf:6"), exit.err());
        assertTrue(exit.err().contains("did you mean 'prune.ratio'"), exit.err());
        assertNoResults();
    }

    @Test
    void ratioOutsideRange_exits2NamingElementAndRange() throws IOException {
        Path file = config("prune.ratio = [0.5, 1.5]\n");
        Exit exit = execute(file.toString());
        assertEquals(2, exit.status());
        assertTrue(exit.err().contains("prune.ratio[1] must be in [0, 1), got 1.5"), exit.err());
        assertTrue(exit.err().contains("experiment.conf:6"), exit.err());
        assertNoResults();
    }

    @Test
    void unknownScore_exits2ListingChoices() throws IOException {
        Exit exit = execute(config("").toString(), "--set", "prune.score=hessian");
        assertEquals(2, exit.status());
        assertTrue(exit.err().contains("prune.score must be one of fisher, fisher-saliency, magnitude, random, "
                + "got hessian"), exit.err());
        assertNoResults();
    }

    @Test
    void missingConfigFile_exits2NamingIt() {
        Exit exit = execute(dir.resolve("nope.conf").toString());
        assertEquals(2, exit.status());
        assertTrue(exit.err().contains("nope.conf does not exist"), exit.err());
    }

    @Test
    void missingDataDirectory_exits2NamingItWithoutResults() throws IOException {
        Path file = config("data.dir = \"" + dir.resolve("no-such-dir") + "\"\n");
        Exit exit = execute(file.toString(), "--master", "local[1]");
        assertEquals(2, exit.status());
        assertTrue(exit.err().contains("no-such-dir"), exit.err());
        assertNoResults();
    }

    @Test
    void idxWithWrongMagic_exits2NamingTheFile() throws IOException {
        Path file = config("");
        try (DataOutputStream out = new DataOutputStream(
                Files.newOutputStream(dir.resolve("data").resolve("train-labels-idx1-ubyte")))) {
            out.writeInt(0x00000803);
            out.writeInt(60);
        }
        Exit exit = execute(file.toString(), "--master", "local[1]");
        assertEquals(2, exit.status());
        assertTrue(exit.err().contains("train-labels-idx1-ubyte"), exit.err());
        assertTrue(exit.err().toLowerCase().contains("magic"), exit.err());
        assertNoResults();
    }

    @Test
    void truncatedIdx_exits2NamingTheFile() throws IOException {
        Path file = config("");
        Path images = dir.resolve("data").resolve("t10k-images-idx3-ubyte");
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        Exit exit = execute(file.toString(), "--master", "local[1]");
        assertEquals(2, exit.status());
        assertTrue(exit.err().contains("t10k-images-idx3-ubyte"), exit.err());
        assertNoResults();
    }

    @Test
    void unknownOption_exits2() {
        Exit exit = execute("conf/x.conf", "--masterr", "local");
        assertEquals(2, exit.status());
        assertTrue(exit.err().contains("unknown option --masterr"), exit.err());
    }

    @Test
    void help_printsEveryOption() {
        Exit exit = execute("--help");
        assertEquals(0, exit.status());
        for (String option : List.of("--set", "--master", "--out", "--force", "--fail-fast", "--help")) {
            assertTrue(exit.out().contains(option), option);
        }
    }

    // ---- config values, each named with its file and line ----

    @Test
    void emptyGrid_exits2NamingTheKeyAndLine() throws IOException {
        Exit exit = execute(config("seed = []\n").toString());
        assertEquals(2, exit.status());
        assertEquals("error: seed is an empty list (" + dir.resolve("experiment.conf") + ":6): the grid would have no"
                + " runs; give at least one value\n", exit.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing is written for a bad config");
    }

    @Test
    void unknownBaseline_exits2NamingTheElementChoicesAndLine() throws IOException {
        Exit exit = execute(config("baselines = [finetune, ewk]\n").toString());
        assertEquals(2, exit.status());
        assertEquals("error: baselines[1] must be one of finetune, ewc, joint, feature-extraction, got ewk ("
                + dir.resolve("experiment.conf") + ":6)\n", exit.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing is written for a bad config");
    }

    @Test
    void stringWhereANumberIsExpected_exits2NamingKeyValueAndLine() throws IOException {
        Exit exit = execute(config("training.learning-rate = fast\n").toString());
        assertEquals(2, exit.status());
        assertEquals("error: training.learning-rate must be a number, got fast (" + dir.resolve("experiment.conf")
                + ":6)\n", exit.err());
    }

    @Test
    void negativeLearningRate_exits2NamingRangeValueAndLine() throws IOException {
        Exit exit = execute(config("training.learning-rate = -1\n").toString());
        assertEquals(2, exit.status());
        assertEquals("error: training.learning-rate must be in (0, 10], got -1 (" + dir.resolve("experiment.conf")
                + ":6)\n", exit.err());
    }

    @Test
    void malformedConfig_exits2NamingFileAndLine() throws IOException {
        Exit exit = execute(config("prune { ratio = 0.5\n").toString());
        assertEquals(2, exit.status());
        assertTrue(exit.err().startsWith("error: cannot parse " + dir.resolve("experiment.conf") + ":"), exit.err());
    }

    @Test
    void splitGroupNamingAClassTheDataLack_exits2BeforeAnyWork() throws IOException {
        Exit exit = execute(config("tasks { stream = split, class-groups = [[0, 1], [2, 12]] }\n").toString());
        assertEquals(2, exit.status());
        assertTrue(exit.err().startsWith("error: tasks.class-groups[1] names class 12 ("
                + dir.resolve("experiment.conf") + ":6), but data.source = idx has 10 classes, numbered 0..9"),
                exit.err());
    }

    // ---- data ----

    private void writeIdx(String name, int magic, int[] dims, byte[] data) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("data").resolve(name)))) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }

    @Test
    void idxLabelOutOfRange_exits2NamingFileIndexAndLabel() throws IOException {
        Path file = config("");
        byte[] labels = new byte[60];
        labels[7] = 11;
        writeIdx("train-labels-idx1-ubyte", 0x00000801, new int[] {60}, labels);
        Exit exit = execute(file.toString(), "--master", "local[1]");
        assertEquals(2, exit.status());
        assertTrue(exit.err().contains("labels file " + dir.resolve("data/train-labels-idx1-ubyte")
                + " has label 11 at index 7, outside [0, 10)"), exit.err());
        assertNoResults();
    }

    @Test
    void idxImagesAndLabelsOfDifferentCounts_exits2NamingBoth() throws IOException {
        Path file = config("");
        writeIdx("t10k-labels-idx1-ubyte", 0x00000801, new int[] {19}, new byte[19]);
        Exit exit = execute(file.toString(), "--master", "local[1]");
        assertEquals(2, exit.status());
        assertTrue(exit.err().contains("holds 20 images but labels file " + dir.resolve("data/t10k-labels-idx1-ubyte")
                + " holds 19 labels"), exit.err());
        assertNoResults();
    }

    @Test
    void idxTrainAndTestImagesOfDifferentSizes_exits2NamingBoth() throws IOException {
        Path file = config("");
        writeIdx("t10k-images-idx3-ubyte", 0x00000803, new int[] {20, 5, 5}, new byte[20 * 25]);
        Exit exit = execute(file.toString(), "--master", "local[1]");
        assertEquals(2, exit.status());
        assertTrue(exit.err().contains("holds images of 4x4 pixels but images file "
                + dir.resolve("data/t10k-images-idx3-ubyte") + " holds images of 5x5"), exit.err());
        assertNoResults();
    }

    // ---- the output folder ----

    @Test
    void outputFolderThatCannotBeCreated_exits2NamingIt() throws IOException {
        Path blocker = Files.writeString(dir.resolve("a-file"), "x");
        Exit exit = execute(config("").toString(), "--out", blocker.resolve("out").toString());
        assertEquals(2, exit.status());
        assertTrue(exit.err().startsWith("error: cannot create output folder " + blocker.resolve("out")), exit.err());
        assertTrue(exit.err().contains("set output.dir or --out to a folder you can write"), exit.err());
    }

    /** Claims {@code out} for a sweep of {@code body} (over the test's data), as a sweep that ran there would. */
    private SweepOutput claimFor(String body) throws IOException {
        return SweepOutput.claim(ConfigLoader.load(config(body), List.of()), false);
    }

    @Test
    void outputFolderWithResultsOfAnotherConfig_exits2NamingTheKeysAndForce_andWritesNothing() throws IOException {
        // given: the folder holds the results of a sweep with another pruning ratio
        claimFor("prune.ratio = 0.7\n").close();
        Path out = dir.resolve("out");
        Files.writeString(out.resolve("accuracy.csv"), "old results\n");

        // when
        Exit exit = execute(config("prune.ratio = 0.5\n").toString(), "--master", "local[1]");

        // then
        assertEquals(2, exit.status());
        assertTrue(exit.err().startsWith("error: output folder " + out + " holds results of a different configuration"
                + " (sweep.json, written by " + dir.resolve("experiment.conf") + " at "), exit.err());
        assertTrue(exit.err().contains("): prune.ratio: 0.7 there, 0.5 now. Results of two configurations are never"
                + " mixed: set output.dir or --out to another folder, or pass --force"), exit.err());
        assertEquals("old results\n", Files.readString(out.resolve("accuracy.csv")));
        assertFalse(Files.exists(out.resolve("spark-events")), "refused before Spark started");
    }

    @Test
    void force_movesTheOtherConfigsResultsAside_thenTheSameConfigRunsAgainInPlace() throws IOException {
        // given
        claimFor("prune.ratio = 0.7\n").close();
        Path out = dir.resolve("out");
        Files.writeString(out.resolve("accuracy.csv"), "old results\n");

        // when
        Exit forced = execute(config("prune.ratio = 0.5\n").toString(), "--master", "local[1]", "--force");

        // then: the old results are intact in previous-*/, the new ones in their place
        assertEquals(0, forced.status(), forced.err());
        Path previous;
        try (var entries = Files.list(out)) {
            previous = entries.filter(p -> p.getFileName().toString().startsWith("previous-")).findFirst()
                    .orElseThrow();
        }
        assertTrue(forced.out().contains("--force: the results of another config in " + out + " were moved into "
                + previous), forced.out());
        assertEquals("old results\n", Files.readString(previous.resolve("accuracy.csv")));
        assertTrue(Files.readString(previous.resolve("sweep.json")).contains("\"prune.ratio\" : \"0.7\""));
        assertEquals(1 + 3, Files.readAllLines(out.resolve("accuracy.csv")).size(),
                "one run: R[0][0], R[1][0], R[1][1]");
        assertTrue(Files.readString(out.resolve("sweep.json")).contains("\"prune.ratio\" : \"0.5\""));
        assertEquals(List.of(), hiddenTemporaries(out));

        // and when the same config runs again into the folder, without --force, it is allowed and nothing moves
        Exit again = execute(config("prune.ratio = 0.5\n").toString(), "--master", "local[1]");
        assertEquals(0, again.status(), again.err());
        try (var entries = Files.list(out)) {
            assertEquals(1, entries.filter(p -> p.getFileName().toString().startsWith("previous-")).count());
        }
    }

    private static List<String> hiddenTemporaries(Path out) throws IOException {
        try (var entries = Files.list(out)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".") && !n.equals(".sweep.lock")).toList();
        }
    }

    @Test
    void outputFolderInUseBySweepOfThisProcess_exits2NamingTheHolder() throws IOException {
        try (SweepOutput holder = claimFor("")) {
            Exit exit = execute(config("").toString(), "--master", "local[1]");
            assertEquals(2, exit.status());
            assertTrue(exit.err().startsWith("error: output folder " + dir.resolve("out") + " is in use by another"
                    + " sweep in this process: pid " + ProcessHandle.current().pid() + " on host "), exit.err());
        }
    }

    @Test
    void outputFolderInUseByAnotherProcess_theJobThereExits2NamingThisProcessAsHolder() throws Exception {
        // given: this process holds the folder
        Path conf = config("");
        try (SweepOutput holder = claimFor("")) {
            // when: the job's main, in another JVM, is pointed at it
            List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), SweepJob.class.getName(), conf.toString(),
                    "--master", "local[1]");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), output);

            // then
            assertEquals(2, process.exitValue(), output);
            assertTrue(output.contains("error: output folder " + dir.resolve("out") + " is in use by another sweep:"
                    + " pid " + ProcessHandle.current().pid() + " on host "), output);
            assertTrue(output.contains("config " + conf + " (lock file "), output);
        }
    }
}
