package dev.fisherpacknet.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        for (String option : List.of("--set", "--master", "--out", "--help")) {
            assertTrue(exit.out().contains(option), option);
        }
    }
}
