package dev.koboldj.server.models;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The models being served, by name. The first model added is the default, used when a request names none.
 * {@link #ready()} turns true once startup has loaded every model; until then the health check answers 503.
 */
public final class ModelRegistry implements AutoCloseable {
    private final List<LoadedModel> models = new CopyOnWriteArrayList<>();
    private volatile boolean ready;

    public void add(LoadedModel model) {
        if (find(model.name()) != null) throw new IllegalArgumentException("two models are called '" + model.name() + "'; load one under another name");
        models.add(model);
    }

    public void markReady() {
        ready = !models.isEmpty();
    }

    public boolean ready() {
        return ready;
    }

    public List<LoadedModel> all() {
        return List.copyOf(models);
    }

    public LoadedModel defaultModel() {
        if (models.isEmpty()) throw new IllegalStateException("no model is loaded");
        return models.getFirst();
    }

    /**
     * The model a request names: null or blank means the default; otherwise its name or an alias, ignoring case,
     * an Ollama ":latest" tag and a "koboldcpp/" prefix.
     */
    public LoadedModel resolve(String requested) throws UnknownModelException {
        if (requested == null || requested.isBlank()) return defaultModel();
        LoadedModel m = find(requested.strip());
        if (m != null) return m;
        throw new UnknownModelException(requested, models.stream().map(LoadedModel::name).toList());
    }

    /** The model a name refers to, or null. */
    public LoadedModel find(String requested) {
        String wanted = requested.toLowerCase(Locale.ROOT);
        if (wanted.endsWith(":latest")) wanted = wanted.substring(0, wanted.length() - ":latest".length());
        if (wanted.startsWith("koboldcpp/")) wanted = wanted.substring("koboldcpp/".length());
        for (LoadedModel m : models) {
            if (m.name().equalsIgnoreCase(wanted)) return m;
            for (String a : m.aliases()) if (a.equalsIgnoreCase(wanted)) return m;
        }
        return null;
    }

    @Override
    public void close() {
        ready = false;
        for (LoadedModel m : models) m.close();
        models.clear();
    }
}
