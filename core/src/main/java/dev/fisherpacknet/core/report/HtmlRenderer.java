package dev.fisherpacknet.core.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * Renders the report's blocks as one self-contained HTML page: styles inline, every plot embedded as a PNG data URI
 * (read from the output folder), no script and no external resource, so it opens from disk in any browser and
 * can be mailed as one file. Each figure links its SVG beside the page for a vector copy.
 */
final class HtmlRenderer {
    private static final String STYLE = """
            body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #222;
                   max-width: 1180px; margin: 2em auto; padding: 0 1em; }
            h1 { font-size: 1.7em; margin-bottom: 0.2em; }
            h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 1.8em; }
            h3 { margin-top: 1.4em; }
            table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
            th, td { border: 1px solid #d0d0d0; padding: 0.25em 0.6em; vertical-align: top; }
            th { background: #f3f3f3; text-align: left; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            td:first-child { white-space: nowrap; }
            tbody tr:nth-child(even) { background: #fafafa; }
            figure { margin: 1em 0; }
            figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
            figcaption { color: #555; font-size: 0.9em; max-width: 800px; }
            .grid { display: flex; flex-wrap: wrap; gap: 0.8em; }
            .grid figure { margin: 0; width: 420px; }
            details { margin: 0.6em 0; }
            summary { cursor: pointer; color: #1f4e9c; }
            pre { background: #f6f8fa; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
            """;

    private final Path outputDir;
    private final StringBuilder out = new StringBuilder();

    private HtmlRenderer(Path outputDir) {
        this.outputDir = outputDir;
    }

    /** The page for {@code blocks}; plots are read from {@code outputDir}. */
    static String render(String title, List<Block> blocks, Path outputDir) {
        HtmlRenderer r = new HtmlRenderer(outputDir);
        r.out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append("</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n");
        r.blocks(blocks);
        r.out.append("</body>\n</html>\n");
        return r.out.toString();
    }

    private void blocks(List<Block> blocks) {
        for (Block block : blocks) {
            block(block);
        }
    }

    // Java 17 has no pattern matching in switch: an instanceof chain over the sealed interface's records.
    private void block(Block block) {
        if (block instanceof Block.Heading h) {
            out.append("<h").append(h.level()).append('>').append(escape(h.text())).append("</h").append(h.level())
                    .append(">\n");
        } else if (block instanceof Block.Paragraph p) {
            out.append("<p>").append(escape(p.text())).append("</p>\n");
        } else if (block instanceof Block.Bullets b) {
            out.append("<ul>\n");
            b.items().forEach(item -> out.append("<li>").append(escape(item)).append("</li>\n"));
            out.append("</ul>\n");
        } else if (block instanceof Block.Table t) {
            table(t);
        } else if (block instanceof Block.Figure f) {
            figure(f.plot());
        } else if (block instanceof Block.FigureGrid g) {
            out.append("<div class=\"grid\">\n");
            g.plots().forEach(this::figure);
            out.append("</div>\n");
        } else if (block instanceof Block.Details d) {
            out.append("<details>\n<summary>").append(escape(d.summary())).append("</summary>\n");
            blocks(d.blocks());
            out.append("</details>\n");
        } else if (block instanceof Block.Preformatted p) {
            out.append("<pre>").append(escape(p.text())).append("</pre>\n");
        } else {
            throw new IllegalStateException("no HTML for " + block);
        }
    }

    private void table(Block.Table t) {
        out.append("<table id=\"").append(escape(t.id())).append("\">\n<thead><tr>");
        t.header().forEach(h -> out.append("<th>").append(escape(h)).append("</th>"));
        out.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : t.rows()) {
            out.append("<tr>");
            for (int c = 0; c < row.size(); c++) {
                out.append(t.numeric().get(c) ? "<td class=\"num\">" : "<td>").append(escape(row.get(c)))
                        .append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    private void figure(Plot plot) {
        byte[] png;
        try {
            png = Files.readAllBytes(outputDir.resolve(plot.png()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot embed " + plot.png() + ": " + e.getMessage(), e);
        }
        out.append("<figure id=\"").append(escape(plot.name())).append("\">\n<img alt=\"").append(escape(plot.title()))
                .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
                .append("\">\n<figcaption>").append(escape(plot.caption())).append(" <a href=\"")
                .append(escape(plot.svg())).append("\">SVG</a></figcaption>\n</figure>\n");
    }

    /** Escapes text for HTML content and attribute values. */
    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }
}
