package dev.fisherpacknet.jobs.io;

import dev.fisherpacknet.core.results.AtomicFiles;
import dev.fisherpacknet.core.results.OutputLayout;
import dev.fisherpacknet.core.results.Tables;
import dev.fisherpacknet.core.run.RunResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes the same long tables as the CSV files as Parquet, with typed columns: a column whose every value is a
 * whole number is a long, every value a number is a double, anything else a string (empty cells are null). Each
 * table folder appears in one rename ({@link AtomicFiles#writeFolder}).
 */
public final class ParquetTables {

    private ParquetTables() {
    }

    public static void write(SparkSession spark, Path dir, List<RunResult> results, List<String> axes) {
        write(spark, dir.resolve(OutputLayout.ACCURACY_PARQUET), Tables.accuracyRows(results, axes));
        write(spark, dir.resolve(OutputLayout.TASKS_PARQUET), Tables.taskRows(results, axes));
    }

    private static void write(SparkSession spark, Path target, Tables table) {
        List<StructField> fields = new ArrayList<>();
        List<DataType> types = new ArrayList<>();
        for (int c = 0; c < table.header().size(); c++) {
            DataType type = typeOf(table, c);
            types.add(type);
            fields.add(DataTypes.createStructField(table.header().get(c), type, true));
        }
        List<Row> rows = new ArrayList<>();
        for (List<String> values : table.rows()) {
            Object[] cells = new Object[values.size()];
            for (int c = 0; c < cells.length; c++) {
                cells[c] = convert(values.get(c), types.get(c));
            }
            rows.add(RowFactory.create(cells));
        }
        // Spark writes a folder of part files; it is written under a hidden temporary name and renamed into
        // place, so a failed or killed write never leaves a complete-looking accuracy.parquet/ behind.
        AtomicFiles.writeFolder(target, tmp -> spark.createDataFrame(rows,
                        new StructType(fields.toArray(StructField[]::new)))
                .coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(tmp.toAbsolutePath().toString()));
    }

    private static DataType typeOf(Tables table, int column) {
        boolean allLong = true;
        boolean allDouble = true;
        for (List<String> row : table.rows()) {
            String v = row.get(column);
            if (v == null || v.isEmpty()) {
                continue;
            }
            allLong &= v.matches("-?\\d{1,18}");
            allDouble &= isDouble(v);
        }
        return allLong ? DataTypes.LongType : allDouble ? DataTypes.DoubleType : DataTypes.StringType;
    }

    private static boolean isDouble(String v) {
        try {
            Double.parseDouble(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Object convert(String v, DataType type) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (type == DataTypes.LongType) {
            return Long.parseLong(v);
        }
        return type == DataTypes.DoubleType ? Double.parseDouble(v) : v;
    }
}
