/// What a person does on the web console. The role alone decides which pages exist for them; a
/// reader's ``Clearance`` then narrows which bulletins they may open.
public enum ConsoleRole: String, Sendable, Codable, CaseIterable {
    /// A liaison officer of this node's bureau: posts, corrects and withdraws, and reads every
    /// bulletin of the node, sent or received, at any TLP. Liaison officers are the named
    /// recipients of TLP:RED.
    case officer
    /// A person of a national agency: reads only the bulletins their working groups, TLP and
    /// agency allow (docs/CONSOLE.md, "Who may read what"); never posts.
    case reader
    /// Runs the node: links, status, metrics, user accounts; never sees bulletin content.
    case `operator`
    /// The secretariat's auditor: the audit pages (reconciliation, findings); never sees content.
    case auditor
}
