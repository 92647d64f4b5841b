package dev.koboldj.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.koboldj.server.api.ApiException;
import dev.koboldj.server.api.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A JSON settings file: KoboldCPP's {@code .kcpps} keys where they mean the same ({@code model_param},
 * {@code embeddingsmodel}, {@code embeddingsmaxctx}, {@code host}, {@code port}, {@code threads},
 * {@code contextsize}, {@code password}, {@code usecpu}, {@code usevulkan}, {@code quiet}, {@code maxrequestsize})
 * and koboldj's own options by their long names ({@code max-batch-tokens} or {@code max_batch_tokens}, ...).
 * Keys it does not know (a .kcpps file has many for text generation) are ignored; null values count as absent.
 */
public final class ConfigFile {
    private final ObjectNode root;
    private final Path path;

    private ConfigFile(Path path, ObjectNode root) {
        this.path = path;
        this.root = root;
    }

    public static ConfigFile read(Path path) throws IOException {
        try {
            return new ConfigFile(path, Json.object(Files.readAllBytes(path)));
        } catch (ApiException e) {
            throw new IllegalArgumentException("the config file " + path + " is not a JSON object: " + e.getMessage());
        }
    }

    private JsonNode node(String key) {
        JsonNode n = root.get(key);
        if (n == null) n = root.get(key.replace('-', '_'));
        return n == null || n.isNull() ? null : n;
    }

    public boolean has(String key) {
        return node(key) != null;
    }

    public String string(String key) {
        JsonNode n = node(key);
        if (n == null) return null;
        if (!n.isValueNode()) throw bad(key, "a string", n);
        return n.asText();
    }

    public Integer integer(String key) {
        JsonNode n = node(key);
        if (n == null) return null;
        if (n.isTextual() && n.asText().isBlank()) return null;
        if (n.canConvertToExactIntegral() || (n.isTextual() && n.asText().strip().matches("-?\\d+"))) return n.isTextual() ? Integer.parseInt(n.asText().strip()) : n.intValue();
        throw bad(key, "an integer", n);
    }

    public Boolean bool(String key) {
        JsonNode n = node(key);
        if (n == null) return null;
        if (n.isBoolean()) return n.booleanValue();
        if (n.isNumber()) return n.intValue() != 0;
        if (n.isTextual()) return Boolean.parseBoolean(n.asText().strip().toLowerCase(Locale.ROOT));
        throw bad(key, "true or false", n);
    }

    /** A string or an array of strings; empty strings are dropped (.kcpps writes "" for "no model"). */
    public List<String> strings(String key) {
        JsonNode n = node(key);
        List<String> out = new ArrayList<>();
        if (n == null) return out;
        if (n.isArray()) {
            for (JsonNode e : n) if (!e.isNull() && !e.asText().isBlank()) out.add(e.asText());
        } else if (!n.asText().isBlank()) {
            out.add(n.asText());
        }
        return out;
    }

    /**
     * KoboldCPP's usevulkan: absent or null = not used; [] = the first device; [n, ...] = device n. Also accepts a
     * plain number or true.
     */
    public List<Integer> vulkanDevices() {
        JsonNode n = node("usevulkan");
        if (n == null) return null;
        List<Integer> ids = new ArrayList<>();
        if (n.isBoolean()) return n.booleanValue() ? ids : null;
        if (n.isNumber()) {
            ids.add(n.intValue());
            return ids;
        }
        if (!n.isArray()) throw bad("usevulkan", "a list of device numbers", n);
        for (JsonNode e : n) ids.add(e.asInt());
        return ids;
    }

    private IllegalArgumentException bad(String key, String expected, JsonNode got) {
        return new IllegalArgumentException("in " + path + ", '" + key + "' must be " + expected + ", got " + got);
    }
}
