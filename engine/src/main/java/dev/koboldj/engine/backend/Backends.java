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

    /** All providers on the class path, highest priority first (a provider may probe its devices to tell its priority). */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = onClassPath();
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return list;
    }

    /** The provider called {@code name}; no provider probes its devices to find it (a Vulkan probe loads every driver). */
    public static BackendProvider provider(String name) {
        List<BackendProvider> all = onClassPath();
        for (BackendProvider p : all) if (p.name().equalsIgnoreCase(name)) return p;
        throw new IllegalArgumentException("no backend named '" + name + "' (available: "
                + all.stream().map(BackendProvider::name).collect(Collectors.joining(", ")) + ")");
    }

    private static List<BackendProvider> onClassPath() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(list::add);
        return list;
    }

    /**
     * Opens the backend called {@code name}, or with "auto" the highest-priority provider that finds a device (a GPU
     * when one is usable, else the CPU), logging one line that says which and why the others were passed over.
     */
    public static Backend open(String name, BackendOptions options) {
        if (!"auto".equalsIgnoreCase(name)) {
            BackendProvider p = provider(name);
            BackendProvider.Probe probe = p.probe();
            if (!probe.available()) throw new IllegalStateException("backend '" + p.name() + "' is not usable: " + probe.reason());
            return p.open(options);
        }
        List<BackendProvider> providers = providers();
        List<BackendProvider.Probe> probes = providers.stream().map(BackendProvider::probe).toList();
        for (int i = 0; i < providers.size(); i++) {
            if (!probes.get(i).available()) continue;
            Backend b = providers.get(i).open(options);
            List<String> passedOver = new ArrayList<>();
            for (int j = 0; j < providers.size(); j++) {
                if (j == i) continue;
                BackendProvider.Probe p = probes.get(j);
                if (!p.available()) passedOver.add(providers.get(j).name() + ": " + p.reason());
                else if (j > i) passedOver.add(providers.get(j).name() + ": used only when asked for (" + String.join(", ", p.devices()) + ")");
            }
            LOG.log(System.Logger.Level.INFO, "using the " + b.name() + " backend on " + b.deviceName()
                    + (passedOver.isEmpty() ? "" : " (" + String.join("; ", passedOver) + ")"));
            return b;
        }
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < providers.size(); i++) reasons.add(providers.get(i).name() + ": " + probes.get(i).reason());
        throw new IllegalStateException("no usable backend: " + String.join("; ", reasons));
    }
}
