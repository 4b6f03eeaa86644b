package dev.fisherpacknet.core.report;

import java.util.List;

/**
 * Renders the report's blocks as Markdown (GitHub flavour): the same headings, verdicts and tables as the HTML
 * page, with plots as links to their PNG files, for reading in a terminal, a diff or a repository browser.
 */
final class MarkdownRenderer {
    private final StringBuilder out = new StringBuilder();

    private MarkdownRenderer() {
    }

    static String render(List<Block> blocks) {
        MarkdownRenderer r = new MarkdownRenderer();
        r.blocks(blocks);
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
            out.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
        } else if (block instanceof Block.Paragraph p) {
            out.append(p.text()).append("\n\n");
        } else if (block instanceof Block.Bullets b) {
            b.items().forEach(item -> out.append("- ").append(item).append('\n'));
            out.append('\n');
        } else if (block instanceof Block.Table t) {
            table(t);
        } else if (block instanceof Block.Figure f) {
            out.append("![").append(f.plot().title()).append("](").append(f.plot().png()).append(")\n\n")
                    .append(f.plot().caption()).append(" ([SVG](").append(f.plot().svg()).append("))\n\n");
        } else if (block instanceof Block.FigureGrid g) {
            g.plots().forEach(p -> out.append("- [").append(p.title()).append("](").append(p.png()).append(")\n"));
            out.append('\n');
        } else if (block instanceof Block.Details d) {
            out.append("**").append(d.summary()).append("**\n\n");
            blocks(d.blocks());
        } else if (block instanceof Block.Preformatted p) {
            out.append("```\n").append(p.text()).append(p.text().endsWith("\n") ? "" : "\n").append("```\n\n");
        } else {
            throw new IllegalStateException("no Markdown for " + block);
        }
    }

    private void table(Block.Table t) {
        out.append('|');
        t.header().forEach(h -> out.append(' ').append(cell(h)).append(" |"));
        out.append("\n|");
        t.numeric().forEach(n -> out.append(n ? "---:|" : "---|"));
        out.append('\n');
        for (List<String> row : t.rows()) {
            out.append('|');
            row.forEach(c -> out.append(' ').append(cell(c)).append(" |"));
            out.append('\n');
        }
        out.append('\n');
    }

    /** A table cell: pipes escaped, line breaks flattened, so a value never breaks the table. */
    static String cell(String text) {
        return text.replace("|", "\\|").replace('\n', ' ');
    }
}
