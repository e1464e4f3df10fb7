package io.tempora.bench;

import io.temporal.activity.ActivityInterface;

/** The single activity the bench workflow runs. */
@ActivityInterface
public interface BenchActivities {

  /** Returns its argument unchanged, so the driver can check the whole round trip preserved the payload. */
  String echo(String input);
}
