package dev.koboldj.engine.backend.cpu;

import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.Backend;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.DeviceWeights;
import dev.koboldj.engine.backend.ElementType;
import dev.koboldj.engine.backend.MemoryUsage;
import dev.koboldj.engine.backend.WeightTensor;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/** The CPU backend: weights stay in the memory-mapped file, activations are Java arrays, work runs on a dedicated pool. */
public final class CpuBackend implements Backend {
    private final WorkerPool pool;
    private final AtomicLong weightBytes = new AtomicLong();
    private final AtomicLong activationBytes = new AtomicLong();

    public CpuBackend(int threads) {
        this.pool = new WorkerPool(threads);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String deviceName() {
        return "CPU (" + pool.threads() + " threads, " + (Simd.ENABLED ? Simd.BITS + "-bit SIMD" : "scalar") + ")";
    }

    public int threads() {
        return pool.threads();
    }

    @Override
    public DeviceWeights upload(WeightTensor weight) {
        CpuWeights w = new CpuWeights(weight, weightBytes::addAndGet, CpuWeights.PACK);
        weightBytes.addAndGet(w.bytes());
        return w;
    }

    @Override
    public Activations allocate(ElementType type, int rows, int cols) {
        CpuBuffer b = new CpuBuffer(type, rows, cols);
        activationBytes.addAndGet(b.bytes());
        return b;
    }

    @Override
    public void free(Activations buffer) {
        activationBytes.addAndGet(-((CpuBuffer) buffer).bytes());
    }

    @Override
    public CommandStream stream() {
        return new CpuStream(pool);
    }

    @Override
    public MemoryUsage memory() {
        long physical = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) physical = os.getTotalMemorySize();
        return new MemoryUsage(weightBytes.get(), activationBytes.get(), physical);
    }

    @Override
    public void close() {
        pool.close();
    }
}
