package dev.koboldj.server.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** ASCII progress bars drawn on a command's error stream, so piped standard output stays clean. */
public final class ProgressBars {
    private ProgressBars() {
    }

    /** A bar of {@code max} units (each {@code unitSize} steps, named {@code unit}) for {@code task}. */
    public static ProgressBar on(PrintWriter err, String task, String unit, long unitSize, long max) {
        return new ProgressBarBuilder().setTaskName(task).setUnit(unit, unitSize).setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new DelegatingProgressBarConsumer(line -> {
                    err.print('\r' + line);
                    err.flush();
                }, 100))
                .build();
    }

    /** Closes the bar (if one was started) and ends its line. */
    public static void finish(ProgressBar bar, PrintWriter err) {
        if (bar == null) return;
        bar.close();
        err.println();
        err.flush();
    }
}
