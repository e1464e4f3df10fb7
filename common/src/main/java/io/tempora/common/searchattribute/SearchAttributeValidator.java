package io.tempora.common.searchattribute;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSyntaxException;
import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Checks search attributes a start, signal-with-start or command sets against the namespace's registered attributes,
 * with the official validator's rules and messages (common/searchattribute/validator.go): a known, settable name, a
 * value of its type, and the size limits. Returns the attributes with each value's type in its payload metadata, so
 * they read back typed.
 */
public final class SearchAttributeValidator {
    /** The payload metadata key that names a search attribute value's type. */
    public static final String TYPE_METADATA = "type";

    /** The frontend.searchAttributes* dynamic config limits. */
    public record SizeLimits(int numberOfKeys, int sizeOfValue, int totalSize) {}

    /** Invalid search attributes; {@code sizeLimit} tells a size violation (which terminates a run) from a bad value. */
    public static final class InvalidSearchAttributesException extends RuntimeException {
        private final boolean sizeLimit;

        InvalidSearchAttributesException(String message, boolean sizeLimit) {
            super(message);
            this.sizeLimit = sizeLimit;
        }

        public boolean sizeLimit() {
            return sizeLimit;
        }
    }

    private final SizeLimits limits;

    public SearchAttributeValidator(SizeLimits limits) {
        this.limits = limits;
    }

    /** A validator with the limits of the frontend.searchAttributes* dynamic config keys. */
    public static SearchAttributeValidator of(io.tempora.common.Limits limits) {
        return new SearchAttributeValidator(new SizeLimits(limits.searchAttributesNumberOfKeys(),
                limits.searchAttributesSizeOfValue(), limits.searchAttributesTotalSize()));
    }

    /** Validates names and values (then sizes) and returns the attributes with typed payloads. */
    public SearchAttributes validate(SearchAttributes attributes, String namespace, Map<String, IndexedValueType> custom) {
        SearchAttributes.Builder typed = SearchAttributes.newBuilder();
        for (Map.Entry<String, Payload> e : attributes.getIndexedFieldsMap().entrySet()) {
            String name = e.getKey();
            IndexedValueType type = settableType(name, namespace, custom);
            typed.putIndexedFields(name, typedValue(name, type, e.getValue()));
        }
        SearchAttributes result = typed.build();
        validateSize(result);
        return result;
    }

    /** The size limits alone, e.g. for a run's attributes merged with an upsert. */
    public void validateSize(SearchAttributes attributes) {
        Map<String, Payload> fields = attributes.getIndexedFieldsMap();
        if (fields.size() > limits.numberOfKeys()) {
            throw new InvalidSearchAttributesException("number of search attributes " + fields.size() + " exceeds limit "
                    + limits.numberOfKeys(), true);
        }
        int total = 0;
        for (Map.Entry<String, Payload> e : fields.entrySet()) {
            int size = e.getValue().getData().size();
            if (size > limits.sizeOfValue()) {
                throw new InvalidSearchAttributesException("search attribute " + e.getKey() + " value size " + size
                        + " exceeds size limit " + limits.sizeOfValue(), true);
            }
            total += e.getKey().length() + size;
        }
        if (total > limits.totalSize()) {
            throw new InvalidSearchAttributesException("total size of search attributes " + total + " exceeds size limit "
                    + limits.totalSize(), true);
        }
    }

    private static IndexedValueType settableType(String name, String namespace, Map<String, IndexedValueType> custom) {
        if (SearchAttributeDefinitions.SYSTEM.containsKey(name) || SearchAttributeDefinitions.PREDEFINED_READ_ONLY.containsKey(name)) {
            throw new InvalidSearchAttributesException(name + " attribute can't be set in SearchAttributes", false);
        }
        IndexedValueType type = SearchAttributeDefinitions.PREDEFINED.get(name);
        if (type == null) {
            type = custom.get(name);
        }
        if (type == null) {
            throw new InvalidSearchAttributesException("Namespace " + namespace + " has no mapping defined for search attribute " + name, false);
        }
        return type;
    }

    private static Payload typedValue(String name, IndexedValueType type, Payload value) {
        String data = value.getData().toStringUtf8();
        if (io.tempora.common.PayloadValues.isRemoval(value)) {
            return value; // an upsert that removes the attribute
        }
        if (!matches(type, data)) {
            throw new InvalidSearchAttributesException("invalid value for search attribute " + name + " of type "
                    + SearchAttributeDefinitions.typeName(type) + ": " + data, false);
        }
        return value.toBuilder().putMetadata(TYPE_METADATA, ByteString.copyFromUtf8(SearchAttributeDefinitions.typeName(type))).build();
    }

    /** A JSON value of the type, or (as the official server allows by default) a list of such values. */
    static boolean matches(IndexedValueType type, String json) {
        JsonElement element;
        try {
            element = JsonParser.parseString(json);
        } catch (JsonSyntaxException e) {
            return false;
        }
        if (element.isJsonArray()) {
            JsonArray array = element.getAsJsonArray();
            for (JsonElement item : array) {
                if (!scalarMatches(type, item)) {
                    return false;
                }
            }
            return true;
        }
        return scalarMatches(type, element);
    }

    private static boolean scalarMatches(IndexedValueType type, JsonElement e) {
        if (!e.isJsonPrimitive()) {
            return false;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        return switch (type) {
            case INDEXED_VALUE_TYPE_KEYWORD, INDEXED_VALUE_TYPE_TEXT, INDEXED_VALUE_TYPE_KEYWORD_LIST -> p.isString();
            case INDEXED_VALUE_TYPE_BOOL -> p.isBoolean();
            case INDEXED_VALUE_TYPE_DOUBLE -> p.isNumber();
            case INDEXED_VALUE_TYPE_INT -> p.isNumber() && isLong(p.getAsBigDecimal());
            case INDEXED_VALUE_TYPE_DATETIME -> p.isString() && isDateTime(p.getAsString());
            default -> false;
        };
    }

    private static boolean isLong(BigDecimal d) {
        try {
            d.longValueExact();
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    private static boolean isDateTime(String s) {
        try {
            OffsetDateTime.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
