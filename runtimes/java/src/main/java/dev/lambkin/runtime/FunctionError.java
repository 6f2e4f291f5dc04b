package dev.lambkin.runtime;

/** A failure the function reports on purpose (Lambda's "Handled" error), with a type callers can match on. */
public class FunctionError extends RuntimeException {
    private final String errorType;

    public FunctionError(String errorType, String message) {
        super(message);
        this.errorType = errorType;
    }

    public String errorType() {
        return errorType;
    }
}
