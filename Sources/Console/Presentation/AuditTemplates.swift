/// The auditor's pages as Mustache templates, compiled into the binary like ``Templates``: every
/// `{{value}}` escaped scalar by scalar, no script, the audit style sheet (`/assets/audit.css`,
/// allowed by the policy's `style-src 'self'`) linked from each page.
enum AuditTemplates {
    static let all: [String: String] = [
        "auditNav": nav, "auditMatrix": matrix, "auditLink": link, "auditFindings": findings, "auditHistory": history, "auditNode": node,
    ]

    static let nav = """
        <link rel="stylesheet" href="/assets/audit.css">
        <nav class="audit-tabs"><a href="/audit">{{a.matrix}}</a> <a href="/audit/findings">{{a.findings}}</a> <a href="/audit/history">{{a.history}}</a></nav>
        """

    static let matrix = """
        {{> auditNav}}
        <h1>{{a.matrix}}</h1>
        {{#tooLarge}}<p class="error" role="alert">{{a.tooLarge}}</p>{{/tooLarge}}
        {{^tooLarge}}
        <p>{{a.matrixExplanation}}</p>
        <table class="matrix" id="matrix"><thead><tr><th scope="col">{{a.originRecipient}}</th>{{#states}}<th scope="col"><a href="/audit/nodes/{{.}}">{{.}}</a></th>{{/states}}</tr></thead><tbody>
        {{#rows}}<tr><th scope="row"><a href="/audit/nodes/{{origin}}">{{origin}}</a></th>{{#cells}}{{#self}}<td class="cell self">—</td>{{/self}}{{^self}}<td class="cell health-{{health}}" data-link="{{origin}}-{{recipient}}" title="{{healthLabel}}"><a href="/audit/links/{{origin}}/{{recipient}}"><span class="counts">{{sent}} / {{received}} / {{acknowledged}}</span>{{#issues}}<span class="issue">{{label}} {{count}}</span>{{/issues}}</a></td>{{/self}}{{/cells}}</tr>{{/rows}}
        </tbody></table>
        <p class="legend">{{a.legend}}: <span class="cell health-green">{{a.green}}</span> <span class="cell health-amber">{{a.amber}}</span> <span class="cell health-red">{{a.red}}</span> <span class="cell health-idle">{{a.idle}}</span></p>
        {{/tooLarge}}
        <h2>{{a.nodes}}</h2>
        <table class="audit" id="nodes"><thead><tr><th>{{a.state}}</th><th>{{a.entriesHeld}}</th><th>{{a.headTime}}</th><th>{{a.lastCollection}}</th><th>{{a.findings}}</th></tr></thead><tbody>
        {{#nodes}}<tr{{#equivocation}} class="flagged"{{/equivocation}}><td><a href="/audit/nodes/{{state}}">{{state}}</a></td><td>{{entriesHeld}}</td><td>{{headTime}}</td><td>{{lastCollection}}</td><td>{{findingCount}}</td></tr>{{/nodes}}
        </tbody></table>
        """

    static let link = """
        {{> auditNav}}
        <h1>{{a.link}} {{origin}} → {{recipient}}</h1>
        {{#known}}
        <p><span class="cell health-{{health}}">{{healthLabel}}</span></p>
        <table class="audit" id="link-counts"><tbody>
        {{#counts}}<tr><th scope="row">{{label}}</th><td>{{value}}</td></tr>{{/counts}}
        </tbody></table>
        {{#hasSequences}}<h2>{{a.sequences}}</h2><dl class="sequences">{{#sequences}}<dt>{{label}}</dt><dd>{{list}}</dd>{{/sequences}}</dl>{{/hasSequences}}
        {{#hasRejections}}<h2>{{a.rejections}}</h2>
        <table class="audit"><thead><tr><th>{{a.loggedBy}}</th><th>{{a.sequence}}</th><th>{{a.reason}}</th><th>{{a.when}}</th></tr></thead><tbody>
        {{#rejections}}<tr><td>{{loggedBy}}</td><td>{{sequence}}</td><td>{{code}} {{reason}}</td><td>{{time}}</td></tr>{{/rejections}}
        </tbody></table>{{/hasRejections}}
        {{#hasMismatches}}<h2>{{a.mismatch}}</h2><ul>{{#mismatches}}<li>{{sequence}}: <code>{{sent}}</code> / <code>{{other}}</code> ({{seenIn}})</li>{{/mismatches}}</ul>{{/hasMismatches}}
        {{#hasAttachments}}<h2>{{a.attachments}}</h2>
        <p>{{a.attachmentsExplanation}}</p>
        <table class="audit" id="link-attachments"><tbody>
        {{#attachmentCounts}}<tr><th scope="row">{{label}}</th><td>{{value}}</td></tr>{{/attachmentCounts}}
        </tbody></table>
        {{#hasAttachmentLists}}<dl class="sequences" id="attachment-files">{{#attachmentLists}}<dt>{{label}}</dt><dd><bdi dir="ltr">{{list}}</bdi></dd>{{/attachmentLists}}</dl>{{/hasAttachmentLists}}
        {{#hasAttachmentMismatches}}<h3>{{a.disagreements}}</h3>
        <table class="audit" id="attachment-mismatches"><thead><tr><th>{{a.file}}</th><th>{{a.field}}</th><th>{{a.explanation}}</th></tr></thead><tbody>
        {{#attachmentMismatches}}<tr><td><bdi dir="ltr">{{file}}</bdi></td><td>{{field}}</td><td><code>{{expected}}</code> / <code>{{other}}</code> ({{seenIn}})</td></tr>{{/attachmentMismatches}}
        </tbody></table>{{/hasAttachmentMismatches}}
        {{/hasAttachments}}
        {{/known}}
        {{^known}}<p>{{a.linkNotInLogs}}</p>{{/known}}
        """

    static let findings = """
        {{> auditNav}}
        <h1>{{a.findings}}</h1>
        <form method="get" action="/audit/findings" class="filters">
        <label>{{a.node}} <select name="node"><option value="">{{a.anyNode}}</option>{{#nodeChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/nodeChoices}}</select></label>
        <label>{{a.kind}} <select name="kind"><option value="">{{a.anyKind}}</option>{{#kindChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/kindChoices}}</select></label>
        <button type="submit">{{a.apply}}</button>
        </form>
        <h2>{{a.collectionFindings}}</h2>
        <table class="audit" id="collection-findings"><thead><tr><th>{{a.severity}}</th><th>{{a.kind}}</th><th>{{a.node}}</th><th>{{a.when}}</th><th>{{a.explanation}}</th></tr></thead><tbody>
        {{#collection}}<tr class="severity-critical"><td>{{a.critical}}</td><td>{{kindLabel}}</td><td><a href="/audit/nodes/{{state}}">{{state}}</a></td><td>{{when}}</td><td><bdi dir="ltr">{{detail}}</bdi>{{#entryIndex}} · {{a.entryIndex}} {{entryIndex}}{{/entryIndex}}{{#evidence}}<br><small>{{a.evidenceHeads}}: {{evidence}}</small>{{/evidence}}</td></tr>{{/collection}}
        </tbody></table>
        {{^collection}}<p class="empty">{{a.none}}</p>{{/collection}}
        {{#olderURL}}<p><a href="{{olderURL}}">{{a.older}} →</a></p>{{/olderURL}}
        <h2>{{a.reconciliationFindings}}</h2>
        {{#tooLarge}}<p class="error" role="alert">{{a.tooLarge}}</p>{{/tooLarge}}
        <table class="audit" id="reconciliation-findings"><thead><tr><th>{{a.severity}}</th><th>{{a.kind}}</th><th>{{a.node}}</th><th>{{a.explanation}}</th></tr></thead><tbody>
        {{#reconciliation}}<tr class="severity-{{severity}}"><td>{{severityLabel}}</td><td>{{kindLabel}}</td><td>{{subject}}</td><td><bdi dir="ltr">{{text}}</bdi></td></tr>{{/reconciliation}}
        </tbody></table>
        {{^reconciliation}}<p class="empty">{{a.none}}</p>{{/reconciliation}}
        {{#reconciliationCut}}<p>{{a.shownAtMost}}</p>{{/reconciliationCut}}
        """

    static let history = """
        {{> auditNav}}
        <h1>{{a.history}}</h1>
        <table class="audit" id="history"><thead><tr><th>{{a.node}}</th><th>{{a.when}}</th><th>{{a.outcome}}</th><th>{{a.headSize}}</th><th>{{a.headTime}}</th><th>{{a.explanation}}</th></tr></thead>
        {{#runs}}<tbody class="run"><tr class="run-head"><th colspan="6">{{a.run}} · {{a.startedAt}} {{startedAt}} · {{a.failures}}: {{failureCount}}</th></tr>
        {{#attempts}}<tr class="outcome-{{outcome}}"><td><a href="/audit/nodes/{{state}}">{{state}}</a></td><td>{{at}}</td><td>{{outcomeLabel}}</td><td>{{headSize}}</td><td>{{headTime}}</td><td><bdi dir="ltr">{{detail}}</bdi></td></tr>{{/attempts}}
        </tbody>{{/runs}}
        </table>
        {{^runs}}<p class="empty">{{a.none}}</p>{{/runs}}
        {{#olderURL}}<p><a href="{{olderURL}}">{{a.older}} →</a></p>{{/olderURL}}
        """

    static let node = """
        {{> auditNav}}
        <h1>{{a.node}} {{state}}</h1>
        {{#equivocation}}<p class="error" role="alert">{{a.equivocationFlag}}</p>{{/equivocation}}
        <dl class="common">
        <dt>{{a.entriesHeld}}</dt><dd>{{entriesHeld}}</dd>
        <dt>{{a.headTime}}</dt><dd>{{headTime}}</dd>
        <dt>{{a.root}}</dt><dd><code>{{root}}</code></dd>
        <dt>{{a.lastCollection}}</dt><dd>{{lastCollection}}</dd>
        </dl>
        <h2>{{a.headsAccepted}}</h2>
        <table class="audit" id="heads"><thead><tr><th>{{a.headSize}}</th><th>{{a.headTime}}</th><th>{{a.collectedAt}}</th><th>{{a.root}}</th></tr></thead><tbody>
        {{#heads}}<tr><td>{{size}}</td><td>{{time}}</td><td>{{collectedAt}}</td><td><code>{{root}}</code></td></tr>{{/heads}}
        </tbody></table>
        {{^heads}}<p class="empty">{{a.notCollected}}</p>{{/heads}}
        <h2><a href="/audit/findings?node={{state}}">{{a.findings}}</a></h2>
        <table class="audit" id="node-findings"><thead><tr><th>{{a.kind}}</th><th>{{a.when}}</th><th>{{a.explanation}}</th></tr></thead><tbody>
        {{#findings}}<tr class="severity-critical"><td>{{kindLabel}}</td><td>{{when}}</td><td><bdi dir="ltr">{{detail}}</bdi></td></tr>{{/findings}}
        </tbody></table>
        {{^findings}}<p class="empty">{{a.none}}</p>{{/findings}}
        <h2>{{a.history}}</h2>
        <table class="audit" id="node-history"><thead><tr><th>{{a.when}}</th><th>{{a.outcome}}</th><th>{{a.headSize}}</th><th>{{a.explanation}}</th></tr></thead><tbody>
        {{#attempts}}<tr class="outcome-{{outcome}}"><td>{{at}}</td><td>{{outcomeLabel}}</td><td>{{headSize}}</td><td><bdi dir="ltr">{{detail}}</bdi></td></tr>{{/attempts}}
        </tbody></table>
        """

    static let styleSheet = """
        nav.audit-tabs { display: flex; gap: 1rem; margin-block-end: .5rem; }
        table.matrix { border-collapse: collapse; margin-block: .5rem 1rem; }
        table.matrix th, table.matrix td { border: 1px solid var(--line, #d0d0d0); padding: .3rem .5rem; text-align: center; }
        table.matrix td a { display: block; color: inherit; text-decoration: none; }
        .cell.health-green { background: #d8f0d8; }
        .cell.health-amber { background: #ffe9b0; }
        .cell.health-red { background: #f8c8c8; font-weight: bold; }
        .cell.health-idle { background: #eeeeee; color: #5a5a5a; }
        .cell.self { background: #fafafa; color: #9a9a9a; }
        span.cell { padding: 0 .4rem; }
        .counts { display: block; white-space: nowrap; }
        .issue { display: block; font-size: .8rem; }
        table.audit { border-collapse: collapse; margin-block: .5rem 1rem; width: 100%; }
        table.audit th, table.audit td { border-block-end: 1px solid var(--line, #d0d0d0); padding: .3rem .6rem; text-align: start; vertical-align: top; }
        tr.severity-critical td:first-child, tr.flagged td:first-child, tr.outcome-flagged td:nth-child(3) { color: #a40000; font-weight: bold; }
        tr.outcome-unreachable td:nth-child(3), tr.outcome-refused td:nth-child(3) { color: #8a5a00; font-weight: bold; }
        tr.run-head th { background: #eef2f6; text-align: start; }
        code { overflow-wrap: anywhere; }
        """
}
