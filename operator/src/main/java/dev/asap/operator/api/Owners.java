package dev.asap.operator.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/**
 * Ownership between the operator's objects (study → trials and token Secret, trial → Job): the
 * garbage collector deletes what an owner leaves behind, and the operator counts an object as a
 * study's only when owned by that study's uid, never by name alone.
 */
public final class Owners {
  private Owners() {}

  /** A controller reference to {@code owner}. */
  public static OwnerReference controlledBy(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** Whether {@code resource} names the object with {@code uid} among its owners. */
  public static boolean ownedBy(HasMetadata resource, String uid) {
    return uid != null
        && resource.getMetadata().getOwnerReferences() != null
        && resource.getMetadata().getOwnerReferences().stream()
            .anyMatch(r -> uid.equals(r.getUid()));
  }
}
