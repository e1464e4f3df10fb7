package io.tempora.bench.jmh;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

/** Protobuf messages with every scalar field set (ids 36 characters long): a record as large as a real one gets. */
final class Filled {
  private Filled() {}

  static <B extends Message.Builder> B scalars(B builder) {
    for (FieldDescriptor f : builder.getDescriptorForType().getFields()) {
      if (f.isRepeated() || f.getRealContainingOneof() != null) {
        continue;
      }
      switch (f.getJavaType()) {
        case STRING -> builder.setField(f, "0f6c2d1e-9a8b-4c7d-8e6f-5a4b3c2d1e0f");
        case LONG -> builder.setField(f, 1_733_000_000_000L + f.getNumber());
        case INT -> builder.setField(f, f.getNumber());
        case BOOLEAN -> builder.setField(f, true);
        case DOUBLE -> builder.setField(f, 1.5);
        default -> { } // messages, enums, bytes: left to the caller
      }
    }
    return builder;
  }
}
