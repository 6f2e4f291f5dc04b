package dev.lambkin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;

/** How long dead letters are kept and where they are forwarded. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeadLetterQueueSpec {
    @JsonPropertyDescription("How long and how many dead letters the queue keeps; the oldest go first.")
    public Retention retention;

    @JsonPropertyDescription("Where each dead letter is also forwarded: another Function, or an HTTP URL.")
    public Sink sink;

    @Default("Retain")
    @JsonPropertyDescription("What deleting the DeadLetterQueue does to its JetStream stream and the dead letters in it. `Retain` (default): the stream is kept (a queue created again with the same name finds its letters). `Delete`: the stream is deleted with the queue (the queue stays Terminating until NATS answers; the operator retries every 5 s). The queue carries the operator's finalizer either way: delete queues before uninstalling the operator.")
    public DeletionPolicy deletionPolicy;
}
