package dev.fisherpacknet.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RecordRangesTest {

    @Test
    void partitionOf_findsTheRangeHoldingEachRecord_asAScanOfTheRangesDoes() {
        for (long records : new long[] {1, 2, 7, 100, 7996, 60_000}) {
            for (int parts : new int[] {1, 2, 3, 8, 13, 64}) {
                RecordRanges ranges = new RecordRanges(records, parts);
                int p = 0;
                for (long r = 0; r < records; r++) {
                    while (ranges.end(p) <= r) {
                        p++;
                    }
                    assertEquals(p, ranges.partitionOf(r), records + " records, " + parts + " parts, record " + r);
                }
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> new RecordRanges(10, 3).partitionOf(10));
    }
}
