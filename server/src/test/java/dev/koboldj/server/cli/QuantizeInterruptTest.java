package dev.koboldj.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.gguf.GgufWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping {@code koboldj quantize} mid-write (SIGTERM, as Ctrl-C's shutdown path) leaves neither OUT nor a temporary file. */
class QuantizeInterruptTest {
    @TempDir
    Path dir;

    @Test
    void aStoppedQuantizeLeavesNothingBehind() throws Exception {
        Path in = dir.resolve("in.gguf");
        int rows = 4096, cols = 4096; // 64 MiB of F32 per matrix, four matrices: seconds of Q6_K work
        GgufWriter w = new GgufWriter(Fixtures.bertMetadata());
        for (int m = 0; m < 4; m++) {
            long seed = m;
            w.addTensor("blk." + m + ".ffn_up.weight", GgmlType.F32, new long[]{cols, rows}, out -> {
                Random r = new Random(seed);
                ByteBuffer row = ByteBuffer.allocate(cols * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < rows; i++) {
                    row.clear();
                    for (int j = 0; j < cols; j++) row.putFloat((float) r.nextGaussian());
                    out.write(row.array());
                }
            });
        }
        w.write(in);
        Path out = dir.resolve("out.gguf");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.koboldj.server.Main", "quantize", in.toString(), out.toString(), "q6_k"))
                .redirectErrorStream(true).start();
        // Wait until the progress bar shows it is writing, then stop it.
        StringBuilder seen = new StringBuilder();
        try (InputStream s = p.getInputStream()) {
            byte[] buf = new byte[256];
            while (!seen.toString().contains("quantize Q6_K")) {
                int n = s.read(buf);
                assertTrue(n > 0, "quantize ended before it was stopped: " + seen);
                seen.append(new String(buf, 0, n));
            }
            try (var files = Files.list(dir)) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".part")), "a temporary file is being written");
            }
            p.destroy();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process stopped");
        }
        assertFalse(Files.exists(out), "no OUT after an interrupted quantize");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(in), files.toList(), "the temporary file was removed");
        }
    }
}
