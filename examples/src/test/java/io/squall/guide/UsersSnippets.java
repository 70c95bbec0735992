package io.squall.guide;

import io.squall.web.Application;
import io.squall.web.RequestHandler;
import io.squall.web.security.Authenticated;
import java.util.Map;

/** The snippets of docs/guide/users-and-templates.md; {@link GuideSnippetsRunTest} runs them. */
final class UsersSnippets {
    private UsersSnippets() {
    }

    /** Signs the user in with the name posted as {@code user}. */
    static final class LoginHandler extends RequestHandler {
        @Override
        protected void post() {
            setSignedCookie("user", getArgument("user"));
        }
    }

    static Application application() {
        // tag::settings[]
        Application app = Application.builder()
                .route("/login", LoginHandler::new)
                .route("/me", MeHandler::new)
                .cookieSecret(System.getenv("COOKIE_SECRET"))   // ≥ 32 bytes, random, not in source control
                .xsrfCookies(true)                              // every POST/PUT/PATCH/DELETE needs the token
                .loginUrl("/login")                             // where @Authenticated sends anonymous GETs
                .templateResources("templates")                 // or .templatePath(Path.of("templates"))
                .build();
        // end::settings[]
        return app;
    }

    // tag::users[]
    abstract static class SiteHandler extends RequestHandler {
        @Override
        protected Object getCurrentUser() {           // called at most once per request
            return getSignedCookie("user");
        }
    }

    static class MeHandler extends SiteHandler {
        @Override
        @Authenticated                                 // or on the class, for every method
        protected void get() {
            render("me.html", Map.of());
        }
    }
    // end::users[]
}
