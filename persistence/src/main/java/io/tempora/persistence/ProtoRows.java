package io.tempora.persistence;

import com.google.protobuf.InvalidProtocolBufferException;

/** Parsing of protobuf columns: a row that does not parse is a corrupt record, not a parser error. */
final class ProtoRows {
    private ProtoRows() {}

    interface Parser<T> {
        T parse() throws InvalidProtocolBufferException, java.sql.SQLException;
    }

    static <T> T parse(String what, Parser<T> parser) throws java.sql.SQLException {
        try {
            return parser.parse();
        } catch (InvalidProtocolBufferException e) {
            throw new PersistenceException("corrupt " + what + " record", e);
        }
    }
}
