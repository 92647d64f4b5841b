package dev.koboldj.server.api.tei;

import dev.koboldj.server.api.ApiException;
import dev.koboldj.server.api.ErrorFormat;
import dev.koboldj.server.api.ErrorKind;
import java.util.Map;

/**
 * text-embeddings-inference's error body, {@code {"error": message, "error_type": type}}, and its statuses:
 * 400 empty, 413 too many or too long inputs, 422 validation and tokenizer errors, 424 backend, 429 overloaded,
 * 503 unhealthy.
 */
public final class TeiErrors implements ErrorFormat {
    @Override
    public int status(ErrorKind kind) {
        return switch (kind) {
            case EMPTY_INPUT, MALFORMED_JSON -> 400;
            case TOO_MANY_INPUTS, INPUT_TOO_LONG, PAYLOAD_TOO_LARGE -> 413;
            case WRONG_TYPE, MISSING_FIELD, INVALID_VALUE, TOKEN_OUT_OF_RANGE, NO_TOKENIZER -> 422;
            case INTERNAL -> 424;
            default -> kind.status;
        };
    }

    @Override
    public Object body(ApiException e, int status) {
        String type = switch (e.kind()) {
            case EMPTY_INPUT -> "empty";
            case TOKEN_OUT_OF_RANGE, NO_TOKENIZER -> "tokenizer";
            case OVERLOADED -> "overloaded";
            case NOT_READY -> "unhealthy";
            case INTERNAL -> "backend";
            case UNAUTHORIZED -> "unauthorized";
            default -> "validation";
        };
        return Map.of("error", e.getMessage(), "error_type", type);
    }
}
