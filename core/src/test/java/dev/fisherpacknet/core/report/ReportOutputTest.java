package dev.fisherpacknet.core.report;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.config.ConfigFingerprint;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.results.SweepOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report as part of an output folder: the fingerprint, --force and redrawing. */
class ReportOutputTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private SweepConfig sweep(String hocon) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString(hocon + "\noutput.dir = \"" + dir.resolve("out")
                + "\""), "test.conf");
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void reportSettings_leaveTheFingerprintAlone_soASweepMayRunAgainWithOthers() throws IOException {
        // given
        SweepConfig plain = sweep("prune.score = [fisher, magnitude]");
        SweepConfig other = sweep("prune.score = [fisher, magnitude], report { interval = bootstrap,"
                + " compare = [[magnitude, fisher]], confidence = 0.9, bootstrap-samples = 500 }");

        // then
        assertEquals(ConfigFingerprint.of(plain), ConfigFingerprint.of(other));
        SweepOutput.claim(plain, false, CLOCK).close();
        Files.writeString(plain.outputDir().resolve("accuracy.csv"), "run,t,j,accuracy\n");
        SweepOutput.claim(other, false, CLOCK).close();
    }

    @Test
    void force_movesTheReportAsideWithTheResults() throws IOException {
        // given: a finished sweep with its report
        SweepConfig a = sweep("seed = 1");
        SweepOutput.claim(a, false, CLOCK).close();
        Path out = a.outputDir();
        Files.writeString(out.resolve("accuracy.csv"), "run,t,j,accuracy\n");
        Files.writeString(out.resolve("report.html"), "<html></html>");
        Files.writeString(out.resolve("report.md"), "# report");
        Files.createDirectories(out.resolve("plots"));
        Files.writeString(out.resolve("plots").resolve("acc-vs-ratio.svg"), "<svg/>");

        // when: another config takes the folder by force
        try (SweepOutput b = SweepOutput.claim(sweep("seed = 2"), true, CLOCK)) {
            // then: the report went with the results it described
            Path previous = b.movedAside().orElseThrow();
            assertEquals(List.of("accuracy.csv", "plots", "report.html", "report.md", "sweep.json"),
                    names(previous));
            assertTrue(names(out).stream().noneMatch(n -> n.startsWith("report") || n.equals("plots")),
                    names(out).toString());
        }
    }

    @Test
    void redrawing_replacesThePlotFolderWhole() throws IOException {
        // given: a report of a sweep with two facets (plots named f1-..., f2-...)
        Path out = dir.resolve("report");
        SweepConfig twoRates = ReportFixtures.sweep("training.learning-rate = [0.001, 0.01]\n");
        Report.write(out, ReportFixtures.input(twoRates));
        assertTrue(names(out.resolve("plots")).contains("f2-acc-vs-ratio.png"));

        // when: a report with one facet is drawn into the same folder
        Report.Written again = Report.write(out, ReportFixtures.input(ReportFixtures.sweep("")));

        // then: exactly its own plots are there, no leftovers, no temporaries
        List<String> expected = again.plots().stream().flatMap(p -> Stream.of(p.name() + ".png", p.name() + ".svg"))
                .sorted().toList();
        assertEquals(expected, names(out.resolve("plots")));
        assertEquals(List.of("plots", "report.html", "report.md"), names(out));
    }
}
