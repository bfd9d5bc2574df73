import Foundation
import Hummingbird
import Logging

/// A real Hummingbird server on 127.0.0.1 (a free port), run for the length of one test.
///
/// `/echo` (GET, POST, PUT, PATCH, DELETE) answers with an `EchoReply` and keeps the body it received
/// under the request's `x-test-id`; `/headers` answers with a fixed set of response headers;
/// `/zeros/N` sends N zero bytes chunked (no length stated); `/gzip-zeros/N` sends them gzip-encoded
/// (a few KB on the wire, with their compressed `Content-Length`).
struct EchoServer: Sendable {
    let port: Int
    let bodies: ReceivedBodies

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts the server, runs `test` against it, then stops it.
    static func run<Value: Sendable>(_ test: @Sendable (EchoServer) async throws -> Value) async throws -> Value {
        let bodies = ReceivedBodies()
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: makeRouter(bodies: bodies),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: quietLogger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            guard let port = await ports.first(where: { _ in true }), port > 0 else {
                group.cancelAll()
                throw ServerDidNotStart()
            }
            defer { group.cancelAll() }
            return try await test(EchoServer(port: port, bodies: bodies))
        }
    }

    private static func makeRouter(bodies: ReceivedBodies) -> Router<BasicRequestContext> {
        let router = Router()
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("/echo", method: method) { request, _ -> Response in
                var request = request
                let body = try await request.collectBody(upTo: .max)
                let data = Data(body.readableBytesView)
                if let id = request.headers.first(where: { $0.name.canonicalName == "x-test-id" })?.value {
                    await bodies.record(data, id: id)
                }
                let reply = EchoReply(
                    method: request.method.rawValue,
                    bodyLength: data.count,
                    headers: request.headers.map { [$0.name.rawName, $0.value] }
                )
                return Response(
                    status: .ok,
                    headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(reply)))
                )
            }
        }
        router.get("/headers") { _, _ -> Response in
            var headers = HTTPFields()
            headers.append(.init(name: .init("X-Mixed-Case")!, value: "Value-One"))
            headers.append(.init(name: .init("x-repeated")!, value: "first"))
            headers.append(.init(name: .init("x-repeated")!, value: "second"))
            return Response(status: .created, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "made")))
        }
        router.get("/zeros/{size}") { _, context -> Response in
            let size = try context.parameters.require("size", as: Int.self)
            return Response(
                status: .ok,
                body: ResponseBody { writer in
                    let piece = ByteBuffer(repeating: 0, count: 64 << 10)
                    var sent = 0
                    while sent < size {
                        try await writer.write(sent + piece.readableBytes <= size ? piece : ByteBuffer(repeating: 0, count: size - sent))
                        sent += piece.readableBytes
                    }
                    try await writer.finish(nil)
                })
        }
        router.get("/gzip-zeros/{size}") { _, context -> Response in
            let size = try context.parameters.require("size", as: Int.self)
            return Response(
                status: .ok, headers: [.contentEncoding: "gzip"],
                body: .init(byteBuffer: ByteBuffer(bytes: GzipBomb.zeros(size))))
        }
        return router
    }
}

/// Request bodies the echo server received, by the request's `x-test-id` header.
actor ReceivedBodies {
    private var bodies: [String: Data] = [:]

    func record(_ body: Data, id: String) {
        bodies[id] = body
    }

    func body(id: String) -> Data? {
        bodies[id]
    }
}

struct ServerDidNotStart: Error {}

/// Stopping the server by cancellation makes Hummingbird log errors that say nothing about the test.
private let quietLogger: Logger = {
    var logger = Logger(label: "echo-server")
    logger.logLevel = .critical
    return logger
}()
