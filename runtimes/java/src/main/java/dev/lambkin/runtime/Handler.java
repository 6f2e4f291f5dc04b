package dev.lambkin.runtime;

/**
 * A function: takes the event (deserialized from JSON into {@code I}) and returns the result (serialized to
 * JSON). Throwing {@link FunctionError} reports a handled error; any other exception an unhandled one.
 */
@FunctionalInterface
public interface Handler<I, O> {
    O handle(I event, Context context) throws Exception;
}
