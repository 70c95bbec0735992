package io.squall.examples;

/** A (name, seconds) pair that prints like the Python tuple in the seed programs: {@code ('url1', 1)}. */
public record PyTuple(String name, int seconds) {
    @Override
    public String toString() {
        return "('" + name + "', " + seconds + ")";
    }
}
