package io.tempora.bench;

/** What a raw scenario hands back to {@link RawLoad}: its RESULT line and how many things went wrong. */
record RawOutcome(String resultLine, int errors) {}
