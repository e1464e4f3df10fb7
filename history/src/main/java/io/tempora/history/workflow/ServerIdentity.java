package io.tempora.history.workflow;

/** Who the server says did what it did on its own (terminations, forced task failures), as the official server names it. */
public final class ServerIdentity {
    private ServerIdentity() {}

    public static final String HISTORY_SERVICE = "history-service";
}
