#!/usr/bin/env bash
# docs/OPERATIONS.md followed step by step, with the real commands, on one machine.
#
#   B=.build/debug/bordernet PORT=27450 Deploy/operations-walkthrough.sh [WORK_DIR]
#
# Three states (MA, DZ, then TN) on 127.0.0.1, six ports from PORT; the "offline machine" of the
# secretariat is the folder WORK_DIR/offline. Each step is marked with the section of
# OPERATIONS.md it follows (`section "…"`: Tests/DeployTests checks that every such name is a
# heading of OPERATIONS.md). What a single machine cannot do (root, systemd, dpkg -i, real
# removable media) is said where it is skipped. Exits 0 only if every check held; stops every node
# it started (by pid) whatever happens.
set -euo pipefail

repository=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-$repository/.build/debug/bordernet}
W=${1:-$(mktemp -d)}
PORT=${PORT:-27450}
export BORDERNET_SCHEMAS=${BORDERNET_SCHEMAS:-$repository/Schemas}
mkdir -p "$W"

declare -A PID=() PUBLISH=() SERVICE=()
PUBLISH[ma]=tcp://127.0.0.1:$PORT SERVICE[ma]=tcp://127.0.0.1:$((PORT + 1))
PUBLISH[dz]=tcp://127.0.0.1:$((PORT + 2)) SERVICE[dz]=tcp://127.0.0.1:$((PORT + 3))
PUBLISH[tn]=tcp://127.0.0.1:$((PORT + 4)) SERVICE[tn]=tcp://127.0.0.1:$((PORT + 5))

section() { printf '\n=== OPERATIONS.md: %s\n' "$1"; }
fail() { echo "walkthrough: FAILED: $*" >&2; exit 1; }
stop_all() {
    for node in "${!PID[@]}"; do kill "${PID[$node]}" 2>/dev/null || true; done
    for node in "${!PID[@]}"; do wait "${PID[$node]}" 2>/dev/null || true; done
}
trap stop_all EXIT

# Polls a command (up to 30 s) until it succeeds.
until_true() {
    local what=$1
    shift
    for _ in $(seq 150); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
    fail "$what"
}
start() {
    "$B" node run --data "$W/$1" >>"$W/$1.log" 2>&1 &
    PID[$1]=$!
    until_true "node $1 did not answer within 30 s ($(tail -n 3 "$W/$1.log"))" "$B" status --data "$W/$1"
}
stop() {
    kill "${PID[$1]}"
    wait "${PID[$1]}" || true
    unset "PID[$1]"
}
restart() { stop "$1" && start "$1"; }
# Posts a sample bulletin from $1 (more arguments go to `post`); prints its id.
post() {
    local from=$1
    shift
    "$B" post --data "$W/$from" --type migrant-smuggling --lang fr \
        --title "Passeurs interpellés près de la frontière" \
        --summary "Un groupe de 23 personnes a été intercepté à 4 km de la frontière, deux passeurs interpellés." \
        --severity high --details '{"persons": 23, "smugglersArrested": 2}' --json "$@" >"$W/post.json"
    sed -n 's/^  "id" : "\([^"]*\)".*/\1/p' "$W/post.json"
}
in_feed() { "$B" feed --data "$W/$1" --json --limit 1000 | grep -q "$2"; }
# Every outgoing link of $1 acknowledged up to what it sent (docs/OPERATIONS.md, "Monitoring").
all_acknowledged() {
    local status sent acknowledged
    status=$("$B" status --data "$W/$1" --json)
    sent=$(grep -o '"sent" : [0-9]*' <<<"$status" | awk '{total += $3} END {print total + 0}')
    acknowledged=$(grep -o '"acknowledged" : [0-9]*' <<<"$status" | awk '{total += $3} END {print total + 0}')
    [ "$sent" = "$acknowledged" ]
}
new_node() {
    local state=$1 name=$2 folder=$3 key=$4 data=${5:-$W/$3}
    "$B" init --state "$state" --name "$name" --data "$data" --secretariat-key "$key" \
        --advertise-publish "${PUBLISH[$folder]}" --advertise-service "${SERVICE[$folder]}" \
        --bind-publish "${PUBLISH[$folder]}" --bind-service "${SERVICE[$folder]}"
}

OFFLINE=$W/offline/secretariat
INBOX=$W/offline/inbox
OUTBOX=$W/offline/outbox
mkdir -p "$INBOX" "$OUTBOX" "$W/safe-1" "$W/safe-2"

section "The secretariat's key ceremony"
"$B" secretariat init --data "$OFFLINE" | tee "$W/ceremony.txt"
KEY=$(tail -n 1 "$W/ceremony.txt")
[ "$KEY" = "$(cat "$OFFLINE/secretariat.pub")" ] || fail "the printed key is not secretariat.pub"
[ "$(stat -c %a "$OFFLINE/secretariat.key")" = 600 ] || fail "secretariat.key is not mode 0600"
[ "$(stat -c %a "$OFFLINE")" = 700 ] || fail "the secretariat folder is not mode 0700"
# Two copies of the folder for the two safes (on real removable media, encrypted: not done here).
for safe in safe-1 safe-2; do tar -C "$W/offline" -cf "$W/$safe/secretariat.tar" secretariat; done
echo "fingerprint read out at the ceremony: $KEY"

section "Setting up a node"
new_node MA rabat-1 ma "$KEY"
new_node DZ alger-1 dz "$KEY"
for node in ma dz; do
    [ "$(cat "$W/$node/secretariat.pub")" = "$KEY" ] || fail "$node did not pin the secretariat key"
    [ "$(stat -c %a "$W/$node/keys/signing.key")" = 600 ] || fail "$node's signing key is not mode 0600"
    sha256sum "$W/$node/card.json"
    cp "$W/$node/card.json" "$INBOX/$node.card.json"
done

section "Signing and distributing a roster"
"$B" roster add "$INBOX/ma.card.json" "$INBOX/dz.card.json" --data "$OFFLINE"
"$B" roster link --neighbours --data "$OFFLINE"
"$B" roster sign --data "$OFFLINE" --out "$OUTBOX/roster-1.signed" --valid-days 365
"$B" roster show "$OUTBOX/roster-1.signed"
for node in ma dz; do "$B" roster install "$OUTBOX/roster-1.signed" --data "$W/$node"; done
start ma
start dz
first=$(post ma)
[ -n "$first" ] || fail "MA could not post: $(cat "$W/post.json")"
until_true "DZ never received $first" in_feed dz "$first"
until_true "MA's links were not acknowledged" all_acknowledged ma

section "Adding a state"
new_node TN tunis-1 tn "$KEY"
cp "$W/tn/card.json" "$INBOX/tn.card.json"
"$B" roster add "$INBOX/tn.card.json" --data "$OFFLINE"
"$B" roster link --neighbours --data "$OFFLINE" | tee "$W/links-2.txt"
grep -q "DZ→TN" "$W/links-2.txt" || fail "the new roster does not link DZ→TN"
"$B" roster sign --data "$OFFLINE" --out "$OUTBOX/roster-2.signed"
for node in ma dz tn; do "$B" roster install "$OUTBOX/roster-2.signed" --data "$W/$node"; done
restart ma
restart dz
start tn
to_tunisia=$(post dz)
grep -q '"recipient" : "TN"' "$W/post.json" || fail "DZ did not address TN: $(cat "$W/post.json")"
until_true "TN never received $to_tunisia" in_feed tn "$to_tunisia"
until_true "DZ's links were not acknowledged" all_acknowledged dz

section "Rotating a node's keys"
# No stop, no wait for acknowledgements: the old keys stay trusted for what they signed before
# --valid-from (a day by default), and MA switches when it installs the roster.
"$B" keys rotate --data "$W/ma" --json >"$W/rotation.json" || fail "keys rotate failed"
cp "$W/ma/card.next.json" "$INBOX/ma-2.card.json"
"$B" roster add "$INBOX/ma-2.card.json" --data "$OFFLINE"
"$B" roster sign --data "$OFFLINE" --out "$OUTBOX/roster-3.signed"
before_rotation=$(post ma --to DZ)
for node in ma dz tn; do "$B" roster install "$OUTBOX/roster-3.signed" --data "$W/$node"; done
[ -d "$W/ma/keys.retired" ] && [ ! -e "$W/ma/keys.next" ] || fail "MA did not switch to its next keys"
until_true "MA did not log its switch" grep -q "switched to the next keys" "$W/ma.log"
after_rotation=$(post ma --to DZ)
until_true "DZ never received $before_rotation, signed with MA's old key" in_feed dz "$before_rotation"
until_true "DZ never received $after_rotation, signed with MA's new key" in_feed dz "$after_rotation"
until_true "MA's links were not acknowledged after the rotation" all_acknowledged ma

section "Revoking a state"
"$B" roster revoke TN --since 1m --reason "walkthrough: keys seized" --data "$OFFLINE"
"$B" roster sign --data "$OFFLINE" --out "$OUTBOX/roster-4.signed"
if "$B" roster show "$OUTBOX/roster-4.signed" | grep -q '^  TN '; then fail "roster 4 still lists TN"; fi
"$B" roster show "$OUTBOX/roster-4.signed" | grep -q "TN keys .*REVOKED" || fail "roster 4 does not show TN's keys revoked"
for node in ma dz; do "$B" roster install "$OUTBOX/roster-4.signed" --data "$W/$node"; done
restart ma
restart dz
after_revocation=$(post dz)
if grep -q '"recipient" : "TN"' "$W/post.json"; then fail "DZ still addresses TN"; fi
until_true "MA never received $after_revocation" in_feed ma "$after_revocation"
# TN, still running on roster 3, keeps knocking: DZ refuses its key.
until_true "DZ did not refuse TN's connection" grep -q "reason=unknownTransportKey.*refused a transport message" "$W/dz.log"
if in_feed tn "$after_revocation"; then fail "TN received a bulletin after its revocation"; fi
stop tn
"$B" roster install "$OUTBOX/roster-4.signed" --data "$W/tn"
if "$B" node run --data "$W/tn" >>"$W/tn.log" 2>&1; then fail "TN's node started on a roster without TN"; fi
grep -q "not in the installed roster" "$W/tn.log" || fail "TN's node did not say why it stopped"

section "Rotating the secretariat's key"
NEW_OFFLINE=$W/offline/secretariat-2
"$B" secretariat init --data "$NEW_OFFLINE" | tee "$W/ceremony-2.txt"
NEW_KEY=$(tail -n 1 "$W/ceremony-2.txt")
"$B" roster successor "$NEW_KEY" --data "$OFFLINE"
"$B" roster sign --data "$OFFLINE" --out "$OUTBOX/roster-5.signed"
for node in ma dz; do "$B" roster install "$OUTBOX/roster-5.signed" --data "$W/$node"; done
[ "$(cat "$W/ma/secretariat-next.pub")" = "$NEW_KEY" ] || fail "MA did not learn the successor key"
cp "$OFFLINE/roster-draft.json" "$NEW_OFFLINE/roster-draft.json"
"$B" roster sign --data "$NEW_OFFLINE" --out "$OUTBOX/roster-6.signed"
for node in ma dz; do "$B" roster install "$OUTBOX/roster-6.signed" --data "$W/$node"; done
for node in ma dz; do
    [ "$(cat "$W/$node/secretariat.pub")" = "$NEW_KEY" ] || fail "$node did not pin the new key"
done
"$B" status --data "$W/ma" --json | grep -q '"rosterVersion" : 6' || fail "MA does not run roster 6"
# A roster the old key signs now is refused by every node.
"$B" roster sign --data "$OFFLINE" --out "$W/forged-by-old-key.signed"
if "$B" roster install "$W/forged-by-old-key.signed" --data "$W/dz"; then fail "DZ accepted a roster signed by the retired key"; fi
rm -rf "$OFFLINE" "$W/safe-1/secretariat.tar" "$W/safe-2/secretariat.tar"
after_new_key=$(post ma --to DZ)
until_true "DZ never received $after_new_key under roster 6" in_feed dz "$after_new_key"

section "Backups"
until_true "MA's links were not acknowledged before the backup" all_acknowledged ma
sent_before=$("$B" status --data "$W/ma" --json | grep -o '"sent" : [0-9]*' | awk '{total += $3} END {print total + 0}')
mkdir -p "$W/backup/ma"
for db in store audit watchlists; do
    [ -f "$W/ma/$db.sqlite" ] || fail "MA has no $db.sqlite to back up"
    sqlite3 -cmd ".timeout 10000" "$W/ma/$db.sqlite" ".backup '$W/backup/ma/$db.sqlite'"
    [ "$(sqlite3 "$W/backup/ma/$db.sqlite" 'PRAGMA integrity_check')" = ok ] || fail "the backup of MA's $db.sqlite is damaged"
done
tar -C "$W/ma" -cf "$W/backup/ma/node.tar" --exclude='./store.sqlite*' --exclude='./audit.sqlite*' \
    --exclude='./watchlists.sqlite*' --exclude='./search.sqlite*' --exclude='./*.sock' --exclude=./node.lock --exclude='./*.log' --exclude=./metrics.prom .
if tar -tf "$W/backup/ma/node.tar" | grep -q sqlite; then fail "the archive holds a database copied unsafely"; fi

section "Restoring a node"
stop ma
mv "$W/ma" "$W/ma.lost"
mkdir -m 700 "$W/ma"
tar -C "$W/ma" -xpf "$W/backup/ma/node.tar"
install -m 600 "$W/backup/ma/store.sqlite" "$W/ma/store.sqlite"
install -m 600 "$W/backup/ma/audit.sqlite" "$W/ma/audit.sqlite"
install -m 600 "$W/backup/ma/watchlists.sqlite" "$W/ma/watchlists.sqlite"
start ma
sent_after=$("$B" status --data "$W/ma" --json | grep -o '"sent" : [0-9]*' | awk '{total += $3} END {print total + 0}')
[ "$sent_before" = "$sent_after" ] || fail "MA sent $sent_before before the backup but $sent_after after the restore"
after_restore=$(post ma --to DZ)
until_true "DZ never received $after_restore from the restored MA" in_feed dz "$after_restore"
until_true "the restored MA's links were not acknowledged" all_acknowledged ma
if grep -q "conflicting envelope" "$W/dz.log"; then fail "DZ saw a conflicting envelope after the restore"; fi
rm -rf "$W/ma.lost"

section "Upgrades"
# dpkg -i bordernet_<new>.deb is not run here (root, and the package); what it does to a node is:
# stop, replace the binary, start; the store's migrations run at start. With a fresh backup first:
sqlite3 -cmd ".timeout 10000" "$W/ma/store.sqlite" ".backup '$W/backup/ma/store-before-upgrade.sqlite'"
"$B" --version
restart ma
until_true "MA's links were not acknowledged after the restart" all_acknowledged ma

section "Monitoring"
for node in ma dz; do
    "$B" status --data "$W/$node"
    all_acknowledged "$node" || fail "$node has unacknowledged envelopes"
done
if grep -hE "critical|conflicting envelope|receipt names an envelope we did not send|cannot store" "$W"/ma.log "$W"/dz.log; then
    fail "an alarming line in the logs (see OPERATIONS.md, What the logs mean)"
fi
echo "warnings seen (expected: TN's refused connections after its revocation, restarts):"
grep -hE " warning | error " "$W"/ma.log "$W"/dz.log | sed -E 's/^[^ ]+ //' | cut -c1-160 | sort | uniq -c | sort -rn | head -n 10 || true

section "Agency credentials for TAXII"
# runuser -u bordernet-console is not run here (no such user on a test machine).
CONSOLE=$W/console
"$B" console agency add ma-customs --console-data "$CONSOLE" \
    --working-groups customs,security --tlp-max amber --kind law-enforcement --expires 90d >"$W/agency.txt"
token=$(tail -n 1 "$W/agency.txt")
[[ $token =~ ^bnt_[A-Za-z0-9_-]{43}$ ]] || fail "agency add printed no token on its last line"
grep -q "$token" "$CONSOLE/console.sqlite" && fail "the token is stored in console.sqlite"
if "$B" console agency add ma-police --console-data "$CONSOLE" --working-groups security --tlp-max red \
    --kind law-enforcement 2>/dev/null; then
    fail "--tlp-max red was accepted without --named-for-red"
fi
"$B" console agency list --console-data "$CONSOLE" | tee "$W/agencies.txt"
grep -q "^ma-customs  #1  active  TLP:AMBER  customs,security" "$W/agencies.txt" || fail "agency list does not show ma-customs active"
grep -q "bnt_" "$W/agencies.txt" && fail "agency list shows a token"
renewed=$("$B" console agency renew ma-customs --console-data "$CONSOLE" --expires 90d | tail -n 1)
[[ $renewed =~ ^bnt_ && $renewed != "$token" ]] || fail "agency renew printed no new token"
"$B" console agency revoke ma-customs --console-data "$CONSOLE"
"$B" console agency list --console-data "$CONSOLE" --json | grep -q '"status" : "revoked"' || fail "ma-customs is not listed as revoked"
if "$B" console agency renew ma-customs --console-data "$CONSOLE" 2>/dev/null; then fail "a revoked agency was renewed"; fi
"$B" audit entries --data "$W/ma" --kind agencyAccess --last 5

echo
echo "walkthrough: every step of OPERATIONS.md held"
