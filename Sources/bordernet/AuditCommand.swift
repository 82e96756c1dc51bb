import ArgumentParser

/// `bordernet audit …`: the secretariat collects and reconciles the nodes' audit logs; an operator
/// checks its own node's log and proves an entry to a third party.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Collect, reconcile, verify and prove the nodes' tamper-evident audit logs.",
        discussion: """
            Every node logs what it did with bulletins (metadata only) in DATA/audit.sqlite, an \
            RFC 9162 Merkle tree whose heads it signs (docs/AUDIT.md).

            The secretariat runs `collect` (fetch and verify every node's new entries) then \
            `report` (reconcile sent against received per link). A node operator runs `verify` \
            (check the node's own log end to end), `prove` (an inclusion proof anyone can check) \
            and `entries` (list the log's entries, e.g. the web console's accesses).

            Example:
              bordernet audit collect --data /srv/secretariat
              bordernet audit report --data /srv/secretariat --html report.html
              bordernet audit verify --data /var/lib/bordernet
              bordernet audit prove --data /var/lib/bordernet --entry 42 --json
              bordernet audit entries --data /var/lib/bordernet --kind consoleAccess
            """,
        subcommands: [AuditCollectCommand.self, AuditReportCommand.self, AuditVerifyCommand.self, AuditProveCommand.self, AuditEntriesCommand.self])
}
