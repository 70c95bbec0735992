package io.squall.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The fast-mode flag named in the hand-off warning (the module-path case: examples' ModulePathTest). */
class CoroutineCarriersTest {
    @Test
    void onTheClassPathTheFlagOpensJavaLangToAllUnnamed() {
        assertEquals("--add-opens java.base/java.lang=ALL-UNNAMED", CoroutineCarriers.fastModeFlag());
    }
}
