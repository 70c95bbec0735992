package io.squall.web;

import io.squall.httpserver.HttpServerConnectionDelegate;
import io.squall.httpserver.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The routing table of an {@link Application} (Tornado's {@code _ApplicationRouter} with its host rules):
 * host-specific routes first, in the order they were added, then the routes for every host, then, when a
 * default host is set and the request did not come through a proxy ({@code X-Real-Ip}), the routes of the
 * hosts that match the default host. A request falls through to the next group when no route of a group
 * matches its path. Adding host routes replaces the table at once, so reading it needs no lock.
 */
final class Router {
    /** Routes that apply to the hosts {@code host} matches. */
    private record HostRoutes(Pattern host, List<Route> routes) {}

    /**
     * What serves a request: the factory of its handler and the raw groups of its path, or (factory null)
     * the delegate of a route {@linkplain Route#to to a delegate}.
     */
    record Target(Supplier<? extends RequestHandler> factory, Route.PathMatch groups, HttpServerConnectionDelegate delegate) {
        /** A handler made by {@code factory}. */
        Target(Supplier<? extends RequestHandler> factory, Route.PathMatch groups) {
            this(factory, groups, null);
        }
    }

    private final List<Route> anyHost;
    private final String defaultHost;
    private volatile List<HostRoutes> byHost = List.of();

    Router(List<Route> anyHost, String defaultHost) {
        this.anyHost = List.copyOf(anyHost);
        this.defaultHost = defaultHost;
    }

    /** Adds routes for the hosts {@code hostPattern} matches, after those added before (Tornado appends {@code $}). */
    synchronized void addHostRoutes(String hostPattern, List<Route> routes) {
        List<HostRoutes> table = new ArrayList<>(byHost);
        table.add(new HostRoutes(Pattern.compile(hostPattern), List.copyOf(routes)));
        byHost = List.copyOf(table);
    }

    /** The target for {@code request}, or null if no route matches. */
    Target find(HttpServerRequest request) {
        String path = request.path();
        List<HostRoutes> table = byHost;
        String host = table.isEmpty() ? null : request.hostName();
        for (HostRoutes h : table) {
            if (h.host().matcher(host).matches()) {
                Target target = findIn(h.routes(), path);
                if (target != null) {
                    return target;
                }
            }
        }
        Target target = findIn(anyHost, path);
        if (target != null || defaultHost == null || request.headers().contains("X-Real-Ip")) {
            return target;
        }
        for (HostRoutes h : table) {
            if (h.host().matcher(defaultHost).matches()) {
                target = findIn(h.routes(), path);
                if (target != null) {
                    return target;
                }
            }
        }
        return null;
    }

    private static Target findIn(List<Route> routes, String path) {
        for (Route route : routes) {
            Route.PathMatch groups = route.match(path);
            if (groups != null) {
                return new Target(route.factory(), groups, route.delegate());
            }
        }
        return null;
    }

    /** The route named {@code name}: host-specific routes first, as Tornado searches; null if none. */
    Route named(String name) {
        for (HostRoutes h : byHost) {
            Route route = named(h.routes(), name);
            if (route != null) {
                return route;
            }
        }
        return named(anyHost, name);
    }

    private static Route named(List<Route> routes, String name) {
        for (Route route : routes) {
            if (name.equals(route.name())) {
                return route;
            }
        }
        return null;
    }

    /** The default host, or null. */
    String defaultHost() {
        return defaultHost;
    }
}
