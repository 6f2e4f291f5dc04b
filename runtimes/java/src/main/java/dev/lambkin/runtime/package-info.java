/**
 * The Java SDK for Lambkin functions. Implement {@link dev.lambkin.runtime.Handler} and start it with
 * {@link dev.lambkin.runtime.LambkinRuntime#start}; the runtime serves the runtime contract (DESIGN.md): HTTP
 * {@code POST /} with the event as body, the {@code Lambkin-*} headers in a {@link dev.lambkin.runtime.Context},
 * the result as JSON, errors as {@code Lambkin-Function-Error} with {@code {"errorType","errorMessage"}}.
 *
 * <p>As in Lambda, one process serves many invocations: create clients, connection pools and caches once,
 * outside {@code handle} (in the handler's constructor or a static field), and they are reused by every
 * invocation that instance serves. Work started in {@code handle} must finish before it returns.
 *
 * <p>Also as in Lambda, an instance ends two ways: on SIGTERM it finishes the invocations in flight and takes no
 * new one; when an invocation outlives its deadline, its thread is interrupted, the instance takes no new
 * invocation, and the process ends (exit code 124) as soon as nothing else runs in it.
 */
package dev.lambkin.runtime;
