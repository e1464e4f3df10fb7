package io.tempora.persistence.visibility.query;

/**
 * A GLOB pattern matching the strings that start with a prefix. GLOB rather than the official's LIKE: SQLite's LIKE
 * ignores ASCII case, so STARTS_WITH would not agree with Keyword equality (nor with the other official stores).
 */
final class GlobPattern {
    private GlobPattern() {}

    static String startingWith(String prefix) {
        StringBuilder out = new StringBuilder(prefix.length() + 1);
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            switch (c) {
                // A one-character class is GLOB's only way to take a wildcard literally.
                case '*', '?', '[' -> out.append('[').append(c).append(']');
                default -> out.append(c);
            }
        }
        return out.append('*').toString();
    }
}
