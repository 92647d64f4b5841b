package dev.koboldj.engine.backend;

import java.util.List;

/** A backend implementation found through {@link java.util.ServiceLoader}. */
public interface BackendProvider {
    /** Result of looking for usable devices; {@code reason} says why none is usable. */
    record Probe(boolean available, String reason, List<String> devices) {
    }

    /** "cpu", "vulkan". */
    String name();

    /** Automatic selection takes the available provider with the highest priority (GPUs above the CPU). */
    int priority();

    /** Looks for devices without opening one; never throws. */
    Probe probe();

    Backend open(BackendOptions options);
}
