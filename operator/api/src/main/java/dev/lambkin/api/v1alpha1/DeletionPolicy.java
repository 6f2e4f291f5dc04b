package dev.lambkin.api.v1alpha1;

/** What happens to what a resource keeps outside Kubernetes (a queue's stream) when the resource is deleted. */
public enum DeletionPolicy {
    /** Deleted with the resource. */
    Delete,
    /** Kept, for an operator of the platform to read or remove (a queue recreated with the same name finds it again). */
    Retain
}
