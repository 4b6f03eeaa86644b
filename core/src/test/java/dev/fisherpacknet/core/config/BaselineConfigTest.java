package dev.fisherpacknet.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.ConfigException;
import dev.fisherpacknet.core.fisher.LabelMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baselines and ewc.* keys: how they expand into runs, and every rule with its message. */
class BaselineConfigTest {
    private static final String GRID = "prune { ratio = [0.5, 0.8], score = [fisher, magnitude] }\n";

    @TempDir
    Path dir;

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

    private static List<RunConfig> baselines(SweepConfig sweep) {
        return sweep.runs().stream().filter(RunConfig::isBaseline).toList();
    }

    @Test
    void default_runsNoBaselines() {
        SweepConfig sweep = parse(GRID);
        assertEquals(4, sweep.runs().size());
        assertTrue(baselines(sweep).isEmpty());
    }

    @Test
    void baselines_areCrossedWithSeedsAndLearningRate_butNotWithPruningAxes() {
        // when
        SweepConfig sweep = parse(GRID + """
                seed = [1, 2]
                training.learning-rate = [0.001, 0.01]
                baselines = [finetune, joint]
                """);

        // then: 2 seeds x 2 ratios x 2 scores x 2 rates pruned, then each baseline x 2 seeds x 2 rates
        assertEquals(16 + 8, sweep.runs().size());
        List<RunConfig> baselines = baselines(sweep);
        assertEquals(List.of("r016-finetune-s1-learning-rate0.001", "r017-finetune-s1-learning-rate0.01",
                "r018-finetune-s2-learning-rate0.001", "r019-finetune-s2-learning-rate0.01",
                "r020-joint-s1-learning-rate0.001", "r021-joint-s1-learning-rate0.01",
                "r022-joint-s2-learning-rate0.001", "r023-joint-s2-learning-rate0.01"),
                baselines.stream().map(RunConfig::id).toList());
        assertEquals(Map.of("seed", "2", "training.learning-rate", "0.01"), baselines.get(3).sweepValues());
        assertEquals(2, baselines.get(3).seed());
        assertEquals(0.01, baselines.get(3).training().learningRate());
        assertEquals(List.of("finetune", "finetune", "finetune", "finetune", "joint", "joint", "joint", "joint"),
                baselines.stream().map(RunConfig::method).toList());
        for (int i = 0; i < sweep.runs().size(); i++) {
            assertEquals(i, sweep.runs().get(i).index());
        }
        assertEquals(List.of("seed", "prune.score", "prune.ratio", "training.learning-rate"), sweep.axes());
    }

    @Test
    void ewc_makesOneRunPerLambdaAndMode_crossedWithFisherLabels() {
        // when
        SweepConfig sweep = parse(GRID + """
                fisher.labels = [empirical, sampled]
                baselines = [ewc, finetune]
                ewc { lambda = [0, 100, 2.5e3], mode = [separate, online], gamma = 0.9 }
                """);

        // then: ewc is crossed with fisher.labels (its Fisher reads it), finetune is not
        List<RunConfig> baselines = baselines(sweep);
        assertEquals(6 * 2 + 1, baselines.size());
        assertEquals("r008-ewc-l0-separate-empirical", baselines.get(0).id());
        assertEquals("r009-ewc-l0-separate-sampled", baselines.get(1).id());
        assertEquals("r011-ewc-l0-online-sampled", baselines.get(3).id());
        assertEquals("r019-ewc-l2500-online-sampled", baselines.get(11).id());
        assertEquals(BaselineConfig.ewc(2500, EwcMode.ONLINE, 0.9), baselines.get(11).baseline());
        assertEquals(LabelMode.SAMPLED, baselines.get(11).fisherLabels());
        assertEquals(1.0, baselines.get(0).baseline().gamma(), "gamma belongs to online EWC only");
        RunConfig finetune = baselines.get(12);
        assertEquals("r020-finetune", finetune.id());
        assertEquals(Map.of(), finetune.sweepValues());
        assertEquals("ewc-l100-separate", baselines.get(4).method());
    }

    @Test
    void aSingleName_isOneBaseline() {
        assertEquals(List.of("finetune"), baselines(parse("baselines = finetune")).stream()
                .map(RunConfig::method).toList());
    }

    @Test
    void prunedRuns_keepTheirIdsAndHaveNoBaseline() {
        SweepConfig sweep = parse(GRID + "baselines = [finetune]");
        assertEquals("r000-fisher-p0.5", sweep.runs().get(0).id());
        assertNull(sweep.runs().get(0).baseline());
        assertEquals("fisher", sweep.runs().get(0).method());
    }

    @Test
    void unknownBaseline_isRejectedWithFileAndLine() throws Exception {
        Path file = Files.writeString(dir.resolve("exp.conf"), "seed = 1\nbaselines = [finetune, ewk]\n");
        String message = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, List.of())).getMessage();
        assertContains(message, "baselines[1] must be one of finetune, ewc, joint, feature-extraction, got ewk",
                "exp.conf:2");
    }

    @Test
    void repeatedBaseline_isRejected() {
        assertContains(rejected("baselines = [joint, joint]"), "baselines[1] repeats joint", "list each baseline once");
    }

    @Test
    void badEwcValues_areRejectedNamingTheKey() {
        assertContains(rejected("ewc.lambda = -1"), "ewc.lambda must be a number >= 0", "got -1");
        assertContains(rejected("ewc.lambda = [1, x]"), "ewc.lambda[1] must be a number >= 0", "got x");
        assertContains(rejected("ewc.lambda = [1, 1]"), "ewc.lambda[1] repeats 1");
        assertContains(rejected("ewc.lambda = []"), "ewc.lambda is an empty list");
        assertContains(rejected("ewc.mode = offline"), "ewc.mode must be one of separate, online, got offline");
        assertContains(rejected("ewc.mode = [online, online]"), "ewc.mode[1] repeats online");
        assertContains(rejected("ewc.gamma = 0"), "ewc.gamma must be in (0, 1], got 0");
        assertContains(rejected("ewc.gamma = 1.5"), "ewc.gamma must be in (0, 1], got 1.5");
        assertContains(rejected("ewc.lamda = 3"), "unknown key 'ewc.lamda'", "did you mean 'ewc.lambda'?");
    }

    @Test
    void reportCompare_namesBaselinesTheSweepRuns() {
        // "ewc" stands for the only EWC variant
        ReportConfig report = parse(GRID + "baselines = [ewc, finetune]\nreport.compare = [[fisher, ewc],"
                + " [ewc, finetune]]").report();
        assertEquals(List.of(new ReportConfig.Comparison("fisher", "ewc-l100-separate"),
                new ReportConfig.Comparison("ewc-l100-separate", "finetune")), report.compare());
        // a label names one of several
        assertEquals("ewc-l10-online", parse(GRID + "baselines = [ewc]\newc { lambda = [10, 20], mode = online }\n"
                + "report.compare = [[fisher, ewc-l10-online]]").report().compare().get(0).second());
        assertContains(rejected(GRID + "baselines = [ewc]\newc.lambda = [10, 20]\nreport.compare = [[fisher, ewc]]"),
                "report.compare[0][1] names ewc",
                        "runs 2 EWC variants; name one of ewc-l10-separate, ewc-l20-separate");
        assertContains(rejected(GRID + "report.compare = [[fisher, joint]]"), "report.compare[0][1] names joint",
                "the sweep does not run that baseline (baselines: none)", "add it to baselines");
    }
}
