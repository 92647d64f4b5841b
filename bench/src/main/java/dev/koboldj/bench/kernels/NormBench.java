package dev.koboldj.bench.kernels;

import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.DeviceWeights;
import dev.koboldj.engine.backend.ElementType;
import dev.koboldj.engine.backend.cpu.CpuBackend;
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

/** Layer norm and RMS norm over M rows of MiniLM's 384 columns, in place; memory-bound (8 bytes per element). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NormBench {
    @Param({"32", "512", "2048"})
    public int m;
    @Param({"0"})
    public int threads;

    public static final int COLS = 384;

    private CpuBackend backend;
    private CommandStream stream;
    private DeviceWeights gamma, beta;
    private Activations x;

    @Setup(Level.Trial)
    public void setup() {
        backend = new CpuBackend(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        stream = backend.stream();
        gamma = backend.upload(SyntheticWeights.vector("g", COLS, 1, 1f));
        beta = backend.upload(SyntheticWeights.vector("b", COLS, 2, 0.1f));
        x = backend.allocate(ElementType.F32, m, COLS);
        stream.write(x, SyntheticWeights.floats((long) m * COLS, 3, 1f));
        stream.await();
    }

    @Benchmark
    public void layerNorm() {
        stream.layerNorm(x, gamma, beta, 1e-12f, x);
        stream.await();
    }

    @Benchmark
    public void rmsNorm() {
        stream.rmsNorm(x, gamma, 1e-6f, x);
        stream.await();
    }

    @TearDown(Level.Trial)
    public void close() {
        stream.close();
        backend.close();
    }
}
