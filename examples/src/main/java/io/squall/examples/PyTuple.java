package io.squall.examples;

/** A (name, seconds) pair that prints like a Python tuple in Tornado's example programs: {@code ('url1', 1)}. */
public record PyTuple(String name, int seconds) {
    @Override
    public String toString() {
        return "('" + name + "', " + seconds + ")";
    }
}
