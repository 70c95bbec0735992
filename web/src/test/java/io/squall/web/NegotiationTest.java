package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Quality values of Accept and Accept-Encoding (RFC 9110 §12.4-12.5.3), on examples and random headers. */
class NegotiationTest {
    @Test
    void mediaRangesMostSpecificFirst() {
        String browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assertEquals(1, Negotiation.mediaTypeQuality(browser, "text/html"));
        assertEquals(0.8, Negotiation.mediaTypeQuality(browser, "application/json"));
        assertEquals(0.3, Negotiation.mediaTypeQuality("application/*;q=0.3, */*;q=0.1", "application/json"));
        assertEquals(0, Negotiation.mediaTypeQuality("application/json;q=0, */*", "application/json"));
        assertEquals(1, Negotiation.mediaTypeQuality("APPLICATION/JSON", "application/json"));
        assertEquals(0, Negotiation.mediaTypeQuality("text/plain", "application/json"));
        assertEquals(1, Negotiation.mediaTypeQuality(null, "text/html"));
        assertEquals(0, Negotiation.mediaTypeQuality("application/json;q=2", "application/json")); // malformed
    }

    @Test
    void codings() {
        assertEquals(1, Negotiation.codingQuality("gzip, deflate, br", "gzip"));
        assertEquals(0, Negotiation.codingQuality("gzip;q=0", "gzip"));
        assertEquals(0, Negotiation.codingQuality("gzip; q=0.000", "gzip"));
        assertEquals(0.5, Negotiation.codingQuality("GZIP;Q=0.5", "gzip"));
        assertEquals(0.2, Negotiation.codingQuality("br, *;q=0.2", "gzip"));
        assertEquals(0, Negotiation.codingQuality("*;q=1, gzip;q=0", "gzip")); // its own element wins
        assertEquals(0, Negotiation.codingQuality("identity", "gzip"));
        assertEquals(0, Negotiation.codingQuality(null, "gzip"));
        assertEquals(0, Negotiation.codingQuality("gzip;q=abc", "gzip"));
    }

    @Test
    void randomHeadersNeverFailAndStayBetweenZeroAndOne() {
        Random random = new Random(14);
        String alphabet = "gzip*/;q=0.15, \t\"applicationjsontexthml*";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder header = new StringBuilder();
            for (int n = random.nextInt(30); n > 0; n--) {
                header.append(random.nextInt(20) == 0 ? (char) random.nextInt(0x300)
                        : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            double media = Negotiation.mediaTypeQuality(header.toString(), "application/json");
            double coding = Negotiation.codingQuality(header.toString(), "gzip");
            assertTrue(media >= 0 && media <= 1 && coding >= 0 && coding <= 1, header.toString());
        }
    }
}
