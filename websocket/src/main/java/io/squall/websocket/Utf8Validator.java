package io.squall.websocket;

/**
 * Checks UTF-8 incrementally, however the bytes are split (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), so that an invalid text message is refused at its first bad byte rather than
 * once it is complete.
 */
final class Utf8Validator {
    /** Continuation bytes still expected by the current sequence. */
    private int needed;
    /** The range the next continuation byte must fall in (narrower after E0, ED, F0, F4). */
    private int lower = 0x80;
    private int upper = 0xBF;

    /** Checks {@code length} more bytes; false at the first byte that cannot continue valid UTF-8. */
    boolean feed(byte[] data, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            int b = data[i] & 0xFF;
            if (needed == 0) {
                if (b < 0x80) {
                    continue;
                }
                if (!start(b)) {
                    return false;
                }
            } else {
                if (b < lower || b > upper) {
                    return false;
                }
                lower = 0x80;
                upper = 0xBF;
                needed--;
            }
        }
        return true;
    }

    private boolean start(int b) {
        if (b >= 0xC2 && b <= 0xDF) {
            needed = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            needed = 2;
            if (b == 0xE0) {
                lower = 0xA0; // overlong below U+0800
            } else if (b == 0xED) {
                upper = 0x9F; // surrogates U+D800..U+DFFF
            }
        } else if (b >= 0xF0 && b <= 0xF4) {
            needed = 3;
            if (b == 0xF0) {
                lower = 0x90; // overlong below U+10000
            } else if (b == 0xF4) {
                upper = 0x8F; // above U+10FFFF
            }
        } else {
            return false; // a continuation byte, C0/C1 (overlong) or F5..FF
        }
        return true;
    }

    /** Whether the bytes so far end on a character boundary (a complete message must). */
    boolean atBoundary() {
        return needed == 0;
    }

    /** Forgets the bytes so far, for the next message. */
    void reset() {
        needed = 0;
        lower = 0x80;
        upper = 0xBF;
    }
}
