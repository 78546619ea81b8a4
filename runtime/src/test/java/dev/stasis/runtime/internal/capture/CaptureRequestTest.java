package dev.stasis.runtime.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The handshake between a timing-out coordinator and a thread deciding to unwind: exactly one wins. */
class CaptureRequestTest {
    private final CaptureRequest request = new CaptureRequest(Thread.currentThread());

    @Test
    void a_request_cancelled_by_a_timeout_can_no_longer_be_claimed() {
        assertThat(request.cancelIfUnclaimed()).isTrue();

        assertThat(request.claim()).isFalse();
        assertThat(request.phase()).isEqualTo(CaptureRequest.Phase.CANCELLED);
    }

    @Test
    void a_claimed_request_cannot_be_cancelled_so_the_coordinator_waits_for_the_unwind() {
        assertThat(request.claim()).isTrue();

        assertThat(request.cancelIfUnclaimed()).isFalse();
        assertThat(request.phase()).isEqualTo(CaptureRequest.Phase.CLAIMED);
    }

    @Test
    void a_thread_reaching_the_bottom_of_an_abandoned_request_returns_without_waiting() {
        request.claim();
        assertThat(request.abandonIfNotParked()).isTrue();

        request.parkWith(List.of());

        assertThat(request.phase()).isEqualTo(CaptureRequest.Phase.CANCELLED);
    }

    @Test
    void a_parked_thread_can_no_longer_be_abandoned() throws InterruptedException {
        request.claim();
        Thread parker = new Thread(() -> request.parkWith(List.of()), "parker");
        parker.start();
        assertThat(request.awaitParked(10_000_000_000L)).isTrue();

        assertThat(request.abandonIfNotParked()).isFalse();
        request.release();
        parker.join(10_000);
        assertThat(parker.isAlive()).isFalse();
    }
}
