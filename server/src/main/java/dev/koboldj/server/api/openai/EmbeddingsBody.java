package dev.koboldj.server.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.koboldj.engine.embed.Embedding;
import dev.koboldj.server.api.ApiException;
import dev.koboldj.server.api.EmbedRequest;
import dev.koboldj.server.api.EmbedResult;
import dev.koboldj.server.api.ErrorKind;
import dev.koboldj.server.api.Fields;
import dev.koboldj.server.api.TruncationDirection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAI embeddings request and response, shared with KoboldCPP's {@code /api/extra/embeddings} (the same
 * shape there). Request: {@code input} (string, strings, token ids or token-id arrays), {@code model},
 * {@code encoding_format} (float or base64), {@code dimensions}, {@code user}, and koboldj/KoboldCPP's
 * {@code truncate}. With base64 each vector is its little-endian float32 bytes, exactly.
 */
public final class EmbeddingsBody {
    /** A parsed request and the encoding its vectors go back in. */
    public record Parsed(EmbedRequest request, boolean base64) {
    }

    private EmbeddingsBody() {
    }

    public static Parsed parse(ObjectNode body, String model, boolean truncateByDefault) {
        JsonNode input = Fields.required(body, "input");
        var inputs = Fields.inputs(input, "input", true);
        String format = Fields.string(body, "encoding_format", "float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw new ApiException(ErrorKind.INVALID_VALUE, "encoding_format must be 'float' or 'base64', got '" + format + "'", "encoding_format");
        }
        int dimensions = Fields.integer(body, "dimensions", 0);
        if (body.hasNonNull("dimensions") && dimensions < 1) {
            throw new ApiException(ErrorKind.INVALID_VALUE, "dimensions must be at least 1, got " + dimensions, "dimensions");
        }
        Fields.string(body, "user", null);
        boolean truncate = Fields.bool(body, "truncate", truncateByDefault);
        return new Parsed(new EmbedRequest(model, inputs, truncate, TruncationDirection.RIGHT, null, dimensions), format.equals("base64"));
    }

    public static Map<String, Object> response(EmbedResult result, boolean base64) {
        List<Map<String, Object>> data = new ArrayList<>(result.embeddings().size());
        for (int i = 0; i < result.embeddings().size(); i++) {
            Embedding e = result.embeddings().get(i);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("object", "embedding");
            item.put("index", i);
            item.put("embedding", base64 ? base64(e.vector()) : e.vector());
            data.add(item);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "list");
        out.put("data", data);
        out.put("model", result.model());
        out.put("usage", Map.of("prompt_tokens", result.promptTokens(), "total_tokens", result.promptTokens()));
        return out;
    }

    /** The vector's float32 values, little-endian, in base64. */
    public static String base64(float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(buf.array());
    }
}
