import CCurl

/// Drives every transfer with `curl_multi_perform` / `curl_multi_poll` on the transport's own thread.
///
/// Created and run on that thread; nothing here is touched from anywhere else.
final class CurlMultiLoop {
    /// The longest `curl_multi_poll` waits when neither curl nor the inbox has anything to do.
    private static let idlePollMilliseconds: Int32 = 1000

    private let multi: UnsafeMutableRawPointer
    private let inbox: CurlInbox
    private let configuration: CurlTransport.Configuration
    private var transfers: [UInt64: CurlTransfer] = [:]

    init(multi: MultiHandle, inbox: CurlInbox, configuration: CurlTransport.Configuration) {
        self.multi = multi.pointer
        self.inbox = inbox
        self.configuration = configuration
    }

    /// Runs until the inbox is closed, then fails what is left and cleans up the multi handle.
    func run() {
        while true {
            let batch = inbox.take()
            for submission in batch.submissions { start(submission) }
            for id in batch.cancellations {
                finish(
                    id, with: .failure(TransportError(code: .cancelled, message: "the task was cancelled", url: transfers[id]?.url ?? "")))
            }
            if batch.isClosed { break }

            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            finishCompletedTransfers()
            _ = curl_multi_poll(multi, nil, 0, Self.idlePollMilliseconds, nil)
        }
        for (id, transfer) in transfers {
            finish(id, with: .failure(TransportError(code: .cancelled, message: "the transport was shut down", url: transfer.url)))
        }
        curl_multi_cleanup(multi)
    }

    private func start(_ submission: CurlInbox.Submission) {
        let transfer: CurlTransfer
        do {
            transfer = try CurlTransfer.make(submission, configuration: configuration)
        } catch {
            submission.continuation.resume(throwing: error)
            return
        }
        let added = curl_multi_add_handle(multi, transfer.easy)
        guard added == CURLM_OK else {
            let message = "curl_multi_add_handle failed: \(String(cString: curl_multi_strerror(added)))"
            transfer.continuation.resume(throwing: TransportError(code: .other, message: message, url: transfer.url))
            return
        }
        transfers[transfer.id] = transfer
    }

    private func finishCompletedTransfers() {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE else { continue }
            let result = ds_curlmsg_result(message)
            var context: UnsafeMutableRawPointer?
            _ = ds_curl_easy_getinfo_ptr(message.pointee.easy_handle, CURLINFO_PRIVATE, &context)
            let id = UInt64(UInt(bitPattern: context))
            guard let transfer = transfers[id] else { continue }
            finish(id, with: result == CURLE_OK ? transfer.result() : .failure(transfer.failure(result)))
        }
    }

    /// Detaches transfer `id` from the multi handle, releases it and resumes its caller.
    private func finish(_ id: UInt64, with result: Result<HTTPResponse, TransportError>) {
        guard let transfer = transfers.removeValue(forKey: id) else { return }
        _ = curl_multi_remove_handle(multi, transfer.easy)
        transfer.continuation.resume(with: result.mapError { $0 as any Error })
    }
}
