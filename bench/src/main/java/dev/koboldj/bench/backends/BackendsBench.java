package dev.koboldj.bench.backends;

import dev.koboldj.engine.backend.BackendProvider;
import dev.koboldj.engine.backend.Backends;
import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.engine.embed.EmbeddingOptions;
import dev.koboldj.engine.imports.DefaultModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code koboldj bench backends [options]}: the same embedding workload on every backend that finds a device (the
 * CPU, and Vulkan where a device exists, a software one included), in one process: texts/s and tokens/s, best and
 * median of several repetitions after a warm-up. The workload is {@code --texts} random token sequences of
 * {@code --tokens} tokens (token ids, so tokenisation is not timed). The model is {@code --model FILE}, the built-in
 * all-MiniLM-L6-v2 by default, or with {@code --synthetic xlmr-large} an XLM-RoBERTa-large-shaped model (24 layers,
 * 1024 wide, as bge-m3) with seeded random F16 weights written to a temporary file.
 */
public final class BackendsBench {
    private BackendsBench() {
    }

    public static void main(String[] args) throws IOException {
        Path model = null;
        String synthetic = null;
        int texts = 64, tokens = 128, reps = 5, batchTokens = 8192;
        List<String> backends = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = Path.of(args[++i]);
                case "--synthetic" -> synthetic = args[++i];
                case "--texts" -> texts = Integer.parseInt(args[++i]);
                case "--tokens" -> tokens = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--batch-tokens" -> batchTokens = Integer.parseInt(args[++i]);
                case "--backend" -> backends.add(args[++i]);
                default -> {
                    System.out.println("""
                            usage: koboldj bench backends [--model FILE | --synthetic xlmr-large] [--texts N (64)] [--tokens N (128)]
                                                          [--reps N (5)] [--batch-tokens N (8192)] [--backend NAME ...]""");
                    if (!args[i].equals("--help")) System.exit(2);
                    return;
                }
            }
        }
        Path temp = null;
        if (synthetic != null) {
            if (!synthetic.equals("xlmr-large")) throw new IllegalArgumentException("unknown synthetic model " + synthetic + " (known: xlmr-large)");
            temp = Files.createTempFile("koboldj-xlmr-large", ".gguf");
            System.out.println("writing a seeded XLM-RoBERTa-large-shaped model (F16) to " + temp + " ...");
            LargeEncoder.writeXlmRobertaLarge(temp, 42);
            model = temp;
        } else if (model == null) {
            model = DefaultModel.ensure(DefaultModel.cacheDir(), (d, t) -> { });
        }
        if (backends.isEmpty()) {
            for (BackendProvider p : Backends.providers()) if (p.probe().available()) backends.add(p.name());
        }
        try {
            run(model, backends, texts, tokens, reps, batchTokens);
        } finally {
            if (temp != null) Files.deleteIfExists(temp);
        }
    }

    static void run(Path model, List<String> backends, int texts, int tokens, int reps, int batchTokens) throws IOException {
        System.out.printf(Locale.ROOT, "model %s, %d texts x %d tokens, batch budget %d tokens, %d repetitions%n",
                model.getFileName(), texts, tokens, batchTokens, reps);
        System.out.printf(Locale.ROOT, "%-8s %-48s %12s %12s %14s%n", "backend", "device", "best texts/s", "median", "median tok/s");
        for (String name : backends) {
            EmbeddingOptions o = EmbeddingOptions.defaults().withBackend(name).withMaxBatchTokens(Math.max(batchTokens, tokens)).withMaxTokens(tokens);
            try (EmbeddingModel m = EmbeddingModel.load(model, o)) {
                int vocab = (int) m.file().tensor("token_embd.weight").dim(1);
                int[][] seqs = workload(texts, tokens, vocab);
                m.embedTokens(seqs); // warm-up: JIT, shader compilation, first-touch of weights
                double[] rates = new double[reps];
                for (int r = 0; r < reps; r++) {
                    long start = System.nanoTime();
                    m.embedTokens(seqs);
                    rates[r] = texts / ((System.nanoTime() - start) / 1e9);
                }
                Arrays.sort(rates);
                double median = rates[reps / 2];
                System.out.printf(Locale.ROOT, "%-8s %-48s %12.1f %12.1f %14.0f%n", m.backend().name(),
                        truncate(m.backend().deviceName(), 48), rates[reps - 1], median, median * tokens);
            } catch (RuntimeException e) {
                System.out.printf(Locale.ROOT, "%-8s skipped: %s%n", name, e.getMessage());
            }
        }
    }

    static int[][] workload(int texts, int tokens, int vocab) {
        Random r = new Random(7);
        int[][] s = new int[texts][tokens];
        for (int[] seq : s) for (int i = 0; i < tokens; i++) seq[i] = r.nextInt(vocab);
        return s;
    }

    private static String truncate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
