/// The console's pages as Mustache templates, compiled into the binary (an installed console
/// needs no template folder to find). `{{value}}` is HTML-escaped by swift-mustache; the only
/// unescaped insertion, `{{{content}}}` in the layout, receives a page this library rendered.
enum Templates {
    static let all: [String: String] = [
        "layout": layout, "login": login, "feed": feed, "bulletin": bulletin, "choose": choose, "form": form,
        "message": message, "settings": settings, "password": password, "withdraw": withdraw, "links": links,
        "users": users,
        "loginKey": loginKey, "security": security, "recoveryCodes": recoveryCodes,
    ]

    static let links = """
        <h1>{{t.links}} — {{state}} {{nodeName}}</h1>
        <p>{{t.rosterVersion}} {{rosterVersion}} · {{t.rosterExpires}} {{rosterExpires}}</p>
        <h2>{{t.outgoing}}</h2>
        <table class="links"><thead><tr><th>{{t.to}}</th><th>{{t.sentCount}}</th><th>{{t.acknowledgedCount}}</th><th>{{t.oldestPending}}</th><th>{{t.subscribed}}</th></tr></thead><tbody>
        {{#outgoing}}<tr><td>{{recipient}}</td><td>{{sent}}</td><td>{{acknowledged}}</td><td>{{oldest}}</td><td>{{subscribed}}</td></tr>{{/outgoing}}
        </tbody></table>
        <h2>{{t.incoming}}</h2>
        <table class="links"><thead><tr><th>{{t.from}}</th><th>{{t.receivedCount}}</th><th>{{t.announcedCount}}</th><th>{{t.lastContact}}</th><th>{{t.replaying}}</th></tr></thead><tbody>
        {{#incoming}}<tr><td>{{origin}}</td><td>{{received}}</td><td>{{announced}}</td><td>{{lastContact}}</td><td>{{replaying}}</td></tr>{{/incoming}}
        </tbody></table>
        <h2>{{t.rejections}}</h2>
        {{#rejections}}<p>{{peer}} — {{reason}}: {{count}}</p>{{/rejections}}{{^rejections}}<p>—</p>{{/rejections}}
        """

    static let users = """
        <h1>{{t.users}}</h1>
        {{#created}}<div class="notice" role="status"><p>{{t.oneTimePassword}} <strong>{{createdUsername}}</strong>: <code>{{created}}</code></p></div>{{/created}}
        {{#resetDone}}<div class="notice" role="status" id="reset-done"><p>{{t.secondFactorWasReset}} <strong>{{resetDone}}</strong></p></div>{{/resetDone}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <table class="users"><thead><tr><th>{{t.username}}</th><th>{{t.name}}</th><th>{{t.role}}</th><th>{{t.workingGroup}}</th><th>{{t.tlp}}</th><th>{{t.securityKeys}}</th><th></th></tr></thead><tbody>
        {{#people}}<tr><td>{{username}}</td><td><bdi dir="auto">{{displayName}}</bdi></td><td>{{role}}</td><td>{{groups}}</td><td>{{tlp}}</td><td class="keys">{{keys}}</td>
        <td><form method="post" action="/users/{{id}}" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        {{#disabled}}<button name="action" value="enable">{{t.enable}}</button>{{/disabled}}{{^disabled}}<button name="action" value="disable">{{t.disable}}</button>{{/disabled}}
        <button name="action" value="reset">{{t.resetPassword}}</button></form>
        {{#hasSecondFactor}}<form method="post" action="/users/{{id}}/second-factor" class="inline reset-second-factor"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.yourPassword}} <input type="password" name="password" autocomplete="current-password" required maxlength="1024"></label>
        <button type="submit" title="{{t.resetSecondFactorExplanation}}">{{t.resetSecondFactor}}</button></form>{{/hasSecondFactor}}</td></tr>{{/people}}
        </tbody></table>
        <p>{{t.resetSecondFactor}}: {{t.resetSecondFactorExplanation}}</p>
        <h2>{{t.addUser}}</h2>
        <form method="post" action="/users" class="post">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.username}} <input name="username" required pattern="[a-z0-9._\\-]{3,64}" maxlength="64"></label>
        <label>{{t.name}} <input name="name" required maxlength="120" dir="auto"></label>
        <label>{{t.role}} <select name="role">{{#roles}}<option value="{{value}}">{{label}}</option>{{/roles}}</select></label>
        <fieldset><legend>{{t.workingGroup}}</legend>{{#groupChoices}}<label class="check"><input type="checkbox" name="groups" value="{{value}}"> {{label}}</label>{{/groupChoices}}</fieldset>
        <label>{{t.tlp}} <select name="tlp">{{#tlpChoices}}<option value="{{value}}">{{label}}</option>{{/tlpChoices}}</select></label>
        <label>{{t.agency}} <select name="agency">{{#agencies}}<option value="{{value}}">{{label}}</option>{{/agencies}}</select></label>
        <label>{{t.language}} <select name="lang">{{#languages}}<option value="{{code}}">{{name}}</option>{{/languages}}</select></label>
        <button type="submit">{{t.addUser}}</button>
        </form>
        """

    static let withdraw = """
        <h1>{{t.withdraw}}</h1>
        <p><a href="/bulletins/{{id}}">{{id}}</a> — <bdi dir="auto">{{title}}</bdi></p>
        {{#error}}<div class="error" role="alert"><p>{{error}}</p></div>{{/error}}
        <form method="post" action="/withdraw/{{id}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="f-reason">{{t.withdrawReason}} <abbr title="{{t.required}}">*</abbr></label>
        <textarea id="f-reason" name="reason" rows="4" dir="auto" required minlength="10">{{reason}}</textarea>
        <button type="submit">{{t.withdraw}}</button>
        </form>
        """

    /// The second sign-in step: the security key (console.js runs `navigator.credentials.get`
    /// with the data attributes and posts the result in the hidden fields), or a recovery code.
    static let loginKey = """
        <section class="narrow">
        <h1>{{t.securityKeyStep}}</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#ceremony}}
        <form method="post" action="/login/key" id="webauthn-get" data-challenge="{{challenge}}" data-rp-id="{{rpId}}" data-credentials="{{credentials}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="credentialId"><input type="hidden" name="clientDataJSON"><input type="hidden" name="authenticatorData"><input type="hidden" name="signature">
        <p>{{t.securityKeyExplanation}}</p>
        <button type="submit" id="use-key">{{t.useKey}}</button>
        <p class="error" id="webauthn-error" role="alert" hidden>{{t.keyFailed}}</p>
        </form>
        {{/ceremony}}
        {{#originRefused}}<p class="error" role="alert">{{t.originRefused}}</p>{{/originRefused}}
        <h2>{{t.orRecoveryCode}}</h2>
        <form method="post" action="/login/recovery" id="recovery">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.recoveryCode}} <input name="code" autocomplete="one-time-code" required maxlength="64" dir="ltr"></label>
        <button type="submit">{{t.signInButton}}</button>
        </form>
        <p><a href="/login">{{t.backToPassword}}</a></p>
        </section>
        """

    /// The person's security keys and recovery codes (`navigator.credentials.create` from the
    /// data attributes, by console.js).
    static let security = """
        <section>
        <h1>{{t.security}}</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <h2>{{t.securityKeys}}</h2>
        {{#hasKeys}}
        <table class="keys" id="keys"><thead><tr><th>{{t.keyName}}</th><th>{{t.added}}</th><th>{{t.lastUsed}}</th><th></th></tr></thead><tbody>
        {{#keys}}<tr><td><bdi dir="auto">{{name}}</bdi></td><td class="when">{{createdAt}}</td><td class="when">{{#lastUsedAt}}{{lastUsedAt}}{{/lastUsedAt}}{{^lastUsedAt}}{{t.never}}{{/lastUsedAt}}</td>
        <td><form method="post" action="/security/keys/remove" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="id" value="{{id}}">
        <label>{{t.yourPassword}} <input type="password" name="password" autocomplete="current-password" required maxlength="1024"></label>
        <button type="submit">{{t.removeKey}}</button></form></td></tr>{{/keys}}
        </tbody></table>
        {{/hasKeys}}
        {{^hasKeys}}<p>{{t.noKeys}}</p>{{/hasKeys}}
        {{#ceremony}}
        <form method="post" action="/security/keys" id="webauthn-create" data-challenge="{{challenge}}" data-rp-id="{{rpId}}" data-rp-name="{{rpName}}" data-user-id="{{userId}}" data-user-name="{{userName}}" data-user-display-name="{{userDisplayName}}" data-exclude="{{exclude}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="credentialId"><input type="hidden" name="clientDataJSON"><input type="hidden" name="attestationObject">
        <label>{{t.keyName}} <input name="name" required maxlength="64" dir="auto"></label>
        <label>{{t.yourPassword}} <input type="password" name="password" autocomplete="current-password" required maxlength="1024"></label>
        <button type="submit" id="add-key">{{t.addKey}}</button>
        <p class="error" id="webauthn-error" role="alert" hidden>{{t.keyFailed}}</p>
        </form>
        {{/ceremony}}
        {{#originRefused}}<p class="error" role="alert">{{t.originRefused}}</p>{{/originRefused}}
        <h2>{{t.recoveryCodes}}</h2>
        <p>{{t.codesLeft}} <span class="count">{{codesLeft}}</span></p>
        <p>{{t.confirmExplanation}}</p>
        <form method="post" action="/security/recovery" id="new-codes">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.yourPassword}} <input type="password" name="password" autocomplete="current-password" required maxlength="1024"></label>
        <button type="submit">{{t.newCodes}}</button>
        </form>
        </section>
        """

    /// Recovery codes, shown this once (only their hashes are kept).
    static let recoveryCodes = """
        <section class="narrow">
        <h1>{{t.recoveryCodes}}</h1>
        <p>{{t.codesShownOnce}}</p>
        <ol class="codes" id="recovery-codes">{{#codes}}<li><code dir="ltr">{{.}}</code></li>{{/codes}}</ol>
        <p><a href="/security">{{t.continueLink}}</a></p>
        </section>
        """

    static let password = """
        <section class="narrow">
        <h1>{{t.changePassword}}</h1>
        {{#mustChange}}<p>{{t.mustChangePassword}}</p>{{/mustChange}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/password">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.currentPassword}} <input name="current" type="password" autocomplete="current-password" required maxlength="1024"></label>
        <label>{{t.newPassword}} <input name="new" type="password" autocomplete="new-password" required minlength="12" maxlength="1024"></label>
        <label>{{t.repeatPassword}} <input name="repeat" type="password" autocomplete="new-password" required minlength="12" maxlength="1024"></label>
        <button type="submit">{{t.save}}</button>
        </form>
        </section>
        """

    static let layout = """
        <!doctype html>
        <html lang="{{lang}}" dir="{{dir}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{{pageTitle}} — {{t.appName}}</title>
        <link rel="stylesheet" href="/assets/console.css">
        <script src="/assets/console.js" defer></script>
        </head>
        <body data-digits="{{digits}}">
        <header class="bar">
        <span class="brand">{{t.appName}}{{#node}} · {{node}}{{/node}}</span>
        {{#user}}
        <nav>
        <a href="/">{{t.feed}}</a>
        {{#canPost}}<a href="/post">{{t.post}}</a>{{/canPost}}
        {{#search}}<a href="/search">{{search}}</a> <a href="/watch">{{watch}}</a>{{/search}}
        {{#canOperate}}<a href="/links">{{t.links}}</a> <a href="/users">{{t.users}}</a>{{/canOperate}}
        {{#audit}}<a href="/audit">{{audit}}</a>{{/audit}}
        <a href="/settings">{{t.settings}}</a>
        <a href="/security">{{t.security}}</a>
        <a href="/password">{{t.changePassword}}</a>
        </nav>
        <form method="post" action="/logout" class="inline">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <span class="who"><bdi>{{displayName}}</bdi> ({{roleLabel}})</span>
        <button type="submit">{{t.signOut}}</button>
        </form>
        {{/user}}
        </header>
        <main>
        {{{content}}}
        </main>
        </body>
        </html>
        """

    static let login = """
        <section class="narrow">
        <h1>{{t.signIn}}</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/login">
        <input type="hidden" name="csrf" value="{{loginToken}}">
        <input type="hidden" name="lang" value="{{lang}}">
        <label>{{t.username}} <input name="username" autocomplete="username" required maxlength="64" value="{{username}}"></label>
        <label>{{t.password}} <input name="password" type="password" autocomplete="current-password" required maxlength="1024"></label>
        <button type="submit">{{t.signInButton}}</button>
        </form>
        <p class="languages">{{#languages}}<a href="/login?lang={{code}}" lang="{{code}}">{{name}}</a> {{/languages}}</p>
        </section>
        """

    static let feed = """
        <h1>{{t.feed}}{{#eventsURL}} <span class="live" id="live" data-events="{{eventsURL}}" hidden>● {{t.live}}</span>{{/eventsURL}}</h1>
        <form method="get" action="/" class="filters">
        <label>{{t.incidentType}} <select name="type"><option value="">{{t.anyValue}}</option>{{#types}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/types}}</select></label>
        <label>{{t.origin}} <input name="origin" maxlength="2" size="3" value="{{origin}}" pattern="[A-Za-z]{2}"></label>
        <label>{{t.tlp}} <select name="tlp"><option value="">{{t.anyValue}}</option>{{#tlps}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/tlps}}</select></label>
        <label>{{t.workingGroup}} <select name="group"><option value="">{{t.anyValue}}</option>{{#groups}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/groups}}</select></label>
        <label>{{t.text}} <input name="q" maxlength="200" value="{{q}}"></label>
        <label><select name="show">{{#shows}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/shows}}</select></label>
        <button type="submit">{{t.apply}}</button>
        </form>
        <table class="bulletins" id="bulletins">
        <tbody>
        {{#rows}}
        <tr class="tlp-{{tlpClass}}{{#flagged}} flagged{{/flagged}}" data-id="{{id}}">
        <td class="when">{{storedAt}}</td>
        <td>{{originLabel}}</td>
        <td>{{typeLabel}}</td>
        <td><span class="tlp tlp-{{tlpClass}}">TLP:{{tlp}}</span></td>
        <td><a href="/bulletins/{{id}}"><bdi lang="{{titleLang}}" dir="auto">{{title}}</bdi></a>{{#flagged}} <span class="flag-badge">{{t.flaggedForReview}}</span>{{/flagged}}</td>
        </tr>
        {{/rows}}
        </tbody>
        </table>
        {{^rows}}<p class="empty">{{t.noBulletins}}</p>{{/rows}}
        {{#olderURL}}<p><a href="{{olderURL}}">{{t.older}} →</a></p>{{/olderURL}}
        """

    static let bulletin = """
        <article class="bulletin">
        {{#flag}}<div class="warning" role="alert" id="flagged"><p>{{flag}}</p></div>{{/flag}}
        <p class="facts"><span class="tlp tlp-{{tlpClass}}">TLP:{{tlp}}</span> {{typeLabel}} · {{t.from}} {{originLabel}} · {{storedAt}}</p>
        <h1>{{#titles}}<bdi lang="{{lang}}" dir="auto">{{text}}</bdi>{{^isReader}} <small class="lang">({{langName}}, {{t.originalLanguage}})</small>{{/isReader}}<br>{{/titles}}</h1>
        <dl class="common">
        {{#common}}<dt>{{label}}</dt><dd><bdi dir="auto">{{value}}</bdi></dd>{{/common}}
        </dl>
        {{#hasHandling}}
        <section class="handling"><h2>{{t.handling}}</h2><ul>{{#handlingCodes}}<li><strong>{{label}}</strong></li>{{/handlingCodes}}</ul></section>
        {{/hasHandling}}
        {{#summaries}}<section class="summary"><h2>{{t.summary}} <small>({{langName}})</small></h2><p class="multiline" lang="{{lang}}" dir="auto">{{text}}</p></section>{{/summaries}}
        {{#hasDetails}}
        <section><h2>{{t.details}}</h2>
        <dl class="details">{{#details}}<dt class="depth-{{depth}}">{{label}}</dt><dd class="depth-{{depth}}">{{#value}}<bdi dir="auto">{{value}}</bdi>{{/value}}</dd>{{/details}}</dl>
        </section>
        {{/hasDetails}}
        {{#hasAttachments}}
        <section class="attachments" id="attachments"><h2>{{a.attachments}}</h2>
        <ul class="attachments">{{#attachments}}<li class="attachment state-{{stateClass}}" data-number="{{number}}">
        {{#isImage}}<img src="{{url}}" alt="{{alt}}" loading="lazy">{{/isImage}}
        <p><bdi dir="auto" class="file-name">{{fileName}}</bdi> · {{typeLabel}} · <bdi dir="ltr" class="file-size">{{size}}</bdi> · <span class="file-state">{{state}}{{#detail}} <bdi dir="auto">{{detail}}</bdi>{{/detail}}</span></p>
        {{#caption}}<p class="caption" lang="{{captionLang}}" dir="auto">{{caption}}</p>{{/caption}}
        {{#isDownload}}<p><a class="download" href="{{url}}">{{a.download}} <bdi dir="auto">{{fileName}}</bdi></a></p>{{/isDownload}}
        </li>{{/attachments}}</ul>
        {{#hasAttachmentReceipts}}<h3>{{a.attachmentReceipts}}</h3><ul class="attachment-receipts">{{#attachmentReceipts}}<li>{{state}} — {{status}}</li>{{/attachmentReceipts}}</ul>{{/hasAttachmentReceipts}}
        </section>
        {{/hasAttachments}}
        {{#hasRecipients}}
        <section><h2>{{t.recipients}}</h2><ul class="recipients">{{#recipients}}<li>{{state}} — {{status}}</li>{{/recipients}}</ul></section>
        {{/hasRecipients}}
        {{#hasChain}}
        <section><h2>{{t.corrections}}</h2><ul>{{#chain}}<li>{{label}} <a href="/bulletins/{{id}}">{{id}}</a></li>{{/chain}}</ul></section>
        {{/hasChain}}
        \(SearchTemplates.linkedBulletins)
        {{#canAmend}}<p class="actions"><a href="/post/{{type}}?corrects={{id}}">{{t.correct}}</a> · <a href="/withdraw/{{id}}">{{t.withdraw}}</a></p>{{/canAmend}}
        <p class="id">{{id}}</p>
        </article>
        """

    static let choose = """
        <h1>{{t.newBulletin}}</h1>
        <p>{{t.chooseType}}</p>
        <ul class="types">{{#types}}<li><a href="/post/{{value}}">{{label}}</a></li>{{/types}}</ul>
        """

    static let form = """
        <h1>{{#corrects}}{{t.correct}} {{corrects}}{{/corrects}}{{^corrects}}{{t.newBulletin}}{{/corrects}} — {{typeLabel}}</h1>
        {{#refusal}}<div class="error" role="alert"><p>{{refusal}}</p>{{#hasGeneralErrors}}<ul>{{#generalErrors}}<li>{{.}}</li>{{/generalErrors}}</ul>{{/hasGeneralErrors}}</div>{{/refusal}}
        <form method="post" action="/post/{{type}}" class="post" enctype="multipart/form-data" novalidate>
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#corrects}}<input type="hidden" name="corrects" value="{{corrects}}">{{/corrects}}
        {{#fields}}
        <div class="field{{#error}} invalid{{/error}}">
        <label for="f-{{name}}">{{label}}{{#required}} <abbr title="{{t.required}}">*</abbr>{{/required}}</label>
        {{#isSelect}}<select id="f-{{name}}" name="{{name}}"><option value=""></option>{{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select>{{/isSelect}}
        {{#isMulti}}<fieldset id="f-{{name}}">{{#options}}<label class="check"><input type="checkbox" name="{{name}}" value="{{value}}"{{#selected}} checked{{/selected}}> {{label}}</label>{{/options}}</fieldset>{{/isMulti}}
        {{#isText}}<input id="f-{{name}}" name="{{name}}" value="{{value}}" dir="auto"{{#inputType}} type="{{inputType}}"{{/inputType}}{{#step}} step="{{step}}"{{/step}}>{{/isText}}
        {{#isArea}}<textarea id="f-{{name}}" name="{{name}}" rows="{{rows}}" dir="auto">{{value}}</textarea>{{/isArea}}
        {{#hint}}<small class="hint">{{hint}}</small>{{/hint}}
        {{#error}}<p class="field-error" role="alert">{{error}}</p>{{/error}}
        </div>
        {{/fields}}
        <fieldset class="uploads" id="uploads"><legend>{{a.attachments}}</legend>
        <small class="hint">{{uploadHelp}}</small>
        {{#filesLost}}<p class="field-error files-lost" role="alert">{{a.chooseFilesAgain}}</p>{{/filesLost}}
        {{#uploadError}}<p class="field-error upload-error" role="alert">{{uploadError}}</p>{{/uploadError}}
        {{#uploadSlots}}
        <div class="field upload{{#invalid}} invalid{{/invalid}}" id="upload-{{n}}">
        <label for="f-file.{{n}}">{{label}}</label>
        <input type="file" id="f-file.{{n}}" name="file.{{n}}" accept=".jpg,.jpeg,.png,.webp,.pdf,image/jpeg,image/png,image/webp,application/pdf"{{#fileError}} aria-invalid="true"{{/fileError}}>
        {{#fileError}}<p class="field-error" role="alert">{{fileError}}</p>{{/fileError}}
        <label for="f-caption.{{n}}">{{a.caption}}</label>
        <input id="f-caption.{{n}}" name="caption.{{n}}" value="{{caption}}" maxlength="{{maximumCaption}}" dir="auto"{{#captionError}} aria-invalid="true"{{/captionError}}>
        {{#captionError}}<p class="field-error" role="alert">{{captionError}}</p>{{/captionError}}
        </div>
        {{/uploadSlots}}
        <div class="field"><label for="f-captionLang">{{a.captionLanguage}}</label>
        <select id="f-captionLang" name="captionLang">{{#captionLanguages}}<option value="{{code}}"{{#selected}} selected{{/selected}} lang="{{code}}">{{name}}</option>{{/captionLanguages}}</select></div>
        <div class="field"><label class="check"><input type="checkbox" name="keepMetadata" value="yes"{{#keepMetadata}} checked{{/keepMetadata}} aria-describedby="keep-metadata-hint"> {{a.keepMetadata}}</label>
        <small class="hint" id="keep-metadata-hint">{{a.keepMetadataExplanation}}</small></div>
        </fieldset>
        <fieldset class="recipients"><legend>{{t.recipients}}</legend>
        {{#recipients}}<label class="check"><input type="checkbox" name="to" value="{{state}}"{{#selected}} checked{{/selected}}> {{state}}</label>{{/recipients}}
        </fieldset>
        <button type="submit">{{t.submitPost}}</button>
        </form>
        """

    static let message = """
        <section class="narrow">
        <h1>{{heading}}</h1>
        <p>{{text}}</p>
        {{#link}}<p><a href="{{link}}">{{linkText}}</a></p>{{/link}}
        </section>
        """

    static let settings = """
        <section class="narrow">
        <h1>{{t.settings}}</h1>
        <form method="post" action="/settings">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{t.language}} <select name="lang">{{#languages}}<option value="{{code}}"{{#selected}} selected{{/selected}} lang="{{code}}">{{name}}</option>{{/languages}}</select></label>
        <label>{{t.digits}} <select name="digits"><option value="western"{{^arabicDigits}} selected{{/arabicDigits}}>{{t.westernDigits}}</option><option value="arabic"{{#arabicDigits}} selected{{/arabicDigits}}>{{t.arabicDigits}}</option></select></label>
        <button type="submit">{{t.save}}</button>
        </form>
        </section>
        """
}
