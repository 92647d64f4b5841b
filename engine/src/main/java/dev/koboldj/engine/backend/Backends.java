package dev.koboldj.engine.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds backends through {@link ServiceLoader} and opens one by name or automatically. */
public final class Backends {
    private static final System.Logger LOG = System.getLogger("koboldj.backend");

    private Backends() {
    }

    /** All providers on the class path, highest priority first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(list::add);
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return list;
    }

    public static BackendProvider provider(String name) {
        for (BackendProvider p : providers()) if (p.name().equalsIgnoreCase(name)) return p;
        throw new IllegalArgumentException("no backend named '" + name + "' (available: "
                + providers().stream().map(BackendProvider::name).collect(Collectors.joining(", ")) + ")");
    }

    /**
     * Opens the backend called {@code name}, or with "auto" the highest-priority provider that finds a device
     * (a GPU when one is usable, else the CPU, with one log line saying why).
     */
    public static Backend open(String name, BackendOptions options) {
        if (!"auto".equalsIgnoreCase(name)) {
            BackendProvider p = provider(name);
            BackendProvider.Probe probe = p.probe();
            if (!probe.available()) throw new IllegalStateException("backend '" + p.name() + "' is not usable: " + probe.reason());
            return p.open(options);
        }
        List<String> skipped = new ArrayList<>();
        for (BackendProvider p : providers()) {
            BackendProvider.Probe probe = p.probe();
            if (!probe.available()) {
                skipped.add(p.name() + ": " + probe.reason());
                continue;
            }
            Backend b = p.open(options);
            if (!skipped.isEmpty()) LOG.log(System.Logger.Level.INFO, "using the " + b.name() + " backend (" + String.join("; ", skipped) + ")");
            return b;
        }
        throw new IllegalStateException("no usable backend: " + String.join("; ", skipped));
    }
}
