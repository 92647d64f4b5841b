package dev.koboldj.engine.backend.cpu;

import dev.koboldj.engine.backend.Backend;
import dev.koboldj.engine.backend.BackendOptions;
import dev.koboldj.engine.backend.BackendProvider;
import java.util.List;

/** Registers the CPU backend; always available, lowest priority. */
public final class CpuProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Probe probe() {
        return new Probe(true, "", List.of("CPU, " + Runtime.getRuntime().availableProcessors() + " cores"));
    }

    @Override
    public Backend open(BackendOptions options) {
        return new CpuBackend(options.threadsOrCores());
    }
}
