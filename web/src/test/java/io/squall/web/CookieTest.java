package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Cookies in and out (web_test item 10, the parts outside signed cookies). */
class CookieTest extends WebTestCase {
    private List<String> setCookies(Consumer<RequestHandler> body) {
        serve(() -> new RequestHandler() {
            @Override
            protected void get() {
                body.accept(this);
            }
        });
        return fetch("/").headers().allValues("Set-Cookie").stream().sorted().toList();
    }

    @Test
    void setCookie() {
        run(() -> assertEquals(List.of("bytes=zxcv; Path=/", "str=asdf; Path=/"), setCookies(h -> {
            h.setCookie("str", "asdf");
            h.setCookie("bytes", "zxcv");
        })));
    }

    @Test
    void getCookie() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    write(getCookie("foo", "default"));
                }
            });
            assertEquals("bar", send(request("/").header("Cookie", "foo=bar").build()).body());
            assertEquals("bar", send(request("/").header("Cookie", "foo=\"bar\"").build()).body());
            assertEquals("default", send(request("/").header("Cookie", "/=exception;").build()).body());
            assertEquals("default", fetch("/").body());
        });
    }

    @Test
    void domainAndPath() {
        run(() -> assertEquals(List.of("unicode_args=blah; Domain=foo.com; Path=/foo"), setCookies(
                h -> h.setCookie("unicode_args", "blah", CookieOptions.builder().domain("foo.com").path("/foo").build()))));
    }

    @Test
    void specialCharactersAreQuotedLikePython() {
        run(() -> assertEquals(List.of("equals=\"a=b\"; Path=/", "quote=\"a\\\"b\"; Path=/", "semicolon=\"a\\073b\"; Path=/"),
                setCookies(h -> {
                    h.setCookie("equals", "a=b");
                    h.setCookie("semicolon", "a;b");
                    h.setCookie("quote", "a\"b");
                })));
    }

    @Test
    void settingAgainReplacesTheCookieAndItsAttributes() {
        run(() -> assertEquals(List.of("a=e; Path=/", "c=d; Domain=example.com; Path=/"), setCookies(h -> {
            CookieOptions domain = CookieOptions.builder().domain("example.com").build();
            h.setCookie("a", "b", domain);
            h.setCookie("c", "d", domain);
            h.setCookie("a", "e");
        })));
    }

    @Test
    void maxAgeAndFlags() {
        run(() -> assertEquals(List.of("a=1; Path=/; Secure", "b=1; Path=/", "c=1; HttpOnly; Path=/", "d=1; Path=/",
                "e=1; HttpOnly; Max-Age=10; Path=/; SameSite=Lax; Secure"), setCookies(h -> {
                    h.setCookie("a", "1", CookieOptions.builder().secure(true).build());
                    h.setCookie("b", "1", CookieOptions.builder().secure(false).build());
                    h.setCookie("c", "1", CookieOptions.builder().httpOnly(true).build());
                    h.setCookie("d", "1", CookieOptions.builder().httpOnly(false).build());
                    h.setCookie("e", "1", CookieOptions.builder().maxAge(Duration.ofSeconds(10)).sameSite("Lax")
                            .secure(true).httpOnly(true).build());
                })));
    }

    private static Instant expiresOf(String header) {
        Matcher m = Pattern.compile("expires=([^;]+);").matcher(header);
        assertTrue(m.find(), header);
        return ZonedDateTime.parse(m.group(1), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }

    @Test
    void expiresDays() {
        run(() -> {
            String header = setCookies(h -> h.setCookie("foo", "bar", CookieOptions.builder().expiresDays(10).build()))
                    .getFirst();
            assertTrue(header.matches("foo=bar; expires=.+ GMT; Path=/"), header);
            Instant expected = Instant.now().plus(Duration.ofDays(10));
            assertTrue(Duration.between(expiresOf(header), expected).abs().getSeconds() < 10, header);
        });
    }

    @Test
    void clearCookiesExpiresThemInThePast() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    clearAllCookies();
                    clearCookie("other", CookieOptions.builder().path("/x").maxAge(Duration.ofDays(1)).build());
                    write("ok");
                }
            });
            List<String> headers = send(request("/").header("Cookie", "foo=bar; baz=xyzzy").build())
                    .headers().allValues("Set-Cookie").stream().sorted().toList();
            assertEquals(3, headers.size(), headers.toString());
            assertTrue(headers.get(0).startsWith("baz=\"\"; expires="), headers.get(0));
            assertTrue(headers.get(1).startsWith("foo=\"\"; expires="), headers.get(1));
            assertTrue(headers.get(2).matches("other=\"\"; expires=[^;]+; Path=/x"), headers.get(2));
            assertTrue(expiresOf(headers.get(0)).isBefore(Instant.now().minus(Duration.ofDays(300))), headers.get(0));
        });
    }

    @Test
    void forbiddenCharactersAreRefused() {
        List<String> messages = new ArrayList<>();
        run(() -> assertEquals(List.of(), setCookies(h -> {
            for (String[] cookie : new String[][] {{"a", "b c"}, {"a", "b\r\nSet-Cookie: x=y"}, {"a b", "c"},
                    {"a", "\u0000"}, {"a;b", "c"}, {"path", "x"}, {"", "x"}, {"a", "\u20ac"}}) {
                messages.add(assertThrows(IllegalArgumentException.class, () -> h.setCookie(cookie[0], cookie[1])).getMessage());
            }
            for (CookieOptions injected : List.of(CookieOptions.builder().domain("foo.com; HttpOnly").build(),
                    CookieOptions.builder().path("/; Secure").build(), CookieOptions.builder().sameSite("Lax\n").build())) {
                messages.add(assertThrows(IllegalArgumentException.class, () -> h.setCookie("a", "b", injected)).getMessage());
            }
        })));
        assertEquals(11, messages.size());
        assertTrue(messages.getLast().startsWith("Invalid cookie attribute samesite="), messages.getLast());
    }
}
