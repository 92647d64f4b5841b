package dev.koboldj.bench.kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a result was measured on: CPU model, cores, JVM, vector width. */
public final class Machine {
    private Machine() {
    }

    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("avx512", cpuFlags().contains(" avx512f"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("vectorBitSize", Integer.getInteger("koboldj.vectorBitSize", jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize()));
        return m;
    }

    public static String cpuModel() {
        String family = field("cpu family"), model = field("model"), name = field("model name");
        return (name == null ? System.getProperty("os.arch") : name) + (family == null ? "" : " (family " + family + " model " + model + ")");
    }

    private static String cpuFlags() {
        String f = field("flags");
        return f == null ? "" : " " + f + " ";
    }

    private static String field(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) return line.substring(colon + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
