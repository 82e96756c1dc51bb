#!/usr/bin/env bash
# Writes a man page (roff) for bordernet from its own help text, for when swift-argument-parser's
# generate-manual cannot be built. Usage: manpage-from-help.sh BINARY DATE > bordernet.1
set -euo pipefail
binary=$1
date=${2:-$(date -u +%Y-%m-%d)}
escape() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\&'/"; }

echo ".TH BORDERNET 1 \"$date\" \"bordernet $("$binary" --version)\" \"BorderNet\""
echo ".SH NAME"
echo "bordernet \\- exchange signed, encrypted border-security bulletins with neighbouring states"
echo ".SH DESCRIPTION"
echo ".nf"
"$binary" --help | escape
echo ".fi"
# Every subcommand and its subcommands, as listed by the help text (two-space indented names).
commands() {
    "$binary" help "$@" 2>/dev/null | awk '/^SUBCOMMANDS:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}' \
        | grep -v '^help$' || true
}
walk() {
    local sub
    for sub in $(commands "$@"); do
        echo ".SH \"$(echo bordernet "$@" "$sub" | tr a-z A-Z)\""
        echo ".nf"
        "$binary" help "$@" "$sub" | escape
        echo ".fi"
        walk "$@" "$sub"
    done
}
walk
echo ".SH SEE ALSO"
echo "/usr/share/doc/bordernet/OPERATIONS.md, /usr/share/doc/bordernet/CONFIGURATION.md"
