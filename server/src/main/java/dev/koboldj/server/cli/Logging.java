package dev.koboldj.server.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Log levels for the server: Jetty and Javalin only warn; --quiet leaves errors alone. Call before any logging. */
final class Logging {
    private Logging() {
    }

    static void configure(boolean quiet) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", quiet ? "error" : "info");
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", quiet ? "error" : "warn");
        System.setProperty("org.slf4j.simpleLogger.log.io.javalin", quiet ? "error" : "warn");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        Logger.getLogger("").setLevel(quiet ? Level.SEVERE : Level.INFO);
    }
}
