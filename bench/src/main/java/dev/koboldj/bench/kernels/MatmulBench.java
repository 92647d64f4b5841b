package dev.koboldj.bench.kernels;

import dev.koboldj.engine.backend.Activation;
import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.DeviceWeights;
import dev.koboldj.engine.backend.ElementType;
import dev.koboldj.engine.backend.cpu.CpuBackend;
import dev.koboldj.engine.gguf.GgmlType;
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
 * One matmul {@code out = x * w^T + bias} through the public backend API (so dispatch to the worker pool is
 * included), per weight format, batch rows M and MiniLM shape K x N. {@link KernelReport} turns the time per call
 * into GFLOP/s (2 M N K per call) and GB/s (weight bytes + activations read and written per call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MatmulBench {
    @Param({"F32", "F16", "Q8_0", "Q4_0"})
    public String format;
    @Param({"1", "8", "32", "128", "512"})
    public int m;
    /** K x N: attention projections, FFN up, FFN down. */
    @Param({"384x384", "384x1536", "1536x384"})
    public String shape;
    @Param({"0"})
    public int threads;

    private CpuBackend backend;
    private CommandStream stream;
    private DeviceWeights w, bias;
    private Activations x, out;

    @Setup(Level.Trial)
    public void setup() {
        int k = Integer.parseInt(shape.split("x")[0]), n = Integer.parseInt(shape.split("x")[1]);
        backend = new CpuBackend(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        w = backend.upload(SyntheticWeights.matrix("w", GgmlType.valueOf(format), k, n, 1));
        bias = backend.upload(SyntheticWeights.vector("b", n, 2, 0.1f));
        x = backend.allocate(ElementType.F32, m, k);
        out = backend.allocate(ElementType.F32, m, n);
        stream = backend.stream();
        stream.write(x, SyntheticWeights.floats((long) m * k, 3, 1f));
        stream.await();
    }

    @Benchmark
    public void matmul() {
        stream.matmul(x, w, bias, Activation.NONE, null, out);
        stream.await();
    }

    @TearDown(Level.Trial)
    public void close() {
        stream.close();
        backend.close();
    }
}
