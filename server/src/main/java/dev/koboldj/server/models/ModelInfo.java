package dev.koboldj.server.models;

import java.time.Instant;

/**
 * What the model-listing endpoints say about a loaded model. {@code parameters} counts tensor elements;
 * {@code quantization} is the type most matrix bytes are stored in (e.g. Q8_0, F16); {@code weightBytes} and
 * {@code activationBytes} are what the model holds on its backend (device memory on a GPU).
 */
public record ModelInfo(String name, String architecture, int dimension, int maxTokens, String pooling, String backend,
                        String device, long fileSize, Instant modified, long parameters, String quantization,
                        String digest, Instant loadedAt, long weightBytes, long activationBytes) {
}
