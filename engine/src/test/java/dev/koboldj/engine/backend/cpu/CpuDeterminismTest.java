package dev.koboldj.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.testing.SyntheticModels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repeated calls give bit-identical vectors, in a warm JVM and in a cold one: {@link DeterminismProbe}'s hash after
 * seconds of JIT warm-up equals its first hash, and equals the hash of a forked JVM that only interprets (-Xint: no
 * C2 intrinsics, the Vector API's Java fallback).
 */
class CpuDeterminismTest {
    @Test
    void coldAndWarmJvmsGiveTheSameBits(@TempDir Path dir) throws Exception {
        Path bert = SyntheticModels.bert(dir, 31, false, GgmlType.Q8_0);
        Path qwen = SyntheticModels.qwen(dir, "qwen3", 32, GgmlType.F16);
        String first = DeterminismProbe.digest(bert, qwen);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < end) DeterminismProbe.digest(bert, qwen);
        String warm = DeterminismProbe.digest(bert, qwen);
        assertEquals(first, warm, "first call vs after JIT warm-up");
        assertEquals(warm, forked("-Xint", bert, qwen), "warm JVM vs interpreter-only JVM");
    }

    private static String forked(String mode, Path... models) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), mode,
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"));
        String width = System.getProperty("koboldj.vectorBitSize");
        if (width != null) cmd.add("-Dkoboldj.vectorBitSize=" + width);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DeterminismProbe.class.getName()));
        for (Path m : models) cmd.add(m.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String digest = null;
        StringBuilder log = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("DIGEST ")) digest = line.substring(7);
                else log.append(line).append('\n');
            }
        }
        p.waitFor();
        assertNotNull(digest, () -> "forked JVM (" + mode + ") printed no digest:\n" + log);
        return digest;
    }
}
