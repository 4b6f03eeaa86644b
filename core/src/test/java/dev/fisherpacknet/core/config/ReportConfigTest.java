package dev.fisherpacknet.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report.* keys: defaults, parsing, and one test per validation rule with its message. */
class ReportConfigTest {

    @TempDir
    Path dir;

    private static final String SCORES = "prune.score = [fisher, fisher-saliency, magnitude]\n";

    private static SweepConfig parse(String hocon) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString(hocon), "test");
    }

    private static String rejected(String hocon) {
        return assertThrows(ConfigException.class, () -> parse(hocon)).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void defaults_compareEachScoreWithMagnitude_byTIntervalAt95Percent() {
        // given / when
        ReportConfig report = parse(SCORES).report();

        // then
        assertEquals(ReportConfig.DEFAULTS, report);
        assertEquals(List.of(new ReportConfig.Comparison("fisher", "magnitude"),
                        new ReportConfig.Comparison("fisher-saliency", "magnitude")),
                report.comparisons(List.of("fisher", "fisher-saliency", "magnitude")));
        // baselines are references, not compared by default; no magnitude runs: nothing to compare by default
        assertEquals(List.of(new ReportConfig.Comparison("fisher", "magnitude")),
                report.comparisons(List.of("fisher", "magnitude", "finetune")));
        assertEquals(List.of(), report.comparisons(List.of("fisher", "random")));
    }

    @Test
    void explicitSettings_areReadAsWritten() {
        // when
        ReportConfig report = parse(SCORES + """
                baselines = [finetune]
                report {
                  compare = [[fisher, fisher-saliency], [fisher-saliency, magnitude], [fisher, finetune]]
                  interval = bootstrap
                  bootstrap-samples = 2000
                  confidence = 0.9
                }
                """).report();

        // then
        assertEquals(List.of(new ReportConfig.Comparison("fisher", "fisher-saliency"),
                new ReportConfig.Comparison("fisher-saliency", "magnitude"),
                new ReportConfig.Comparison("fisher", "finetune")), report.compare());
        assertEquals(report.compare(), report.comparisons(List.of("fisher")));
        assertEquals(IntervalMethod.BOOTSTRAP, report.interval());
        assertEquals(2000, report.bootstrapSamples());
        assertEquals(0.9, report.confidence());
    }

    @Test
    void compare_notAListOfPairs_isRejectedNamingTheElement() {
        assertContains(rejected(SCORES + "report.compare = fisher"),
                "report.compare must be a list of pairs such as [[fisher, magnitude]], got fisher");
        assertContains(rejected(SCORES + "report.compare = [[fisher, magnitude], [fisher]]"),
                "report.compare[1] must be a pair of method names such as [fisher, magnitude], got [\"fisher\"]");
        assertContains(rejected(SCORES + "report.compare = [fisher, magnitude]"),
                "report.compare[0] must be a pair of method names", "got fisher");
        assertContains(rejected(SCORES + "report.compare = [[fisher, 3]]"), "report.compare[0] must be a pair");
    }

    @Test
    void compare_unknownMethod_isRejectedListingTheValidOnes() {
        assertContains(rejected(SCORES + "report.compare = [[fisher, magntude]]"),
                "report.compare[0][1] must be one of fisher, fisher-saliency, magnitude, random, finetune, ewc, joint,"
                        + " feature-extraction, got magntude");
    }

    @Test
    void compare_scoreTheSweepDoesNotRun_isRejectedNamingTheSweptScores() {
        assertContains(rejected(SCORES + "report.compare = [[random, magnitude]]"),
                "report.compare[0][0] names random", "no run of this sweep uses that score",
                "(prune.score: fisher, fisher-saliency, magnitude)", "add it to prune.score or drop the pair");
    }

    @Test
    void compare_aMethodWithItself_isRejected() {
        assertContains(rejected(SCORES + "report.compare = [[fisher, fisher]]"),
                "report.compare[0] compares fisher with itself", "name two different methods");
    }

    @Test
    void interval_unknown_isRejectedListingTheChoices() {
        assertContains(rejected("report.interval = wald"), "report.interval must be one of t, bootstrap, got wald");
    }

    @Test
    void bootstrapSamplesAndConfidence_outOfRange_areRejected() {
        assertContains(rejected("report.bootstrap-samples = 10"), "report.bootstrap-samples must be at least 100,"
                + " got 10");
        assertContains(rejected("report.confidence = 95"), "report.confidence must be in (0, 1), got 95");
        assertContains(rejected("report.confidence = 0"), "report.confidence must be in (0, 1), got 0");
    }

    @Test
    void typoInAReportKey_suggestsTheKey() {
        assertContains(rejected("report.confidnce = 0.9"), "unknown key 'report.confidnce'",
                "did you mean 'report.confidence'?");
    }

    @Test
    void badPairInAFile_pointsAtFileColonLine() throws IOException {
        // given: the bad pair on line 4
        Path conf = dir.resolve("report.conf");
        Files.write(conf, List.of("prune.score = [fisher, magnitude]", "report {", "  compare = [",
                "    [fisher, fisher-saliency]", "  ]", "}"));

        // when
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, List.of()));

        // then
        assertContains(e.getMessage(), "report.compare[0][1] names fisher-saliency", conf + ":4");
    }

    @Test
    void setOverride_canChangeTheReport() throws IOException {
        // given
        Path conf = dir.resolve("ok.conf");
        Files.write(conf, List.of("prune.score = [fisher, random, magnitude]"));

        // when
        SweepConfig sweep = ConfigLoader.load(conf, List.of("report.compare=[[fisher, random]]",
                "report.interval=bootstrap"));

        // then
        assertEquals(List.of(new ReportConfig.Comparison("fisher", "random")), sweep.report().compare());
        assertEquals(IntervalMethod.BOOTSTRAP, sweep.report().interval());
    }
}
