package dev.koboldj.bench.corpus;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.koboldj.bench.kernels.KernelReport;
import dev.koboldj.bench.kernels.Machine;
import dev.koboldj.bench.kernels.MachinePeak;
import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.gguf.GgufFile;
import dev.koboldj.engine.gguf.Metadata;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Side-by-side embedding benchmark, in one process and one run: koboldj (one GGUF per weight format), ONNX Runtime
 * (LangChain4j's all-MiniLM-L6-v2) and llama.cpp (de.kherud:llama on the F32 GGUF), with the same thread count.
 * Each engine embeds the whole corpus once to warm up (excluded), then {@code --reps} times, engines interleaved
 * so host noise spreads evenly; reports min/median, texts/s, tokens/s, effective GFLOP/s of the linear layers and
 * the ratios to ONNX Runtime and llama.cpp. Then single-query latency (p50/p99 over one short sentence), and per
 * koboldj format the resident memory of a fresh JVM serving the corpus.
 */
public final class CorpusBench {
    static final String SHORT_QUERY = "What is the capital of France?";

    private CorpusBench() {
    }

    private record Entry(String name, Engine engine, String skipped) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = KernelReport.options(args);
        if (o.containsKey("help")) {
            System.out.println("""
                    corpus options:
                      --corpus FILE          texts, one per line (default ../shared/data/corpus-en-1000.txt)
                      --limit N              use the first N texts
                      --threads N            threads for every engine (default: all cores)
                      --reps N               timed passes over the corpus per engine (default 5)
                      --formats F32,F16,Q8_0,Q4_0   koboldj weight formats
                      --engines koboldj,onnxruntime,llama.cpp
                      --batch-tokens N       koboldj tokens per forward pass (default 2048)
                      --max-tokens N         tokens per text for koboldj (default: the truncation of the model's
                                             tokenizer.json, 128 for all-MiniLM-L6-v2, which ONNX Runtime applies too)
                      --latency-reps N       single-query calls timed per engine (default 300)
                      --no-memory            skip the resident-memory probes
                      --probe-heap SIZE      -Xmx of the memory probes' JVMs: "auto" (default) sizes it to the model
                                             (activation arena + packed weights + 80 MiB), "none" leaves it uncapped
                      --models DIR           where model files are built (default bench/target/bench-models)
                      --json FILE            also write the results as JSON""");
            return;
        }
        int threads = Integer.parseInt(o.getOrDefault("threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        int reps = Integer.parseInt(o.getOrDefault("reps", "5"));
        int latencyReps = Integer.parseInt(o.getOrDefault("latency-reps", "300"));
        int batchTokens = Integer.parseInt(o.getOrDefault("batch-tokens", "2048"));
        List<String> engines = List.of(o.getOrDefault("engines", "koboldj,onnxruntime,llama.cpp").split(","));
        Path corpusPath = o.containsKey("corpus") ? Path.of(o.get("corpus")) : Corpus.defaultPath();
        List<String> texts = Corpus.load(corpusPath, Integer.parseInt(o.getOrDefault("limit", String.valueOf(Integer.MAX_VALUE))));
        // Measured before any engine starts: ONNX Runtime's and llama.cpp's native pools keep spinning after their last call.
        double peakGflops = o.containsKey("json") ? MachinePeak.gflops(threads) : Double.NaN;
        Fixtures fx = new Fixtures(Path.of(o.getOrDefault("models", defaultModelsDir())));

        int truncation = fx.truncation();
        int maxTokens = Integer.parseInt(o.getOrDefault("max-tokens", String.valueOf(truncation > 0 ? truncation : 512)));
        long tokens = countTokens(fx.tokenizerJson(), texts, maxTokens), untruncated = countTokens(fx.tokenizerJson(), texts, 512);
        Path f32 = fx.gguf(GgmlType.F32);
        double flopsPerToken = linearFlopsPerToken(f32);
        System.out.printf(Locale.ROOT, "corpus: %s, %d texts, %d tokens at most %d per text (%.1f per text; %d untruncated, which llama.cpp embeds), "
                + "%.1f MFLOP per token in linear layers%n", corpusPath, texts.size(), tokens, maxTokens, (double) tokens / texts.size(), untruncated, flopsPerToken / 1e6);
        System.out.printf(Locale.ROOT, "machine: %s, %d cores; %d threads per engine; %s%n", Machine.cpuModel(),
                Runtime.getRuntime().availableProcessors(), threads, System.getProperty("java.runtime.version"));

        List<Entry> entries = new ArrayList<>();
        if (engines.contains("koboldj")) {
            for (String f : o.getOrDefault("formats", "F32,F16,Q8_0,Q4_0").split(",")) {
                String name = "koboldj " + f;
                try {
                    entries.add(new Entry(name, new KoboldjEngine(name, fx.gguf(GgmlType.valueOf(f)), threads, batchTokens, maxTokens), null));
                } catch (RuntimeException e) {
                    entries.add(new Entry(name, null, "cannot build or load the " + f + " GGUF: " + e.getMessage()));
                }
            }
        }
        if (engines.contains("onnxruntime")) entries.add(new Entry("onnxruntime", new OrtEngine(threads), null));
        if (engines.contains("llama.cpp")) {
            String missing = llamaCppCannotLoad(f32);
            if (missing != null) entries.add(new Entry("llama.cpp", null, missing));
            else entries.add(new Entry("llama.cpp", new LlamaCppEngine(f32, threads), null));
        }

        // Warm-up pass (excluded), which also checks the engines compute the same embeddings.
        Map<String, List<float[]>> reference = new LinkedHashMap<>();
        for (Entry e : live(entries)) {
            long t0 = System.nanoTime();
            reference.put(e.name, e.engine.embedAll(texts));
            System.out.printf(Locale.ROOT, "warm-up %-14s %.1f s%n", e.name, (System.nanoTime() - t0) / 1e9);
        }
        Map<String, Double> minCosineToOrt = new LinkedHashMap<>();
        if (reference.containsKey("onnxruntime")) {
            for (Map.Entry<String, List<float[]>> r : reference.entrySet()) {
                if (!r.getKey().equals("onnxruntime")) minCosineToOrt.put(r.getKey(), minCosine(r.getValue(), reference.get("onnxruntime")));
            }
        }
        reference.clear();

        Map<String, double[]> seconds = new LinkedHashMap<>();
        Map<String, double[]> heapBytes = new LinkedHashMap<>(); // Java heap allocated by all threads during a pass
        var threadBean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (Entry e : live(entries)) {
            seconds.put(e.name, new double[reps]);
            heapBytes.put(e.name, new double[reps]);
        }
        for (int rep = 0; rep < reps; rep++) {
            for (Entry e : live(entries)) {
                Thread.sleep(300); // let the previous engine's threads stop spinning
                long a0 = threadBean.getTotalThreadAllocatedBytes();
                long t0 = System.nanoTime();
                e.engine.embedAll(texts);
                seconds.get(e.name)[rep] = (System.nanoTime() - t0) / 1e9;
                heapBytes.get(e.name)[rep] = threadBean.getTotalThreadAllocatedBytes() - a0;
            }
            System.out.printf(Locale.ROOT, "rep %d/%d done%n", rep + 1, reps);
        }

        Map<String, Stats> latency = new LinkedHashMap<>();
        for (Entry e : live(entries)) {
            for (int i = 0; i < 50; i++) e.engine.embedOne(SHORT_QUERY);
            Thread.sleep(300);
            double[] ms = new double[latencyReps];
            for (int i = 0; i < latencyReps; i++) {
                long t0 = System.nanoTime();
                e.engine.embedOne(SHORT_QUERY);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            latency.put(e.name, Stats.of(ms));
        }
        Map<String, Long> heapNeeds = new LinkedHashMap<>(); // what each koboldj model keeps on the Java heap
        for (Entry e : live(entries)) {
            if (e.engine instanceof KoboldjEngine k) {
                var mu = k.model().memory();
                long mapped = k.model().file().tensors().stream().mapToLong(t -> t.byteSize()).sum();
                heapNeeds.put(e.name, mu.activationBytes() + Math.max(0, mu.weightBytes() - mapped));
            }
            e.engine.close();
        }

        Map<String, Map<String, Object>> memory = new LinkedHashMap<>();
        if (!o.containsKey("no-memory")) {
            for (Entry e : entries) {
                if (e.engine == null || !e.name.startsWith("koboldj ")) continue;
                GgmlType type = GgmlType.valueOf(e.name.substring("koboldj ".length()));
                String heap = o.getOrDefault("probe-heap", "auto");
                if (heap.equals("auto")) heap = (heapNeeds.getOrDefault(e.name, 0L) / 1048576 + 80) + "m";
                memory.put(e.name, probeMemory(fx.gguf(type), corpusPath, threads, batchTokens, maxTokens, heap));
            }
        }

        Map<String, Object> doc = report(entries, seconds, heapBytes, latency, minCosineToOrt, memory, texts.size(), tokens, untruncated, flopsPerToken, threads);
        doc.put("maxTokensPerText", maxTokens);
        doc.put("corpus", corpusPath.toString());
        if (o.containsKey("json")) {
            doc.put("machine", Machine.describe());
            doc.put("peakGflops", peakGflops);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(o.get("json")).toFile(), doc);
            System.out.println("wrote " + o.get("json"));
        }
        System.exit(0); // native threads of llama.cpp / ONNX Runtime would keep the JVM alive
    }

    private static List<Entry> live(List<Entry> entries) {
        return entries.stream().filter(e -> e.engine != null).toList();
    }

    private static Map<String, Object> report(List<Entry> entries, Map<String, double[]> seconds, Map<String, double[]> heapBytes, Map<String, Stats> latency,
                                              Map<String, Double> cosine, Map<String, Map<String, Object>> memory,
                                              int texts, long truncatedTokens, long untruncated, double flopsPerToken, int threads) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("texts", texts);
        doc.put("tokens", truncatedTokens);
        doc.put("untruncatedTokens", untruncated);
        doc.put("threads", threads);
        doc.put("linearFlopsPerToken", flopsPerToken);
        Stats ort = seconds.containsKey("onnxruntime") ? Stats.of(seconds.get("onnxruntime")) : null;
        Stats llama = seconds.containsKey("llama.cpp") ? Stats.of(seconds.get("llama.cpp")) : null;
        System.out.println();
        System.out.println("Corpus throughput (median of the timed passes; best in brackets)");
        System.out.printf(Locale.ROOT, "%-14s %9s %9s %16s %18s %14s %12s %12s %10s %9s%n", "engine", "min s", "median s", "texts/s", "tokens/s",
                "GFLOP/s", "vs ORT", "vs llama", "cos(ORT)", "heap/text");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("engine", e.name);
            if (e.engine == null) {
                row.put("skipped", e.skipped);
                System.out.printf(Locale.ROOT, "%-14s skipped: %s%n", e.name, e.skipped);
                rows.add(row);
                continue;
            }
            Stats s = Stats.of(seconds.get(e.name));
            long tokens = e.name.equals("llama.cpp") ? untruncated : truncatedTokens; // llama.cpp does not truncate
            row.put("tokens", tokens);
            row.put("seconds", seconds.get(e.name));
            row.put("minSeconds", s.min());
            row.put("medianSeconds", s.median());
            row.put("textsPerSecond", texts / s.median());
            row.put("textsPerSecondBest", texts / s.min());
            row.put("tokensPerSecond", tokens / s.median());
            row.put("effectiveGflops", tokens * flopsPerToken / s.median() / 1e9);
            Double vsOrt = ort == null ? null : ort.median() / s.median();
            Double vsLlama = llama == null ? null : llama.median() / s.median();
            row.put("ratioToOnnxRuntime", vsOrt);
            row.put("ratioToOnnxRuntimeBest", ort == null ? null : ort.min() / s.min());
            row.put("ratioToLlamaCpp", vsLlama);
            row.put("ratioToLlamaCppBest", llama == null ? null : llama.min() / s.min());
            row.put("minCosineToOnnxRuntime", cosine.get(e.name));
            // Steady serving allocates little; a kernel C2 stopped intrinsifying boxes its vectors and shows up here as MBs.
            double heapPerText = Stats.of(heapBytes.get(e.name)).median() / texts;
            row.put("heapBytesPerText", heapPerText);
            System.out.printf(Locale.ROOT, "%-14s %9.2f %9.2f %7.1f [%6.1f] %9.0f [%6.0f] %6.1f [%5.1f] %5s [%4s] %5s [%4s] %10s %6.1f KB%n", e.name,
                    s.min(), s.median(), texts / s.median(), texts / s.min(), tokens / s.median(), tokens / s.min(),
                    tokens * flopsPerToken / s.median() / 1e9, tokens * flopsPerToken / s.min() / 1e9,
                    ratio(vsOrt), ratio(ort == null ? null : ort.min() / s.min()), ratio(vsLlama), ratio(llama == null ? null : llama.min() / s.min()),
                    cosine.containsKey(e.name) ? String.format(Locale.ROOT, "%.7f", cosine.get(e.name)) : "-", heapPerText / 1024);
            rows.add(row);
        }
        doc.put("throughput", rows);

        System.out.println();
        System.out.printf(Locale.ROOT, "Single-query latency: \"%s\"%n", SHORT_QUERY);
        System.out.printf(Locale.ROOT, "%-14s %9s %9s %9s %12s%n", "engine", "p50 ms", "p99 ms", "min ms", "p50 vs ORT");
        List<Map<String, Object>> lat = new ArrayList<>();
        Stats ortLatency = latency.get("onnxruntime");
        for (Map.Entry<String, Stats> l : latency.entrySet()) {
            Stats s = l.getValue();
            Double vs = ortLatency == null ? null : ortLatency.p50() / s.p50();
            System.out.printf(Locale.ROOT, "%-14s %9.3f %9.3f %9.3f %12s%n", l.getKey(), s.p50(), s.p99(), s.min(), ratio(vs));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("engine", l.getKey());
            row.put("p50Ms", s.p50());
            row.put("p99Ms", s.p99());
            row.put("minMs", s.min());
            row.put("calls", s.n());
            row.put("p50SpeedupOverOnnxRuntime", vs);
            lat.add(row);
        }
        doc.put("latency", lat);

        if (!memory.isEmpty()) {
            System.out.println();
            System.out.println("Resident memory of a fresh JVM serving the corpus twice (budget: file + activation arena + 150 MiB); JVM options: "
                    + String.valueOf(memory.values().iterator().next().getOrDefault("jvmOptions", "?")).replaceAll(" -Xmx\\S+", "") + " -Xmx (column)");
            System.out.printf(Locale.ROOT, "%-14s %10s %10s %10s %10s %10s %10s %8s%n", "engine", "file MiB", "arena MiB", "RSS MiB", "peak MiB", "budget MiB", "within", "-Xmx");
            for (Map.Entry<String, Map<String, Object>> m : memory.entrySet()) {
                Map<String, Object> v = m.getValue();
                if (v.containsKey("error")) {
                    System.out.printf(Locale.ROOT, "%-14s failed: %s%n", m.getKey(), v.get("error"));
                    continue;
                }
                double file = num(v, "fileBytes"), arena = num(v, "activationBytes"), rss = num(v, "rssBytes"), peak = num(v, "peakRssBytes");
                double budget = file + arena + 150 * 1048576.0;
                v.put("budgetBytes", budget);
                v.put("withinBudget", peak <= budget);
                String xmx = String.valueOf(v.getOrDefault("jvmOptions", "")).replaceAll(".*-Xmx(\\S+).*", "$1");
                System.out.printf(Locale.ROOT, "%-14s %10.1f %10.1f %10.1f %10.1f %10.1f %10s %8s%n", m.getKey(), file / 1048576, arena / 1048576,
                        rss / 1048576, peak / 1048576, budget / 1048576, peak <= budget ? "yes" : "NO", xmx.contains("-") ? "none" : xmx);
            }
            doc.put("memory", memory);
        }
        return doc;
    }

    private static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    private static String ratio(Double r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.2fx", r);
    }

    /** Why llama.cpp cannot load the GGUF (no vocabulary in it), or null. */
    private static String llamaCppCannotLoad(Path gguf) throws Exception {
        try (GgufFile f = GgufFile.open(gguf)) {
            if (!f.metadata().has("tokenizer.ggml.model")) {
                return "the GGUF has no tokenizer.ggml.* vocabulary, which llama.cpp needs to load it";
            }
        }
        return null;
    }

    static double linearFlopsPerToken(Path gguf) throws Exception {
        try (GgufFile f = GgufFile.open(gguf)) {
            Metadata md = f.metadata();
            String a = f.architecture();
            double h = md.getInt(a + ".embedding_length"), ff = md.getInt(a + ".feed_forward_length"), layers = md.getInt(a + ".block_count");
            return 2 * layers * (4 * h * h + 2 * h * ff);
        }
    }

    private static long countTokens(Path tokenizerJson, List<String> texts, int maxTokens) throws Exception {
        try (HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("truncation", "true", "maxLength", String.valueOf(maxTokens)))) {
            long n = 0;
            for (String s : texts) n += t.encode(s).getIds().length;
            return n;
        }
    }

    private static double minCosine(List<float[]> a, List<float[]> b) {
        double min = 1;
        for (int i = 0; i < a.size(); i++) {
            float[] x = a.get(i), y = b.get(i);
            double dot = 0, nx = 0, ny = 0;
            for (int j = 0; j < x.length; j++) {
                dot += (double) x[j] * y[j];
                nx += (double) x[j] * x[j];
                ny += (double) y[j] * y[j];
            }
            min = Math.min(min, dot / Math.sqrt(nx * ny));
        }
        return min;
    }

    /**
     * Runs {@link MemoryProbe} in a fresh JVM with this JVM's flags, plus {@code -Xmx<heap>}: ParallelGC without a cap
     * keeps the heap that JIT warm-up garbage grew it to (about 1.7 GB), so a server is run with a heap sized to its
     * model (its activation arena and packed weights live on the heap), and so is the probe.
     */
    private static Map<String, Object> probeMemory(Path gguf, Path corpus, int threads, int batchTokens, int maxTokens, String heap) {
        Map<String, Object> result = new LinkedHashMap<>();
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-Xmx")) cmd.add(a);
            }
            if (!heap.equals("none")) cmd.add("-Xmx" + heap);
            result.put("jvmOptions", String.join(" ", cmd.subList(1, cmd.size())));
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MemoryProbe.class.getName(),
                    gguf.toString(), corpus.toString(), String.valueOf(threads), String.valueOf(batchTokens), String.valueOf(maxTokens)));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String json = null;
            StringBuilder log = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("MEMORY ")) json = line.substring(7);
                    else log.append(line).append('\n');
                }
            }
            int rc = p.waitFor();
            if (json == null) {
                result.put("error", "probe exited with " + rc + ": " + log.toString().strip());
                return result;
            }
            @SuppressWarnings("unchecked") Map<String, Object> m = new ObjectMapper().readValue(json, Map.class);
            result.putAll(m);
        } catch (Exception e) {
            result.put("error", e.toString());
        }
        return result;
    }

    private static String defaultModelsDir() {
        Path jar = Path.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]).toAbsolutePath();
        Path target = jar.getParent();
        return (target != null && target.getFileName() != null && target.getFileName().toString().equals("target")
                ? target.resolve("bench-models") : Path.of("bench-models")).toString();
    }
}
