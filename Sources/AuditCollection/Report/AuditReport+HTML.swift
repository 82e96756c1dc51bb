import Exchange

extension AuditReport {
    /// The report as one self-contained HTML file (inline CSS, no script): the matrix of the
    /// region's links coloured by health, the nodes, and the list of findings.
    public var html: String {
        let generated = Timestamp(millisecondsSinceEpoch: generatedAt)
        let states = Array(Set(nodes.map(\.state)).union(links.flatMap { [$0.origin, $0.recipient] })).sorted()
        let byLink = Dictionary(links.map { ("\($0.origin)\($0.recipient)", $0) }, uniquingKeysWith: { first, _ in first })
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>BorderNet audit report \(Self.escape("\(generated)"))</title>
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #1d1d1f; }
            h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 2em; }
            table { border-collapse: collapse; }
            th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: center; vertical-align: top; }
            th { background: #f3f3f3; }
            td.green { background: #c8f0c8; } td.amber { background: #ffe1a8; } td.red { background: #f6b3b3; }
            td.idle { background: #f7f7f7; color: #999; } td.none { background: #e6e6e6; }
            td.left, th.left { text-align: left; }
            .small { font-size: 0.85em; color: #444; }
            .critical { color: #a40000; font-weight: bold; } .warning { color: #8a5a00; }
            .flag { color: #fff; background: #a40000; padding: 1px 6px; border-radius: 3px; font-weight: bold; }
            .legend span { display: inline-block; padding: 2px 8px; margin-right: 6px; border: 1px solid #ccc; }
            </style></head><body>
            <h1>BorderNet audit report</h1>
            <p>Generated \(Self.escape("\(generated)")) from the secretariat's collected logs; roster version \(rosterVersion); an envelope is late when received more than \(lateAfterMilliseconds / 1000) s after it was sent.</p>
            <h2>Links (origin row → recipient column): sent / received / acknowledged</h2>
            <p class="legend"><span style="background:#c8f0c8">green: all acknowledged</span><span style="background:#ffe1a8">amber: pending or late</span><span style="background:#f6b3b3">red: rejected, missing or mismatched</span><span style="background:#f7f7f7">idle</span><span style="background:#e6e6e6">no link</span></p>
            <table><tr><th>origin \\ recipient</th>
            """
        out += states.map { "<th>\($0)</th>" }.joined() + "</tr>\n"
        for origin in states {
            out += "<tr><th>\(origin)</th>"
            for recipient in states {
                guard let link = byLink["\(origin)\(recipient)"] else {
                    out += "<td class=\"none\"></td>"
                    continue
                }
                var cell = "\(link.sent) / \(link.received) / \(link.acknowledged)"
                var notes: [String] = []
                for (reason, count) in link.rejectedByReason.sorted(by: { $0.key < $1.key }) { notes.append("rejected \(reason) ×\(count)") }
                if !link.missingAtRecipient.isEmpty { notes.append("missing \(link.missingAtRecipient.count)") }
                if !link.receivedNeverSent.isEmpty { notes.append("never sent \(link.receivedNeverSent.count)") }
                if !link.hashMismatches.isEmpty { notes.append("hash mismatch \(link.hashMismatches.count)") }
                if !link.late.isEmpty { notes.append("late \(link.late.count)") }
                if !link.pending.isEmpty { notes.append("pending \(link.pending.count)") }
                if let files = link.attachments {
                    notes.append("files \(files.files) / \(files.received) / \(files.acknowledged)")
                    let contradicted = files.mismatchCount.addingSaturating(files.neverStored.count)
                        .addingSaturating(files.acknowledgedNeverReceived.count)
                    if contradicted > 0 { notes.append("file discrepancies \(contradicted)") }
                    if !files.overdue.isEmpty { notes.append("files overdue \(files.overdue.count)") }
                }
                if !link.inRoster { notes.append("not in roster") }
                if !notes.isEmpty { cell += "<br><span class=\"small\">\(Self.escape(notes.joined(separator: "; ")))</span>" }
                out += "<td class=\"\(link.health.rawValue)\" title=\"\(Self.escape(link.name)): \(link.health.rawValue)\">\(cell)</td>"
            }
            out += "</tr>\n"
        }
        out += "</table>\n"
        let withFiles = links.filter { $0.attachments != nil }
        if !withFiles.isEmpty {
            let grace = attachmentGraceMilliseconds.map { "; a file not received \(Self.duration($0)) after it was stored is overdue" } ?? ""
            out += "<h2>Attachments (hashes and sizes only, never content\(grace))</h2>\n<table><tr><th>link</th><th>files</th><th>received</th><th>acknowledged</th><th>complete</th><th>in transfer</th><th>overdue</th><th>refused</th><th>unacknowledged</th><th>mismatches</th><th>never stored</th><th>acknowledged, not received</th></tr>\n"
            for link in withFiles {
                guard let files = link.attachments else { continue }
                let cells = [
                    files.files, files.received, files.acknowledged, files.complete, files.inTransfer.count, files.overdue.count, files.refused.count,
                    files.unacknowledged.count, files.mismatchCount, files.neverStored.count, files.acknowledgedNeverReceived.count,
                ].map { "<td>\($0)</td>" }.joined()
                out += "<tr><td class=\"\(link.health.rawValue)\">\(Self.escape(link.name))</td>\(cells)</tr>\n"
            }
            out += "</table>\n"
        }
        out += "<h2>Nodes</h2>\n<table><tr><th>state</th><th class=\"left\">node</th><th>role</th><th>last head</th><th>age</th><th class=\"left\">last collection</th><th>flags</th></tr>\n"
        for node in nodes {
            let head = node.lastHead.map { "\($0.treeSize) entries at \(Self.escape($0.time))" } ?? "none"
            let age = node.lastHead.map { Self.duration($0.ageMilliseconds) } ?? "–"
            let attempt = node.lastAttempt.map { "\($0.outcome.rawValue) at \($0.at)" } ?? "never"
            var flags = node.equivocation ? "<span class=\"flag\">EQUIVOCATION</span>" : ""
            if let count = node.findings[ReportFinding.Kind.implausibleValue.rawValue], count > 0 {
                flags += " <span class=\"critical\">\(count) implausible values</span>"
            }
            out += "<tr><td>\(node.state)</td><td class=\"left\">\(Self.escape(node.name))</td><td>\(node.role)</td><td>\(head)</td><td>\(age)</td><td class=\"left\">\(Self.escape(attempt))</td><td>\(flags)</td></tr>\n"
        }
        out += "</table>\n"
        if !implausibleValues.isEmpty {
            out += "<h2>Implausible values (\(implausibleValues.count))</h2>\n<table><tr><th>state</th><th>entry</th><th>what</th><th>link</th><th class=\"left\">detail</th></tr>\n"
            for value in implausibleValues.prefix(Self.implausibleRowsInHTML) {
                let entry = value.entryIndex.map(String.init) ?? "head"
                out += "<tr><td>\(value.state)</td><td>\(entry)</td><td>\(value.what.rawValue)</td><td>\(Self.escape(value.link.map { "\($0)" } ?? "–"))</td><td class=\"left\">\(Self.escape(value.detail))</td></tr>\n"
            }
            if implausibleValues.count > Self.implausibleRowsInHTML {
                out += "<tr><td colspan=\"5\" class=\"left\">… and \(implausibleValues.count - Self.implausibleRowsInHTML) more (all in the JSON report)</td></tr>\n"
            }
            out += "</table>\n"
        }
        if !consoleAccess.isEmpty {
            out += "<h2>Console access (account numbers, never names or content)</h2>\n<table><tr><th>state</th><th>account</th><th>role</th><th>action</th><th>outcome</th><th>count</th></tr>\n"
            for access in consoleAccess {
                for count in access.counts {
                    let flagged = count.action == "openBulletin" && count.outcome != "succeeded"
                    out += "<tr><td>\(access.state)</td><td>\(count.account)</td><td>\(Self.escape(count.role))</td><td>\(Self.escape(count.action))</td><td\(flagged ? " class=\"warning\"" : "")>\(Self.escape(count.outcome))</td><td>\(count.count)</td></tr>\n"
                }
                if access.dropped > 0 {
                    out += "<tr><td>\(access.state)</td><td colspan=\"4\" class=\"left warning\">dropped over the node's rate bound</td><td>\(access.dropped)</td></tr>\n"
                }
            }
            out += "</table>\n"
            let agencies = consoleAccess.flatMap { access in access.agencies.map { (access.state, $0) } }
            if !agencies.isEmpty {
                out += "<h3>Agency systems (TAXII; agency numbers, never names)</h3>\n<table><tr><th>state</th><th>agency</th><th>responses</th><th>bulletins delivered</th><th>refused</th></tr>\n"
                for (state, count) in agencies {
                    let agency = count.agency == 0 ? "no valid token" : String(count.agency)
                    out += "<tr><td>\(state)</td><td>\(agency)</td><td>\(count.delivered)</td><td>\(count.bulletins)</td><td\(count.refused > 0 ? " class=\"warning\"" : "")>\(count.refused)</td></tr>\n"
                }
                out += "</table>\n"
            }
            let refused = consoleAccess.flatMap { access in access.refusedOpenings.map { (access.state, $0) } }
            if !refused.isEmpty {
                out += "<h3>Refused and not-found openings</h3>\n<table><tr><th>state</th><th>entry</th><th>time</th><th>account</th><th>role</th><th>outcome</th><th class=\"left\">bulletin</th></tr>\n"
                for (state, opening) in refused {
                    out += "<tr><td>\(state)</td><td>\(opening.entryIndex)</td><td>\(Self.escape("\(Timestamp(millisecondsSinceEpoch: opening.time))"))</td><td>\(opening.account)</td><td>\(Self.escape(opening.role))</td><td>\(Self.escape(opening.outcome))</td><td class=\"left\">\(Self.escape(opening.bulletin ?? "–"))</td></tr>\n"
                }
                out += "</table>\n"
            }
        }
        if let watchLists, !watchLists.isEmpty {
            out += "<h2>Watch-lists (entry numbers and counts, never what is watched or by whom)</h2>\n<table><tr><th>state</th><th class=\"left\">entries added and removed</th><th>kept</th><th>alerts raised</th><th>entries alerting</th></tr>\n"
            for watch in watchLists {
                let owners = watch.owners.map { "\($0.owner) +\($0.added) −\($0.removed)" }.joined(separator: ", ")
                out += "<tr><td>\(watch.state)</td><td class=\"left\">\(Self.escape(owners.isEmpty ? "–" : owners))</td><td>\(watch.kept)</td><td>\(watch.alertsRaised)</td><td>\(watch.entriesAlerting)</td></tr>\n"
            }
            out += "</table>\n"
        }
        if let rosterHistory, !rosterHistory.isEmpty {
            out += "<h2>Roster history (versions installed, oldest first; rosters refused)</h2>\n<table><tr><th>state</th><th>installed</th><th class=\"left\">versions installed</th><th>refused</th><th class=\"left\">by reason</th><th class=\"left\">by source</th></tr>\n"
            for history in rosterHistory {
                let shown = history.installs.suffix(RosterHistoryReport.installsInText)
                let earlier = history.installCount - min(history.installCount, UInt64(shown.count))
                let installs =
                    (earlier > 0 ? "… \(earlier) earlier; " : "")
                    + shown.map { "v\($0.version) at \(Timestamp(millisecondsSinceEpoch: $0.time)) (entry \($0.entryIndex))" }.joined(separator: "; ")
                let reasons = history.refusedByReason.map { "\($0.reason) \($0.count)" }.joined(separator: ", ")
                let sources = history.refusedBySource.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
                out += "<tr><td>\(history.state)</td><td>\(history.installCount)</td><td class=\"left\">\(Self.escape(installs.isEmpty ? "–" : installs))</td><td\(history.refusedCount > 0 ? " class=\"warning\"" : "")>\(history.refusedCount)</td><td class=\"left\">\(Self.escape(reasons.isEmpty ? "–" : reasons))</td><td class=\"left\">\(Self.escape(sources.isEmpty ? "–" : sources))</td></tr>\n"
            }
            out += "</table>\n"
        }
        out += "<h2>Findings</h2>\n"
        if findings.isEmpty {
            out += "<p>No findings: every link reconciles and every node's log is consistent.</p>\n"
        } else {
            out += "<ul>\n"
            for finding in findings {
                out += "<li class=\"\(finding.severity.rawValue)\">\(finding.severity.rawValue.uppercased()) <b>\(Self.escape(finding.subject))</b>: \(Self.escape(finding.text))</li>\n"
            }
            out += "</ul>\n"
        }
        out += "</body></html>\n"
        return out
    }

    /// Rows of the implausible-values table in the HTML page (the JSON report has them all).
    static let implausibleRowsInHTML = 500

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
