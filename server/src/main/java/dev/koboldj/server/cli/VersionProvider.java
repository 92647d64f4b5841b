package dev.koboldj.server.cli;

import dev.koboldj.server.Main;
import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (Implementation-Version), or a development marker when run from classes. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[]{"koboldj " + (v != null ? v : "(development build)"),
                "Java " + Runtime.version() + ", " + System.getProperty("java.vm.name")};
    }
}
