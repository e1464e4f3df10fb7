package io.tempora.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageLimitsInterceptorTest {

    @Test
    void truncationKeepsWholeCharactersWithinTheByteLimit() {
        assertThat(MessageLimitsInterceptor.truncateUtf8("abcdef", 4)).isEqualTo("abcd");
        // "é" is two bytes, "世" three: neither may be cut in half.
        assertThat(MessageLimitsInterceptor.truncateUtf8("aé世b", 2)).isEqualTo("a");
        assertThat(MessageLimitsInterceptor.truncateUtf8("aé世b", 3)).isEqualTo("aé");
        assertThat(MessageLimitsInterceptor.truncateUtf8("aé世b", 5)).isEqualTo("aé");
        assertThat(MessageLimitsInterceptor.truncateUtf8("aé世b", 6)).isEqualTo("aé世");
        assertThat(MessageLimitsInterceptor.truncateUtf8("😀x", 3)).isEmpty();
        String cut = MessageLimitsInterceptor.truncateUtf8("世".repeat(100), 100);
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isEqualTo(99);
    }
}
