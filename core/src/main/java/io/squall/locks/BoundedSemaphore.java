package io.squall.locks;

/**
 * A {@link Semaphore} that refuses to be released more often than it was acquired: a release that would
 * raise the free count above the initial value throws, since it is a sign of a bug (Tornado's
 * {@code BoundedSemaphore}).
 */
public class BoundedSemaphore extends Semaphore {
    private final int initialValue;

    /**
     * Creates a semaphore with {@code value} free permits, which is also the most it can ever hold.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value);
        this.initialValue = value;
    }

    /**
     * Gives a permit back, like {@link Semaphore#release()}.
     *
     * @throws IllegalStateException if every permit is already free
     */
    @Override
    public void release() {
        if (value() >= initialValue) {
            throw new IllegalStateException("Semaphore released too many times");
        }
        super.release();
    }
}
