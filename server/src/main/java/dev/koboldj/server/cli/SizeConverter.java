package dev.koboldj.server.cli;

import java.util.Locale;
import picocli.CommandLine;

/** "1048576", "512k", "32m", "32MB", "1g" -> bytes (binary multiples). */
public final class SizeConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        return parse(value);
    }

    public static long parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.endsWith("b")) v = v.substring(0, v.length() - 1);
        long unit = 1;
        if (v.endsWith("k")) unit = 1L << 10;
        else if (v.endsWith("m")) unit = 1L << 20;
        else if (v.endsWith("g")) unit = 1L << 30;
        if (unit != 1) v = v.substring(0, v.length() - 1);
        try {
            long n = Long.parseLong(v.strip());
            if (n <= 0) throw new CommandLine.TypeConversionException("a size must be positive: '" + value + "'");
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a size (examples: 1048576, 512k, 32m, 1g)");
        }
    }
}
