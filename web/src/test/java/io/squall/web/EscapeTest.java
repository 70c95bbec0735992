package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Escape: Tornado's xhtml_escape, url_escape and url_concat. */
class EscapeTest {
    @Test
    void xhtmlEscape() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;",
                Escape.xhtmlEscape("<a href=\"x\">Tom & Jerry's</a>"));
        assertEquals("plain é", Escape.xhtmlEscape("plain é"));
    }

    @Test
    void urlEscape() {
        assertEquals("1+%2B+1%2Fx%7E", Escape.urlEscape("1 + 1/x~", true).replace("~", "%7E"));
        assertEquals("a+b%2Fc-_.~", Escape.urlEscape("a b/c-_.~", true));
        assertEquals("a%20b/c-_.~", Escape.urlEscape("a b/c-_.~", false));
        assertEquals("%C3%A9%E2%82%AC%3F%26%3D", Escape.urlEscape("é€?&=", false));
    }

    @Test
    void urlConcat() {
        assertEquals("/dst2?foo=bar&foo2=bar2", Escape.urlConcat("/dst2?foo=bar", Map.of("foo2", List.of("bar2"))));
        assertEquals("/a?x=1&y=2#top", Escape.urlConcat("/a?x=1#top", Map.of("y", List.of("2"))));
        assertEquals("/a?y=a+b&y=%26", Escape.urlConcat("/a", Map.of("y", List.of("a b", "&"))));
        assertEquals("/a", Escape.urlConcat("/a?", Map.of()));
        assertEquals("http://h/p?q=%C3%A9", Escape.urlConcat("http://h/p", Map.of("q", List.of("é"))));
    }
}
