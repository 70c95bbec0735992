package io.squall.web;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Converts argument strings to the types of {@link RequestHandler#pathArgument(String, Class)} and its
 * siblings: {@code String}, the primitive numbers and booleans and their wrappers, {@link BigInteger},
 * {@link BigDecimal}, {@link UUID}, {@link LocalDate} (ISO) and enums (by constant name, ignoring case).
 */
final class ArgumentConverter {
    private static final Map<Class<?>, Function<String, ?>> CONVERSIONS = Map.ofEntries(
            Map.entry(String.class, Function.identity()),
            Map.entry(Integer.class, Integer::valueOf),
            Map.entry(Long.class, Long::valueOf),
            Map.entry(Short.class, Short::valueOf),
            Map.entry(Byte.class, Byte::valueOf),
            Map.entry(Double.class, ArgumentConverter::finiteDouble),
            Map.entry(Float.class, value -> (float) finiteDouble(value)),
            Map.entry(Boolean.class, ArgumentConverter::parseBoolean),
            Map.entry(BigInteger.class, BigInteger::new),
            Map.entry(BigDecimal.class, BigDecimal::new),
            Map.entry(UUID.class, UUID::fromString),
            Map.entry(LocalDate.class, LocalDate::parse));
    private static final Map<Class<?>, Class<?>> WRAPPERS = Map.of(
            int.class, Integer.class, long.class, Long.class, short.class, Short.class, byte.class, Byte.class,
            double.class, Double.class, float.class, Float.class, boolean.class, Boolean.class);

    private ArgumentConverter() {}

    /**
     * {@code value} as a {@code type}.
     *
     * @throws IllegalArgumentException if {@code value} is not a {@code type}, or {@code type} is not supported
     */
    @SuppressWarnings("unchecked")
    static <T> T convert(String value, Class<T> type) {
        Class<?> boxed = WRAPPERS.getOrDefault(type, type);
        if (boxed.isEnum()) {
            for (Object constant : boxed.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(value)) {
                    return (T) constant;
                }
            }
            throw new IllegalArgumentException("not one of " + java.util.Arrays.toString(boxed.getEnumConstants()));
        }
        Function<String, ?> conversion = CONVERSIONS.get(boxed);
        if (conversion == null) {
            throw new UnsupportedOperationException("arguments cannot be converted to " + type.getName());
        }
        try {
            return (T) conversion.apply(value);
        } catch (RuntimeException e) { // NumberFormatException, DateTimeParseException...
            throw new IllegalArgumentException("not a " + type.getSimpleName(), e);
        }
    }

    /** Checks that {@code type} is supported, before any value is converted. */
    static void checkSupported(Class<?> type) {
        Class<?> boxed = WRAPPERS.getOrDefault(type, type);
        if (!boxed.isEnum() && !CONVERSIONS.containsKey(boxed)) {
            throw new UnsupportedOperationException("arguments cannot be converted to " + type.getName());
        }
    }

    private static double finiteDouble(String value) {
        double d = Double.parseDouble(value);
        if (!Double.isFinite(d) || !value.matches("[+-]?[0-9.eE+-]+")) { // no NaN, Infinity, hex or 1d
            throw new NumberFormatException(value);
        }
        return d;
    }

    private static boolean parseBoolean(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(value);
        };
    }
}
