package io.argus.connectors.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceSpecTest {

    @Test
    void networkSourcesAreReadAsTheyArriveAndPasswordsAreHidden() {
        SourceSpec cam = SourceSpec.parse("lobby", "rtsp://admin:s3cret@10.0.0.7:554/stream1");
        assertThat(cam.kind()).isEqualTo(SourceSpec.Kind.NETWORK);
        assertThat(cam.paced()).isFalse();
        assertThat(cam.url()).isEqualTo("rtsp://admin:s3cret@10.0.0.7:554/stream1");
        assertThat(cam.display()).isEqualTo("rtsp://admin:***@10.0.0.7:554/stream1");
        assertThat(cam.toString()).doesNotContain("s3cret");
    }

    @Test
    void devicesNameTheirDemuxer() {
        assertThat(SourceSpec.parse("mic", "alsa:hw:1,0")).extracting(SourceSpec::url, SourceSpec::inputFormat)
                .containsExactly("hw:1,0", "alsa");
        assertThat(SourceSpec.parse("desk", "/dev/video0")).extracting(SourceSpec::kind, SourceSpec::inputFormat)
                .containsExactly(SourceSpec.Kind.DEVICE, "v4l2");
    }

    @Test
    void aRecordingIsPacedByItsTimestamps(@TempDir Path dir) throws Exception {
        Path clip = Files.write(dir.resolve("clip.mkv"), new byte[] {1});
        SourceSpec file = SourceSpec.parse("cam", clip.toString());
        assertThat(file.paced()).isTrue();
        assertThat(file.url()).isEqualTo(clip.toAbsolutePath().toString());
    }

    @Test
    void badSourcesAreRefusedWithTheStreamAndWhatIsWrong(@TempDir Path dir) {
        assertThatThrownBy(() -> SourceSpec.parse("cam", "ftp://host/x"))
                .hasMessageStartingWith("source 'ftp://host/x' of stream cam: scheme ftp:// is not read (rtsp://");
        assertThatThrownBy(() -> SourceSpec.parse("cam", "udp://239.0.0.1"))
                .hasMessage("source 'udp://239.0.0.1' of stream cam names no port (udp://HOST:PORT)");
        assertThatThrownBy(() -> SourceSpec.parse("cam", "http:///cam"))
                .hasMessage("source 'http:///cam' of stream cam names no host");
        assertThatThrownBy(() -> SourceSpec.parse("cam", dir.resolve("missing.mp4").toString()))
                .hasMessageContaining("of stream cam: no such file");
        assertThatThrownBy(() -> SourceSpec.parse("cam", dir.toString()))
                .hasMessageEndingWith("of stream cam: cannot read a directory");
        assertThatThrownBy(() -> SourceSpec.parse("cam", "alsa:"))
                .hasMessage("source 'alsa:' of stream cam: name the ALSA device, e.g. alsa:default or alsa:hw:1,0");
        assertThatThrownBy(() -> SourceSpec.parse("bad id", "rtsp://cam/1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stream id 'bad id' of source rtsp://cam/1 is not a stream id");
    }
}
