package dev.fisherpacknet.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchesTest {

    @Test
    void slices_areContiguousInOrder_coverEveryItemOnce_andDifferInSizeByAtMostOne() {
        List<Integer> items = IntStream.range(0, 63).boxed().toList();
        for (int parts = 1; parts <= 70; parts++) {
            List<List<Integer>> slices = Batches.slices(items, parts);

            assertEquals(parts, slices.size());
            List<Integer> joined = new ArrayList<>();
            slices.forEach(joined::addAll);
            assertEquals(items, joined, "parts " + parts);
            int min = slices.stream().mapToInt(List::size).min().orElseThrow();
            int max = slices.stream().mapToInt(List::size).max().orElseThrow();
            assertEquals(true, max - min <= 1, "parts " + parts);
        }
    }

    @Test
    void slices_matchSparksParallelizeBoundaries() {
        // Spark's ParallelCollectionRDD cuts a sequence of n items into slice i = [i*n/k, (i+1)*n/k).
        List<List<Integer>> slices = Batches.slices(IntStream.range(0, 10).boxed().toList(), 4);

        assertEquals(List.of(List.of(0, 1), List.of(2, 3, 4), List.of(5, 6), List.of(7, 8, 9)), slices);
    }

    @Test
    void slices_intoNoParts_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> Batches.slices(List.of(1), 0));
    }

    @Test
    void shuffled_coversEveryExampleOnce_withOnlyTheLastMinibatchShort() {
        List<int[]> batches = Batches.shuffled(300, 128, 9);

        assertEquals(List.of(128, 128, 44), batches.stream().map(b -> b.length).toList());
        int[] all = batches.stream().flatMapToInt(Arrays::stream).sorted().toArray();
        assertEquals(true, Arrays.equals(IntStream.range(0, 300).toArray(), all));
    }
}
