package org.steppolicy.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One-line training progress on a terminal stream, redrawn in place with a carriage return:
 * {@code step 120/200 [=========>      ] loss 0.0431 lr 1.20e-05 3.21 step/s ETA 0:00:25}.
 * Steps/s is measured over this run only (a resumed run does not count the steps it skipped).
 */
public final class ProgressBar {
    private static final int WIDTH = 24;
    private static final long MIN_REDRAW_NANOS = 200_000_000L;

    private final PrintStream out;
    private final long total;
    private final long firstStep;
    private final long startNanos;
    private long lastDraw;
    private int lastLength;

    public ProgressBar(PrintStream out, long firstStep, long total) {
        this.out = out;
        this.firstStep = firstStep;
        this.total = total;
        this.startNanos = System.nanoTime();
    }

    /** Redraws after {@code step} steps are done; throttled unless it is the last step. */
    public void update(long step, double loss, double lr) {
        long now = System.nanoTime();
        if (step < total && now - lastDraw < MIN_REDRAW_NANOS) return;
        draw(now, render(step, loss, lr, (now - startNanos) / 1e9));
    }

    /**
     * The same bar for work counted in other units than training steps (a sweep's cells):
     * {@code blocks 4/15 [======>         ] 0.050 blocks/s ETA 0:03:40 cells 1/5 done}; throttled unless all are done.
     */
    public void update(long done, String unit, String note) {
        long now = System.nanoTime();
        if (done < total && now - lastDraw < MIN_REDRAW_NANOS) return;
        draw(now, render(done, unit, note, (now - startNanos) / 1e9));
    }

    private void draw(long now, String line) {
        lastDraw = now;
        int pad = Math.max(0, lastLength - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        lastLength = line.length();
    }

    String render(long step, double loss, double lr, double elapsedSeconds) {
        double rate = elapsedSeconds > 0 ? (step - firstStep) / elapsedSeconds : 0;
        return String.format(Locale.ROOT, "step %d/%d [%s] loss %.4f lr %.2e %.2f step/s ETA %s",
                step, total, bar(step), loss, lr, rate, eta(step, rate));
    }

    String render(long done, String unit, String note, double elapsedSeconds) {
        double rate = elapsedSeconds > 0 ? (done - firstStep) / elapsedSeconds : 0;
        return String.format(Locale.ROOT, "%s %d/%d [%s] %.3f %s/s ETA %s%s", unit, done, total, bar(done), rate, unit,
                eta(done, rate), note == null || note.isEmpty() ? "" : " " + note);
    }

    private String bar(long done) {
        int filled = (int) Math.min(WIDTH, WIDTH * done / Math.max(1, total));
        return "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
    }

    private String eta(long done, double rate) {
        return rate > 0 ? clock((total - done) / rate) : "--:--:--";
    }

    /** Ends the line so later output starts on a fresh one. */
    public void finish() {
        out.println();
        out.flush();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
