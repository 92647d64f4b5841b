package dev.koboldj.engine.backend;

/**
 * How to open a backend: {@code threads} for CPU work (0 = all cores), {@code device} index among the backend's
 * devices (-1 = its own choice), {@code forceStaging} makes a GPU backend upload through a staging buffer even where
 * device memory is host-visible (exercises the discrete-GPU path on integrated or software devices).
 */
public record BackendOptions(int threads, int device, boolean forceStaging) {
    public static BackendOptions defaults() {
        return new BackendOptions(0, -1, false);
    }

    public int threadsOrCores() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
