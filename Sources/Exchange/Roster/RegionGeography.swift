/// Which states border which: the table a roster builder uses to propose default links (each
/// member state sends to and receives from its land and sea neighbours).
///
/// The table proposes; the secretariat decides. The signed roster's links are the only ones the
/// protocol honours, and the secretariat may add or remove any. Partner states appear in the
/// table (their maritime routes are real) but get no default links.
public struct RegionGeography: Sendable {
    /// How two states neighbour each other.
    public enum Border: String, Sendable, Hashable, Codable {
        /// A shared land border.
        case land
        /// A maritime neighbourhood across which people and goods cross by sea.
        case sea
    }

    /// An unordered pair of neighbouring states and why they neighbour.
    public struct Neighbourhood: Hashable, Sendable {
        /// One state of the pair.
        public let first: StateCode
        /// The other state.
        public let second: StateCode
        /// Land or sea.
        public let border: Border
        /// Why the pair is listed (for people reviewing the table).
        public let note: String

        /// A neighbourhood of `first` and `second` across a `border`, with a note for reviewers.
        public init(first: StateCode, second: StateCode, border: Border, note: String) {
            self.first = first
            self.second = second
            self.border = border
            self.note = note
        }

        /// Whether `state` is one of the pair.
        public func contains(_ state: StateCode) -> Bool { first == state || second == state }
    }

    /// The states that get default links (`member` role).
    public let memberStates: [StateCode]
    /// Partner and observer states (no default links).
    public let partnerStates: [StateCode]
    /// The neighbourhoods.
    public let neighbourhoods: [Neighbourhood]

    /// A table of neighbourhoods.
    public init(memberStates: [StateCode], partnerStates: [StateCode], neighbourhoods: [Neighbourhood]) {
        self.memberStates = memberStates
        self.partnerStates = partnerStates
        self.neighbourhoods = neighbourhoods
    }

    /// The states neighbouring `state`, sorted.
    public func neighbours(of state: StateCode) -> [StateCode] {
        neighbourhoods.compactMap { pair in
            pair.first == state ? pair.second : pair.second == state ? pair.first : nil
        }.sorted()
    }

    /// Both directed links for every neighbourhood whose two states are both in `members` with
    /// the `member` role. Partners and the secretariat get no default links.
    public func defaultLinks(for members: [RosterMember]) -> [Link] {
        let states = Set(members.filter { $0.role == .member }.map(\.state))
        var links: [Link] = []
        for pair in neighbourhoods where states.contains(pair.first) && states.contains(pair.second) {
            links.append(Link(origin: pair.first, recipient: pair.second))
            links.append(Link(origin: pair.second, recipient: pair.first))
        }
        return Array(Set(links)).sorted()
    }

    /// The Rabat Declaration states of the Maghreb and Sahel and their partners, with every land
    /// border between them and the sea crossings that irregular routes use.
    public static let rabatDeclaration: RegionGeography = {
        func pair(_ a: StaticString, _ b: StaticString, _ border: Border, _ note: String) -> Neighbourhood {
            Neighbourhood(first: StateCode(checked: a), second: StateCode(checked: b), border: border, note: note)
        }
        let members: [StaticString] = ["DZ", "EG", "LY", "MA", "ML", "MR", "NE", "SD", "TD", "TN"]
        let partners: [StaticString] = ["ES", "FR", "IT", "MT", "PT"]
        return RegionGeography(
            memberStates: members.map { StateCode(checked: $0) },
            partnerStates: partners.map { StateCode(checked: $0) },
            neighbourhoods: [
                // Land borders between members.
                pair("MA", "DZ", .land, "land border (closed since 1994; smuggling corridor)"),
                pair("DZ", "TN", .land, "land border"),
                pair("DZ", "LY", .land, "land border (Ghadames–Ghat)"),
                pair("DZ", "NE", .land, "land border (Assamaka–In Guezzam route)"),
                pair("DZ", "ML", .land, "land border (Tinzaouaten, Bordj Badji Mokhtar)"),
                pair("DZ", "MR", .land, "land border (Tindouf–Zouérat road)"),
                pair("TN", "LY", .land, "land border (Ras Ajdir, Dehiba)"),
                pair("LY", "EG", .land, "land border (Salloum)"),
                pair("LY", "SD", .land, "land border (Kufra triangle)"),
                pair("LY", "TD", .land, "land border (Tibesti)"),
                pair("LY", "NE", .land, "land border (Salvador pass, Agadez–Sebha route)"),
                pair("EG", "SD", .land, "land border (Argeen, Qustul) and Red Sea coast"),
                pair("SD", "TD", .land, "land border (Darfur)"),
                pair("TD", "NE", .land, "land border (Lake Chad, Kawar)"),
                pair("NE", "ML", .land, "land border (Ménaka, Tillabéri)"),
                pair("ML", "MR", .land, "land border (Hodh, Nioro)"),
                // Sea between members. Morocco and Mauritania are listed as Atlantic-coast
                // neighbours (the Atlantic route to the Canary Islands runs along both coasts);
                // the table takes no position on any territorial question.
                pair("MA", "MR", .sea, "Atlantic coast: the Atlantic route (Nouadhibou–Canary Islands)"),
                // Sea crossings to partners (no default links; the secretariat may add them).
                pair("MA", "ES", .sea, "Strait of Gibraltar, Alboran Sea; land borders at Ceuta and Melilla"),
                pair("DZ", "ES", .sea, "Algerian route (Oran–Almería, Balearic Islands)"),
                pair("DZ", "IT", .sea, "Annaba–Sardinia route"),
                pair("TN", "IT", .sea, "Strait of Sicily (Sfax–Lampedusa, Pantelleria)"),
                pair("TN", "MT", .sea, "Strait of Sicily, overlapping search-and-rescue regions"),
                pair("LY", "IT", .sea, "Central Mediterranean route (Tripolitania–Lampedusa)"),
                pair("LY", "MT", .sea, "Central Mediterranean, Maltese search-and-rescue region"),
                pair("MA", "PT", .sea, "Gulf of Cádiz (Atlantic crossings to the Algarve)"),
            ])
    }()
}
