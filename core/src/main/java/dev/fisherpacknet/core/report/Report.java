package dev.fisherpacknet.core.report;

import static dev.fisherpacknet.core.results.OutputLayout.REPORT_HTML;
import static dev.fisherpacknet.core.results.OutputLayout.REPORT_MD;

import dev.fisherpacknet.core.results.AtomicFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a sweep's report into its output folder: {@code report.html} (self-contained, plots embedded),
 * {@code report.md} (the same text and tables, plots linked) and {@code plots/*.png|svg}.
 */
public final class Report {

    private Report() {
    }

    /**
     * What a report wrote.
     *
     * @param html     the HTML page
     * @param markdown the Markdown summary
     * @param plots    every plot, facet by facet, then those of the price of parameter averaging
     * @param analysis the numbers behind them
     */
    public record Written(Path html, Path markdown, List<Plot> plots, Analysis analysis) {
        public Written {
            plots = List.copyOf(plots);
        }
    }

    /** Analyses {@code input}, draws its plots and writes both pages into {@code outputDir}. */
    public static Written write(Path outputDir, ReportInput input) {
        Analysis analysis = Analysis.of(input);
        Plots.Drawn plots = Plots.write(outputDir, analysis);
        List<Block> blocks = ReportContent.build(analysis, plots);
        String title = input.experiment() + ": sweep report";
        Path html = AtomicFiles.writeString(outputDir.resolve(REPORT_HTML),
                HtmlRenderer.render(title, blocks, outputDir));
        Path markdown = AtomicFiles.writeString(outputDir.resolve(REPORT_MD), MarkdownRenderer.render(blocks));
        return new Written(html, markdown, plots.all(), analysis);
    }
}
