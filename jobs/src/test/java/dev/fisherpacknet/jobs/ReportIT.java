package dev.fisherpacknet.jobs;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.report.ResultFolder;
import dev.fisherpacknet.core.results.SweepOutput;
import dev.fisherpacknet.core.run.RunResult;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a real (tiny) sweep: written by SweepJob beside the results, drawn again by ReportJob from the
 * files alone, and rendered by headless Chromium with every plot loaded.
 */
class ReportIT extends SparkTestSession {

    @TempDir
    static Path dir;
    static Path out;
    static SweepJob.Outcome outcome;
    static String console;

    @BeforeAll
    static void runATinySweep() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        SyntheticIdx.write(data, 240, 80, 3);
        out = dir.resolve("out");
        SweepConfig sweep = ConfigLoader.fromConfig(ConfigFactory.parseString("""
                experiment.name = tiny-report
                seed = [1, 2]
                data { source = idx, dir = "%s" }
                tasks.count = 3
                model.hidden = [16]
                training { learning-rate = 0.01, batch-size = 32, epochs = 2, retrain-epochs = 1 }
                prune { ratio = [0.5], score = [fisher, magnitude] }
                # one averaging round per epoch: each round is a Spark job, and the rounds are this test's cost
                spark { workers = 1, averaging-frequency = 8 }
                output.dir = "%s"
                """.formatted(data, out)), "report-it.conf");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        outcome = SweepJob.run(spark, sweep, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        console = bytes.toString(StandardCharsets.UTF_8);
    }

    /** The rows of the Markdown table after {@code heading}, header first. */
    private static List<List<String>> markdownTable(String markdown, String heading) {
        List<String> lines = markdown.lines().toList();
        int i = lines.indexOf(heading);
        assertTrue(i >= 0, "no heading " + heading + " in\n" + markdown);
        while (!lines.get(i).startsWith("|")) {
            i++;
        }
        List<List<String>> rows = new ArrayList<>();
        for (; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            if (!lines.get(i).startsWith("|---")) {
                String line = lines.get(i);
                rows.add(List.of(line.substring(1, line.length() - 1).split(" \\|", -1)).stream()
                        .map(String::trim).toList());
            }
        }
        return rows;
    }

    private record Exit(int status, String out, String err) {
    }

    private static Exit reportJob(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = ReportJob.execute(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Exit(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sweep_writesTheReportBesideItsResults_withTheRunsItComputed() throws Exception {
        assertTrue(console.contains("Report in " + out.resolve("report.html").toAbsolutePath()), console);
        assertTrue(Files.isRegularFile(out.resolve("report.html")));
        // ACC and differences, capacity, Fisher mass, Fisher vs magnitude, 2 task charts, 4 R matrices: each as PNG
        // and SVG
        try (var plots = Files.list(out.resolve("plots"))) {
            assertEquals(2 * (5 + 2 + 4), plots.filter(p -> !p.getFileName().toString().startsWith(".")).count());
        }
        List<List<String>> runs = markdownTable(Files.readString(out.resolve("report.md")), "## Runs");
        List<String> header = runs.get(0);
        assertEquals(outcome.results().size(), runs.size() - 1);
        for (int i = 0; i < outcome.results().size(); i++) {
            RunResult r = outcome.results().get(i);
            List<String> row = runs.get(i + 1);
            assertEquals(r.config().id(), row.get(header.indexOf("run")));
            assertEquals(100 * r.accuracy().acc(), Double.parseDouble(row.get(header.indexOf("ACC (%)"))), 0.005);
        }
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("- fisher − magnitude: "), md);
        assertTrue(md.contains("| Spark master | local[2] |"), md);
    }

    @Test
    void reportJob_redrawsTheReportFromTheFilesAlone_withOtherSettings() throws Exception {
        // given: a copy of the results only (no report, no plots)
        Path copy = Files.createDirectories(dir.resolve("copy"));
        for (String file : List.of("manifest.json", "accuracy.csv", "tasks.csv")) {
            Files.copy(out.resolve(file), copy.resolve(file));
        }

        // when
        Exit exit = reportJob(copy.toString(), "--set", "report.interval=bootstrap", "--set",
                "report.bootstrap-samples=500");

        // then: the same runs and numbers as the sweep's own report, under the new interval
        assertEquals(0, exit.status(), exit.err());
        assertTrue(exit.out().contains("Report in " + copy.resolve("report.html").toAbsolutePath()), exit.out());
        String redrawn = Files.readString(copy.resolve("report.md"));
        List<List<String>> original = markdownTable(Files.readString(out.resolve("report.md")), "## Runs");
        List<List<String>> again = markdownTable(redrawn, "## Runs");
        assertEquals(original.size(), again.size());
        for (int i = 0; i < original.size(); i++) {
            for (int c = 0; c < original.get(i).size(); c++) {
                String a = original.get(i).get(c);
                String b = again.get(i).get(c);
                if (i > 0 && a.matches("-?[0-9]+\\.[0-9]+") && !original.get(0).get(c).equals("p")) {
                    // the CSV keeps 6 decimals: a percentage may round differently in its second decimal
                    assertEquals(Double.parseDouble(a), Double.parseDouble(b), 0.011, original.get(0).get(c));
                } else {
                    assertEquals(a, b, original.get(0).get(c));
                }
            }
        }
        assertTrue(redrawn.contains("95% percentile bootstrap interval (500 resamples)"), redrawn);
        assertTrue(Files.isRegularFile(copy.resolve("plots/acc-vs-ratio.svg")));
    }

    @Test
    void reportJob_badInput_exitsWithStatus2AndSaysWhy() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Exit noManifest = reportJob(empty.toString());
        assertEquals(2, noManifest.status());
        assertTrue(noManifest.err().contains("no manifest.json in " + empty), noManifest.err());

        Exit notReport = reportJob(out.toString(), "--set", "prune.ratio=0.3");
        assertEquals(2, notReport.status());
        assertTrue(notReport.err().contains("a report can only change report.* keys"), notReport.err());

        // a folder a sweep is writing is not touched
        try (SweepOutput held = SweepOutput.claim(ResultFolder.sweep(out, List.of()), false)) {
            Exit busy = reportJob(out.toString());
            assertEquals(2, busy.status());
            assertTrue(busy.err().contains("in this process"), busy.err());
        }

        Exit noFolder = reportJob();
        assertEquals(2, noFolder.status());
        assertTrue(noFolder.err().contains("no folder given"), noFolder.err());
        assertEquals(0, reportJob("--help").status());
    }

    @Test
    void report_rendersInHeadlessChromium_withEveryPlotLoaded() throws Exception {
        // given: the sweep's page, and a copy beside it with a probe that counts loaded images once the page loaded
        HeadlessChromium chromium = HeadlessChromium.find(Files.createDirectories(dir.resolve("chromium-profile")));
        Path page = out.resolve("report.html");
        String html = Files.readString(page);
        int images = count(html, "<img ");
        Path probe = out.resolve("report-probe.html");
        Files.writeString(probe, html.replace("</body>", """
                <script>
                window.addEventListener('load', () => {
                  const all = [...document.images];
                  const ok = all.filter(i => i.complete && i.naturalWidth > 0);
                  document.body.setAttribute('data-images', all.length);
                  document.body.setAttribute('data-images-loaded', ok.length);
                  document.body.setAttribute('data-tables', document.querySelectorAll('table').length);
                });
                </script>
                </body>"""));

        // when
        String dom = chromium.dumpDom(probe);
        Path shot = dir.resolve("report.png");
        chromium.screenshot(page, shot, 1280, 1800);

        // then: every plot decoded, every table there, and the top of the page is not blank
        assertTrue(images >= 10, "images in the page: " + images);
        assertEquals(String.valueOf(images), attribute(dom, "data-images"));
        assertEquals(String.valueOf(images), attribute(dom, "data-images-loaded"), "plots that failed to load");
        assertEquals(String.valueOf(count(html, "<table ")), attribute(dom, "data-tables"));
        BufferedImage image = ImageIO.read(shot.toFile());
        int dark = 0;
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff) < 600) {
                    dark++;
                }
            }
        }
        // text and the two embedded charts of the answer: many colours, a few percent of inked pixels
        assertTrue(colours.size() > 100, "colours in the screenshot: " + colours.size());
        assertTrue(dark > image.getWidth() * image.getHeight() / 4 / 100, "inked pixels: " + dark);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String attribute(String dom, String name) {
        Matcher m = Pattern.compile("<body[^>]*\\s" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(dom);
        assertTrue(m.find(), name + " not set: the probe did not run\n"
                + dom.substring(0, Math.min(400, dom.length())));
        return m.group(1);
    }
}
