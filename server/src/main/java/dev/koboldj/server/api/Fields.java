package dev.koboldj.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of request fields with client-facing errors. A field that is absent or JSON null takes its default;
 * a field of the wrong type is an error, never silently ignored.
 */
public final class Fields {
    private Fields() {
    }

    public static String string(ObjectNode body, String name, String fallback) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return fallback;
        if (!n.isTextual()) throw wrongType(name, "a string", n);
        return n.textValue();
    }

    public static boolean bool(ObjectNode body, String name, boolean fallback) {
        Boolean b = optionalBool(body, name);
        return b == null ? fallback : b;
    }

    public static Boolean optionalBool(ObjectNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isBoolean()) throw wrongType(name, "true or false", n);
        return n.booleanValue();
    }

    /** A whole number that fits an int (1.0 counts, 1.5 does not). */
    public static int integer(ObjectNode body, String name, int fallback) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return fallback;
        if (!n.isNumber() || !n.canConvertToExactIntegral() || !n.canConvertToInt()) throw wrongType(name, "an integer", n);
        return n.intValue();
    }

    /** Must be present and non-null. */
    public static JsonNode required(ObjectNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) throw new ApiException(ErrorKind.MISSING_FIELD, "the field '" + name + "' is required", name);
        return n;
    }

    /**
     * Embedding inputs in any of the shapes the APIs accept: a string, an array of strings, an array of token ids,
     * or an array of token-id arrays (the last two only where {@code allowTokens}; then strings and token arrays may mix).
     */
    public static List<EmbedInput> inputs(JsonNode n, String name, boolean allowTokens) {
        String expected = allowTokens ? "a string, an array of strings, an array of token ids or an array of token-id arrays" : "a string or an array of strings";
        List<EmbedInput> out = new ArrayList<>();
        if (n.isTextual()) {
            out.add(new EmbedInput.Text(n.textValue()));
            return out;
        }
        if (!n.isArray()) throw wrongType(name, expected, n);
        if (allowTokens && !n.isEmpty() && n.get(0).isNumber()) {
            out.add(new EmbedInput.Tokens(tokenIds(n, name)));
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (e.isTextual()) out.add(new EmbedInput.Text(e.textValue()));
            else if (allowTokens && e.isArray()) out.add(new EmbedInput.Tokens(tokenIds(e, name + "[" + i + "]")));
            else throw new ApiException(ErrorKind.WRONG_TYPE, "'" + name + "[" + i + "]' must be " + (allowTokens ? "a string or an array of token ids" : "a string") + ", got " + Json.kind(e), name);
        }
        return out;
    }

    /** An array of non-negative integer token ids. */
    public static int[] tokenIds(JsonNode n, String name) {
        if (!n.isArray()) throw wrongType(name, "an array of token ids", n);
        int[] ids = new int[n.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode e = n.get(i);
            if (!e.isNumber() || !e.canConvertToExactIntegral()) {
                throw new ApiException(ErrorKind.WRONG_TYPE, "'" + name + "[" + i + "]' must be an integer token id, got " + Json.kind(e), rootName(name));
            }
            if (!e.canConvertToInt() || e.intValue() < 0) {
                throw new ApiException(ErrorKind.TOKEN_OUT_OF_RANGE, "'" + name + "[" + i + "]' is not a valid token id: " + e.asText(), rootName(name));
            }
            ids[i] = e.intValue();
        }
        return ids;
    }

    private static String rootName(String name) {
        int b = name.indexOf('[');
        return b < 0 ? name : name.substring(0, b);
    }

    public static ApiException wrongType(String name, String expected, JsonNode got) {
        return new ApiException(ErrorKind.WRONG_TYPE, "'" + name + "' must be " + expected + ", got " + Json.kind(got), rootName(name));
    }
}
