/// What a person chooses for themselves in the console's settings.
extension AccountStore {
    /// Sets the interface language (`ar`, `fr`, `en`) and whether numbers show in Arabic-Indic
    /// digits, for account `userID`.
    public func setPreferences(userID: Int64, language: String, arabicDigits: Bool) throws(AccountError) {
        guard ConsoleUser.languages.contains(language) else { throw AccountError.invalidField(field: "language", value: language, rule: "ar, fr or en") }
        try write("set preferences") { db in
            try db.execute(sql: "UPDATE account SET language = ?, arabic_digits = ? WHERE id = ?", arguments: [language, arabicDigits, userID])
            guard db.changesCount == 1 else { throw AccountError.noSuchUser(id: userID) }
        }
    }
}
