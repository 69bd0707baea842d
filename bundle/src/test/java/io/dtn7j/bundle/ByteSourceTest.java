package io.dtn7j.bundle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteSourceTest {
    @TempDir
    Path dir;

    @Test
    void arraySources() throws IOException {
        byte[] b = "hello world".getBytes();
        ByteSource s = ByteSource.of(b);
        assertThat(s.size()).isEqualTo(11);
        assertThat(s.slice(6, 5).toByteArray()).isEqualTo("world".getBytes());
        assertThat(s.slice(6, 5)).isEqualTo(ByteSource.ofUtf8("world"));
        assertThat(s.slice(6, 5).hashCode()).isEqualTo(ByteSource.ofUtf8("world").hashCode());
        assertThat(s.slice(0, 5)).isNotEqualTo(ByteSource.ofUtf8("world"));
        try (InputStream in = s.slice(6, 5).openStream()) {
            assertThat(in.readAllBytes()).isEqualTo("world".getBytes());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.slice(0, 5).writeTo(out);
        assertThat(out.toByteArray()).isEqualTo("hello".getBytes());
        assertThatThrownBy(() -> s.slice(6, 6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(ByteSource.empty().isEmpty()).isTrue();
        byte[] copySrc = {1, 2};
        ByteSource copy = ByteSource.copyOf(copySrc);
        copySrc[0] = 9;
        assertThat(copy.toByteArray()).containsExactly(1, 2);
    }

    @Test
    void fileSources() throws IOException {
        Path f = dir.resolve("data");
        Files.write(f, "0123456789abcdef".getBytes());
        ByteSource s = ByteSource.ofFile(f, 2, 10);
        assertThat(s.size()).isEqualTo(10);
        assertThat(s.hasArray()).isFalse();
        assertThat(s.toByteArray()).isEqualTo("23456789ab".getBytes());
        assertThat(s.slice(3, 4).toByteArray()).isEqualTo("5678".getBytes());
        byte[] dst = new byte[3];
        s.read(7, dst, 0, 3);
        assertThat(dst).isEqualTo("9ab".getBytes());
        try (InputStream in = s.openStream()) {
            assertThat(in.skip(2)).isEqualTo(2);
            assertThat(in.read()).isEqualTo('4');
            assertThat(in.readAllBytes()).isEqualTo("56789ab".getBytes());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.writeTo(out);
        assertThat(out.toString()).isEqualTo("23456789ab");
        assertThat(ByteSource.ofFile(f).size()).isEqualTo(16);
        // a range beyond the end of the file fails on read, with the cause
        ByteSource tooLong = ByteSource.ofFile(f, 10, 100);
        assertThatThrownBy(tooLong::toByteArray).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> ByteSource.ofFile(f, -1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ByteSource.ofFile(f, 0, (long) Integer.MAX_VALUE).toByteArray())
                .isInstanceOf(IllegalStateException.class);
    }
}
