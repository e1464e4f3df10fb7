package io.tempora.bench;

/** Does no work on purpose: the bench measures the server, not the activity. */
public class BenchActivitiesImpl implements BenchActivities {
  @Override
  public String echo(String input) {
    return input;
  }
}
