import CCurl

// The C callbacks curl calls on the loop thread, each handed the transfer as its context pointer.

/// CURLOPT_WRITEFUNCTION: appends received body bytes (decoded when curl decompresses), aborting the
/// transfer (by taking none) when they would go past the body limit; a 2xx body with a response file
/// goes to that file, unlimited.
func curlWriteCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    let byteCount = size * count
    if let sink = transfer.responseSink, (200..<300).contains(transfer.status) {
        return sink.write(UnsafeRawBufferPointer(start: data, count: byteCount)) ? byteCount : 0
    }
    guard Int64(transfer.responseBody.count) + Int64(byteCount) <= transfer.maxResponseBytes else {
        transfer.exceededResponseLimit = true
        return 0
    }
    if let data, byteCount > 0 {
        transfer.responseBody.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: byteCount)
    }
    return byteCount
}

/// CURLOPT_XFERINFOFUNCTION: aborts when the body as received (before decompression) passes the limit,
/// which a chunked or compressed body announces nowhere in advance (not when it goes to a response file).
func curlProgressCallback(
    _ context: UnsafeMutableRawPointer?, _ downloadTotal: curl_off_t, _ downloaded: curl_off_t, _ uploadTotal: curl_off_t,
    _ uploaded: curl_off_t
) -> Int32 {
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    guard transfer.responseSink != nil || Int64(downloaded) <= transfer.maxResponseBytes else {
        transfer.exceededResponseLimit = true
        return 1
    }
    return 0
}

/// CURLOPT_HEADERFUNCTION: one response header line at a time, status lines included.
func curlHeaderCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    let byteCount = size * count
    if let data, byteCount > 0 {
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: byteCount), as: UTF8.self)
        transfer.headerCollector.consume(line[...])
    }
    return byteCount
}

/// CURLOPT_READFUNCTION: fills curl's buffer with the next body bytes; aborts when the file fails.
func curlReadCallback(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    guard let buffer else { return 0 }
    switch transfer.upload.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count)) {
    case .success(let written):
        return written
    case .failure(let failure):
        transfer.uploadFailure = failure
        return Int(CURL_READFUNC_ABORT)
    }
}

/// CURLOPT_SEEKFUNCTION: rewinds the body when curl must send it again.
func curlSeekCallback(_ context: UnsafeMutableRawPointer?, _ offset: curl_off_t, _ origin: Int32) -> Int32 {
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    guard origin == SEEK_SET, transfer.upload.seek(to: Int64(offset)) else { return CURL_SEEKFUNC_CANTSEEK }
    return CURL_SEEKFUNC_OK
}
