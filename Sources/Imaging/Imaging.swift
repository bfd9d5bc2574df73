import CVips
import Logging
import Synchronization

/// Process-wide libvips set-up shared by every entry point of this module.
public enum Imaging {
    /// Largest memory, in bytes, libvips may keep in its operation cache.
    public static let cacheMemoryLimit = 16 * 1024 * 1024
    /// Default limit on stored pixels of images that are decoded (decompression-bomb guard): 100 MP.
    public static let defaultMaxPixels = 100_000_000
    /// Worker threads libvips may use per pipeline; small because the host is shared with other work.
    public static let vipsConcurrency = 2

    /// Starts libvips once (`VIPS_INIT`) and bounds its cache and threads; cheap after the first call.
    ///
    /// Thread-safe: the body runs inside a `static let` initialiser, which Swift runs exactly once.
    /// Also blocks every libvips loader but ``allowedLoaders`` (and every operation libvips marks
    /// untrusted), so a file that changed after it was sniffed, or that libvips itself sniffs (as
    /// `vips_thumbnail_source` does), can never reach the TIFF, GIF, SVG, PDF or matrix decoders.
    public static func initialize() {
        _ = started
    }

    /// Sends libvips's own warnings (damaged JPEG data, tile errors) to `logger` at info level,
    /// instead of the unstructured lines libvips prints on stderr. The last logger given wins.
    public static func routeWarnings(to logger: Logger) {
        warningLogger.withLock { $0 = logger }
        _ = warningsRouted
    }

    /// The libvips loader classes left usable, each with its file, buffer and source subclasses:
    /// JPEG, PNG (libpng or libspng), WebP, and HEIF (HEIC too).
    public static let allowedLoaders = ["VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp", "VipsForeignLoadHeif"]

    private static let warningLogger = Mutex<Logger?>(nil)

    /// Installs the GLib handler once (each `g_log_set_handler` call would add another).
    private static let warningsRouted: Void = {
        initialize()
        ds_vips_route_warnings { message in
            guard let message else { return }
            let text = String(cString: message)
            Imaging.warningLogger.withLock { $0 }?.info("libvips: \(text)")
        }
    }()

    private static let started: Bool = {
        guard ds_vips_init("dropsight") == 0 else {
            // Every later vips call then fails and reports the vips error buffer with its context.
            return false
        }
        vips_cache_set_max(0)
        vips_cache_set_max_mem(cacheMemoryLimit)
        vips_cache_set_max_files(0)
        vips_concurrency_set(Int32(vipsConcurrency))
        vips_block_untrusted_set(1)
        vips_operation_block_set("VipsForeignLoad", 1)
        for loader in allowedLoaders { vips_operation_block_set(loader, 0) }
        return true
    }()
}
