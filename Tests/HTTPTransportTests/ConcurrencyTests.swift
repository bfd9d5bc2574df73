import Foundation
import HTTPTransport
import Testing

@Suite("Many requests at once", .timeLimit(.minutes(1)))
struct ConcurrencyTests {
    @Test("50 concurrent POSTs all succeed and each body arrives intact")
    func fiftyAtOnce() async throws {
        let transport = try CurlTransport(configuration: .init(maxConnectionsPerHost: 8))
        defer { transport.shutdown() }
        try await EchoServer.run { server in
            let lengths = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let body = patternedBytes(count: 1000 + index * 5000)
                        let request = HTTPRequest(
                            method: "POST", url: server.baseURL + "/echo",
                            headers: [HTTPHeader("x-test-id", "\(index)")], body: .bytes(body))
                        let response = try await transport.send(request)
                        #expect(response.status == 200)
                        #expect(await server.bodies.body(id: "\(index)") == body)
                        return (index, try JSONDecoder().decode(EchoReply.self, from: response.body).bodyLength)
                    }
                }
                return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
            }
            #expect(lengths.count == 50)
            #expect(lengths.allSatisfy { $0.value == 1000 + $0.key * 5000 })
        }
    }
}
