package roundtrip.importer.openwrt;

import roundtrip.importer.HostBuilder;

import java.nio.file.Path;

public final class OpenWrtHost {
    private OpenWrtHost() {}
    public static void fromYaml(HostBuilder b, Object node) { throw new UnsupportedOperationException(); }
    public static void fromDirectory(HostBuilder b, Path dir, String label, Object node) { throw new UnsupportedOperationException(); }
}
