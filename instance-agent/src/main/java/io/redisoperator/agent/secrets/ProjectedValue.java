package io.redisoperator.agent.secrets;

/**
 * The content of one projected file and a version label that is not derived from the content (so it
 * can be shown in status without leaking anything): the {@code ..data} directory Kubernetes swaps
 * on update, or the file's mtime.
 */
public record ProjectedValue(String value, String version) {
  @Override
  public String toString() {
    return "ProjectedValue[version=" + version + "]";
  }
}
