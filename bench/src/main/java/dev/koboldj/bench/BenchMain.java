package dev.koboldj.bench;

import java.util.Arrays;

/**
 * Entry point of the bench jar ({@code ./koboldj bench ...} or {@code java -jar bench/target/koboldj-bench.jar ...}):
 * <pre>
 *   corpus  [options]   koboldj vs ONNX Runtime vs llama.cpp on the embedding corpus, plus single-query latency
 *                       (the default: {@code ./koboldj bench} alone, or with only options, runs it)
 *   kernels [options]   JMH microbenchmarks of the CPU kernels, reported as GFLOP/s and GB/s against the peak
 *   tokenizers [opts]   encoding throughput of each tokenizer family (chars/s, tokens/s) on the corpus
 *   backends [options]  the same embedding workload on every backend with a device (CPU, Vulkan GPUs): texts/s
 *   jmh     [args]      plain JMH command line (org.openjdk.jmh.Main)
 * </pre>
 * {@code <command> --help} lists a command's options.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean optionsOnly = args.length == 0 || (args[0].startsWith("--") && !args[0].equals("--help"));
        String command = optionsOnly ? "corpus" : args[0];
        String[] rest = optionsOnly ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "corpus" -> dev.koboldj.bench.corpus.CorpusBench.main(rest);
            case "kernels" -> dev.koboldj.bench.kernels.KernelReport.main(rest);
            case "tokenizers" -> dev.koboldj.bench.tokenizer.TokenizerBench.main(rest);
            case "backends" -> dev.koboldj.bench.backends.BackendsBench.main(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            default -> {
                System.out.println("""
                        usage: koboldj bench [<command>] [options]
                          corpus   (default) koboldj (F32/F16/Q8_0/Q4_0) vs ONNX Runtime vs llama.cpp: corpus
                                   throughput, single-query latency, resident memory
                          kernels  JMH microbenchmarks of the CPU kernels (GFLOP/s, GB/s, % of peak)
                          tokenizers  encoding throughput per tokenizer family (chars/s, tokens/s)
                          backends the same embedding workload on the CPU and on each Vulkan device (texts/s)
                          jmh      plain JMH command line
                        '<command> --help' lists a command's options.""");
                if (!command.equals("help") && !command.equals("--help")) System.exit(2);
            }
        }
    }
}
