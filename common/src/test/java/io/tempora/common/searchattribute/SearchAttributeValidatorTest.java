package io.tempora.common.searchattribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchAttributeValidatorTest {
    private static final Map<String, IndexedValueType> CUSTOM = Map.of(
            "Customer", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "Count", IndexedValueType.INDEXED_VALUE_TYPE_INT,
            "Due", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
            "Tags", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST);
    private final SearchAttributeValidator validator = new SearchAttributeValidator(new SearchAttributeValidator.SizeLimits(4, 30, 80));

    private static Payload json(String data) {
        return Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain")).setData(ByteString.copyFromUtf8(data)).build();
    }

    private SearchAttributes validate(Map<String, String> values) {
        SearchAttributes.Builder b = SearchAttributes.newBuilder();
        values.forEach((k, v) -> b.putIndexedFields(k, json(v)));
        return validator.validate(b.build(), "default", CUSTOM);
    }

    @Test
    void valuesOfTheRegisteredTypeGetTheirTypeInTheMetadata() {
        SearchAttributes typed = validate(Map.of("Customer", "\"acme\"", "Count", "7", "Due", "\"2026-12-01T08:00:00Z\""));
        assertThat(typed.getIndexedFieldsMap().get("Count").getMetadataMap().get("type").toStringUtf8()).isEqualTo("Int");
        assertThat(typed.getIndexedFieldsMap().get("Due").getMetadataMap().get("type").toStringUtf8()).isEqualTo("Datetime");
        assertThat(validate(Map.of("Tags", "[\"a\",\"b\"]")).getIndexedFieldsMap()).containsKey("Tags");
        assertThat(validate(Map.of("TemporalChangeVersion", "[\"change-1\"]")).getIndexedFieldsMap()).containsKey("TemporalChangeVersion");
    }

    @Test
    void unknownSystemAndMistypedAttributesAreRefusedWithTheOfficialMessages() {
        assertThatThrownBy(() -> validate(Map.of("Nope", "\"x\"")))
                .hasMessage("Namespace default has no mapping defined for search attribute Nope");
        assertThatThrownBy(() -> validate(Map.of("StartTime", "\"2026-12-01T08:00:00Z\"")))
                .hasMessage("StartTime attribute can't be set in SearchAttributes");
        assertThatThrownBy(() -> validate(Map.of("Count", "1.5")))
                .hasMessage("invalid value for search attribute Count of type Int: 1.5");
        assertThatThrownBy(() -> validate(Map.of("Due", "\"tomorrow\"")))
                .hasMessage("invalid value for search attribute Due of type Datetime: \"tomorrow\"");
        assertThatThrownBy(() -> validate(Map.of("Customer", "{\"a\":1}")))
                .hasMessageStartingWith("invalid value for search attribute Customer of type Keyword");
    }

    @Test
    void sizeLimitsAreCheckedAfterTheValues() {
        assertThatThrownBy(() -> validate(Map.of("Customer", "\"" + "x".repeat(40) + "\"")))
                .hasMessage("search attribute Customer value size 42 exceeds size limit 30")
                .isInstanceOfSatisfying(SearchAttributeValidator.InvalidSearchAttributesException.class, e -> assertThat(e.sizeLimit()).isTrue());
        assertThatThrownBy(() -> validate(Map.of("Customer", "\"a\"", "Count", "1", "Due", "\"2026-12-01T08:00:00Z\"", "Tags", "[]",
                "TemporalChangeVersion", "[]")))
                .hasMessage("number of search attributes 5 exceeds limit 4");
        assertThatThrownBy(() -> validate(Map.of("Customer", "\"" + "a".repeat(26) + "\"", "Tags", "[\"" + "b".repeat(24) + "\"]",
                "Due", "\"2026-12-01T08:00:00Z\"")))
                .hasMessage("total size of search attributes 93 exceeds size limit 80");
    }

    @Test
    void aRemovalValueIsNotTypeChecked() {
        assertThat(validate(Map.of("Count", "null")).getIndexedFieldsMap().get("Count").getMetadataMap()).doesNotContainKey("type");
        assertThat(validate(Map.of("Count", "[]")).getIndexedFieldsMap().get("Count").getMetadataMap()).doesNotContainKey("type");
    }

    @Test
    void reservedNamesAndTypeNames() {
        assertThat(SearchAttributeDefinitions.isReserved("WorkflowId")).isTrue();
        assertThat(SearchAttributeDefinitions.isReserved("TemporalAnything")).isTrue();
        assertThat(SearchAttributeDefinitions.isReserved("CustomKeywordField")).isFalse();
        assertThat(SearchAttributeDefinitions.parseTypeName("keywordlist")).contains(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST);
        assertThat(SearchAttributeDefinitions.parseTypeName("Float")).isEmpty();
    }
}
