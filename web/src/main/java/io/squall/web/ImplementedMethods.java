package io.squall.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which method hooks a {@link RequestHandler} class overrides ({@code get()}, {@code head()}...,
 * {@code otherMethod}), found once per class by reflection: what a 405's {@code Allow} header lists and
 * whether HEAD runs {@code get()}.
 *
 * @param overridden the standard methods whose hook the class overrides, in {@link #STANDARD} order
 * @param otherMethod whether the class overrides {@code otherMethod(String)}
 */
record ImplementedMethods(List<String> overridden, boolean otherMethod) {
    /** The standard methods in the order an {@code Allow} header lists them. */
    private static final List<String> STANDARD = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private static final ClassValue<ImplementedMethods> BY_CLASS = new ClassValue<>() {
        @Override
        protected ImplementedMethods computeValue(Class<?> type) {
            List<String> overridden = new ArrayList<>();
            for (String method : STANDARD) {
                if (overrides(type, method.toLowerCase(java.util.Locale.ROOT))) {
                    overridden.add(method);
                }
            }
            return new ImplementedMethods(List.copyOf(overridden), overrides(type, "otherMethod", String.class));
        }
    };

    /** The methods {@code type} implements. */
    static ImplementedMethods of(Class<? extends RequestHandler> type) {
        return BY_CLASS.get(type);
    }

    /** Whether HEAD should run {@code get()}: GET is implemented and HEAD is not. */
    boolean headFromGet() {
        return overridden.contains("GET") && !overridden.contains("HEAD");
    }

    /** The methods of {@code supported} that are implemented (HEAD along with GET). */
    List<String> allowed(Set<String> supported) {
        List<String> allowed = new ArrayList<>();
        for (String method : STANDARD) {
            boolean implemented = overridden.contains(method) || method.equals("HEAD") && overridden.contains("GET");
            if (implemented && supported.contains(method)) {
                allowed.add(method);
            }
        }
        if (otherMethod) {
            Set<String> extensions = new TreeSet<>(supported);
            extensions.removeAll(STANDARD);
            allowed.addAll(extensions);
        }
        return allowed;
    }

    /** Whether a class between {@code type} and {@link RequestHandler} (excluded) declares the method. */
    private static boolean overrides(Class<?> type, String name, Class<?>... parameters) {
        for (Class<?> c = type; c != null && c != RequestHandler.class; c = c.getSuperclass()) {
            try {
                c.getDeclaredMethod(name, parameters);
                return true;
            } catch (NoSuchMethodException e) {
                // not here: look in the superclass
            }
        }
        return false;
    }
}
