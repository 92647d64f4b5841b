package dev.koboldj.vulkan;

import static org.lwjgl.util.shaderc.Shaderc.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles the GLSL compute shaders under the {@code glsl/} resource folder to SPIR-V with shaderc, at first use.
 * {@code #include "file"} lines are expanded here (each file once). Results are cached in memory for the process and
 * on disk (file name = SHA-256 of the expanded source, the defines and the target), so later runs skip shaderc.
 */
final class ShaderCompiler {
    private static final System.Logger LOG = System.getLogger("koboldj.vulkan");
    private static final Pattern INCLUDE = Pattern.compile("(?m)^\\s*#include\\s+\"([^\"]+)\"\\s*$");
    private static final int SPIRV_MAGIC = 0x07230203;
    /** Bumped when the compile options below change, so stale disk entries are never used. */
    private static final String OPTIONS_VERSION = "koboldj-shaderc-1/lwjgl-3.3.6/O";

    private static final Map<String, byte[]> MEMORY = new ConcurrentHashMap<>();

    private ShaderCompiler() {
    }

    /** SPIR-V words (little-endian bytes) of {@code file} with {@code defines}, for Vulkan 1.1 or 1.3 (cooperative matrices). */
    static byte[] compile(String file, Map<String, String> defines, boolean vulkan13, Path cacheDir) {
        String source = expand(file, new java.util.HashSet<>());
        TreeMap<String, String> sorted = new TreeMap<>(defines);
        String key = sha256(OPTIONS_VERSION + "\n" + (vulkan13 ? "vulkan1.3" : "vulkan1.1") + "\n" + sorted + "\n" + source);
        return MEMORY.computeIfAbsent(key, k -> {
            byte[] cached = readCache(cacheDir, k);
            if (cached != null) return cached;
            byte[] spv = shaderc(file, source, sorted, vulkan13);
            writeCache(cacheDir, k, spv);
            return spv;
        });
    }

    /** The resource text with includes expanded; a file already included is skipped. */
    static String expand(String file, Set<String> seen) {
        if (!seen.add(file)) return "";
        String text = resource(file);
        Matcher m = INCLUDE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(expand(m.group(1), seen)));
        m.appendTail(out);
        return out.toString();
    }

    private static String resource(String file) {
        try (InputStream in = ShaderCompiler.class.getClassLoader().getResourceAsStream("glsl/" + file)) {
            if (in == null) throw new IllegalStateException("shader source glsl/" + file + " is not on the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized byte[] shaderc(String file, String source, Map<String, String> defines, boolean vulkan13) {
        long compiler = shaderc_compiler_initialize();
        long options = shaderc_compile_options_initialize();
        try {
            shaderc_compile_options_set_target_env(options, shaderc_target_env_vulkan, vulkan13 ? shaderc_env_version_vulkan_1_3 : shaderc_env_version_vulkan_1_1);
            shaderc_compile_options_set_optimization_level(options, shaderc_optimization_level_performance);
            for (Map.Entry<String, String> d : defines.entrySet()) shaderc_compile_options_add_macro_definition(options, d.getKey(), d.getValue());
            long result = shaderc_compile_into_spv(compiler, source, shaderc_compute_shader, file, "main", options);
            try {
                if (shaderc_result_get_compilation_status(result) != shaderc_compilation_status_success) {
                    throw new IllegalStateException("GLSL compile of " + file + " " + defines + " failed:\n" + shaderc_result_get_error_message(result));
                }
                ByteBuffer bytes = shaderc_result_get_bytes(result);
                byte[] spv = new byte[bytes.remaining()];
                bytes.get(spv);
                return spv;
            } finally {
                shaderc_result_release(result);
            }
        } finally {
            shaderc_compile_options_release(options);
            shaderc_compiler_release(compiler);
        }
    }

    private static byte[] readCache(Path dir, String key) {
        if (dir == null) return null;
        try {
            Path f = dir.resolve(key + ".spv");
            if (!Files.isRegularFile(f)) return null;
            byte[] spv = Files.readAllBytes(f);
            if (spv.length < 20 || spv.length % 4 != 0 || ByteBuffer.wrap(spv).order(ByteOrder.LITTLE_ENDIAN).getInt(0) != SPIRV_MAGIC) return null;
            return spv;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void writeCache(Path dir, String key, byte[] spv) {
        if (dir == null) return;
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, key, ".tmp");
            Files.write(tmp, spv);
            Files.move(tmp, dir.resolve(key + ".spv"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "SPIR-V cache not written: " + e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
