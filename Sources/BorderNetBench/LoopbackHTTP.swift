import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The few HTTP requests the console benchmark makes itself (signing in, changing the one-time
/// password, checking each page before `wrk` measures it): HTTP/1.1 on 127.0.0.1, one request per
/// connection, no redirect followed, every read and write bounded in time and size.
///
/// Not URLSession: it follows redirects and keeps cookies by its own rules (a `__Host-` cookie is
/// `Secure`), where the benchmark wants each `Set-Cookie` as sent.
struct LoopbackHTTP {
    let port: Int
    /// The longest answer read (a feed page of 200 rows is far smaller).
    static let maximumBytes = 8 << 20

    struct Response {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: String

        /// The value of the cookie `name` the answer sets (`Set-Cookie: name=value; …`).
        func cookie(_ name: String) -> String? {
            for header in headers where header.name.lowercased() == "set-cookie" {
                let pair = header.value.split(separator: ";", maxSplits: 1).first ?? ""
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name { return String(parts[1]) }
            }
            return nil
        }

        /// The value of the first hidden form field `name` in the page (`name="csrf" value="…"`).
        func formValue(_ name: String) -> String? {
            guard let start = body.range(of: "name=\"\(name)\" value=\"") else { return nil }
            guard let end = body[start.upperBound...].firstIndex(of: "\"") else { return nil }
            return String(body[start.upperBound..<end])
        }
    }

    /// One request; `form` is sent as `application/x-www-form-urlencoded`; `headers` are sent as
    /// given (`Name: value`).
    func request(
        _ method: String, _ path: String, cookies: [String: String] = [:], form: [(String, String)]? = nil, headers: [String] = [],
        timeoutSeconds: Int = 30
    ) throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nUser-Agent: bordernet-bench\r\n"
        for header in headers { head += header + "\r\n" }
        if !cookies.isEmpty {
            head += "Cookie: " + cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") + "\r\n"
        }
        var body = ""
        if let form {
            body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
            head += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n"
        }
        let raw = try exchange(Array((head + "\r\n" + body).utf8), timeoutSeconds: timeoutSeconds)
        return try Self.parse(raw)
    }

    private func exchange(_ request: [UInt8], timeoutSeconds: Int) throws -> [UInt8] {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw BenchError("cannot open a socket: errno \(errno)") }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw BenchError("cannot connect to 127.0.0.1:\(port): errno \(errno)") }
        var sent = 0
        while sent < request.count {
            let written = request[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw BenchError("cannot send to 127.0.0.1:\(port): errno \(errno)") }
            sent += written
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while answer.count < Self.maximumBytes {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            guard count > 0 else { throw BenchError("no answer from 127.0.0.1:\(port) within \(timeoutSeconds) s (errno \(errno))") }
            answer.append(contentsOf: buffer[0..<count])
        }
        return answer
    }

    static func parse(_ raw: [UInt8]) throws -> Response {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = raw.firstRange(of: separator) else { throw BenchError("an HTTP answer without headers") }
        let lines = String(decoding: raw[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw BenchError("an HTTP answer without a status") }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = Array(raw[end.upperBound...])
        if headers.contains(where: { $0.name.lowercased() == "transfer-encoding" && $0.value.lowercased().contains("chunked") }) {
            body = try dechunk(body)
        }
        return Response(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
    }

    /// The body of a chunked answer.
    static func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        let crlf: [UInt8] = [13, 10]
        for _ in 0..<1_000_000 {
            guard let line = bytes[index...].firstRange(of: crlf) else { throw BenchError("a chunked answer cut short") }
            let sizeText = String(decoding: bytes[index..<line.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                throw BenchError("a chunked answer with a bad chunk size")
            }
            if size == 0 { return output }
            let start = line.upperBound
            guard start + size <= bytes.count else { throw BenchError("a chunked answer cut short") }
            output.append(contentsOf: bytes[start..<(start + size)])
            index = start + size + 2
            guard index <= bytes.count else { throw BenchError("a chunked answer cut short") }
        }
        throw BenchError("a chunked answer with too many chunks")
    }

    /// Form encoding: letters, digits and `-._~` as they are, every other byte as `%XX`.
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
