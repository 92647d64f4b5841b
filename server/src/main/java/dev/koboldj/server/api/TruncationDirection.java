package dev.koboldj.server.api;

/** Which end of an over-long input is cut: RIGHT keeps the first tokens (the default everywhere), LEFT the last. */
public enum TruncationDirection {
    RIGHT, LEFT
}
