/**
 * The Java SDK for Lambkin functions: a {@code Handler<I, O>}, its {@code Context} and an HTTP server that speaks
 * the runtime contract (DESIGN.md). It arrives with the gateway; this module reserves its place in the build.
 */
package dev.lambkin.runtime;
