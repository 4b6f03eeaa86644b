package dev.fisherpacknet.core.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON files bound to records: their text, field by field, and the round trip. */
class JsonRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void failureJson_hasItsFieldsInTheDocumentedOrder_andReadsBackEqual() throws IOException {
        Map<String, String> sweep = new LinkedHashMap<>();
        sweep.put("seed", "2");
        sweep.put("prune.ratio", "0.5");
        FailureRecord record = new FailureRecord("r003-s2-p0.5", FailureRecord.DIVERGED, 1, "retrain",
                "the loss is NaN", sweep, 1234);

        String text = JSON.writeValueAsString(record);

        assertEquals("""
                {
                  "id" : "r003-s2-p0.5",
                  "status" : "diverged",
                  "task" : 1,
                  "phase" : "retrain",
                  "reason" : "the loss is NaN",
                  "sweep_values" : {
                    "seed" : "2",
                    "prune.ratio" : "0.5"
                  },
                  "millis" : 1234
                }""", text.replace("\r\n", "\n"));
        assertEquals(record, JSON.readValue(text, FailureRecord.class));
        assertEquals(List.of("seed", "prune.ratio"), List.copyOf(JSON.readValue(text, FailureRecord.class)
                .sweepValues().keySet()));
    }

    @Test
    void sweepJson_sortsItsConfigKeys_readsBackEqual_andRejectsAFileWithoutConfig() throws IOException {
        SweepMarker marker = new SweepMarker("p1", "conf/p1.conf", "2026-12-03T10:00:00Z", "abc",
                List.of("output.dir", "spark.master"), Map.of("seed", "1", "prune.ratio", "0.5"));

        String text = JSON.writeValueAsString(marker);

        assertEquals(List.of("prune.ratio", "seed"), List.copyOf(marker.config().keySet()));
        assertEquals(marker, JSON.readValue(text, SweepMarker.class));
        assertEquals(0, text.indexOf("{\n  \"experiment\" : \"p1\",\n  \"source\""), text);
        assertThrows(IOException.class, () -> JSON.readValue("{\"experiment\": \"p1\", \"ignored_keys\": []}",
                SweepMarker.class));
    }
}
