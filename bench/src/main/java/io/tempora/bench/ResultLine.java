package io.tempora.bench;

/**
 * Builds a {@code RESULT key=value ...} line, the one machine-readable line a bench ends with. Numbers are
 * formatted with Locale.ROOT (see {@link BenchSupport#fmt}); unknown figures are -1, never left out, so every
 * line of a bench has the same keys in the same order.
 */
final class ResultLine {

  private final StringBuilder line = new StringBuilder("RESULT");

  ResultLine add(String key, Object value) {
    line.append(' ').append(key).append('=').append(value);
    return this;
  }

  /** A double with {@code decimals} decimals. */
  ResultLine add(String key, double value, int decimals) {
    return add(key, BenchSupport.fmt("%." + decimals + "f", value));
  }

  ResultLine server(ServerFigures figures) {
    line.append(figures.resultKeys());
    return this;
  }

  @Override
  public String toString() {
    return line.toString();
  }
}
