package io.tempora.persistence.visibility.query;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;

/**
 * Resolves the name on the left of a condition (or in GROUP BY / ORDER BY) to its search attribute, named as the
 * user wrote it: the official messages name the alias, even where the resolver maps one name onto another.
 */
final class Columns {
    private final Function<String, Optional<VisibilityField>> resolver;

    Columns(Function<String, Optional<VisibilityField>> resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    VisibilityField resolve(Expression node) {
        if (!(node instanceof Column column) || Literals.isDoubleQuoted(column)) {
            throw QueryErrors.mustBeColumn(NodeNames.of(node));
        }
        // As the official: the name as written, backquotes dropped (`Custom Field` is the alias Custom Field).
        String name = column.getFullyQualifiedName().replace("`", "");
        Optional<VisibilityField> field = resolver.apply(name);
        if (field == null || field.isEmpty()) {
            throw QueryErrors.invalidSearchAttribute(name);
        }
        VisibilityField resolved = field.get();
        return resolved.name().equals(name) ? resolved : new VisibilityField(name, resolved.column(), resolved.type());
    }
}
