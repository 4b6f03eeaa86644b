package dev.fisherpacknet.core.report;

import dev.fisherpacknet.core.results.OutputLayout;
import java.util.Objects;

/**
 * One chart of the report, written as {@code plots/<name>.png} and {@code plots/<name>.svg} in the output folder.
 *
 * @param name    file name without extension, unique in the report
 * @param title   what it shows, in a few words
 * @param caption how to read it, in a sentence
 */
public record Plot(String name, String title, String caption) {

    public Plot {
        Objects.requireNonNull(name);
        Objects.requireNonNull(title);
        Objects.requireNonNull(caption);
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("plot name must be a plain file name, got " + name);
        }
    }

    /** The PNG's path relative to the output folder. */
    public String png() {
        return OutputLayout.PLOTS_DIR + "/" + name + ".png";
    }

    /** The SVG's path relative to the output folder. */
    public String svg() {
        return OutputLayout.PLOTS_DIR + "/" + name + ".svg";
    }
}
