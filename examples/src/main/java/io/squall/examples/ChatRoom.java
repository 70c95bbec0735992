package io.squall.examples;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The chat demo's one room on a loop ({@link #of}): who is in it over WebSocket, the last
 * {@value #CACHE_SIZE} events, and the long-poll requests waiting for the next one. Loop-only: every
 * method asserts it runs on the room's loop, so no lock is needed.
 */
final class ChatRoom {
    /** How many of the latest events a newcomer or a long-poll client can catch up on. */
    static final int CACHE_SIZE = 200;
    /** The longest message, in characters. */
    static final int MAX_MESSAGE_CHARS = 1_000;
    /** The longest member name, in characters. */
    static final int MAX_NAME_CHARS = 40;

    /**
     * What happened in the room, as sent to clients (JSON): {@code kind} is {@code message}, {@code join}
     * or {@code leave}; {@code id} orders the events (a long-poll client's cursor); {@code members} is how
     * many WebSocket members the room had afterwards.
     */
    record Event(long id, String kind, String name, String body, int members) {}

    /** A member of the room: a WebSocket connection that is sent every event. */
    interface Member {
        /** Sends {@code event} without waiting for it to be written. */
        void send(Event event);
    }

    private final IOLoop loop;
    private final Deque<Event> cache = new ArrayDeque<>();
    private final Set<Member> members = new LinkedHashSet<>();
    private final Set<Future<List<Event>>> waiters = new LinkedHashSet<>();
    private long lastId;

    private ChatRoom(IOLoop loop) {
        this.loop = loop;
    }

    /** The room of {@code loop}, made on first use. */
    static ChatRoom of(IOLoop loop) {
        return loop.loopLocal(ChatRoom.class, ChatRoom::new);
    }

    /** Adds {@code member}: it gets the cached events, then everyone gets its {@code join}. */
    void join(Member member, String name) {
        assertOnLoop("join");
        cache.forEach(member::send);
        members.add(member);
        publish("join", name, "");
    }

    /** Removes {@code member}, announcing its {@code leave}; nothing if it had left already. */
    void leave(Member member, String name) {
        assertOnLoop("leave");
        if (members.remove(member)) {
            publish("leave", name, "");
        }
    }

    /**
     * Posts a message from {@code name} to everyone.
     *
     * @throws IllegalArgumentException if the message is empty or over {@value #MAX_MESSAGE_CHARS} characters
     */
    Event post(String name, String body) {
        assertOnLoop("post");
        if (body.isBlank() || body.length() > MAX_MESSAGE_CHARS) {
            throw new IllegalArgumentException("a message has 1 to " + MAX_MESSAGE_CHARS + " characters");
        }
        return publish("message", name, body);
    }

    /**
     * The cached events newer than {@code cursor} (all of them when it is null): at once if there are
     * some, else when the next event happens. Cancel the future with {@link #stopWaiting} when the
     * client leaves.
     */
    Future<List<Event>> eventsAfter(Long cursor) {
        assertOnLoop("eventsAfter");
        List<Event> newer = cache.stream().filter(e -> cursor == null || e.id() > cursor).toList();
        if (!newer.isEmpty()) {
            return Future.completed(newer);
        }
        Future<List<Event>> waiter = new Future<>();
        waiters.add(waiter);
        return waiter;
    }

    /** Forgets and cancels a future of {@link #eventsAfter} (its client left). */
    void stopWaiting(Future<List<Event>> waiter) {
        assertOnLoop("stopWaiting");
        waiters.remove(waiter);
        waiter.cancel();
    }

    /** How many WebSocket members the room has. */
    int memberCount() {
        assertOnLoop("memberCount");
        return members.size();
    }

    /** How many long-poll requests wait for the next event. */
    int waiterCount() {
        assertOnLoop("waiterCount");
        return waiters.size();
    }

    /** A name as shown in the room: trimmed, shortened to {@value #MAX_NAME_CHARS} characters, never empty. */
    static String displayName(String requested) {
        String name = requested == null ? "" : requested.strip();
        if (name.isEmpty()) {
            return "anonymous";
        }
        return name.length() > MAX_NAME_CHARS ? name.substring(0, MAX_NAME_CHARS) : name;
    }

    private Event publish(String kind, String name, String body) {
        Event event = new Event(++lastId, kind, name, body, members.size());
        cache.addLast(event);
        if (cache.size() > CACHE_SIZE) {
            cache.removeFirst();
        }
        List.copyOf(members).forEach(member -> member.send(event));
        List<Future<List<Event>>> waiting = new ArrayList<>(waiters);
        waiters.clear();
        waiting.forEach(waiter -> waiter.trySetResult(List.of(event)));
        return event;
    }

    private void assertOnLoop(String what) {
        assert loop.inLoopOrNotRunning() : loop.offLoop("ChatRoom." + what);
    }
}
