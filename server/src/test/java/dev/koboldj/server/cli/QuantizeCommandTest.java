package dev.koboldj.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.engine.gguf.GgmlType;
import dev.koboldj.engine.gguf.GgufFile;
import dev.koboldj.engine.gguf.GgufWriter;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuantizeCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"q8_0", "Q4_K", "q6_k", "F16", "bf16"})
    void quantizesAndReportsWhatItDid(String type) throws IOException {
        Path in = Fixtures.tinyBert(dir.resolve("in.gguf"));
        Path out = dir.resolve("out.gguf");
        Cli r = Cli.run("quantize", in.toString(), out.toString(), type);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("wrote " + out + ": 5 tensors, "), r.out());
        assertTrue(r.err().contains("quantize "), "progress bar on stderr: " + r.err());
        GgmlType t = GgmlType.byName(type);
        try (GgufFile q = GgufFile.open(out)) {
            assertEquals(t, q.tensor("blk.0.attn_q.weight").type());
            assertEquals(GgmlType.F32, q.tensor("blk.0.attn_q.bias").type());
            assertEquals(GgmlType.F32, q.tensor("blk.0.attn_output_norm.weight").type());
            assertEquals("tiny-bert", q.metadata().getString("general.name"));
        }
        Cli info = Cli.run("info", out.toString());
        assertEquals(0, info.exitCode(), info.err());
    }

    @Test
    void quietRunsPrintNoProgressAndNoteFallbacks() throws IOException {
        Path in = dir.resolve("odd.gguf");
        GgufWriter w = new GgufWriter(Fixtures.bertMetadata());
        w.addTensor("blk.0.odd.weight", Fixtures.gaussian(9, 96 * 2), 96, 2); // rows of 96: no Q4_K block fits
        w.write(in);
        Path out = dir.resolve("out.gguf");
        Cli r = Cli.run("quantize", "--quiet", in.toString(), out.toString(), "q4_k");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("note: 1 tensor(s) with rows that are not a multiple of 256 written as Q5_0 instead (as llama.cpp does): blk.0.odd.weight"
                + System.lineSeparator(), r.err());
        assertTrue(r.out().contains("file type Q4_K - Small"), r.out());
    }

    @Test
    void warnsWhenRequantizing() throws IOException {
        Path in = Fixtures.tinyBert(dir.resolve("in.gguf"));
        Cli r = Cli.run("quantize", "-q", in.toString(), dir.resolve("o.gguf").toString(), "q4_0");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("warning: 1 tensor(s) were already quantized"), r.err());
    }

    @Test
    void rejectsUnknownTypesAsAUsageError() throws IOException {
        Path in = Fixtures.tinyBert(dir.resolve("in.gguf"));
        Path out = dir.resolve("out.gguf");
        Cli r = Cli.run("quantize", in.toString(), out.toString(), "q4_k_m");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("'q4_k_m' is not a type koboldj can quantize to (choose from "), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void refusesOutputEqualToInput() throws IOException {
        Path in = Fixtures.tinyBert(dir.resolve("in.gguf"));
        byte[] before = Files.readAllBytes(in);
        Cli r = Cli.run("quantize", in.toString(), in.toString(), "q8_0");
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        assertTrue(r.err().startsWith("koboldj quantize: the output file must differ from the input file"), r.err());
        assertArrayEquals(before, Files.readAllBytes(in));
    }

    @Test
    void missingAndCorruptInputsFailCleanlyAndWriteNothing() throws IOException {
        Path out = dir.resolve("out.gguf");
        Path missing = dir.resolve("missing.gguf");
        Cli r = Cli.run("quantize", missing.toString(), out.toString(), "q8_0");
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        assertTrue(r.err().startsWith("koboldj quantize: no such file: " + missing), r.err());

        Path corrupt = Files.write(dir.resolve("corrupt.gguf"), new byte[]{'G', 'G', 'U', 'F', 3, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, 127});
        Cli c = Cli.run("quantize", corrupt.toString(), out.toString(), "q8_0");
        assertEquals(ExitCodes.FAILURE, c.exitCode());
        assertTrue(c.err().startsWith("koboldj quantize: not a valid GGUF file: "), c.err());
        assertFalse(c.err().contains("Exception"), c.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void refusesTensorsItCannotDecode() throws IOException {
        Path in = dir.resolve("iq.gguf");
        GgufWriter w = new GgufWriter(Fixtures.bertMetadata());
        w.addTensor("blk.0.attn_q.weight", GgmlType.IQ2_XXS, new long[]{256, 2}, MemorySegment.ofArray(new byte[2 * 66]));
        w.write(in);
        Path out = dir.resolve("out.gguf");
        Cli r = Cli.run("quantize", in.toString(), out.toString(), "q8_0");
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        assertTrue(r.err().contains("koboldj quantize: tensor 'blk.0.attn_q.weight' is IQ2_XXS, which koboldj cannot dequantize yet"), r.err());
        assertFalse(Files.exists(out));
    }
}
