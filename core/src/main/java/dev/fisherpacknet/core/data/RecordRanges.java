package dev.fisherpacknet.core.data;

import java.io.Serializable;

/**
 * The one plan of which base records go to which partition: partition {@code p} of {@code parts} holds the
 * contiguous records {@code [p * records / parts, (p + 1) * records / parts)}. Spark's shards are read this way,
 * the Fisher estimators sum these groups, and the data-parallel trainers give each worker one of them, in Spark
 * and in one JVM alike, which is what makes the two bit-identical. Record order is the order of the data files, so
 * a partition is a byte range of a fixed-length file.
 *
 * @param records base records (training examples before any task selects or transforms them)
 * @param parts   partitions
 */
public record RecordRanges(long records, int parts) implements Serializable {
    public RecordRanges {
        if (records < 0 || parts < 1) {
            throw new IllegalArgumentException("records must be >= 0 and parts >= 1, got " + records + ", " + parts);
        }
    }

    /** First record of partition {@code p}. */
    public long first(int p) {
        if (p < 0 || p > parts) {
            throw new IndexOutOfBoundsException("partition " + p + " of " + parts);
        }
        // records * p fits in a long for any data that fits on disks (records < 2^40, parts < 2^23).
        return Math.multiplyExact(records, (long) p) / parts;
    }

    /** One past the last record of partition {@code p}. */
    public long end(int p) {
        return first(p + 1);
    }

    /** The partition that holds record {@code record}. */
    public int partitionOf(long record) {
        if (record < 0 || record >= records) {
            throw new IndexOutOfBoundsException("record " + record + " of " + records);
        }
        // first(p) = floor(records * p / parts) <= record: start from the estimate and correct the rounding.
        int p = (int) Math.min(parts - 1, Math.multiplyExact(record, (long) parts) / records);
        while (first(p) > record) {
            p--;
        }
        while (end(p) <= record) {
            p++;
        }
        return p;
    }

    /** Records in partition {@code p}. */
    public int size(int p) {
        return Math.toIntExact(end(p) - first(p));
    }
}
