/**
 * Lambkin's API, group {@code lambkin.dev}, version {@code v1alpha1}: {@link dev.lambkin.api.v1alpha1.Function},
 * {@link dev.lambkin.api.v1alpha1.Trigger} and {@link dev.lambkin.api.v1alpha1.DeadLetterQueue}.
 *
 * <p>The CRDs in {@code crds/} are generated from these classes. Field descriptions come from
 * {@code @JsonPropertyDescription} (the CRD generator reads annotations, not Javadoc), bounds from the
 * generator's {@code @Min/@Max/@Pattern/@Size/@Default}, and cross-field rules from CEL {@code @ValidationRule}s,
 * so the API server refuses bad input at admission with a message naming the field.
 */
package dev.lambkin.api.v1alpha1;
