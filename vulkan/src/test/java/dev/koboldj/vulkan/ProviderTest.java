package dev.koboldj.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.backend.Backend;
import dev.koboldj.engine.backend.BackendOptions;
import dev.koboldj.engine.backend.BackendProvider;
import dev.koboldj.engine.backend.Backends;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Discovery through ServiceLoader, device choice by index, and a clean "unavailable" without a loader or driver. */
class ProviderTest {

    @Test
    void foundThroughServiceLoader() {
        BackendProvider p = Backends.provider("vulkan");
        assertTrue(p instanceof VulkanProvider);
        assertTrue(Backends.providers().stream().anyMatch(x -> x.name().equals("cpu")));
    }

    @Test
    void devicesAreListedAndChosenByIndex() {
        VulkanTestSupport.assumeVulkan();
        BackendProvider.Probe probe = new VulkanProvider().probe();
        assertTrue(probe.available());
        assertFalse(probe.devices().isEmpty());
        assertTrue(probe.devices().getFirst().startsWith("[0] "), probe.devices().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VulkanBackend.open(new BackendOptions(0, probe.devices().size(), false), VulkanTestSupport.config()));
        assertTrue(e.getMessage().contains("[0] "), e.getMessage());
        try (Backend b = VulkanBackend.open(new BackendOptions(0, probe.devices().size() - 1, false), VulkanTestSupport.config())) {
            assertTrue(probe.devices().getLast().contains(((VulkanBackend) b).device.info.name));
        }
    }

    @Test
    void automaticSelectionPrefersOnlyRealGpus() {
        VulkanTestSupport.assumeVulkan();
        VulkanProvider p = new VulkanProvider();
        boolean gpu = p.probe().devices().stream().anyMatch(d -> !d.contains("(CPU,"));
        assertEquals(gpu ? VulkanProvider.GPU_PRIORITY : -1, p.priority());
        if (!gpu) {
            try (Backend b = Backends.open("auto", BackendOptions.defaults())) {
                assertEquals("cpu", b.name(), "a CPU implementation of Vulkan never wins over the CPU backend");
            }
        }
    }

    private static List<String> probeInFreshJvm(List<String> jvmFlags, Map<String, String> env) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ProbeMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, proc.exitValue(), out);
        return out.lines().filter(l -> l.startsWith("available=") || l.startsWith("reason=")).toList();
    }

    @Test
    void withoutALoaderTheBackendIsUnavailable() throws Exception {
        List<String> out = probeInFreshJvm(List.of("-Dorg.lwjgl.vulkan.libname=/nonexistent/libvulkan.so.1"), Map.of());
        assertEquals("available=false", out.get(0), out.toString());
        assertTrue(out.get(1).startsWith("reason=no Vulkan loader"), out.toString());
    }

    @Test
    void withoutADriverTheBackendIsUnavailable() throws Exception {
        List<String> out = probeInFreshJvm(List.of(), Map.of("VK_ICD_FILENAMES", "/nonexistent/icd.json", "VK_DRIVER_FILES", "/nonexistent/icd.json"));
        assertEquals("available=false", out.get(0), out.toString());
        assertTrue(out.get(1).startsWith("reason=no Vulkan driver"), out.toString());
    }
}
