package dev.koboldj.bench.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.koboldj.engine.backend.MemoryUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Run in a fresh JVM by {@link CorpusBench}: loads one GGUF with koboldj, serves the corpus twice, and prints one JSON
 * line with the process's resident memory (VmRSS now, VmHWM peak) beside the file size and the backend's own
 * accounting, so "resident memory within file size + activation arena + 150 MB" can be checked per format.
 * Arguments: gguf corpus threads batchTokens maxTokens.
 */
public final class MemoryProbe {
    private MemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path gguf = Path.of(args[0]), corpus = Path.of(args[1]);
        int threads = Integer.parseInt(args[2]), batchTokens = Integer.parseInt(args[3]), maxTokens = Integer.parseInt(args[4]);
        List<String> texts = Corpus.load(corpus, Integer.MAX_VALUE);
        long before = status("VmRSS");
        Map<String, Object> r = new LinkedHashMap<>();
        try (KoboldjEngine e = new KoboldjEngine("probe", gguf, threads, batchTokens, maxTokens)) {
            e.embedAll(texts);
            e.embedAll(texts);
            MemoryUsage mu = e.model().backend().memory();
            r.put("fileBytes", Files.size(gguf));
            r.put("weightBytes", mu.weightBytes());
            r.put("activationBytes", mu.activationBytes());
            r.put("rssBeforeLoadBytes", before);
            r.put("rssBytes", status("VmRSS"));
            r.put("peakRssBytes", status("VmHWM"));
            r.put("rssAnonBytes", status("RssAnon")); // the heap, JIT code, metaspace, thread stacks, malloc
            r.put("rssFileBytes", status("RssFile")); // mapped weights still resident, the JDK's own libraries and CDS archive
            r.put("heapUsedBytes", Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
        }
        System.out.println("MEMORY " + new ObjectMapper().writeValueAsString(r));
    }

    /** A /proc/self/status field in bytes (-1 where there is no /proc). */
    static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
