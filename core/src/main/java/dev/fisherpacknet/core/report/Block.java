package dev.fisherpacknet.core.report;

import java.util.List;
import java.util.Objects;

/**
 * The report's content as a small document model, built once and rendered twice (HTML and Markdown), so the two
 * always say the same thing.
 */
public sealed interface Block {

    /** A section heading; level 1 is the title. */
    record Heading(int level, String text) implements Block {
        public Heading {
            Objects.requireNonNull(text);
        }
    }

    /** A paragraph of plain text. */
    record Paragraph(String text) implements Block {
        public Paragraph {
            Objects.requireNonNull(text);
        }
    }

    /** A bulleted list of plain-text items. */
    record Bullets(List<String> items) implements Block {
        public Bullets {
            items = List.copyOf(items);
        }
    }

    /**
     * A table of text cells.
     *
     * @param id      a stable name, so tests and readers can find the table ({@code id} in HTML)
     * @param header  column names
     * @param numeric per column: right-aligned numbers
     * @param rows    cells, in header order
     */
    record Table(String id, List<String> header, List<Boolean> numeric, List<List<String>> rows) implements Block {
        public Table {
            Objects.requireNonNull(id);
            header = List.copyOf(header);
            numeric = List.copyOf(numeric);
            rows = rows.stream().map(List::copyOf).toList();
            int columns = header.size();
            if (numeric.size() != columns || rows.stream().anyMatch(r -> r.size() != columns)) {
                throw new IllegalArgumentException("table " + id + ": every row needs one cell per column");
            }
        }
    }

    /** One plot, full width. */
    record Figure(Plot plot) implements Block {
        public Figure {
            Objects.requireNonNull(plot);
        }
    }

    /** Small plots side by side. */
    record FigureGrid(List<Plot> plots) implements Block {
        public FigureGrid {
            plots = List.copyOf(plots);
        }
    }

    /** Blocks folded away behind a summary line (HTML {@code <details>}); Markdown shows them under a heading. */
    record Details(String summary, List<Block> blocks) implements Block {
        public Details {
            Objects.requireNonNull(summary);
            blocks = List.copyOf(blocks);
        }
    }

    /** Preformatted text, such as the resolved config. */
    record Preformatted(String text) implements Block {
        public Preformatted {
            Objects.requireNonNull(text);
        }
    }
}
