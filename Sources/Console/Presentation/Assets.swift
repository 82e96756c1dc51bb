/// The console's only style sheet and script, served from the binary: deployments have no
/// internet, and the content security policy allows nothing that is not the console's own.
enum Assets {
    static let styleSheet = """
        :root { --fg: #1b1b1b; --bg: #fafafa; --muted: #5a5a5a; --line: #d0d0d0; --accent: #0b4f8a; }
        * { box-sizing: border-box; }
        body { margin: 0; font-family: "Noto Sans", "Noto Naskh Arabic", "Noto Sans Arabic", sans-serif; color: var(--fg); background: var(--bg); line-height: 1.5; }
        html[dir="rtl"] body { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans", sans-serif; }
        .bar { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .5rem 1rem; background: #0b2740; color: #fff; }
        .bar a, .bar .who { color: #fff; }
        .bar nav { display: flex; gap: 1rem; margin-inline-end: auto; }
        .brand { font-weight: bold; }
        main { padding: 1rem; max-width: 72rem; margin-inline: auto; }
        .narrow { max-width: 28rem; margin-inline: auto; }
        form.inline { display: inline-flex; gap: .5rem; align-items: center; }
        label { display: block; margin-block: .4rem; }
        label.check { display: inline-block; margin-inline-end: 1rem; }
        input, select, textarea, button { font: inherit; padding: .3rem .4rem; }
        textarea { width: 100%; }
        .filters { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; }
        table.bulletins { width: 100%; border-collapse: collapse; }
        table.bulletins td { border-block-end: 1px solid var(--line); padding: .4rem; vertical-align: top; }
        td.when { white-space: nowrap; color: var(--muted); }
        .tlp { font-weight: bold; padding: 0 .3rem; border-radius: .2rem; white-space: nowrap; }
        .tlp.tlp-RED { background: #000; color: #ff2b2b; }
        .tlp.tlp-AMBER, .tlp.tlp-AMBER-STRICT { background: #000; color: #ffc000; }
        .tlp.tlp-GREEN { background: #000; color: #33ff00; }
        .tlp.tlp-CLEAR { background: #000; color: #fff; }
        .error { border: 2px solid #a40000; padding: .5rem; background: #fff0f0; }
        .field.invalid input, .field.invalid select, .field.invalid textarea, .field.invalid fieldset { outline: 2px solid #a40000; }
        .field-error { color: #a40000; margin: .2rem 0; }
        .hint { color: var(--muted); display: block; }
        fieldset.uploads .field.upload { border-block-end: 1px solid var(--line); padding-block-end: .4rem; }
        fieldset.uploads input[type=file] { display: block; margin-block-end: .3rem; }
        fieldset.uploads .field.invalid input { outline: none; }
        fieldset.uploads .field.invalid input[aria-invalid=true] { outline: 2px solid #a40000; }
        ul.attachments { list-style: none; padding: 0; }
        li.attachment { margin: 0 0 1rem; }
        li.attachment img { display: block; max-width: min(100%, 40rem); height: auto; border: 1px solid #ccc; }
        dl.common, dl.details { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
        dt { font-weight: bold; }
        dt.depth-1, dd.depth-1 { padding-inline-start: 1.5rem; }
        dt.depth-2, dd.depth-2 { padding-inline-start: 3rem; }
        dt.depth-3, dd.depth-3 { padding-inline-start: 4.5rem; }
        .multiline { white-space: pre-wrap; }
        .lang { color: var(--muted); font-weight: normal; }
        .live { font-size: .8rem; color: #1c7c1c; }
        tr.arrived { background: #fff8d0; }
        .id { color: var(--muted); font-family: monospace; }
        .notice { border: 2px solid #1c7c1c; padding: .5rem; background: #f0fff0; }
        .warning { border: 2px solid #b35900; padding: .5rem; background: #fff4e0; font-weight: bold; }
        .flag-badge { font-size: .85rem; font-weight: bold; color: #7a3d00; background: #fff4e0; border: 1px solid #b35900; border-radius: .2rem; padding: 0 .3rem; white-space: nowrap; }
        ul.reasons { margin: .2rem 0 0; padding-inline-start: 1.2rem; color: var(--muted); font-size: .9rem; }
        .search label.wide { flex-basis: 100%; }
        table.links, table.users { border-collapse: collapse; margin-block: .5rem 1rem; }
        table.links th, table.links td, table.users th, table.users td { border-block-end: 1px solid var(--line); padding: .3rem .6rem; text-align: start; }
        .actions a { font-weight: bold; }
        table.keys { border-collapse: collapse; margin-block: .5rem; }
        table.keys td, table.keys th { border-block-end: 1px solid var(--line); padding: .3rem .6rem; text-align: start; }
        ol.codes { font-family: monospace; font-size: 1.1rem; columns: 2; }
        """

    /// Live arrival on the feed (Server-Sent Events), forms that submit when a choice changes,
    /// and Arabic-Indic digits when the reader chose them. No inline script anywhere: the
    /// content security policy forbids it.
    static let script = """
        "use strict";
        (function () {
          var arabicDigits = document.body.getAttribute("data-digits") === "arabic";
          function digits(text) {
            if (!arabicDigits) { return text; }
            return text.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x0660 + Number(d)); });
          }
          if (arabicDigits) {
            document.querySelectorAll("td.when, .facts, #flagged p").forEach(function (cell) {
              cell.childNodes.forEach(function (node) {
                if (node.nodeType === Node.TEXT_NODE) { node.textContent = digits(node.textContent); }
              });
            });
          }
          var live = document.getElementById("live");
          var table = document.getElementById("bulletins");
          if (live && table && window.EventSource) {
            var source = new EventSource(live.getAttribute("data-events"));
            source.onopen = function () { live.hidden = false; };
            source.addEventListener("bulletin", function (event) {
              var row;
              try { row = JSON.parse(event.data); } catch (e) { return; }
              if (table.querySelector('tr[data-id="' + CSS.escape(row.id) + '"]')) { return; }
              var tr = document.createElement("tr");
              tr.className = "arrived tlp-" + row.tlpClass;
              tr.setAttribute("data-id", row.id);
              function cell(text) { var td = document.createElement("td"); td.textContent = text; tr.appendChild(td); return td; }
              cell(digits(row.storedAt)).className = "when";
              cell(row.originLabel);
              cell(row.typeLabel);
              var badge = document.createElement("span");
              badge.className = "tlp tlp-" + row.tlpClass;
              badge.textContent = "TLP:" + row.tlp;
              cell("").appendChild(badge);
              var link = document.createElement("a");
              link.href = "/bulletins/" + encodeURIComponent(row.id);
              var bdi = document.createElement("bdi");
              bdi.dir = "auto";
              bdi.lang = row.titleLang;
              bdi.textContent = row.title;
              link.appendChild(bdi);
              cell("").appendChild(link);
              var body = table.tBodies[0];
              body.insertBefore(tr, body.firstChild);
              var empty = document.querySelector("p.empty");
              if (empty) { empty.remove(); }
            });
          }

          // The watch-list's alerts, live: rows built with textContent only, newest on top.
          var alertsLive = document.getElementById("alerts-live");
          var alertsTable = document.getElementById("alerts");
          if (alertsLive && alertsTable && window.EventSource) {
            // An alert already listed (on the page, or sent again after a reconnection) is not added twice.
            var alertsShown = {};
            var listed = alertsTable.querySelectorAll("tr[data-alert]");
            for (var a = 0; a < listed.length; a++) { alertsShown[listed[a].getAttribute("data-alert")] = true; }
            var alertSource = new EventSource(alertsLive.getAttribute("data-events"));
            alertSource.onopen = function () { alertsLive.hidden = false; };
            alertSource.addEventListener("alert", function (event) {
              var row;
              try { row = JSON.parse(event.data); } catch (e) { return; }
              var number = String(row.alert);
              if (Object.prototype.hasOwnProperty.call(alertsShown, number)) { return; }
              alertsShown[number] = true;
              var tr = document.createElement("tr");
              tr.setAttribute("data-alert", number);
              tr.className = "arrived tlp-" + row.tlpClass;
              tr.setAttribute("data-id", row.id);
              tr.setAttribute("data-entry", row.entry);
              function cell(text) { var td = document.createElement("td"); td.textContent = text; tr.appendChild(td); return td; }
              cell(digits(row.raisedAt)).className = "when";
              cell(row.originLabel);
              cell(row.typeLabel);
              var badge = document.createElement("span");
              badge.className = "tlp tlp-" + row.tlpClass;
              badge.textContent = "TLP:" + row.tlp;
              cell("").appendChild(badge);
              var link = document.createElement("a");
              link.href = "/bulletins/" + encodeURIComponent(row.id);
              var bdi = document.createElement("bdi");
              bdi.dir = "auto";
              bdi.lang = row.titleLang;
              bdi.textContent = row.title;
              link.appendChild(bdi);
              cell("").appendChild(link);
              var why = document.createElement("bdi");
              why.dir = "auto";
              why.textContent = row.reason;
              cell("#" + row.entry + ": ").appendChild(why);
              var body = alertsTable.tBodies[0];
              body.insertBefore(tr, body.firstChild);
              var none = document.getElementById("no-alerts");
              if (none) { none.remove(); }
            });
          }

          // WebAuthn: the forms carry the options in data attributes (the challenge the server
          // keeps, the RP ID, the key ids); the result goes back in hidden fields, base64url.
          function fromBase64url(text) {
            var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
            while (base64.length % 4) { base64 += "="; }
            var binary = atob(base64);
            var bytes = new Uint8Array(binary.length);
            for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
            return bytes;
          }
          function toBase64url(buffer) {
            var bytes = new Uint8Array(buffer);
            var binary = "";
            for (var i = 0; i < bytes.length; i++) { binary += String.fromCharCode(bytes[i]); }
            return btoa(binary).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
          }
          function ids(text) {
            return text ? text.split(",").map(function (id) { return { type: "public-key", id: fromBase64url(id) }; }) : [];
          }
          function ceremony(form, run) {
            if (!form) { return; }
            var error = form.querySelector("#webauthn-error");
            form.addEventListener("submit", function (event) {
              event.preventDefault();
              if (error) { error.hidden = true; }
              if (!window.PublicKeyCredential || !navigator.credentials) {
                if (error) { error.hidden = false; }
                return;
              }
              run(form.dataset).then(function (credential) {
                form.elements.credentialId.value = toBase64url(credential.rawId);
                form.elements.clientDataJSON.value = toBase64url(credential.response.clientDataJSON);
                if (form.elements.attestationObject) { form.elements.attestationObject.value = toBase64url(credential.response.attestationObject); }
                if (form.elements.authenticatorData) { form.elements.authenticatorData.value = toBase64url(credential.response.authenticatorData); }
                if (form.elements.signature) { form.elements.signature.value = toBase64url(credential.response.signature); }
                form.submit();
              }).catch(function (e) {
                if (error) { error.hidden = false; error.setAttribute("data-reason", String(e && e.name)); }
              });
            });
          }
          ceremony(document.getElementById("webauthn-create"), function (data) {
            return navigator.credentials.create({ publicKey: {
              challenge: fromBase64url(data.challenge),
              rp: { id: data.rpId, name: data.rpName },
              user: { id: fromBase64url(data.userId), name: data.userName, displayName: data.userDisplayName },
              pubKeyCredParams: [{ type: "public-key", alg: -7 }, { type: "public-key", alg: -8 }],
              excludeCredentials: ids(data.exclude),
              authenticatorSelection: { residentKey: "discouraged", userVerification: "preferred" },
              attestation: "none",
              timeout: 120000
            } });
          });
          ceremony(document.getElementById("webauthn-get"), function (data) {
            return navigator.credentials.get({ publicKey: {
              challenge: fromBase64url(data.challenge),
              rpId: data.rpId,
              allowCredentials: ids(data.credentials),
              userVerification: "preferred",
              timeout: 120000
            } });
          });
        })();
        """
}
