package dev.fisherpacknet.core.report;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.run.RunResult;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The written report: its tables against the raw results, its plots as files, and the page's independence. */
class ReportTest {

    @TempDir
    Path dir;

    /** The 18-run fixture sweep's report, written once: drawing 28 plots twice is the slow part. */
    @TempDir
    static Path shared;
    private static SweepConfig sweep;
    private static List<RunResult> results;
    private static Report.Written written;

    @BeforeAll
    static void writeTheFixtureReport() {
        sweep = ReportFixtures.sweep("");
        results = ReportFixtures.results(sweep);
        written = Report.write(shared, ReportInput.of(sweep, results, ReportFixtures.environment()));
    }

    // ---- reading the pages back, independently of the renderers ----

    /** The cells of the HTML table with {@code id}, header row first, entities decoded. */
    static List<List<String>> htmlTable(String html, String id) {
        Matcher table = Pattern.compile("<table id=\"" + Pattern.quote(id) + "\">(.*?)</table>", Pattern.DOTALL)
                .matcher(html);
        assertTrue(table.find(), "no table " + id);
        List<List<String>> rows = new ArrayList<>();
        Matcher row = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL).matcher(table.group(1));
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = Pattern.compile("<t[hd][^>]*>(.*?)</t[hd]>", Pattern.DOTALL).matcher(row.group(1));
            while (cell.find()) {
                cells.add(cell.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                        .replace("&#39;", "'").replace("&amp;", "&"));
            }
            rows.add(cells);
        }
        return rows;
    }

    /** The cells of the first Markdown table after the line {@code heading}, header row first. */
    static List<List<String>> markdownTable(String markdown, String heading) {
        List<String> lines = markdown.lines().toList();
        int i = lines.indexOf(heading);
        assertTrue(i >= 0, "no heading " + heading);
        while (!lines.get(i).startsWith("|")) {
            i++;
        }
        List<List<String>> rows = new ArrayList<>();
        for (; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            if (lines.get(i).startsWith("|---")) {
                continue;
            }
            String line = lines.get(i);
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1, line.length() - 1).split(" \\|", -1)) {
                cells.add(cell.trim());
            }
            rows.add(cells);
        }
        return rows;
    }

    private static double percent(RunResult r) {
        return 100 * r.accuracy().acc();
    }

    @Test
    void runTables_inHtmlAndMarkdown_equalTheRawResults() throws Exception {
        // one row per run, in order, with the run's own id, seed, score, ratio, ACC and BWT
        String html = Files.readString(written.html());
        String markdown = Files.readString(written.markdown());
        for (List<List<String>> table : List.of(htmlTable(html, "runs"), markdownTable(markdown, "## Runs"))) {
            List<String> header = table.get(0);
            assertEquals(results.size() + 1, table.size());
            for (int i = 0; i < results.size(); i++) {
                RunResult r = results.get(i);
                List<String> row = table.get(i + 1);
                assertEquals(r.config().id(), row.get(header.indexOf("run")));
                assertEquals(String.valueOf(r.config().seed()), row.get(header.indexOf("seed")));
                assertEquals(r.config().prune().score().configName(), row.get(header.indexOf("method")));
                assertEquals(r.config().prune().ratio(), Double.parseDouble(row.get(header.indexOf("p"))), 0);
                assertEquals(percent(r), Double.parseDouble(row.get(header.indexOf("ACC (%)"))), 0.005);
                assertEquals(100 * r.accuracy().bwt(), Double.parseDouble(row.get(header.indexOf("BWT (pp)"))),
                        0.005);
                assertEquals(100 * r.tasks().stream().mapToDouble(t -> t.fisherMassKept()).average().orElseThrow(),
                        Double.parseDouble(row.get(header.indexOf("Fisher mass kept (%)"))), 0.005);
            }
        }
    }

    @Test
    void accAndDifferenceTables_equalMeansAndPairedDifferencesOfTheRawResults() throws Exception {
        // each ACC cell "mean [lo, hi]" holds the mean over the three seeds
        String html = Files.readString(written.html());
        List<List<String>> acc = htmlTable(html, "acc");
        assertEquals(List.of("method", "p = 0.5", "p = 0.8"), acc.get(0));
        assertEquals(acc, markdownTable(Files.readString(written.markdown()),
                "### ACC (%) by score and pruning ratio"));
        for (List<String> row : acc.subList(1, acc.size())) {
            for (int c = 1; c < row.size(); c++) {
                double ratio = Double.parseDouble(acc.get(0).get(c).substring("p = ".length()));
                double mean = results.stream().filter(r -> r.config().prune().score().configName().equals(row.get(0))
                        && r.config().prune().ratio() == ratio).mapToDouble(ReportTest::percent).average()
                        .orElseThrow();
                Matcher m = Pattern.compile("(-?[0-9.]+) \\[(-?[0-9.]+), (-?[0-9.]+)]").matcher(row.get(c));
                assertTrue(m.matches(), row.get(c));
                assertEquals(mean, Double.parseDouble(m.group(1)), 0.005);
                assertTrue(Double.parseDouble(m.group(2)) <= mean && mean <= Double.parseDouble(m.group(3)));
            }
        }
        // and each paired difference is the mean over seeds of fisher − magnitude at the same seed
        List<List<String>> differences = htmlTable(html, "differences");
        assertEquals(List.of("comparison", "p", "seeds", "mean (pp)", "CI low", "CI high", "verdict"),
                differences.get(0));
        assertEquals(4, differences.size() - 1);
        for (List<String> row : differences.subList(1, differences.size())) {
            String[] pair = row.get(0).split(" − ");
            double ratio = Double.parseDouble(row.get(1));
            double sum = 0;
            for (long seed = 1; seed <= 3; seed++) {
                final long s = seed;
                sum += results.stream().filter(r -> r.config().seed() == s && r.config().prune().ratio() == ratio)
                        .mapToDouble(r -> r.config().prune().score().configName().equals(pair[0]) ? percent(r)
                                : r.config().prune().score().configName().equals(pair[1]) ? -percent(r) : 0)
                        .sum();
            }
            assertEquals(sum / 3, Double.parseDouble(row.get(3)), 0.005);
            assertEquals("3", row.get(2));
            assertTrue(row.get(6).startsWith(row.get(0) + " = "), row.get(6));
        }
    }

    @Test
    void verdicts_appearInTheAnswerOfBothPages() throws Exception {
        // the fixture makes magnitude 4 points better than fisher, with 1-point noise
        String expected = "fisher − magnitude: magnitude better at p = 0.5, 0.8.";
        assertTrue(Files.readString(written.markdown()).contains("- " + expected));
        assertTrue(Files.readString(written.html()).contains("<li>" + expected + "</li>"));
    }

    @Test
    void oneSeed_reportSaysNoIntervalIsPossible() throws Exception {
        SweepConfig sweep = ReportFixtures.sweep("seed = 7\n");
        String markdown = Files.readString(Report.write(dir, ReportFixtures.input(sweep)).markdown());
        assertTrue(markdown.contains("(one seed): no interval is possible with one seed"), markdown);
        assertTrue(markdown.contains("Every comparison rests on one seed"), markdown);
    }

    @Test
    void plots_areValidPngAndSvgFiles() throws Exception {
        // the fixture sweep's 18 runs give: ACC, differences, Fisher mass, capacity, Fisher vs magnitude,
        // 6 task charts, 18 R matrices
        assertEquals(5 + 6 + 18, written.plots().size());
        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        // The SVGs declare the W3C DTD; it must not be fetched (no network in tests, nor needed to parse).
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        for (Plot plot : written.plots()) {
            byte[] png = Files.readAllBytes(shared.resolve(plot.png()));
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4), plot.png());
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertNotNull(image, plot.png());
            assertTrue(image.getWidth() >= 400 && image.getHeight() >= 280, plot.png());
            assertTrue(distinctColours(image) > 3, plot.png() + " looks blank");
            Document svg = xml.newDocumentBuilder().parse(shared.resolve(plot.svg()).toFile());
            assertEquals("svg", svg.getDocumentElement().getNodeName(), plot.svg());
            assertTrue(svg.getElementsByTagName("path").getLength() > 10, plot.svg() + " draws almost nothing");
        }
    }

    @Test
    void agreementTable_holdsTheMeansOverSeedsOfTheRawTaskZeroAgreements() throws Exception {
        List<List<String>> table = htmlTable(Files.readString(written.html()), "agreement");
        assertEquals(List.of("scores", "layer", "Spearman ρ", "Jaccard, p = 0.5", "Jaccard, p = 0.8"), table.get(0));
        // one row per unordered pair of the sweep's scores with every score (3 x 3 others, less the 3 repeated
        // pairs among the sweep's own scores), per layer
        assertEquals((3 * 3 - 3) * 2, table.size() - 1);
        for (List<String> row : table.subList(1, table.size())) {
            String[] pair = row.get(0).split(" vs ");
            int layer = Integer.parseInt(row.get(1));
            List<dev.fisherpacknet.core.run.ScoreAgreement> raw = results.stream()
                    .filter(r -> r.config().prune().score().configName().equals(pair[0]))
                    .map(r -> r.tasks().get(0).agreements()).flatMap(List::stream)
                    .filter(a -> a.other().configName().equals(pair[1]) && a.layer() == layer).toList();
            assertEquals(6, raw.size(), "3 seeds x 2 ratios of " + row.get(0));
            double rho = raw.stream().mapToDouble(dev.fisherpacknet.core.run.ScoreAgreement::spearman).average()
                    .orElseThrow();
            assertEquals(String.format(java.util.Locale.ROOT, "%.3f", rho), row.get(2), row.toString());
            for (int c = 0; c < 2; c++) {
                double ratio = c == 0 ? 0.5 : 0.8;
                double jaccard = results.stream()
                        .filter(r -> r.config().prune().score().configName().equals(pair[0])
                                && r.config().prune().ratio() == ratio)
                        .map(r -> r.tasks().get(0).agreements()).flatMap(List::stream)
                        .filter(a -> a.other().configName().equals(pair[1]) && a.layer() == layer)
                        .mapToDouble(dev.fisherpacknet.core.run.ScoreAgreement::jaccard).average().orElseThrow();
                assertEquals(String.format(java.util.Locale.ROOT, "%.3f", jaccard), row.get(3 + c), row.toString());
            }
        }
        assertTrue(written.plots().stream().anyMatch(p -> p.name().equals("fisher-vs-magnitude")));
    }

    @Test
    void forgettingTable_givesEachTasksDropFromItsBestAccuracy_meanOverSeeds() throws Exception {
        // given: a score whose runs forget (as a broken ownership or a baseline would), two seeds, three tasks
        double[][][] r = {
            {{0.90, Double.NaN, Double.NaN}, {0.80, 0.95, Double.NaN}, {0.70, 0.91, 0.93}},
            {{0.88, Double.NaN, Double.NaN}, {0.89, 0.90, Double.NaN}, {0.86, 0.90, 0.92}}};
        List<ReportRun> runs = new ArrayList<>();
        for (int seed = 0; seed < 2; seed++) {
            runs.add(new ReportRun("r" + seed, "fisher", 0.5, seed + 1, java.util.Map.of(),
                    new dev.fisherpacknet.core.run.AccuracyMatrix(r[seed]), List.of(), 10));
        }
        ReportInput input = new ReportInput("forgetting", "test", "", List.of("seed"), runs,
                ReportFixtures.environment(), sweep.report());

        // when
        String html = Files.readString(Report.write(dir, input).html());

        // then: task j's forgetting is max over l in [j, T-2] of R[l][j] minus R[T-1][j]
        List<List<String>> table = htmlTable(html, "forgetting");
        assertEquals(List.of("method", "p", "task 0", "task 1"), table.get(0));
        double task0 = 100 * ((0.90 - 0.70) + (0.89 - 0.86)) / 2;
        double task1 = 100 * ((0.95 - 0.91) + (0.90 - 0.90)) / 2;
        assertEquals(List.of("fisher", "0.5", String.format(Locale.ROOT, "%.2f", task0),
                String.format(Locale.ROOT, "%.2f", task1)), table.get(1));
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    @Test
    void html_isSelfContained_everyImageEmbeddedAndEverySvgLinkOnDisk() throws Exception {
        String html = Files.readString(written.html());

        // no script, no remote resource
        assertFalse(html.toLowerCase(Locale.ROOT).contains("<script"));
        assertFalse(html.contains("src=\"http") || html.contains("href=\"http") || html.contains("url("), html);
        // every plot is an <img> whose data URI is exactly its PNG file
        Matcher img = Pattern.compile("<figure id=\"([^\"]+)\">\\s*<img alt=\"[^\"]*\" src=\"data:image/png;base64,"
                + "([A-Za-z0-9+/=]+)\">").matcher(html);
        int images = 0;
        while (img.find()) {
            images++;
            byte[] embedded = Base64.getDecoder().decode(img.group(2));
            assertArrayEquals(Files.readAllBytes(shared.resolve("plots").resolve(img.group(1) + ".png")), embedded,
                    img.group(1));
        }
        assertEquals(written.plots().size(), images);
        Matcher link = Pattern.compile("<a href=\"([^\"]+)\">SVG</a>").matcher(html);
        int links = 0;
        while (link.find()) {
            links++;
            assertTrue(Files.isRegularFile(shared.resolve(link.group(1))), link.group(1));
        }
        assertEquals(images, links);
    }

    @Test
    void oneRun_ofOneScoreAtOneRatio_givesAReportThatSaysThereIsNothingToCompare() throws Exception {
        // given: what ./submit.sh --set prune.ratio=0.7 --set prune.score=fisher runs
        SweepConfig one = dev.fisherpacknet.core.config.ConfigLoader.fromConfig(
                com.typesafe.config.ConfigFactory.parseString("prune { ratio = 0.7, score = fisher }"), "one.conf");

        // when
        Report.Written report = Report.write(dir, ReportFixtures.input(one));

        // then
        String markdown = Files.readString(report.markdown());
        assertTrue(markdown.contains("No comparisons: the default compares every score with magnitude, and this"
                + " sweep has no magnitude runs; name the pairs in report.compare."), markdown);
        assertEquals(List.of(List.of("method", "p = 0.7"), List.of("fisher", ReportTest.accCell(one))),
                htmlTable(Files.readString(report.html()), "acc"));
        assertTrue(report.plots().stream().noneMatch(p -> p.name().equals("differences")));
        assertEquals(1 + 1 + 1 + 1 + 1, report.plots().size(), "ACC, Fisher mass, capacity, tasks, R matrix");
    }

    private static String accCell(SweepConfig one) {
        return Format.number(100 * ReportFixtures.results(one).get(0).accuracy().acc(), 2);
    }

    @Test
    void environmentAndSettings_areInTheReport() throws Exception {
        SweepConfig sweep = ReportFixtures.sweep("report { interval = bootstrap, bootstrap-samples = 300,"
                + " confidence = 0.9 }\n");
        String html = Files.readString(Report.write(dir, ReportFixtures.input(sweep)).html());
        List<List<String>> env = htmlTable(html, "environment");
        assertTrue(env.contains(List.of("Spark master", "local[2]")), env.toString());
        assertTrue(env.contains(List.of("cores (driver JVM)", "2")), env.toString());
        assertTrue(env.contains(List.of("git commit", "abc123")), env.toString());
        assertTrue(html.contains("90% percentile bootstrap interval (300 resamples)"), html);
        assertTrue(html.contains("bootstrap-samples=300"), "the resolved config is shown");
    }
}
