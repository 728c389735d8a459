package io.redisoperator.controller.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.reconcile.Action;
import io.redisoperator.protocol.event.EventReason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The Events a pass's finished creates and deletes are worth: pods and volumes coming and going,
 * which users look for with {@code kubectl describe}. One Event per reason and pass names every
 * object of that pass ({@code Created Pods c-1, c-2}): a cluster's replicas are created in one
 * pass, and an Event each said the same twice for another write to the API server. Pure.
 */
final class LifecycleEvents {
  private LifecycleEvents() {}

  /** The Events of {@code outcomes}, in the order of their reasons; a failed call has none. */
  static List<Action.Emit> of(List<ActionOutcome> outcomes) {
    Map<EventReason, List<String>> names = new EnumMap<>(EventReason.class);
    for (ActionOutcome outcome : outcomes) {
      if (!outcome.ok()) {
        continue;
      }
      if (outcome.action() instanceof Action.Create create) {
        add(names, create.object(), true);
      } else if (outcome.action() instanceof Action.Delete && outcome.before() != null) {
        // Only what the cache held: a delete of something already gone tells the user nothing.
        add(names, outcome.before(), false);
      }
    }
    List<Action.Emit> events = new ArrayList<>();
    names.forEach((reason, objects) -> events.add(new Action.Emit(reason, note(reason, objects))));
    return events;
  }

  private static void add(
      Map<EventReason, List<String>> names, HasMetadata object, boolean created) {
    EventReason reason;
    if (object instanceof Pod) {
      reason = created ? EventReason.CREATED_POD : EventReason.DELETED_POD;
    } else if (object instanceof PersistentVolumeClaim) {
      reason = created ? EventReason.CREATED_VOLUME_CLAIM : EventReason.DELETED_VOLUME_CLAIM;
    } else {
      return;
    }
    names.computeIfAbsent(reason, r -> new ArrayList<>()).add(object.getMetadata().getName());
  }

  private static String note(EventReason reason, List<String> objects) {
    boolean created =
        reason == EventReason.CREATED_POD || reason == EventReason.CREATED_VOLUME_CLAIM;
    String kind =
        reason == EventReason.CREATED_POD || reason == EventReason.DELETED_POD
            ? "Pod"
            : "PersistentVolumeClaim";
    return (created ? "Created " : "Deleted ")
        + kind
        + (objects.size() > 1 ? "s " : " ")
        + String.join(", ", objects);
  }
}
