package dev.fisherpacknet.core.report;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV as {@code Tables.csv} writes it: commas, double quotes around values that need them. */
final class Csv {
    private Csv() {
    }

    /** The lines of {@code text}, each a list of values; a trailing line break ends the last line. */
    static List<List<String>> parse(String text) {
        List<List<String>> lines = new ArrayList<>();
        List<String> line = new ArrayList<>();
        StringBuilder value = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    value.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    value.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                line.add(value.toString());
                value.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                line.add(value.toString());
                lines.add(line);
                line = new ArrayList<>();
                value.setLength(0);
                any = false;
            } else {
                value.append(c);
                any = true;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("a quoted value is not closed");
        }
        if (any) {
            line.add(value.toString());
            lines.add(line);
        }
        return lines;
    }
}
