package dev.koboldj.server.api;

import java.util.List;

/**
 * An embedding request as every API adapter parses it. {@code model} null = the default model; {@code normalize}
 * null = the server's setting; {@code dimensions} 0 = the model's full dimension.
 */
public record EmbedRequest(String model, List<EmbedInput> inputs, boolean truncate, TruncationDirection direction,
                           Boolean normalize, int dimensions) {
    public EmbedRequest {
        inputs = List.copyOf(inputs);
        if (direction == null) direction = TruncationDirection.RIGHT;
    }
}
