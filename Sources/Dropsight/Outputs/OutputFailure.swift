import Foundation

/// Tells an output that can never be written as things stand (a directory or a too-long name where the file
/// goes, a folder that refuses writes, a planted link) from one that cannot be written for now (a full disk,
/// an I/O error). The first kind is recorded once and not retried until a reload or restart; the second is
/// retried with a growing wait.
enum OutputFailure {
    static let permanentErrnos: Set<Int32> = [EISDIR, ENAMETOOLONG, EACCES, EROFS, EINVAL, EPERM, ENOTDIR, ELOOP]

    static func isPermanent(_ error: any Error) -> Bool {
        if let failure = error as? SafeOutput.Failure { return permanentErrnos.contains(failure.errno) }
        if let posix = error as? POSIXError { return permanentErrnos.contains(posix.code.rawValue) }
        if let cocoa = error as? CocoaError, let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain
        {
            return permanentErrnos.contains(Int32(underlying.code))
        }
        return false
    }
}
