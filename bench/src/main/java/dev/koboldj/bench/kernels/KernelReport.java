package dev.koboldj.bench.kernels;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the kernel microbenchmarks ({@link MatmulBench}, {@link AttentionBench}, {@link NormBench}) through JMH and
 * reports each as GFLOP/s and GB/s against the machine's measured (or given) peak, with JMH's allocation per call
 * (a kernel that C2 stopped intrinsifying shows up as kilobytes per call).
 */
public final class KernelReport {
    private KernelReport() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        if (o.containsKey("help")) {
            System.out.println("""
                    kernels options:
                      --formats F32,F16,Q8_0,Q4_0   weight formats of the matmul benchmarks
                      --m 1,8,32,128,512            batch rows of the matmul benchmarks
                      --shapes 384x384,384x1536,1536x384   matmul K x N
                      --only matmul,attention,norm  which benchmark classes (paired: only the matmul grid's paired pass)
                      --threads N                   worker threads (default: all cores)
                      --quick                       shorter warm-up and measurement (noisier)
                      --peak-gflops X --peak-gbs Y  the machine's peaks (default: measured now)
                      --no-paired                   skip the matmul grid's second pass: ~2 ms blocks alternating
                                                    with the FMA loop, which shows what the host gave meanwhile
                      --json FILE                   also write the results as JSON""");
            return;
        }
        int threads = Integer.parseInt(o.getOrDefault("threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        boolean quick = o.containsKey("quick");
        List<String> only = List.of(o.getOrDefault("only", "matmul,attention,norm").split(","));
        double peakGflops = o.containsKey("peak-gflops") ? Double.parseDouble(o.get("peak-gflops")) : MachinePeak.gflops(threads);
        double peakGbs = o.containsKey("peak-gbs") ? Double.parseDouble(o.get("peak-gbs")) : MachinePeak.gbs(threads);
        System.out.printf(Locale.ROOT, "peak: %.1f GFLOP/s FP32 FMA, %.1f GB/s DRAM read (%d threads, %s)%n", peakGflops, peakGbs, threads,
                o.containsKey("peak-gflops") ? "given" : "measured");

        ChainedOptionsBuilder b = new OptionsBuilder()
                .forks(1)
                .warmupIterations(quick ? 3 : 5).warmupTime(TimeValue.milliseconds(quick ? 300 : 1000))
                .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.milliseconds(quick ? 300 : 1000))
                .jvmArgsAppend(jvmArgs())
                .param("threads", String.valueOf(threads))
                .addProfiler(GCProfiler.class);
        if (only.contains("matmul")) {
            b.include(MatmulBench.class.getName() + ".matmul$");
            b.param("format", o.getOrDefault("formats", "F32,F16,Q8_0,Q4_0").split(","));
            b.param("m", o.getOrDefault("m", "1,8,32,128,512").split(","));
            b.param("shape", o.getOrDefault("shapes", "384x384,384x1536,1536x384").split(","));
        }
        if (only.contains("attention")) b.include(AttentionBench.class.getName() + ".attention$");
        if (only.contains("norm")) b.include(NormBench.class.getName() + ".*");
        Collection<RunResult> results = only.stream().anyMatch(k -> !k.equals("paired")) ? new Runner(b.build()).run() : List.of();

        List<Map<String, Object>> rows = new ArrayList<>();
        System.out.println();
        System.out.printf(Locale.ROOT, "%-10s %-22s %10s %10s %7s %9s %7s %9s%n", "kernel", "params", "us/call", "GFLOP/s", "%peak", "GB/s", "%peak", "B/call");
        for (RunResult r : results) {
            Map<String, Object> row = row(r, peakGflops, peakGbs);
            rows.add(row);
            System.out.printf(Locale.ROOT, "%-10s %-22s %10.2f %10.1f %6.0f%% %9.1f %6.0f%% %9.0f%n", row.get("kernel"), row.get("params"),
                    row.get("usPerCall"), row.get("gflops"), row.get("gflopsPercentOfPeak"), row.get("gbs"), row.get("gbsPercentOfPeak"),
                    row.get("allocBytesPerCall"));
        }
        List<Map<String, Object>> paired = (only.contains("matmul") || only.contains("paired")) && !o.containsKey("no-paired") ? paired(o, threads, quick, peakGflops) : List.of();
        if (o.containsKey("json")) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("machine", Machine.describe());
            doc.put("threads", threads);
            doc.put("peakGflops", peakGflops);
            doc.put("peakGbs", peakGbs);
            doc.put("results", rows);
            doc.put("paired", paired);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(o.get("json")).toFile(), doc);
            System.out.println("wrote " + o.get("json"));
        }
    }

    /** The matmul grid again, each configuration timed in alternation with the FMA loop ({@link PairedMatmul}). */
    private static List<Map<String, Object>> paired(Map<String, String> o, int threads, boolean quick, double peakGflops) throws InterruptedException {
        System.out.println();
        System.out.println("matmul in alternation with the FMA loop (~2 ms blocks each, same threads): its rate over the FMA rate, and over the peak");
        System.out.printf(Locale.ROOT, "%-22s %10s %10s %7s %18s %7s%n", "params", "GFLOP/s", "FMA GF/s", "%FMA", "pairs p25/p50/p75", "%peak");
        List<Map<String, Object>> rows = new ArrayList<>();
        try (FmaProbe probe = new FmaProbe(threads, 2_000_000)) {
            for (String format : o.getOrDefault("formats", "F32,F16,Q8_0,Q4_0").split(",")) {
                for (String m : o.getOrDefault("m", "1,8,32,128,512").split(",")) {
                    for (String shape : o.getOrDefault("shapes", "384x384,384x1536,1536x384").split(",")) {
                        Map<String, Object> r = PairedMatmul.measure(probe, format, Integer.parseInt(m), shape, threads, quick ? 100 : 300);
                        rows.add(r);
                        r.put("percentOfPeak", 100 * (double) r.get("gflops") / peakGflops);
                        System.out.printf(Locale.ROOT, "%-22s %10.1f %10.1f %6.0f%% %6.0f/%.0f/%.0f%% %6.0f%%%n", r.get("params"), r.get("gflops"), r.get("fmaGflops"),
                                r.get("percentOfFma"), r.get("pairPercentP25"), r.get("pairPercentP50"), r.get("pairPercentP75"), r.get("percentOfPeak"));
                    }
                }
            }
        }
        return rows;
    }

    private static Map<String, Object> row(RunResult r, double peakGflops, double peakGbs) {
        String bench = r.getParams().getBenchmark();
        double us = r.getPrimaryResult().getScore();
        double flops, bytes;
        String kernel, params;
        if (bench.contains("MatmulBench")) {
            String format = r.getParams().getParam("format");
            int m = Integer.parseInt(r.getParams().getParam("m"));
            String shape = r.getParams().getParam("shape");
            int k = Integer.parseInt(shape.split("x")[0]), n = Integer.parseInt(shape.split("x")[1]);
            flops = 2.0 * m * n * k;
            bytes = weightBytes(format, (long) k * n) + 4.0 * m * k + 4.0 * m * n;
            kernel = "matmul";
            params = format + " M=" + m + " " + shape;
        } else if (bench.contains("AttentionBench")) {
            int length = Integer.parseInt(r.getParams().getParam("length"));
            int seqs = AttentionBench.sequences(length);
            flops = 4.0 * AttentionBench.HEADS * AttentionBench.HEAD_DIM * (double) length * length * seqs;
            bytes = 4.0 * 4 * seqs * length * AttentionBench.HEADS * AttentionBench.HEAD_DIM;
            kernel = "attention";
            params = seqs + " seqs x " + length;
        } else {
            int m = Integer.parseInt(r.getParams().getParam("m"));
            flops = 0;
            bytes = 8.0 * m * NormBench.COLS;
            kernel = bench.substring(bench.lastIndexOf('.') + 1);
            params = "M=" + m + " x " + NormBench.COLS;
        }
        double seconds = us * 1e-6;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("kernel", kernel);
        row.put("params", params);
        row.put("usPerCall", us);
        row.put("usPerCallError", r.getPrimaryResult().getScoreError());
        row.put("gflops", flops / seconds / 1e9);
        row.put("gflopsPercentOfPeak", 100 * flops / seconds / 1e9 / peakGflops);
        row.put("gbs", bytes / seconds / 1e9);
        row.put("gbsPercentOfPeak", 100 * bytes / seconds / 1e9 / peakGbs);
        Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
        row.put("allocBytesPerCall", alloc == null ? Double.NaN : alloc.getScore());
        return row;
    }

    static double weightBytes(String format, long elements) {
        return switch (format) {
            case "F32" -> 4.0 * elements;
            case "F16" -> 2.0 * elements;
            case "Q8_0" -> elements / 32.0 * 34;
            case "Q4_0" -> elements / 32.0 * 18;
            default -> throw new IllegalArgumentException(format);
        };
    }

    /** JVM flags for JMH's forks: the engine's, plus every -Dkoboldj.* property given to this JVM. */
    static String[] jvmArgs() {
        List<String> a = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"));
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("koboldj.")) a.add("-D" + k + "=" + v);
        });
        return a.toArray(String[]::new);
    }

    /** Parses {@code --key value} and {@code --flag} pairs. */
    public static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String key = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) o.put(key, args[++i]);
            else o.put(key, "");
        }
        return o;
    }
}
