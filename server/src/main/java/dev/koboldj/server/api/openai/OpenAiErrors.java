package dev.koboldj.server.api.openai;

import dev.koboldj.server.api.ApiException;
import dev.koboldj.server.api.ErrorFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** OpenAI's error body: {@code {"error": {"message", "type", "param", "code"}}}. */
public final class OpenAiErrors implements ErrorFormat {
    @Override
    public Object body(ApiException e, int status) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", e.getMessage());
        error.put("type", switch (e.kind()) {
            case OVERLOADED -> "requests";
            case INTERNAL, NOT_READY -> "server_error";
            default -> "invalid_request_error";
        });
        error.put("param", e.param());
        error.put("code", switch (e.kind()) {
            case UNAUTHORIZED -> "invalid_api_key";
            case UNKNOWN_MODEL -> "model_not_found";
            case INPUT_TOO_LONG -> "context_length_exceeded";
            case OVERLOADED -> "rate_limit_exceeded";
            default -> e.kind().label();
        });
        return Map.of("error", error);
    }
}
