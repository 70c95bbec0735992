package io.squall.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Proof that fuzzing is coverage-guided: a bug behind a four-byte magic value, compared one byte at a time
 * in separate branches. Blind random inputs hit it about once in 2^32 tries; a fuzzer that sees which
 * branches each input reached finds it in seconds. {@code bench/scripts/fuzz.sh selftest} runs it and
 * fails unless the fuzzer finds the bug. Disabled otherwise, so the normal suite does not run it.
 */
@EnabledIfSystemProperty(named = "squall.fuzz.selfTest", matches = "true")
class PlantedBugFuzzTest {
    @FuzzTest(maxDuration = "120s")
    void magic(byte[] input) {
        if (input.length >= 4) {
            if (input[0] == 'S') {
                if (input[1] == 'Q') {
                    if (input[2] == 'L') {
                        if (input[3] == '!') {
                            throw new IllegalStateException("planted bug found: input starts with SQL!");
                        }
                    }
                }
            }
        }
    }
}
