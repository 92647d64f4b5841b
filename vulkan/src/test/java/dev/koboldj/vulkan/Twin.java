package dev.koboldj.vulkan;

import dev.koboldj.engine.backend.Activations;
import dev.koboldj.engine.backend.Backend;
import dev.koboldj.engine.backend.CommandStream;
import dev.koboldj.engine.backend.DeviceWeights;
import dev.koboldj.engine.backend.ElementType;
import dev.koboldj.engine.backend.WeightTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Runs the same recorded program on the CPU backend (the reference) and the Vulkan backend. */
final class Twin {
    /** What a program sees: one backend, one stream, buffers freed after the run. */
    static final class Ctx {
        final Backend backend;
        final CommandStream stream;
        private final List<Activations> buffers = new ArrayList<>();

        Ctx(Backend backend, CommandStream stream) {
            this.backend = backend;
            this.stream = stream;
        }

        Activations f32(int rows, int cols, float[] data) {
            Activations a = backend.allocate(ElementType.F32, rows, cols);
            buffers.add(a);
            if (data != null) stream.write(a, data);
            return a;
        }

        Activations i32(int rows, int cols, int[] data) {
            Activations a = backend.allocate(ElementType.I32, rows, cols);
            buffers.add(a);
            if (data != null) stream.write(a, data);
            return a;
        }

        DeviceWeights upload(WeightTensor w) {
            return backend.upload(w);
        }

        /** Enqueues a read of the first {@code n} elements; the array is filled after the run. */
        float[] read(Activations a, int n) {
            float[] r = new float[n];
            stream.read(a, r);
            return r;
        }
    }

    final Backend cpu;
    final VulkanBackend gpu;

    Twin(Backend cpu, VulkanBackend gpu) {
        this.cpu = cpu;
        this.gpu = gpu;
    }

    /** {expected (CPU), actual (Vulkan)}. */
    float[][] run(Function<Ctx, float[]> program) {
        return new float[][] {run(cpu, program), run(gpu, program)};
    }

    static float[] run(Backend b, Function<Ctx, float[]> program) {
        try (CommandStream s = b.stream()) {
            Ctx ctx = new Ctx(b, s);
            try {
                float[] out = program.apply(ctx);
                s.await();
                return out;
            } finally {
                for (Activations a : ctx.buffers) b.free(a);
            }
        }
    }
}
