package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.namespace.v1.NamespaceInfo;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The capabilities the server and its namespaces advertise: exactly what works, since the SDKs act on them. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SystemInfoTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    @Test
    void systemCapabilitiesAreExactlyTheSupportedOnes() {
        GetSystemInfoResponse info = tempora.service().blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
        assertThat(info.getCapabilities()).isEqualTo(GetSystemInfoResponse.Capabilities.newBuilder()
                .setSignalAndQueryHeader(true)
                .setInternalErrorDifferentiation(true)
                .setActivityFailureIncludeHeartbeat(true)
                .setEncodedFailureAttributes(true)
                .setUpsertMemo(true)
                .setSdkMetadata(true)
                .setCountGroupByExecutionStatus(true)
                // not yet: schedules, build-id versioning, eager workflow start, Nexus
                .build());
        assertThat(info.getServerVersion()).isNotEmpty();
    }

    @Test
    void namespaceCapabilitiesAdvertiseUpdates() {
        NamespaceInfo ns = tempora.service().blockingStub().describeNamespace(DescribeNamespaceRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE).build()).getNamespaceInfo();
        assertThat(ns.getCapabilities()).isEqualTo(NamespaceInfo.Capabilities.newBuilder()
                .setSyncUpdate(true)
                .setAsyncUpdate(true)
                .build());
    }
}
