package io.tempora.persistence.visibility.query;

import io.temporal.api.enums.v1.IndexedValueType;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A search attribute a visibility query may name: {@code name} as the user writes it (an alias for a custom one),
 * {@code column} the column or generated column of {@code executions_visibility} that holds it, {@code type} its
 * search attribute type.
 */
public record VisibilityField(String name, String column, IndexedValueType type) {
    // The column is the only text of a field that goes into the SQL, so it must be a plain identifier.
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public VisibilityField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (column == null || !IDENTIFIER.matcher(column).matches()) {
            throw new IllegalArgumentException("not a column name: " + column);
        }
    }
}
