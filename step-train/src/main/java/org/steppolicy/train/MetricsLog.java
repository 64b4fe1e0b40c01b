package org.steppolicy.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run's metrics as CSV ({@code step,train_loss,lr,val_loss,wall_s}; val_loss empty when not measured at that step),
 * kept in memory too for the loss plot. Reopening after a resume keeps the rows up to the resumed step, so the file
 * reads as one continuous run.
 */
public final class MetricsLog implements AutoCloseable {
    public static final String HEADER = "step,train_loss,lr,val_loss,wall_s";

    /** One row; valLoss is NaN when not measured. */
    public record Row(long step, double trainLoss, double lr, double valLoss, double wallSeconds) {
        String csv() {
            return String.format(Locale.ROOT, "%d,%.6g,%.6g,%s,%.3f", step, trainLoss, lr,
                    Double.isNaN(valLoss) ? "" : String.format(Locale.ROOT, "%.6g", valLoss), wallSeconds);
        }

        static Row parse(String line) {
            String[] f = line.split(",", -1);
            return new Row(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    f[3].isEmpty() ? Double.NaN : Double.parseDouble(f[3]), Double.parseDouble(f[4]));
        }
    }

    private final Path file;
    private final List<Row> rows = new ArrayList<>();
    private final BufferedWriter writer;

    /** Opens {@code file}, keeping existing rows with step ≤ keepUpToStep (all others are dropped). */
    public MetricsLog(Path file, long keepUpToStep) {
        this.file = file;
        try {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    if (line.isBlank()) continue;
                    Row r = Row.parse(line);
                    if (r.step() <= keepUpToStep) rows.add(r);
                }
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            writer.write(HEADER);
            writer.newLine();
            for (Row r : rows) { writer.write(r.csv()); writer.newLine(); }
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics " + file + ": " + e.getMessage(), e);
        }
    }

    public void add(Row row) {
        rows.add(row);
        try {
            writer.write(row.csv());
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics " + file + ": " + e.getMessage(), e);
        }
    }

    public List<Row> rows() { return List.copyOf(rows); }
    public Path file() { return file; }

    @Override
    public void close() {
        try { writer.close(); } catch (IOException e) { throw new UncheckedIOException(e); }
    }
}
