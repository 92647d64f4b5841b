package dev.koboldj.server.cli;

import dev.koboldj.engine.imports.DefaultModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import me.tongfei.progressbar.ProgressBar;

/** The built-in default model (all-MiniLM-L6-v2): imported on first use, with a progress bar, then cached. */
final class DefaultModels {
    private DefaultModels() {
    }

    static Path path(PrintWriter err, boolean quiet) throws IOException {
        Path cache = DefaultModel.cacheDir();
        if (!DefaultModel.needsImport(cache)) return DefaultModel.ensure(cache, (done, total) -> {
        });
        if (!quiet) err.println("koboldj: importing the default model " + DefaultModel.NAME + " into " + cache + " (first use only)");
        ProgressBar[] bar = {null};
        try {
            return DefaultModel.ensure(cache, (done, total) -> {
                if (quiet) return;
                if (bar[0] == null) bar[0] = ProgressBars.on(err, "import", " tensors", 1, total);
                bar[0].stepTo(done);
            });
        } finally {
            ProgressBars.finish(bar[0], err);
        }
    }
}
