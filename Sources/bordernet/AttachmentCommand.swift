import ArgumentParser
import BulletinSchema
import Exchange
import Foundation
import LocalFiles
import Node
import NodeSetup
import Sodium
import Store
import Wire

/// `bordernet attachment`: the files a bulletin carries, as this node holds them.
struct AttachmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachment",
        abstract: "List a bulletin's attached files, or save one.",
        discussion: """
            A bulletin posted with --attach lists its files; the recipients pull them from the \
            origin after the bulletin, in sealed chunks, and resume after a restart. These \
            commands read the node's store (read-only, beside the running node).

            Examples:
              bordernet attachment list MA-01JFK6SY9541SJ3EQHB6GD1GHC --data /var/lib/bordernet
              bordernet attachment get MA-01JFK6SY9541SJ3EQHB6GD1GHC 1 --out truck.jpg --data /var/lib/bordernet
            """,
        subcommands: [AttachmentListCommand.self, AttachmentGetCommand.self])

    /// The store of the data folder, read-only.
    static func reader(data: DataOption) throws -> BulletinReader {
        let directory = NodeDirectory(path: data.path)
        do {
            let storePath = try directory.loadConfiguration().storePath
            let storeFile =
                storePath.hasPrefix("/")
                ? URL(fileURLWithPath: storePath) : directory.root.appendingPathComponent(storePath)
            return try BulletinReader(storeFile: storeFile)
        } catch {
            printError("bordernet: the store of \(data.path) cannot be read: \(error)")
            throw ExitCode(1)
        }
    }
}

/// `bordernet attachment list BULLETIN`.
struct AttachmentListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List a bulletin's attached files: number, name, type, size, SHA-256 and transfer state.")

    @Argument(help: ArgumentHelp("The bulletin.", valueName: "MA-ulid"))
    var bulletin: BulletinReference

    @OptionGroup var data: DataOption
    @OptionGroup var output: JSONOption

    func run() throws {
        let rows = try AttachmentCommand.reader(data: data).attachments(of: bulletin.description).map(
            FeedAttachment.init)
        if output.json {
            try printJSON(rows)
            return
        }
        guard !rows.isEmpty else {
            print("\(bulletin) has no attachments on this node")
            return
        }
        for row in rows {
            let state = row.state == "transfer" ? "in transfer, \(row.chunksHeld)/\(row.chunkCount) chunks" : row.state
            print(
                "\(row.number)  \(DisplayText.neutralised(row.fileName))  \(row.mediaType)  \(row.size) bytes  \(state)\(row.detail.map { " (\(DisplayText.neutralised($0)))" } ?? "")"
            )
            print("   sha256 \(row.sha256)")
        }
    }
}

/// `bordernet attachment get BULLETIN N --out FILE`.
struct AttachmentGetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract:
            "Save attached file N of a bulletin, once complete: its chunks opened and its SHA-256 checked against the bulletin's."
    )

    @Argument(help: ArgumentHelp("The bulletin.", valueName: "MA-ulid"))
    var bulletin: BulletinReference

    @Argument(help: ArgumentHelp("The file's number in the bulletin (from 1; see `attachment list`).", valueName: "N"))
    var number: Int

    @Option(help: ArgumentHelp("Where to write the file (it must not exist).", valueName: "file"))
    var out: String

    @OptionGroup var data: DataOption

    func run() throws {
        let reader = try AttachmentCommand.reader(data: data)
        guard let row = try reader.attachments(of: bulletin.description).first(where: { $0.number == number }) else {
            printError(
                "bordernet: \(bulletin) has no attachment \(number) on this node (see bordernet attachment list \(bulletin))"
            )
            throw ExitCode(1)
        }
        guard row.state == .complete else {
            printError(
                "bordernet: attachment \(number) of \(bulletin) is \(row.state == .transfer ? "still in transfer (\(row.chunksHeld)/\(row.chunkCount) chunks)" : "refused: \(DisplayText.neutralised(row.detail ?? ""))")"
            )
            throw ExitCode(1)
        }
        guard let binding = row.binding, let key = try? AttachmentKey(base64URL: row.key) else {
            printError("bordernet: attachment \(number) of \(bulletin) has a key that does not read")
            throw ExitCode(1)
        }
        let file: [UInt8]
        do {
            file = try AttachmentCipher.openFile(of: binding, key: key, sha256: row.sha256) { index in
                try reader.chunk(of: row.bulletin, number: row.number, index: index)
            }
        } catch {
            printError("bordernet: attachment \(number) of \(bulletin) cannot be read: \(error)")
            throw ExitCode(1)
        }
        do throws(LocalFileError) {
            // A new file only (O_EXCL): never one that exists, nor through a link someone left there.
            try LocalFile.write(file, to: out, permissions: .ownerReadWrite)
        } catch {
            printError("bordernet: \(error)")
            throw ExitCode(1)
        }
        print(
            "saved \(DisplayText.neutralised(row.fileName)) (\(row.mediaType), \(file.count) bytes, sha256 \(Hex.encode(row.sha256))) to \(out)"
        )
    }
}
