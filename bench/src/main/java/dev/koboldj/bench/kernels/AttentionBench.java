package dev.koboldj.bench.kernels;

import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.Attention;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.ElementType;
import dev.koboldj.engine.backend.SequenceLayout;
import dev.koboldj.engine.backend.cpu.CpuBackend;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Bidirectional attention over a packed batch of {@code sequences} sequences of {@code length} tokens, MiniLM's
 * 12 heads of 32 dimensions. FLOPs per call: 4 * heads * headDim * sum(length^2) (QK^T and PV).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AttentionBench {
    @Param({"38", "128", "512"})
    public int length;
    @Param({"0"})
    public int threads;

    public static final int HEADS = 12, HEAD_DIM = 32, BATCH_TOKENS = 2048;

    private CpuBackend backend;
    private CommandStream stream;
    private Activations q, k, v, out;
    private SequenceLayout layout;
    private Attention shape;

    public static int sequences(int length) {
        return Math.max(1, BATCH_TOKENS / length);
    }

    @Setup(Level.Trial)
    public void setup() {
        int seqs = sequences(length), rows = seqs * length, cols = HEADS * HEAD_DIM;
        int[] lengths = new int[seqs];
        Arrays.fill(lengths, length);
        layout = SequenceLayout.packed(lengths);
        shape = new Attention(HEADS, HEADS, HEAD_DIM, (float) (1 / Math.sqrt(HEAD_DIM)), false);
        backend = new CpuBackend(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        stream = backend.stream();
        q = backend.allocate(ElementType.F32, rows, cols);
        k = backend.allocate(ElementType.F32, rows, cols);
        v = backend.allocate(ElementType.F32, rows, cols);
        out = backend.allocate(ElementType.F32, rows, cols);
        stream.write(q, SyntheticWeights.floats((long) rows * cols, 1, 1f));
        stream.write(k, SyntheticWeights.floats((long) rows * cols, 2, 1f));
        stream.write(v, SyntheticWeights.floats((long) rows * cols, 3, 1f));
        stream.await();
    }

    @Benchmark
    public void attention() {
        stream.attention(q, k, v, layout, shape, out);
        stream.await();
    }

    @TearDown(Level.Trial)
    public void close() {
        stream.close();
        backend.close();
    }
}
