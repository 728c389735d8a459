package io.redisoperator.protocol.validation;

/** One validation failure: the JSON path of the offending field and what is wrong with it. */
public record FieldError(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
