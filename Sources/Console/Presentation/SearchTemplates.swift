/// The search page's template and the linked bulletins of a bulletin page (``Templates`` holds
/// the others). Every `{{value}}` is escaped scalar by scalar; text from bulletins and the index's
/// reasons are isolated in `<bdi dir="auto">`.
enum SearchTemplates {
    static let all: [String: String] = ["search": search, "watch": watch]

    static let search = """
        <h1>{{s.searchHeading}}</h1>
        <form method="get" action="/search" class="filters search" id="search">
        <label class="wide">{{s.searchWords}} <input name="q" maxlength="{{maximumText}}" value="{{q}}" dir="auto" size="40"><small class="hint">{{s.searchWordsHint}}</small></label>
        <label>{{t.incidentType}} <select name="type"><option value="">{{t.anyValue}}</option>{{#types}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/types}}</select></label>
        <label>{{t.origin}} <input name="origin" maxlength="2" size="3" value="{{origin}}" pattern="[A-Za-z]{2}"></label>
        <label>{{s.since}} <input name="from" type="date" value="{{from}}"></label>
        <label>{{s.until}} <input name="to" type="date" value="{{to}}"></label>
        <label>{{t.workingGroup}} <select name="group"><option value="">{{t.anyValue}}</option>{{#groups}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/groups}}</select></label>
        <label>{{t.tlp}} <select name="tlp"><option value="">{{t.anyValue}}</option>{{#tlps}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/tlps}}</select></label>
        <label>{{s.crossingPoint}} <select name="point"><option value="">{{t.anyValue}}</option>{{#points}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/points}}</select></label>
        <label>{{s.identifier}} <select name="idkind"><option value="">—</option>{{#idkinds}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/idkinds}}</select></label>
        <label>{{s.identifierValue}} <input name="idvalue" maxlength="{{maximumIdentifier}}" value="{{idvalue}}" dir="ltr"><small class="hint">{{s.identifierHint}}</small></label>
        <button type="submit">{{s.searchButton}}</button>
        </form>
        {{#hasProblems}}<div class="error" role="alert" id="search-refused"><p>{{s.refused}}</p><ul>{{#problems}}<li>{{.}}</li>{{/problems}}</ul></div>{{/hasProblems}}
        {{#noCriteria}}<p class="empty">{{s.noCriteria}}</p>{{/noCriteria}}
        {{#indexMissing}}<p class="notice" role="status" id="index-missing">{{s.indexMissing}}</p>{{/indexMissing}}
        {{#indexUnreadable}}<p class="error" role="alert" id="index-unreadable">{{s.indexUnreadable}}</p>{{/indexUnreadable}}
        {{#searched}}
        <table class="bulletins" id="hits">
        <tbody>
        {{#hits}}
        <tr class="tlp-{{tlpClass}}" data-id="{{id}}">
        <td class="when">{{storedAt}}</td>
        <td>{{originLabel}}</td>
        <td>{{typeLabel}}</td>
        <td><span class="tlp tlp-{{tlpClass}}">TLP:{{tlp}}</span></td>
        <td><a href="/bulletins/{{id}}"><bdi lang="{{titleLang}}" dir="auto">{{title}}</bdi></a>
        <ul class="reasons" aria-label="{{s.matchedBecause}}">{{#reasons}}<li><bdi dir="auto">{{.}}</bdi></li>{{/reasons}}</ul></td>
        </tr>
        {{/hits}}
        </tbody>
        </table>
        {{^hits}}<p class="empty" id="no-hits">{{s.noHits}}</p>{{/hits}}
        {{#nextURL}}<p><a href="{{nextURL}}" id="next-hits">{{s.next}} →</a></p>{{/nextURL}}
        {{/searched}}
        """

    /// Inside the bulletin page (``Templates/bulletin``), after its corrections: the linked bulletins
    /// the reader may read.
    static let linkedBulletins = """
        {{#hasLinks}}
        <section class="linked"><h2>{{s.linkedBulletins}}</h2>
        <table class="bulletins" id="linked"><tbody>
        {{#linked}}<tr class="tlp-{{tlpClass}}" data-id="{{id}}">
        <td class="when">{{storedAt}}</td><td>{{originLabel}}</td><td>{{typeLabel}}</td><td><span class="tlp tlp-{{tlpClass}}">TLP:{{tlp}}</span></td>
        <td><a href="/bulletins/{{id}}"><bdi lang="{{titleLang}}" dir="auto">{{title}}</bdi></a></td>
        <td class="why">{{s.why}}: <bdi dir="auto">{{reason}}</bdi></td><td class="score">{{s.score}} <span dir="ltr">{{score}}</span></td>
        </tr>{{/linked}}
        </tbody></table>
        </section>
        {{/hasLinks}}
        """

    /// The person's watch-list: entries (remove), the form to add one, their alerts newest first.
    static let watch = """
        <h1>{{s.watchHeading}}</h1>
        <p>{{s.watchExplanation}}</p>
        {{#hasProblems}}<div class="error" role="alert" id="watch-refused"><ul>{{#problems}}<li>{{.}}</li>{{/problems}}</ul></div>{{/hasProblems}}
        <table class="bulletins" id="entries"><tbody>
        {{#entries}}<tr data-entry="{{id}}"><td>#{{id}}</td><td>{{kind}}</td><td><bdi dir="auto">{{value}}</bdi></td><td>{{#label}}<bdi dir="auto">{{label}}</bdi>{{/label}}</td><td class="when">{{createdAt}}</td>
        <td><form method="post" action="/watch/remove" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="entry" value="{{id}}"><button type="submit">{{s.watchRemove}}</button></form></td></tr>{{/entries}}
        </tbody></table>
        {{^entries}}<p class="empty">{{s.noEntries}}</p>{{/entries}}
        <form method="post" action="/watch" class="filters" id="watch-add">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{s.watchKind}} <select name="kind">{{#kinds}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/kinds}}</select></label>
        <label>{{s.watchValue}} <input name="value" required maxlength="{{maximumValue}}" value="{{value}}" dir="auto"></label>
        <label>{{s.watchLabel}} <input name="label" maxlength="200" value="{{label}}" dir="auto"></label>
        <button type="submit">{{s.watchAdd}}</button>
        </form>
        <h2>{{s.alerts}}{{#eventsURL}} <span class="live" id="alerts-live" data-events="{{eventsURL}}" hidden>● {{t.live}}</span>{{/eventsURL}}</h2>
        <table class="bulletins" id="alerts"><tbody>
        {{#alerts}}<tr class="tlp-{{tlpClass}}" data-id="{{id}}" data-alert="{{alert}}" data-entry="{{entry}}">
        <td class="when">{{raisedAt}}</td><td>{{originLabel}}</td><td>{{typeLabel}}</td><td><span class="tlp tlp-{{tlpClass}}">TLP:{{tlp}}</span></td>
        <td><a href="/bulletins/{{id}}"><bdi lang="{{titleLang}}" dir="auto">{{title}}</bdi></a></td>
        <td>{{s.entry}} #{{entry}}: <bdi dir="auto">{{reason}}</bdi></td></tr>{{/alerts}}
        </tbody></table>
        {{^alerts}}<p class="empty-alerts" id="no-alerts">{{s.noAlerts}}</p>{{/alerts}}
        """
}
